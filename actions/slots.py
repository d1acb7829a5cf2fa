"""Reading the situation answers out of the tracker's slots."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from bot.eligibility import Place
from bot.geography import load_index
from bot.questions import answer_slots, situation_from_answers
from bot.service import place_of
from bot.situation import Situation


def answers_from(tracker: Tracker, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    answers = {slot: tracker.get_slot(slot) for slot in answer_slots()}
    answers.update(overrides or {})
    return answers


def needs_from(tracker: Tracker) -> list[str]:
    return list(tracker.get_slot("besoins") or [])


def situation_from(tracker: Tracker, overrides: dict[str, Any] | None = None) -> Situation:
    return situation_from_answers(answers_from(tracker, overrides), needs_from(tracker))


def place_from(insee: str | None) -> Place | None:
    if not insee or insee == "inconnu":
        return None
    commune = load_index().get(insee)
    return place_of(commune) if commune else None


def urgent_need_pending(tracker: Tracker) -> str | None:
    """The urgent everyday need whose help of the day is still to give (bot.immediate_help), if any."""
    situation = tracker.get_slot("urgence_pratique")
    return situation if situation and situation != tracker.get_slot("aide_immediate_donnee") else None


def entity_value(entities: list[dict[str, Any]], name: str) -> str | None:
    """The value of the first entity ``name`` among ``entities``, if any."""
    for entity in entities:
        if entity.get("entity") == name and entity.get("value") not in (None, ""):
            return str(entity["value"])
    return None


def latest_entity(tracker: Tracker, name: str) -> str | None:
    """The value of entity ``name`` in the person's latest message, if any."""
    return entity_value(list(tracker.latest_message.get("entities") or []), name)
