"""Going back, changing one answer, and the summary (« récapitulatif »)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.results import contacts_from, current_matches
from actions.slots import latest_entity
from bot.formatting import format_summary
from bot.questions import answer_slots, question, questions


def _forget(question: str) -> list[EventType]:
    events: list[EventType] = [SlotSet(question, None), SlotSet("requested_slot", question)]
    if question == "commune":
        events.append(SlotSet("commune_choix", None))
    if question == "nb_enfants":
        events.append(SlotSet("ages_enfants", None))
    return events


class ActionRevenir(Action):
    """« Revenir en arrière »: the last answered question is asked again."""

    def name(self) -> str:
        return "action_revenir"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        history = [q for q in tracker.get_slot("historique") or [] if q in answer_slots()]
        if not history:
            dispatcher.utter_message(text="Nous sommes au début des questions : il n'y a pas de réponse à reprendre.")
            return []
        last = history[-1]
        dispatcher.utter_message(text=f"D'accord, reprenons : {question(last).label}.")
        return [*_forget(last), SlotSet("historique", history[:-1])]


class ActionModifierReponse(Action):
    """« Changer une réponse »: buttons with the answers given, then the chosen question again."""

    def name(self) -> str:
        return "action_modifier_reponse"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        chosen = latest_entity(tracker, "question")
        if chosen in answer_slots():
            history = [q for q in tracker.get_slot("historique") or [] if q != chosen]
            dispatcher.utter_message(text=f"D'accord, changeons : {question(chosen).label}.")
            return [*_forget(chosen), SlotSet("historique", history)]
        answered = [q for q in questions() if tracker.get_slot(q.name) is not None]
        if not answered:
            dispatcher.utter_message(text="Vous n'avez pas encore répondu à une question.")
            dispatcher.utter_message(response="utter_choisir_besoin")
            return []
        dispatcher.utter_message(
            text="Quelle réponse voulez-vous changer ?",
            buttons=[{"title": q.button, "payload": f'/modifier_reponse{{"question": "{q.name}"}}'}
                     for q in answered],
        )
        return []


class ActionRecapitulatif(Action):
    """One message with the aids, the documents to prepare and where to go: to keep or to print."""

    def name(self) -> str:
        return "action_recapitulatif"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        matches, _ = current_matches(tracker)
        if not matches:
            dispatcher.utter_message(text="Je n'ai pas encore d'aides à résumer : dites-moi d'abord pour quoi vous "
                                          "cherchez de l'aide.")
            dispatcher.utter_message(response="utter_choisir_besoin")
            return []
        commune, contacts = contacts_from(tracker)
        dispatcher.utter_message(text=format_summary(matches, contacts, commune.nom if commune else None))
        return []
