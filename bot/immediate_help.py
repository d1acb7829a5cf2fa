"""The help of the day for an urgent everyday need (data/aide_immediate.yml): whom to call now and what to do,
for the person's commune, before the full check of their aids.

Each step is a short text with its source page, verified on a given day or « à confirmer »; a step may name
the kind of office near the person (their town hall, their ADIL…) or a national line of
data/contacts/national.yml, shown with its number; a step may hold only during the winter truce.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.catalogue import URL_PATTERN, CatalogueError, verification_status
from bot.communes import CommuneInfo
from bot.contact_files import read_contact_file
from bot.contacts import ContactView, contact_by_id, office_for
from bot.formatting import de_place, office_phrases
from bot.paths import DATA, NATIONAL_CONTACTS_FILE
from bot.urgent_rules import URGENT_FILE

HELP_FILE = DATA / "aide_immediate.yml"
OFFICE_KINDS = frozenset({"mairie", "adil", "departement_social", "france_services", "caf", "mdph",
                          "mission_locale", "france_travail"})
PERIODS = frozenset({"treve_hivernale"})
TO_CONFIRM = "(à confirmer)"


@dataclass(frozen=True)
class Step:
    text: str
    source: str
    checked: str | None  # None: « à confirmer »
    office_kind: str | None = None
    contact_id: str | None = None
    only_with_office: bool = False
    period: str | None = None


@dataclass(frozen=True)
class ImmediateHelp:
    situation: str
    title: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class HelpFile:
    truce: tuple[tuple[int, int], tuple[int, int]]  # (month, day) of its first and last day
    situations: dict[str, ImmediateHelp]

    def in_truce(self, day: dt.date) -> bool:
        (m1, d1), (m2, d2) = self.truce
        return (day.month, day.day) >= (m1, d1) or (day.month, day.day) <= (m2, d2)


def _month_day(text: Any, where: str) -> tuple[int, int]:
    try:
        month, day = (int(part) for part in str(text).split("-"))
        dt.date(2024, month, day)
    except ValueError as error:
        raise CatalogueError(f"{where} : date « mois-jour » attendue, par exemple 11-01") from error
    return month, day


def _step(raw: Any, where: str, national_ids: frozenset[str]) -> Step:
    if not isinstance(raw, dict) or not str(raw.get("texte") or "").strip():
        raise CatalogueError(f"{where} : chaque étape a un « texte »")
    source = str(raw.get("source") or "")
    if not URL_PATTERN.match(source):
        raise CatalogueError(f"{where} : « source » manquante ou mal formée (la page qui dit ce fait)")
    checked, _ = verification_status(raw, source, where)
    if checked is not None and not (raw.get("phrase") and raw.get("copie")):
        raise CatalogueError(f"{where} : « verifie_le » demande « phrase » (ce que dit la page) et « copie »")
    kind = raw.get("bureau")
    if kind is not None and kind not in OFFICE_KINDS:
        raise CatalogueError(f"{where} : bureau inconnu « {kind} » ({', '.join(sorted(OFFICE_KINDS))})")
    contact = raw.get("contact")
    if contact is not None and contact not in national_ids:
        raise CatalogueError(f"{where} : contact inconnu « {contact} » (un id de data/contacts/national.yml)")
    period = raw.get("periode")
    if period is not None and period not in PERIODS:
        raise CatalogueError(f"{where} : période inconnue « {period} »")
    return Step(" ".join(str(raw["texte"]).split()), source, checked, kind, contact,
                bool(raw.get("seulement_si_bureau", False)), period)


def load_help(path: Path = HELP_FILE, urgent_file: Path = URGENT_FILE) -> HelpFile:
    """The help file, checked: every urgent situation has its help, every step its source and status."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    national_ids = frozenset(record.key for record in read_contact_file(NATIONAL_CONTACTS_FILE))
    truce = raw.get("treve_hivernale") or {}
    verification_status(truce, str(truce.get("source") or ""), f"{path.name} treve_hivernale")
    dates = (_month_day(truce.get("debut"), "treve_hivernale debut"),
             _month_day(truce.get("fin"), "treve_hivernale fin"))
    situations = {}
    for key, entry in (raw.get("situations") or {}).items():
        steps = tuple(_step(s, f"{path.name} {key} étape {i}", national_ids)
                      for i, s in enumerate(entry.get("etapes") or [], 1))
        if not steps or not str(entry.get("titre") or "").strip():
            raise CatalogueError(f"{path.name} {key} : un « titre » et au moins une étape")
        situations[str(key)] = ImmediateHelp(str(key), str(entry["titre"]).strip(), steps)
    urgent = set(yaml.safe_load(urgent_file.read_text(encoding="utf-8")).get("situations") or {})
    if urgent != set(situations):
        missing = sorted(urgent - set(situations))
        extra = sorted(set(situations) - urgent)
        raise CatalogueError(f"{path.name} : une aide par situation de {urgent_file.name} (manquantes : "
                             f"{', '.join(missing) or 'aucune'} ; en trop : {', '.join(extra) or 'aucune'})")
    return HelpFile(dates, situations)


@lru_cache(maxsize=1)
def help_file() -> HelpFile:
    return load_help()


def _with_departement(contact: ContactView, commune: CommuneInfo | None) -> str | None:
    """The contact's phone, with the département's two digits where the number needs them (Enedis)."""
    if not contact.phone:
        return None
    if "{departement}" not in contact.phone:
        return contact.phone
    return contact.phone.replace("{departement}", commune.departement) if commune else None


def _step_line(step: Step, commune: CommuneInfo | None, now: dt.datetime) -> str | None:
    parts: list[str] = []
    if step.office_kind:
        office = office_for(step.office_kind, commune) if commune else None
        useful = office is not None and not office.national and bool(office.phone or office.address)
        if step.only_with_office and not useful:
            return None
        if office is not None and useful:
            parts += office_phrases(office, now)
    if step.contact_id:
        contact = contact_by_id(step.contact_id)
        phone = _with_departement(contact, commune) if contact else None
        if contact is not None and phone:
            parts.append(f"{contact.name} : {phone}" + ("" if contact.checked else f" {TO_CONFIRM}") + ".")
    parts.append(step.text)
    if step.checked is None:
        parts.append(TO_CONFIRM)
    return "• " + " ".join(parts)


def help_message(situation: str, commune: CommuneInfo | None, now: dt.datetime,
                 helps: HelpFile | None = None) -> str:
    """The help of the day for ``situation``, for the person's commune (None: the national lines only)."""
    helps = helps or help_file()
    entry = helps.situations[situation]
    title = f"{entry.title}, près {de_place(commune.nom)}" if commune else entry.title
    lines = [f"{title}, voici quoi faire maintenant :"]
    for step in entry.steps:
        if step.period == "treve_hivernale" and not helps.in_truce(now.date()):
            continue
        line = _step_line(step, commune, now)
        if line:
            lines.append(line)
    return "\n".join(lines)


def help_texts(helps: HelpFile | None = None) -> dict[str, list[str]]:
    """Every text of the help file, by situation (the plain-language check)."""
    helps = helps or help_file()
    return {key: [entry.title, *(s.text for s in entry.steps)] for key, entry in helps.situations.items()}
