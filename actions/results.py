"""Showing the matching schemes and the contacts near the person."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.slots import place_from, situation_from
from bot.contacts import ContactView, contacts_for
from bot.eligibility import Match, match_schemes
from bot.formatting import format_contacts, format_scheme
from bot.geography import CommuneInfo, load_index
from bot.parameters import load_parameters
from bot.service import cached_schemes

PAGE_SIZE = 5

NEXT_STEPS = [
    {"title": "Récapitulatif", "payload": "/recapitulatif"},
    {"title": "Changer une réponse", "payload": "/modifier_reponse"},
    {"title": "Un autre besoin", "payload": "/autre_besoin"},
    {"title": "Parler à une personne", "payload": "/demander_humain"},
    {"title": "Terminer", "payload": "/au_revoir"},
]
MORE = {"title": "Voir plus d'aides", "payload": "/voir_plus"}


def current_matches(tracker: Tracker) -> list[Match]:
    situation = situation_from(tracker)
    return match_schemes(cached_schemes(), situation, place_from(situation.commune), load_parameters())


def show_page(dispatcher: CollectingDispatcher, matches: list[Match], start: int) -> int:
    """Sends one message per scheme from ``start``; returns how many have been shown in all."""
    page = matches[start:start + PAGE_SIZE]
    for position, match in enumerate(page, start + 1):
        dispatcher.utter_message(text=format_scheme(match, position))
    return start + len(page)


def contacts_from(tracker: Tracker) -> tuple[CommuneInfo | None, list[ContactView]]:
    """The person's commune and the offices for their latest need and situation."""
    situation = situation_from(tracker)
    commune = load_index().get(situation.commune) if situation.commune else None
    if commune is None:
        return None, []
    needs = tracker.get_slot("besoins") or []
    contacts = contacts_for(commune, needs[-1] if needs else None,
                            sans_logement=situation.logement in ("sans_logement", "heberge"),
                            age=situation.age, msa=situation.msa)
    return commune, contacts


def offer_next_steps(dispatcher: CollectingDispatcher, matches: list[Match], shown: int) -> list[EventType]:
    """« Voir plus » while aids remain, then the usual next steps; remembers how many were shown."""
    buttons = ([MORE] if shown < len(matches) else []) + NEXT_STEPS
    dispatcher.utter_message(text="Que souhaitez-vous faire maintenant ?", buttons=buttons)
    return [SlotSet("resultats_montres", float(shown))]


class ActionProposerAides(Action):
    def name(self) -> str:
        return "action_proposer_aides"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        matches = current_matches(tracker)
        if matches:
            count = len(matches)
            dispatcher.utter_message(
                text=f"J'ai trouvé {count} aide{'s' if count > 1 else ''} qui peu{'vent' if count > 1 else 't'} "
                     "vous concerner. Les plus sûres et les plus utiles d'abord :")
            shown = show_page(dispatcher, matches, 0)
        else:
            dispatcher.utter_message(
                text="Je n'ai pas trouvé d'aide qui corresponde exactement à votre situation. Un conseiller "
                     "peut regarder avec vous d'autres pistes : voici où vous adresser.")
            shown = 0
        commune, contacts = contacts_from(tracker)
        if commune:
            dispatcher.utter_message(text=format_contacts(contacts, commune.nom))
        else:
            dispatcher.utter_message(
                text="Pour être accompagné(e), appelez le 39 39 (Allô Service Public) : on vous indiquera "
                     "la France Services la plus proche.")
        return offer_next_steps(dispatcher, matches, shown)


class ActionVoirPlus(Action):
    def name(self) -> str:
        return "action_voir_plus"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        matches = current_matches(tracker)
        start = int(tracker.get_slot("resultats_montres") or 0)
        if not matches:
            dispatcher.utter_message(response="utter_choisir_besoin")
            return []
        if start >= len(matches):
            dispatcher.utter_message(text="Je vous ai montré toutes les aides que j'ai trouvées.",
                                     buttons=NEXT_STEPS)
            return []
        return offer_next_steps(dispatcher, matches, show_page(dispatcher, matches, start))
