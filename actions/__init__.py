"""Rasa custom actions: thin adapters between rasa_sdk and the ``bot`` domain core."""
