#!/usr/bin/env bash
# `make run`: action server, Rasa server and the demo page with the chat widget.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/servers.sh
trap stop_servers EXIT INT TERM
start_servers
.venv/bin/python -m http.server "$WEB_PORT" --bind 127.0.0.1 --directory web >var/log/web.log 2>&1 &
echo $! >var/run/web.pid
wait_for "http://localhost:$WEB_PORT/" "La page web" 30 "$(cat var/run/web.pid)"
echo
echo "L'assistant est prêt. Ouvrez : http://localhost:$WEB_PORT/"
echo "Statistiques anonymes (équipes du Pacte) : http://localhost:$RASA_PORT/statistiques/"
echo "  identifiant : equipe ; mot de passe : ${STATS_PASSWORD:-$(cat var/stats-password)}"
echo "(Ctrl+C pour tout arrêter ; journaux dans var/log/)"
wait
