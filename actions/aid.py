"""Answers a question about an aid the person named (« c'est quoi le chèque énergie ? »)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.slots import latest_entity, place_from, situation_from
from bot.aid_answers import answer
from bot.aid_questions import KINDS, WHY_NOT, AidNames
from bot.contacts import contacts_for
from bot.formatting import compact_contact
from bot.geography import load_index
from bot.input_text import MAX_CHARS
from bot.parameters import load_parameters
from bot.questions import answer_slots
from bot.service import cached_schemes, estimates_for


@lru_cache(maxsize=1)
def aid_names() -> AidNames:
    return AidNames(cached_schemes())



class ActionRepondreAide(Action):
    def name(self) -> str:
        return "action_repondre_aide"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        text = str(tracker.latest_message.get("text") or "")[:MAX_CHARS]
        names = aid_names()
        name = latest_entity(tracker, "aide") or names.find(text)
        schemes = names.schemes(name) if name else []
        if not name or not schemes:
            dispatcher.utter_message(text="Je n'ai pas reconnu le nom de cette aide. Écrivez-le autrement, ou "
                                          "dites-moi ce dont vous avez besoin.")
            dispatcher.utter_message(response="utter_choisir_besoin")
            return []
        kind = latest_entity(tracker, "type_question")
        situation = situation_from(tracker)
        place = place_from(situation.commune)
        commune = load_index().get(situation.commune) if situation.commune else None
        office = None
        if commune is not None:
            contacts = contacts_for(commune, schemes[0].needs[0], age=situation.age, msa=situation.msa)
            office = compact_contact(contacts[0]).removeprefix("• ") if contacts else None
        answered = any(tracker.get_slot(slot) is not None for slot in answer_slots())
        kind = kind if kind in KINDS else None
        estimates = estimates_for(situation).by_scheme if kind == WHY_NOT and answered else None
        reply = answer(kind, schemes, name, place, situation, load_parameters(), answered, office, estimates)
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons)
        return []
