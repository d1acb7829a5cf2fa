"""The aggregates as people read them: French labels, « < 10 » for small counts, and the monthly open-data CSV.

The CSV follows the data.gouv.fr habits: UTF-8, comma separator, one header line, one column dictionary
(``COLUMNS``, also in docs/guide-equipes.md), one line per month, département, dimension and value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from functools import lru_cache

from bot.paths import DEPARTEMENTS_FILE
from bot.statistics import OUTSIDE, UNKNOWN, settings
from bot.stats_store import Cell, read

# The column dictionary of the open-data CSV: name, type, meaning.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("mois", "texte AAAA-MM", "Mois des conversations (heure de Paris, jour du premier message)"),
    ("departement", "texte", "Code du département d'Occitanie de la commune donnée ; « inconnu » si aucune"),
    ("departement_nom", "texte", "Nom du département"),
    ("dimension", "texte", "Ce qui est compté (conversations, besoin, age, foyer, logement, activite, aide, "
                           "crise, besoin_urgent, arret, messages, canal)"),
    ("valeur", "texte", "La catégorie comptée (code)"),
    ("libelle", "texte", "La catégorie en clair"),
    ("nombre", "texte", "Nombre de conversations (de messages pour « messages ») ; « < 10 » sous le seuil de secret"),
)


@lru_cache(maxsize=1)
def departement_names() -> dict[str, str]:
    with DEPARTEMENTS_FILE.open(encoding="utf-8") as handle:
        names = {row["code"]: row["nom"] for row in csv.DictReader(handle)}
    return {**names, UNKNOWN: settings()["inconnu"], OUTSIDE: "Hors Occitanie"}


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    from bot.catalogue import load_scheme_files
    from bot.questions import questions
    from bot.vocabulary import LABELS_ACTIVITE, LABELS_BESOIN, LABELS_LOGEMENT

    config = settings()
    return {
        "conversations": dict(config["conversations"]),
        "messages": dict(config["messages"]),
        "besoin": dict(LABELS_BESOIN),
        "logement": dict(LABELS_LOGEMENT),
        "activite": dict(LABELS_ACTIVITE),
        "age": {str(band["code"]): str(band["libelle"]) for band in config["tranches_age"]},
        "foyer": dict(config["foyers"]),
        "canal": dict(config["canaux"]),
        "crise": dict(config["crise"]),
        "besoin_urgent": dict(config["besoin_urgent"]),
        "arret": {**{q.name: q.label[:1].upper() + q.label[1:] for q in questions()}, **config["arret"]},
        "aide": {scheme.id: scheme.title for scheme in load_scheme_files()},
    }


def label(dimension: str, value: str) -> str:
    if value == UNKNOWN:
        return str(settings()["inconnu"])
    return _labels().get(dimension, {}).get(value, value)


def dimension_label(dimension: str) -> str:
    return str(settings()["dimensions"].get(dimension, dimension))


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """« 2026-11 » → first and last day; ValueError with a French message otherwise."""
    try:
        first = dt.datetime.strptime(month, "%Y-%m").date()
    except ValueError:
        raise ValueError(f"mois « {month} » : écrivez-le AAAA-MM, par exemple 2026-11") from None
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def rows_by_month(first_month: str, last_month: str, departements: list[str] | None = None,
                  stats_db: str | None = None) -> list[dict[str, str]]:
    """The open-data lines of each month of the period (and of the départements given)."""
    start, end = month_bounds(first_month)[0], month_bounds(last_month)[1]
    totals: dict[tuple[str, str, str, str], int] = {}
    for day, departement, cell in read(start, end, departements, group_by_departement=True, group_by_day=True,
                                       stats_db=stats_db):
        assert day is not None
        key = (f"{day.year:04d}-{day.month:02d}", departement or UNKNOWN, cell.dimension, cell.valeur)
        totals[key] = totals.get(key, 0) + cell.nombre
    return [{"mois": month, "departement": code, "departement_nom": departement_names().get(code, code),
             "dimension": dimension, "valeur": value, "libelle": label(dimension, value),
             "nombre": Cell(dimension, value, number).shown}
            for (month, code, dimension, value), number in sorted(totals.items())]


def monthly_rows(month: str, stats_db: str | None = None) -> list[dict[str, str]]:
    return rows_by_month(month, month, None, stats_db)


def to_csv(rows: Iterable[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[name for name, _, _ in COLUMNS], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


