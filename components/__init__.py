"""Rasa-side components: NLU components, messaging connectors, and the action-server outage answer.

Importing this package does nothing else: the outage answer is installed when the NLU pipeline is
created or loaded (components/input_guard.py), that is when a Rasa server starts.
"""
