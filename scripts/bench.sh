#!/usr/bin/env bash
# `make bench`: virtual people type whole dialogues (locust, headless) against the assistant started here.
#   BENCH_PROFILES  "defaut" (SQLite, one Rasa server, one action server) and/or "production" (PostgreSQL,
#                   Redis, two Rasa replicas, two action servers, nginx: scripts/production.py); default "defaut"
#   BENCH_LEVELS    people at once, default "1"; for the full picture: "1 10 50"
#   BENCH_RHYTHMS   "sans-pause" (capacity) and/or "avec-pauses" (3 to 8 s between messages, people typing)
#   BENCH_SECONDS   length of each run, default 120
# Results: var/bench/<profil>-<personnes>-<rythme>_*.csv, var/bench/resume.csv (one line per kind of turn:
# turns per second, p50, p95, p99, errors, ratio to the floor) and var/bench/latence.png.
set -euo pipefail
cd "$(dirname "$0")/.."
profiles=${BENCH_PROFILES:-defaut}
levels=${BENCH_LEVELS:-${BENCH_USERS:-1}}
rhythms=${BENCH_RHYTHMS:-sans-pause}
if [ "${BENCH_PAUSE:-0}" = "1" ]; then rhythms=avec-pauses; fi
seconds=${BENCH_SECONDS:-120}
# One address sends every message of the bench: the per-address limit of the web chat is lifted here.
export RATE_LIMIT_PER_ADDRESS=1000000 RATE_LIMIT_PER_SENDER=1000000
mkdir -p var/bench var/log

run_levels() {  # profile, host
  for users in $levels; do
    for rhythm in $rhythms; do
      class=Person
      if [ "$rhythm" = "avec-pauses" ]; then class=TypingPerson; fi
      prefix="var/bench/$1-${users}-${rhythm}"
      echo "== $1, $users personne(s), $rhythm, ${seconds} s"
      .venv/bin/locust -f scripts/bench/locustfile.py "$class" --headless --users "$users" --spawn-rate "$users" \
        --run-time "${seconds}s" --host "$2" --csv "$prefix" --only-summary \
        --loglevel WARNING >var/log/bench.log 2>&1 || true
      .venv/bin/python scripts/bench/summary.py "$prefix" "$users" "$rhythm" "$1"
    done
  done
}

for profile in $profiles; do
  case "$profile" in
    defaut)
      # the default profile on ports of its own, so that it can run beside `make run`
      export ACTION_PORT=${BENCH_ACTION_PORT:-5155} RASA_PORT=${BENCH_RASA_PORT:-5105} ENGINE_PORT=${BENCH_ENGINE_PORT:-5111}
      export OPENFISCA_URL="http://localhost:$ENGINE_PORT"
      sed "s#localhost:5055#localhost:$ACTION_PORT#" endpoints.yml >var/bench/endpoints.yml
      export RASA_ENDPOINTS=var/bench/endpoints.yml
      (
        source scripts/servers.sh
        trap stop_servers EXIT INT TERM
        start_servers
        run_levels defaut "http://localhost:$RASA_PORT"
      )
      ;;
    production)
      port=${BENCH_PROD_PORT:-8190}
      PROD_WEB_PORT=$port PROD_DIR=var/bench/production .venv/bin/python scripts/production.py run \
        >var/log/bench-production.log 2>&1 &
      pid=$!
      trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT INT TERM
      # /ready answers once every part has answered its own health check (scripts/production.py)
      if ! .venv/bin/python scripts/wait_for.py "http://127.0.0.1:$port/ready" 600 "$pid"; then
        echo "Le profil de production n'a pas démarré (voir var/log/bench-production.log)." >&2
        exit 1
      fi
      run_levels production "http://127.0.0.1:$port"
      kill -TERM "$pid"; wait "$pid" || true
      trap - EXIT INT TERM
      ;;
    *) echo "Profil inconnu « $profile » (defaut ou production)." >&2; exit 2 ;;
  esac
done
.venv/bin/python scripts/bench/plot.py
