"""Intents that steer the conversation rather than describe the person, declared once.

The form (actions/form.py) steps aside for a command; the urgent-need detector (components/urgent_need.py)
never turns a command, a request about the results or the conversation, or an emergency into a need.
"""

from __future__ import annotations

EMERGENCY_INTENT = "urgence"
# The person asks the assistant to do something: a rule answers, even in the middle of a question.
COMMAND_INTENTS = frozenset({"recommencer", "effacer_donnees", "au_revoir", "demander_humain", "revenir",
                             "modifier_reponse", "recapitulatif", "question_aide"})
# About the results or the conversation itself, never a need.
CONVERSATION_INTENTS = frozenset({"voir_plus", "voir_details", "estimer_montants", "confidentialite",
                                  "bot_challenge", "remercier"})
