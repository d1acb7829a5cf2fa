"""Rasa custom actions: thin adapters between rasa_sdk and the ``bot`` domain core.

The action server refuses to start when the catalogue database is missing, corrupt or empty:
better no server (and a clear message to the person deploying it) than wrong answers.
"""

import sys

from bot.store import DatabaseUnavailable, check_ready

try:
    check_ready()
except DatabaseUnavailable as error:
    print(f"Le serveur d'actions ne démarre pas : {error}", file=sys.stderr)
    raise SystemExit(3) from None
