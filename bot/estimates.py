"""Amounts for the person, computed by OpenFisca-France (the State's rules engine).

This module is pure: it writes the person's situation in OpenFisca's JSON format,
one household per income to try, and reads the engine's answer back into an
``Estimate`` per scheme. The engine runs as its own service (``engine/``), called by
``bot/engine_client.py``.

What the assistant knows is less than what OpenFisca can use. The choices made,
each an approximation that the answer calls an estimation:
- the monthly resources the person gives go to the person who answers, as the kind of
  income their activity gives (salary, unemployment benefit, pension; « autres revenus »
  without activity), the same every month for the last three years (aids use the last
  3 or 12 months, and the income of two years ago for the tax-based ones); the taxable
  amount is taken equal to the net amount;
- a second adult is the person's partner, same age, with no income of their own; a couple
  files one tax return;
- a tenant rents an unfurnished private home, at the rent given (charges included);
- « reconnaissance de handicap » is read as a rate of at least 80 % for the AAH: the
  MDPH decides, and the card says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.catalogue import Computed, SchemeRecord
from bot.parsing import RESOURCE_BANDS
from bot.situation import Situation

# Incomes asked of the engine while the person answers the income question: every 10 € up to
# 3,000 €, every 50 € up to 8,000 €. Band ends and round amounts are on it; the results turn
# then reads them from the engine's cache. Other amounts are computed at the results turn.
INCOME_GRID: tuple[float, ...] = tuple(sorted(
    {float(x) for x in (*range(0, 3001, 10), *range(3050, 8001, 50))}
    | {end for band in RESOURCE_BANDS.values() for end in band}))
# Near a ceiling an estimate never excludes: 10 % more or less income is tried too.
CEILING_MARGIN = 0.10
# Points computed inside a range that is not on the grid.
RANGE_STEPS = 6

HOUSING = {
    "locataire": "locataire_vide",
    "proprietaire": "proprietaire",
    "heberge": "loge_gratuitement",
    "sans_logement": "sans_domicile",
    "foyer": "locataire_foyer",
}
# activity -> (OpenFisca « activite », net income variable, taxable income variable)
INCOME_KIND = {
    "salarie": ("actif", "salaire_net", "salaire_imposable"),
    "apprenti": ("actif", "salaire_net", "salaire_imposable"),
    "independant": ("actif", "salaire_net", "salaire_imposable"),
    "etudiant": ("etudiant", "salaire_net", "salaire_imposable"),
    "demandeur_emploi": ("chomeur", "chomage_net", "chomage_imposable"),
    "retraite": ("retraite", "retraite_nette", "retraite_imposable"),
    "sans_activite": ("inactif", "pensions_alimentaires_percues", None),
}
AAH_RATE = 0.8


@dataclass(frozen=True)
class Estimate:
    """What a scheme may pay this person, in euros per ``period`` (« mois » or « an »)."""

    min: float
    max: float
    period: str
    source: str
    # the person's income is within 10 % of where the amount starts or stops: never exclude
    near_ceiling: bool = False

    @property
    def nothing(self) -> bool:
        """Zero over the whole range, and not near a ceiling: the scheme is not for this person."""
        return self.max <= 0 and not self.near_ceiling

    def as_dict(self) -> dict[str, Any]:
        return {"min": self.min, "max": self.max, "period": self.period, "source": self.source}


def missing_inputs(situation: Situation, computed: Computed) -> list[str]:
    """The situation fields the engine needs for this amount and does not have (names of Situation fields)."""
    needed: list[tuple[str, Any]] = [
        ("age", situation.age), ("adultes", situation.adultes), ("enfants", situation.child_count),
        ("logement", situation.logement), ("ressources_mensuelles", situation.ressources_mensuelles),
    ]
    if situation.child_count:
        needed.append(("enfants", situation.enfants))  # their ages: the « enfants » field holds them
    resources = situation.ressources_mensuelles
    if resources is not None and resources[1] > 0:
        needed.append(("activite", situation.activite))
    if "loyer" in computed.inputs and situation.logement in ("locataire", "foyer"):
        needed.append(("loyer", situation.loyer))
    if situation.logement is not None and situation.logement != "sans_logement" and situation.commune is None:
        needed.append(("commune", situation.commune))
    return [name for name, value in needed if value is None]


def incomes_for(situation: Situation) -> tuple[tuple[float, ...], bool]:
    """The incomes to compute for the person's range, and whether they are all on the grid."""
    assert situation.ressources_mensuelles is not None
    low, high = situation.ressources_mensuelles
    if low in _GRID_SET and high in _GRID_SET:
        return INCOME_GRID, True
    wanted = {low, high}
    if high > low:
        wanted |= {low + (high - low) * i / RANGE_STEPS for i in range(1, RANGE_STEPS)}
    margins = {low * (1 - CEILING_MARGIN), high * (1 + CEILING_MARGIN)}
    return tuple(sorted(round(x, 2) for x in wanted | margins)), False


_GRID_SET = frozenset(INCOME_GRID)


def _years(today: dt.date) -> list[str]:
    return [str(today.year - 2), str(today.year - 1), str(today.year)]


def _birth(age: int, today: dt.date) -> str:
    return f"{today.year - age}-01-01"


def household(situation: Situation, income: float, index: int, today: dt.date,
              commune: str | None) -> dict[str, dict[str, Any]]:
    """One household of the person's situation with the given monthly income, entities suffixed by ``index``."""
    years = _years(today)
    activity = situation.activite or "sans_activite"
    status, net_name, taxable_name = INCOME_KIND[activity]
    person: dict[str, Any] = {
        "date_naissance": {"ETERNITY": _birth(situation.age or 30, today)},
        "activite": {year: status for year in years},
        net_name: {year: income * 12 for year in years},
    }
    if taxable_name:
        person[taxable_name] = {year: income * 12 for year in years}
    if situation.handicap:
        person["handicap"] = {year: True for year in years}
        person["taux_incapacite"] = {year: AAH_RATE for year in years}
    people = {f"p{index}": person}
    adults = situation.adultes or 1
    parents = [f"p{index}"]
    if adults >= 2:
        people[f"c{index}"] = {"date_naissance": {"ETERNITY": _birth(situation.age or 30, today)},
                               "activite": {year: "inactif" for year in years}}
        parents.append(f"c{index}")
    children = []
    for position, age in enumerate(situation.enfants or []):
        name = f"e{index}_{position}"
        people[name] = {"date_naissance": {"ETERNITY": _birth(age, today)}}
        children.append(name)
    others = []
    for position in range(max(adults - 2, 0)):
        name = f"a{index}_{position}"
        people[name] = {"date_naissance": {"ETERNITY": _birth(30, today)}}
        others.append(name)
    menage: dict[str, Any] = {"personne_de_reference": [parents[0]], "enfants": children, "autres": others}
    if len(parents) > 1:
        menage["conjoint"] = [parents[1]]
    housing = HOUSING.get(situation.logement or "", "non_renseigne")
    menage["statut_occupation_logement"] = {year: housing for year in years}
    if situation.loyer is not None and situation.logement in ("locataire", "foyer"):
        menage["loyer"] = {year: situation.loyer * 12 for year in years}
    if commune:
        menage["depcom"] = {year: commune for year in years}
    entities: dict[str, dict[str, Any]] = {
        "individus": people,
        "familles": {f"f{index}": {"parents": parents, "enfants": children}},
        "foyers_fiscaux": {f"ff{index}": {"declarants": parents, "personnes_a_charge": children}},
        "menages": {f"m{index}": menage},
    }
    for position, name in enumerate(others):  # other adults: their own family and tax return
        entities["familles"][f"fa{index}_{position}"] = {"parents": [name]}
        entities["foyers_fiscaux"][f"ffa{index}_{position}"] = {"declarants": [name]}
    return entities


def request_body(situation: Situation, computations: Iterable[Computed], incomes: Sequence[float],
                 today: dt.date, commune: str | None) -> dict[str, Any]:
    """The engine request: one household per income, every variable wanted at its period."""
    situation_json: dict[str, dict[str, Any]] = {"individus": {}, "familles": {}, "foyers_fiscaux": {}, "menages": {}}
    for index, income in enumerate(incomes):
        for key, entities in household(situation, income, index, today, commune).items():
            situation_json[key].update(entities)
    month, year = f"{today.year}-{today.month:02d}", str(today.year)
    variables = {c.variable: (month if c.period == "mois" else year) for c in computations}
    variables = dict(sorted(variables.items()))
    return {"situation": situation_json, "variables": variables}


def _household_amount(results: Mapping[str, Mapping[str, float]], variable: str, index: int) -> float:
    values = results[variable]
    if f"f{index}" in values:
        return float(values[f"f{index}"])
    if f"m{index}" in values:
        return float(values[f"m{index}"])
    return float(values.get(f"p{index}", 0.0)) + float(values.get(f"c{index}", 0.0))


def read_estimates(situation: Situation, schemes: Iterable[SchemeRecord], incomes: Sequence[float],
                   answer: Mapping[str, Any], crds_rate: float) -> dict[str, Estimate]:
    """The engine's answer as one estimate per scheme, over the person's range of income."""
    assert situation.ressources_mensuelles is not None
    low, high = situation.ressources_mensuelles
    results, source = answer["results"], str(answer["source"])
    below, above = low * (1 - CEILING_MARGIN), high * (1 + CEILING_MARGIN)
    estimates = {}
    for scheme in schemes:
        computed = scheme.computed
        if computed is None or computed.variable not in results:
            continue
        factor = 1 - crds_rate if computed.net_of_crds else 1.0
        amounts = {income: round(_household_amount(results, computed.variable, index) * factor, 2)
                   for index, income in enumerate(incomes)}
        inside = [amount for income, amount in amounts.items() if low <= income <= high]
        margin = [amount for income, amount in amounts.items() if below <= income <= above]
        if not inside:
            continue
        smallest, largest = min(inside), max(inside)
        near = (largest > 0 and min(margin) <= 0) or (largest <= 0 and max(margin) > 0)
        estimates[scheme.id] = Estimate(min=smallest, max=largest, period=computed.period, source=source,
                                        near_ceiling=near)
    return estimates
