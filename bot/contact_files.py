"""The reviewed contact files (data/contacts/*.yml): read and checked, like the scheme files.

Every contact names the specific page that gives its address or phone (`source`), or is a national line or
portal that is itself the channel (`canal_national: true`, its home page allowed). It is either verified on
that page on a given day (`verifie_le` and `verification`: what the page states), or `a_confirmer: true`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.catalogue import URL_PATTERN, CatalogueError, verification_status
from bot.paths import ADIL_FILE, CAF_FILE, DEPARTEMENT_SERVICES_FILE, MDPH_FILE, NATIONAL_CONTACTS_FILE

CONTACT_FILES = (NATIONAL_CONTACTS_FILE, CAF_FILE, DEPARTEMENT_SERVICES_FILE, MDPH_FILE, ADIL_FILE)


@dataclass(frozen=True)
class ContactRecord:
    key: str  # the contact's id, or its département code
    data: dict[str, Any]  # the mapping as written
    source: str
    checked: str | None  # None: « à confirmer »
    national_channel: bool


def _contact(data: Any, where: str) -> ContactRecord:
    if not isinstance(data, dict):
        raise CatalogueError(f"{where}: un contact est un objet (nom, source…)")
    key = str(data.get("id") or data.get("departement") or "")
    where = f"{where} ({key or '?'})"
    if not key or not str(data.get("nom") or "").strip():
        raise CatalogueError(f"{where}: chaque contact a un « id » ou un « departement », et un « nom »")
    source = str(data.get("source") or "").strip()
    if not source:
        raise CatalogueError(f"{where}: contact sans « source » (la page qui donne son adresse ou son numéro)")
    if not URL_PATTERN.match(source):
        raise CatalogueError(f"{where}: adresse web mal formée « {source} »")
    checked, national = verification_status(data, source, where)
    if checked is not None and not str(data.get("verification") or "").strip():
        raise CatalogueError(f"{where}: « verifie_le » demande « verification » : ce que la page indique")
    return ContactRecord(key, data, source, checked, national)


def check_contact_file(path: Path, today: dt.date | None = None) -> tuple[list[ContactRecord], list[str]]:
    """A contact file's valid records, and one French error per problem."""
    today = today or dt.date.today()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as error:
        return [], [f"{path.name}: {error}"]
    if not isinstance(raw, list):
        return [], [f"{path.name}: le fichier est une liste de contacts"]
    records, errors = [], []
    for data in raw:
        try:
            record = _contact(data, path.name)
        except CatalogueError as error:
            errors.append(str(error))
            continue
        if record.checked and dt.date.fromisoformat(record.checked) > today:
            errors.append(f"{path.name} ({record.key}): verifie_le, date dans le futur ({record.checked})")
            continue
        records.append(record)
    return records, errors


def read_contact_file(path: Path) -> list[ContactRecord]:
    """The records of a contact file; CatalogueError listing every problem when one is wrong."""
    records, errors = check_contact_file(path)
    if errors:
        raise CatalogueError("\n".join(errors))
    return records
