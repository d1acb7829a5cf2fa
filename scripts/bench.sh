#!/usr/bin/env bash
# `make bench`: virtual people type whole dialogues (locust, headless) against the assistant started
# here with its default profile (SQLite, one Rasa server, one action server, the rules engine).
# BENCH_USERS (default 1), BENCH_SECONDS (default 120), BENCH_PAUSE=1 for 3 to 8 s between messages.
# Results: var/bench/*.csv, and a summary per kind of turn (p50, p95, p99, errors, ratio to the floor).
set -euo pipefail
cd "$(dirname "$0")/.."
export ACTION_PORT=${BENCH_ACTION_PORT:-5155} RASA_PORT=${BENCH_RASA_PORT:-5105} ENGINE_PORT=${BENCH_ENGINE_PORT:-5111}
export OPENFISCA_URL="http://localhost:$ENGINE_PORT"
# One address sends every message of the bench: the per-address limit of the web chat is lifted here.
export RATE_LIMIT_PER_ADDRESS=1000000 RATE_LIMIT_PER_SENDER=1000000
# The default profile on ports of its own, so that it can run beside `make run`.
mkdir -p var/bench
sed "s#localhost:5055#localhost:$ACTION_PORT#" endpoints.yml >var/bench/endpoints.yml
export RASA_ENDPOINTS=var/bench/endpoints.yml
source scripts/servers.sh
trap stop_servers EXIT INT TERM
start_servers
users=${BENCH_USERS:-1}
seconds=${BENCH_SECONDS:-120}
class=Person; label=sans-pause
if [ "${BENCH_PAUSE:-0}" = "1" ]; then class=TypingPerson; label=avec-pauses; fi
mkdir -p var/bench
prefix="var/bench/defaut-${users}-${label}"
.venv/bin/locust -f scripts/bench/locustfile.py "$class" --headless --users "$users" --spawn-rate "$users" \
  --run-time "${seconds}s" --host "http://localhost:$RASA_PORT" --csv "$prefix" --only-summary \
  --loglevel WARNING >var/log/bench.log 2>&1 || true
.venv/bin/python scripts/bench/summary.py "$prefix" "$users" "$label"
