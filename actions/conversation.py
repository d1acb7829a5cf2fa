"""Needs, human contact, restart and erase."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.form import INTENT_TO_NEED, acknowledgement, commune_from_entities, corrections_in
from actions.slots import urgent_need_pending
from bot.contacts import nearest_france_services
from bot.formatting import format_contact
from bot.geography import load_index
from bot.input_text import MAX_CHARS
from bot.questions import answer_slots

QUESTIONS_INTRO = (
    "D'accord. Je vais vous poser quelques questions, une à la fois, pour trouver les aides qui vous "
    "concernent. Vous pouvez répondre « je ne sais pas », et corriger une réponse à tout moment."
)
URGENT_INTRO = "Je vous donne d'abord de l'aide pour aujourd'hui."


class ActionEnregistrerBesoin(Action):
    """Adds the need the person just named, before the situation questions."""

    def name(self) -> str:
        return "action_enregistrer_besoin"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        needs = list(tracker.get_slot("besoins") or [])
        need = INTENT_TO_NEED.get(intent or "")
        if need and need not in needs:
            needs.append(need)
        if urgent_need_pending(tracker):
            dispatcher.utter_message(text=URGENT_INTRO)
        elif not any(tracker.get_slot(slot) is not None for slot in answer_slots()):
            dispatcher.utter_message(text=QUESTIONS_INTRO)
        return [SlotSet("besoins", needs), SlotSet("resultats_montres", 0.0)]


class ActionNoterInfos(Action):
    """Keeps what the person told about their situation before naming a need."""

    def name(self) -> str:
        return "action_noter_infos"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        events: list[EventType] = []
        notes = []
        named, choices = commune_from_entities(list(tracker.latest_message.get("entities") or []))
        if named.ok:
            events.append(SlotSet("commune", named.value))
            note = acknowledgement("commune", named.value)
            if note:
                notes.append(note)
        elif choices:
            events.append(SlotSet("commune_choix", choices))
        elif named.error:
            dispatcher.utter_message(text=named.error)
        for slot, value in corrections_in(str(tracker.latest_message.get("text") or "")[:MAX_CHARS]):
            events.append(SlotSet(slot, value))
            note = acknowledgement(slot, value)
            if note:
                notes.append(note)
        if notes:
            dispatcher.utter_message(text="C'est noté : " + " ; ".join(notes) + ".")
        return events


class ActionHumain(Action):
    """Where to reach a person: the nearest France Services and the town hall when the commune is known."""

    def name(self) -> str:
        return "action_humain"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        lines = ["Pour parler à une personne :"]
        insee = tracker.get_slot("commune")
        commune = load_index().get(insee) if insee else None
        if commune:
            france_services = nearest_france_services(commune)
            lines.append("• Des agents France Services vous reçoivent et vous aident dans vos démarches :")
            lines += [format_contact(c) for c in france_services]
        else:
            lines.append("• Les agents France Services vous reçoivent près de chez vous. Dites-moi votre commune "
                         "(par exemple « j'habite à Millau ») pour avoir la plus proche.")
        lines.append("• Le centre communal d'action sociale (CCAS) de votre mairie peut aussi vous recevoir.")
        dispatcher.utter_message(text="\n".join(lines))
        return []


class ActionRecommencer(Action):
    def name(self) -> str:
        return "action_recommencer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(text="On recommence depuis le début. J'oublie vos réponses précédentes.")
        dispatcher.utter_message(response="utter_choisir_besoin")
        return [ActiveLoop(None), AllSlotsReset()]


class ActionEffacerDonnees(Action):
    def name(self) -> str:
        return "action_effacer_donnees"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(
            text="C'est fait : cette conversation est effacée, avec toutes vos réponses (commune, âge, foyer, "
                 "ressources). Elle n'est plus gardée nulle part. Vous pouvez recommencer quand vous voulez.")
        dispatcher.utter_message(response="utter_choisir_besoin")
        return [ActiveLoop(None), AllSlotsReset()]
