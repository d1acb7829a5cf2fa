"""Rasa custom actions: thin adapters between rasa_sdk and the ``bot`` domain core.

Importing this package does nothing else. The action server is started with ``python -m actions``
(actions/__main__.py), which first checks the catalogue database.
"""
