#!/usr/bin/env bash
# `make bench`: virtual people type whole dialogues (locust, headless) against the assistant started here.
#   BENCH_PROFILES  "defaut" (SQLite, one Rasa server, one action server) and/or "production" (PostgreSQL,
#                   Redis, two Rasa replicas, two action servers, nginx: scripts/production.py); default "defaut"
#   BENCH_LEVELS    people at once, default "1"; for the full picture: "1 10 50"
#   BENCH_RHYTHMS   "sans-pause" (capacity) and/or "avec-pauses" (3 to 8 s between messages, people typing)
#   BENCH_SECONDS   length of each run, default 120
#   BENCH_FAULTS=1  on the production profile, one more run (10 people, no pause) in which a Rasa replica and an
#                   action server are killed a third of the way through (scripts/production.py starts them again)
# On the production profile, each run ends with scripts/bench/integrity.py: every turn stored once and in order.
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

run_once() {  # profile, host, people, rhythm, [label]
  local class=Person prefix="var/bench/$1-$3-${5:-$4}" rate=$3
  # people typing arrive over 10 seconds, as visitors of a page do; capacity runs start everyone at once
  if [ "$4" = "avec-pauses" ]; then class=TypingPerson; rate=$(( $3 >= 10 ? $3 / 10 : 1 )); fi
  echo "== $1, $3 personne(s), ${5:-$4}, ${seconds} s"
  BENCH_SENT_FILE="${prefix}_envois.json" .venv/bin/locust -f scripts/bench/locustfile.py "$class" --headless \
    --users "$3" --spawn-rate "$rate" --run-time "${seconds}s" --host "$2" --csv "$prefix" --only-summary \
    --loglevel WARNING >var/log/bench.log 2>&1 || true
  .venv/bin/python scripts/bench/summary.py "$prefix" "$3" "${5:-$4}" "$1"
  if [ "$1" = production ]; then
    .venv/bin/python scripts/bench/integrity.py "${prefix}_envois.json" var/bench/production || integrity_failed=1
  fi
}

run_levels() {  # profile, host
  for users in $levels; do
    for rhythm in $rhythms; do
      run_once "$1" "$2" "$users" "$rhythm"
    done
  done
}

run_with_faults() {  # host: a Rasa replica and an action server killed a third of the way through a run
  (
    sleep $((seconds / 3))  # the moment of the fault within the run, not a wait for a server
    echo "   panne : arrêt brutal de rasa1 et actions1"
    for part in rasa1 actions1; do kill -KILL -- "-$(cat "var/bench/production/run/$part.pid")" 2>/dev/null || true; done
  ) &
  local fault=$!
  run_once production "$1" 10 sans-pause pannes
  wait "$fault"
}
integrity_failed=0

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
      if [ "${BENCH_FAULTS:-0}" = "1" ]; then run_with_faults "http://127.0.0.1:$port"; fi
      kill -TERM "$pid"; wait "$pid" || true
      trap - EXIT INT TERM
      ;;
    *) echo "Profil inconnu « $profile » (defaut ou production)." >&2; exit 2 ;;
  esac
done
.venv/bin/python scripts/bench/plot.py
if [ "$integrity_failed" = 1 ]; then echo "Des tours sont perdus ou doublés (voir ci-dessus)." >&2; exit 1; fi
