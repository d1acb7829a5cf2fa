#!/usr/bin/env bash
# The rules engine: OpenFisca-France behind gunicorn, in its own Python 3.11 environment.
# Usage: scripts/engine.sh PORT. --preload loads the French system once (about 7 s) before serving;
# one worker with threads: one computation at a time, and a request being computed is answered
# to every caller that asks for it (engine/app.py).
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD"
exec .venv-openfisca/bin/gunicorn --preload --workers "${ENGINE_WORKERS:-1}" --threads 4 --timeout 120 \
  --bind "127.0.0.1:${1:-5011}" --access-logfile - 'engine.app:create_app()'
