"""Rasa-side components: NLU components, messaging connectors, and the action-server outage answer."""

from components.action_server_outage import install as _install_outage_answer

_install_outage_answer()
