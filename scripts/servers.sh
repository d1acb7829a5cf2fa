#!/usr/bin/env bash
# Start the action server and the Rasa server in the background and wait for
# both health endpoints (never a fixed sleep). Sourced by run.sh and shell.sh.
# Logs go to var/log/; PIDs to var/run/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
ACTION_PORT=${ACTION_PORT:-5055}
RASA_PORT=${RASA_PORT:-5005}
ENGINE_PORT=${ENGINE_PORT:-5011}
export OPENFISCA_URL=${OPENFISCA_URL:-http://localhost:$ENGINE_PORT}
WEB_PORT=${WEB_PORT:-8080}
ENDPOINTS=${RASA_ENDPOINTS:-endpoints.yml}
mkdir -p var/log var/run

wait_for() {  # url, name, seconds, [pid], [log]
  if ! .venv/bin/python scripts/wait_for.py "$1" "$3" ${4:-}; then
    echo "$2 n'a pas démarré (voir var/log/)." >&2
    if [ -n "${5:-}" ]; then grep -E "ne démarre pas|Error|Erreur" "$5" | tail -3 >&2 || true; fi
    return 1
  fi
}

start_servers() {
  .venv/bin/python scripts/credentials.py var/credentials.yml
  local exposure
  exposure=$(WEB_PORT="$WEB_PORT" .venv/bin/python scripts/rasa_args.py) || return 1
  mapfile -t RASA_EXPOSURE <<<"$exposure"
  # Retention: conversations without a message for RETENTION_DAYS are deleted at each start
  # (schedule `python -m bot purge` daily on a server that runs for long; see SECURITY.md).
  # Anonymous statistics first (python -m bot stats): ended conversations are counted before any is purged.
  .venv/bin/python -m bot stats || true
  .venv/bin/python -m bot purge --older-than "${RETENTION_DAYS:-30}" || true
  # Sanic refuses request bodies over 1 MB on every route (the REST channel has its own 64 KB limit).
  export SANIC_REQUEST_MAX_SIZE=${SANIC_REQUEST_MAX_SIZE:-1048576}
  # OpenFisca-France, the State's rules engine, in its own Python 3.11 environment (engine/app.py)
  bash scripts/engine.sh "$ENGINE_PORT" >var/log/engine.log 2>&1 &
  echo $! >var/run/engine.pid
  .venv/bin/python -m actions --actions actions --port "$ACTION_PORT" >var/log/actions.log 2>&1 &
  echo $! >var/run/actions.pid
  .venv/bin/rasa run --model models/current.tar.gz --port "$RASA_PORT" --endpoints "$ENDPOINTS" \
    --credentials var/credentials.yml "${RASA_EXPOSURE[@]}" \
    >var/log/rasa.log 2>&1 &
  echo $! >var/run/rasa.pid
  echo "Démarrage du moteur de calcul, du serveur d'actions et du serveur Rasa (environ une minute)…"
  wait_for "http://localhost:$ENGINE_PORT/health" "Le moteur de calcul OpenFisca" 120 "$(cat var/run/engine.pid)" var/log/engine.log
  wait_for "http://localhost:$ACTION_PORT/health" "Le serveur d'actions" 120 "$(cat var/run/actions.pid)" var/log/actions.log
  wait_for "http://localhost:$RASA_PORT/" "Le serveur Rasa" 300 "$(cat var/run/rasa.pid)" var/log/rasa.log
}

stop_servers() {
  for name in rasa actions engine web; do
    if [ -f "var/run/$name.pid" ]; then
      kill "$(cat "var/run/$name.pid")" 2>/dev/null || true
      rm -f "var/run/$name.pid"
    fi
  done
}
