"""What one conversation tells the Pacte's teams, in categories only (data/statistiques.yml).

A conversation here is a Rasa session: the events of one sender between two ``session_started`` events.
Its summary keeps the day, the département (never the commune), bands and categories, the aids proposed,
the question where it stopped, and counts of messages: never a text, a sender id or an exact value.
Reads the events as stored by Rasa's SQL tracker store (``type_name`` and the JSON ``data``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from bot.geography import OCCITANIE_DEPARTEMENTS
from bot.paths import DATA, ROOT

STATS_FILE = DATA / "statistiques.yml"
PARIS = ZoneInfo("Europe/Paris")
FALLBACK_INTENT = "nlu_fallback"
UNKNOWN = "inconnu"
OUTSIDE = "hors_occitanie"
BEFORE_QUESTIONS = "avant_les_questions"


@lru_cache(maxsize=1)
def settings() -> dict[str, Any]:
    return dict(yaml.safe_load(STATS_FILE.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def session_expiry_seconds() -> float:
    """Rasa's session expiry (domain.yml): after it, a new message starts a new conversation."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return float(domain["session_config"]["session_expiration_time"]) * 60


@dataclass
class Summary:
    """One conversation, in categories. ``counts()`` gives what is added to the aggregates."""

    day: dt.date
    departement: str = UNKNOWN
    channel: str = UNKNOWN
    needs: set[str] = field(default_factory=set)
    age_band: str = UNKNOWN
    household: str = UNKNOWN
    housing: str = UNKNOWN
    activity: str = UNKNOWN
    aids: set[str] = field(default_factory=set)
    crises: set[str] = field(default_factory=set)
    urgent_needs: set[str] = field(default_factory=set)
    finished: bool = False
    stopped_at: str | None = None
    messages: int = 0
    not_understood: int = 0

    def counts(self) -> Iterator[tuple[str, str, int]]:
        """(dimension, value, count) for this conversation."""
        yield "conversations", "commencees", 1
        if self.finished:
            yield "conversations", "terminees", 1
        for dimension, values in (("besoin", self.needs), ("aide", self.aids), ("crise", self.crises),
                                  ("besoin_urgent", self.urgent_needs)):
            for value in sorted(values):
                yield dimension, value, 1
        yield "age", self.age_band, 1
        yield "foyer", self.household, 1
        yield "logement", self.housing, 1
        yield "activite", self.activity, 1
        yield "canal", self.channel, 1
        if self.stopped_at:
            yield "arret", self.stopped_at, 1
        yield "messages", "total", self.messages
        if self.not_understood:
            yield "messages", "non_compris", self.not_understood


def age_band(age: Any) -> str:
    try:
        years = int(float(age))
    except (TypeError, ValueError):
        return UNKNOWN
    for band in settings()["tranches_age"]:
        if years <= int(band["max"]):
            return str(band["code"])
    return UNKNOWN


def household(adults: Any, children: Any) -> str:
    try:
        grown, young = int(float(adults)), int(float(children))
    except (TypeError, ValueError):
        return UNKNOWN
    if grown <= 0:
        return UNKNOWN
    if grown > 2:
        return "autre"
    return ("seul" if grown == 1 else "couple") + ("_enfants" if young > 0 else "")


def departement(insee: Any) -> str:
    code = str(insee or "")
    if not code:
        return UNKNOWN
    return code[:2] if code[:2] in OCCITANIE_DEPARTEMENTS else OUTSIDE


def category(value: Any, known: Iterable[str]) -> str:
    return str(value) if isinstance(value, str) and value in set(known) else UNKNOWN


def sessions(events: Iterable[Mapping[str, Any]]) -> Iterator[list[Mapping[str, Any]]]:
    """The conversations of one sender's events (in order): a new one at each session start (Rasa writes
    ``action_session_start`` then ``session_started``)."""
    current: list[Mapping[str, Any]] = []
    for event in events:
        starts = event.get("event") == "action" and event.get("name") == "action_session_start"
        if event.get("event") == "session_started":
            starts = not (current and current[-1].get("name") == "action_session_start")
        if starts and current:
            yield current
            current = []
        current.append(event)
    if current:
        yield current


def summarise(events: list[Mapping[str, Any]]) -> Summary | None:
    """The summary of one conversation's events (Rasa's event dicts), or None if the person wrote nothing."""
    from bot.vocabulary import ACTIVITES, BESOINS, LOGEMENTS

    users = [e for e in events if e.get("event") == "user"]
    if not users:
        return None
    first = float(users[0].get("timestamp") or events[0].get("timestamp") or 0)
    summary = Summary(day=dt.datetime.fromtimestamp(first, PARIS).date())
    summary.channel = str(users[0].get("input_channel") or UNKNOWN)
    slots: dict[str, Any] = {}
    requested: str | None = None
    for event in events:
        kind = event.get("event")
        if kind == "slot":
            name, value = event.get("name"), event.get("value")
            slots[str(name)] = value
            if name == "requested_slot":
                requested = value if isinstance(value, str) else None
            elif name == "aides_proposees" and isinstance(value, list):
                summary.aids.update(str(v) for v in value)
            elif name == "besoins" and isinstance(value, list):
                summary.needs.update(str(v) for v in value if v in BESOINS)
            elif name == "crise" and isinstance(value, str) and value:
                summary.crises.add(value)
            elif name == "urgence_pratique" and isinstance(value, str) and value:
                summary.urgent_needs.add(value)
            elif name == "resultats_montres" and isinstance(value, (int, float)) and value > 0:
                summary.finished = True
        elif kind == "user":
            summary.messages += 1
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if intent == FALLBACK_INTENT:
                summary.not_understood += 1
    summary.departement = departement(slots.get("commune"))
    summary.age_band = age_band(slots.get("age"))
    summary.household = household(slots.get("adultes"), slots.get("nb_enfants"))
    summary.housing = category(slots.get("logement"), LOGEMENTS)
    summary.activity = category(slots.get("activite"), ACTIVITES)
    summary.stopped_at = None if summary.finished else (requested or BEFORE_QUESTIONS)
    return summary
