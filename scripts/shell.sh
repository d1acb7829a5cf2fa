#!/usr/bin/env bash
# `make shell`: talk to the assistant in the terminal, with the action server running.
# DEBUG=1 make shell shows the intents, slots and actions at each turn.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
ACTION_PORT=${ACTION_PORT:-5055}
ENGINE_PORT=${ENGINE_PORT:-5011}
export OPENFISCA_URL=${OPENFISCA_URL:-http://localhost:$ENGINE_PORT}
mkdir -p var/log var/run
bash scripts/engine.sh "$ENGINE_PORT" >var/log/engine.log 2>&1 &
engine=$!
.venv/bin/python -m actions --actions actions --port "$ACTION_PORT" >var/log/actions.log 2>&1 &
pid=$!
trap 'kill $pid $engine 2>/dev/null || true' EXIT INT TERM
.venv/bin/python scripts/wait_for.py "http://localhost:$ENGINE_PORT/health" 120 "$engine" \
  || { echo "Le moteur de calcul OpenFisca n'a pas démarré (voir var/log/engine.log)." >&2; exit 1; }
.venv/bin/python scripts/wait_for.py "http://localhost:$ACTION_PORT/health" 120 "$pid" \
  || { echo "Le serveur d'actions n'a pas démarré (voir var/log/actions.log)." >&2; exit 1; }
args=(--model models/current.tar.gz --endpoints "${RASA_ENDPOINTS:-endpoints.yml}")
[ "${DEBUG:-0}" = "1" ] && args+=(--debug)
.venv/bin/rasa shell "${args[@]}"
