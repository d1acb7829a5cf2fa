"""Eligibility engine: each condition is met, not met, or unknown for a situation.

A scheme with a condition not met is excluded. A scheme with unknown
conditions is « possible » and names the questions that would settle it.
Every match carries the human reasons, in French.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from bot.catalogue import SchemeRecord
from bot.estimates import CEILING_MARGIN, Estimate  # near a ceiling, never exclude
from bot.parameters import Parameters, format_number
from bot.situation import Situation
from bot.vocabulary import LABELS_ACTIVITE, LABELS_BESOIN, LABELS_LOGEMENT


class Status(enum.Enum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Place:
    """Where the person lives, as far as territories are concerned."""

    insee: str
    departement: str
    epci: str | None
    region: str = "76"


@dataclass
class Outcome:
    status: Status
    reasons: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # situation fields that would settle the condition
    to_confirm: list[str] = field(default_factory=list)  # conditions only the organisation can check


@dataclass
class Match:
    """A scheme that fits. ``sure`` when no question about the situation is left open;
    ``to_confirm`` lists what only the organisation can check (it does not lower the rank)."""

    scheme: SchemeRecord
    sure: bool
    reasons: list[str]
    missing: list[str]
    to_confirm: list[str] = field(default_factory=list)
    estimate: Estimate | None = None  # the amount OpenFisca-France computes for this person
    first: bool = False  # the first thing to do for this person (the scheme's en_premier_si is met)


def _yes(reason: str) -> Outcome:
    return Outcome(Status.MET, [reason])


def _no(reason: str = "") -> Outcome:
    """A condition not met; ``reason`` says in plain words what the scheme asks (for « pourquoi pas »)."""
    return Outcome(Status.NOT_MET, [reason] if reason else [])


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


FLAG_CONDITIONS = {
    "handicap": "avoir une reconnaissance de handicap",
    "impaye": "avoir des factures ou des loyers impayés",
    "permis": "avoir le permis de conduire",
    "vehicule": "avoir un véhicule",
    "grossesse": "attendre un enfant",
    "msa": "dépendre de la MSA (régime agricole)",
}


def _unknown(*questions: str) -> Outcome:
    return Outcome(Status.UNKNOWN, missing=list(questions))


def household_rsa_factor(adultes: int, enfants: int) -> float:
    """Ratio of the household's maximum RSA to the single-person amount (art. R262-1 CASF).

    +50 % for the second person, +30 % for each further person, +40 % for
    each dependent child from the third.
    """
    factor = 1.0
    persons = adultes + enfants
    if persons >= 2:
        factor += 0.5
    factor += 0.3 * max(adultes - 2, 0)  # further adults in the household
    # children not already counted as the "second person"
    counted_children = enfants - 1 if adultes == 1 and enfants >= 1 else enfants
    first_child_index = enfants - counted_children + 1
    for index in range(first_child_index, enfants + 1):
        factor += 0.4 if index >= 3 else 0.3
    return factor


def consumption_units(persons: int, params: Parameters) -> float:
    units = params.value("cheque_energie_uc_premiere_personne")
    if persons >= 2:
        units += params.value("cheque_energie_uc_deuxieme_personne")
    if persons >= 3:
        units += (persons - 2) * params.value("cheque_energie_uc_autres_personnes")
    return units


def resource_ceiling(bareme: str, situation: Situation, params: Parameters) -> float | None:
    """Monthly resource ceiling of a household for a named scale, or None if unknown."""
    children = situation.child_count
    if situation.adultes is None or children is None:
        return None
    if bareme == "rsa":
        return params.value("rsa_montant_base") * household_rsa_factor(situation.adultes, children)
    if bareme == "ars":
        # the base ceiling (« plafond_ressources ») is raised by 30 % for every dependent child, the first one
        # included (art. R543-6 CSS; openfisca-france ars.py: plafond * (1 + nb_enfants * majoration))
        ceiling = params.value("ars_plafond_1_enfant") * (
            1 + params.value("ars_majoration_plafond_par_enfant") * children)
        return ceiling / 12
    if bareme == "cheque_energie":
        # the ceiling is on the « revenu fiscal de référence », income less the 10 % allowance
        units = consumption_units(situation.adultes + children, params)
        return params.value("cheque_energie_plafond_rfr_par_uc") * units / 12 / (1 - ALLOWANCE_RATE)
    raise ValueError(f"unknown scale {bareme!r}")


# The tax allowance for professional expenses or pensions (« abattement de 10 % »), used to go from
# monthly income to a revenu fiscal de référence when the engine cannot compute it.
ALLOWANCE_RATE = 0.10


class Evaluator:
    def __init__(self, situation: Situation, params: Parameters):
        self.situation = situation
        self.params = params

    def evaluate(self, spec: dict[str, Any]) -> Outcome:
        if "une_parmi" in spec:
            return self._any(spec)
        if "all" in spec:
            return self._all(spec)
        outcome = getattr(self, f"_{spec['critere']}")(spec)
        if outcome.status is Status.MET and spec.get("raison"):
            outcome.reasons = [self.params.render(spec["raison"])]
        return outcome

    def _any(self, spec: dict[str, Any]) -> Outcome:
        outcomes = [self.evaluate(member) for member in spec["une_parmi"]]
        for outcome in outcomes:
            if outcome.status is Status.MET:
                return Outcome(Status.MET, [spec["raison"]] if spec.get("raison") else outcome.reasons,
                               to_confirm=outcome.to_confirm)
        if all(o.status is Status.NOT_MET for o in outcomes):
            return _no(" ou ".join(r for o in outcomes for r in o.reasons[:1]))
        return _unknown(*_unique(q for o in outcomes for q in o.missing))

    def _all(self, spec: dict[str, Any]) -> Outcome:
        outcomes = [self.evaluate(member) for member in spec["all"]]
        if any(o.status is Status.NOT_MET for o in outcomes):
            return _no(" ; ".join(r for o in outcomes if o.status is Status.NOT_MET for r in o.reasons))
        if all(o.status is Status.MET for o in outcomes):
            reasons = [spec["raison"]] if spec.get("raison") else [r for o in outcomes for r in o.reasons]
            return Outcome(Status.MET, reasons, to_confirm=[t for o in outcomes for t in o.to_confirm])
        return _unknown(*_unique(q for o in outcomes for q in o.missing))

    def _age(self, spec: dict[str, Any]) -> Outcome:
        age = self.situation.age
        if age is None:
            return _unknown("age")
        low, high = spec.get("min"), spec.get("max")
        if (low is not None and age < low) or (high is not None and age > high):
            if low is not None and high is not None:
                return _no(f"elle est pour les personnes de {low} à {high} ans")
            return _no(f"elle est pour les personnes de {low} ans ou plus" if low is not None
                       else f"elle est pour les personnes de {high} ans ou moins")
        if low is not None and high is not None:
            return _yes(f"vous avez entre {low} et {high} ans")
        if low is not None:
            return _yes(f"vous avez {low} ans ou plus")
        return _yes(f"vous avez {high} ans ou moins")

    def _choice(self, value: str | None, spec: dict[str, Any], question: str, labels: dict[str, str]) -> Outcome:
        if value is None:
            return _unknown(question)
        if value not in spec["parmi"]:
            return _no("elle est pour les personnes qui sont : " + ", ".join(labels[v] for v in spec["parmi"]))
        return _yes(f"vous êtes {labels[value]}")

    def _logement(self, spec: dict[str, Any]) -> Outcome:
        return self._choice(self.situation.logement, spec, "logement", LABELS_LOGEMENT)

    def _activite(self, spec: dict[str, Any]) -> Outcome:
        return self._choice(self.situation.activite, spec, "activite", LABELS_ACTIVITE)

    def _enfants(self, spec: dict[str, Any]) -> Outcome:
        count = self.situation.child_count
        if count is None:
            return _unknown("enfants")
        if "min" in spec and count < spec["min"]:
            return _no(f"il faut au moins {_plural(spec['min'], 'enfant')} à charge")
        if "max" in spec and count > spec["max"]:
            return _no(f"elle est pour les foyers de {_plural(spec['max'], 'enfant')} au plus")
        if count == 0:
            return _yes("vous n'avez pas d'enfant à charge")
        return _yes(f"vous avez {count} enfant{'s' if count > 1 else ''} à charge")

    def _enfant_plus_jeune(self, spec: dict[str, Any]) -> Outcome:
        children = self.situation.enfants
        needed = f"il faut un enfant de moins de {spec['max'] + 1} ans"
        if children is None:
            if self.situation.child_count == 0:
                return _no(needed)
            return _unknown("enfants")
        if not children or min(children) > spec["max"]:
            return _no(needed)
        return _yes(f"vous avez un enfant de moins de {spec['max'] + 1} ans")

    def _parent_isole(self, spec: dict[str, Any]) -> Outcome:
        situation = self.situation
        children = situation.child_count
        if situation.adultes is None or children is None:
            return _unknown(*[q for q, v in (("adultes", situation.adultes), ("enfants", children)) if v is None])
        alone = situation.adultes == 1 and children > 0
        if alone != spec["egal"]:
            return _no("elle est pour les parents qui élèvent seuls leurs enfants" if spec["egal"]
                       else "elle n'est pas pour les parents qui élèvent seuls leurs enfants")
        return _yes("vous élevez seul(e) vos enfants" if alone else "vous n'élevez pas seul(e) vos enfants")

    def _flag(self, name: str, spec: dict[str, Any], yes_text: str, no_text: str) -> Outcome:
        value = getattr(self.situation, name)
        if value is None:
            return _unknown(name)
        if value != spec["egal"]:
            condition = FLAG_CONDITIONS[name]
            return _no(f"il faut {condition}" if spec["egal"] else f"elle n'est pas pour qui doit {condition}")
        return _yes(yes_text if value else no_text)

    def _handicap(self, spec: dict[str, Any]) -> Outcome:
        return self._flag("handicap", spec, "vous avez une reconnaissance de handicap",
                          "vous n'avez pas de reconnaissance de handicap")

    def _impaye(self, spec: dict[str, Any]) -> Outcome:
        return self._flag("impaye", spec, "vous avez des factures ou des loyers impayés", "vous n'avez pas d'impayé")

    def _permis(self, spec: dict[str, Any]) -> Outcome:
        return self._flag("permis", spec, "vous avez le permis de conduire", "vous n'avez pas encore le permis")

    def _vehicule(self, spec: dict[str, Any]) -> Outcome:
        return self._flag("vehicule", spec, "vous avez un véhicule", "vous n'avez pas de véhicule")

    def _enfants_dans_tranche(self, spec: dict[str, Any]) -> Outcome:
        children = self.situation.enfants
        low, high, wanted = spec.get("age_min", 0), spec.get("age_max", 25), spec.get("nombre", 1)
        needed = f"il faut {_plural(wanted, 'enfant')} de {low} à {high} ans"
        if children is None:
            if self.situation.child_count is not None and self.situation.child_count < wanted:
                return _no(needed)
            return _unknown("enfants")
        count = sum(1 for age in children if low <= age <= high)
        if count < wanted:
            return _no(needed)
        if wanted == 1:
            return _yes(f"vous avez un enfant de {low} à {high} ans")
        return _yes(f"vous avez {count} enfants de {low} à {high} ans")

    def _grossesse(self, spec: dict[str, Any]) -> Outcome:
        return self._flag("grossesse", spec, "vous attendez un enfant", "vous n'attendez pas d'enfant")

    def _msa(self, spec: dict[str, Any]) -> Outcome:
        return self._flag("msa", spec, "vous dépendez de la MSA (régime agricole)",
                          "vous ne dépendez pas de la MSA")

    def _a_confirmer(self, spec: dict[str, Any]) -> Outcome:
        """A condition the assistant cannot check: met as far as the assistant knows, to confirm; not met when
        the person's own answers make it impossible (``impossible_si``, never a reason to ask a question)."""
        impossible = spec.get("impossible_si")
        if impossible is not None and self.evaluate(impossible).status is Status.MET:
            return _no(self.params.render(impossible["raison"]))
        return Outcome(Status.MET, to_confirm=[spec["texte"]])

    def _ressources_mensuelles(self, spec: dict[str, Any]) -> Outcome:
        resources = self.situation.ressources_mensuelles
        if "max_bareme" in spec:
            ceiling = resource_ceiling(spec["max_bareme"], self.situation, self.params)
            if ceiling is None:
                return _unknown(*[q for q, v in (("adultes", self.situation.adultes),
                                                 ("enfants", self.situation.child_count)) if v is None]
                                + (["ressources_mensuelles"] if resources is None else []))
        else:
            ceiling = float(spec["max"])
        if resources is None:
            return _unknown("ressources_mensuelles")
        low, high = resources
        if low > ceiling * (1 + CEILING_MARGIN):
            return _no("les ressources de votre foyer semblent au-dessus du plafond "
                       f"(environ {format_number(round(ceiling))} € par mois pour votre foyer)")
        if high > ceiling * (1 - CEILING_MARGIN):
            return Outcome(Status.MET, ["vos ressources sont proches du plafond "
                                        f"(environ {format_number(round(ceiling))} € par mois pour votre foyer)"],
                           to_confirm=[NEAR_CEILING])
        return _yes(
            "les ressources de votre foyer semblent sous le plafond "
            f"(environ {format_number(round(ceiling))} € par mois pour votre foyer)"
        )


NEAR_CEILING = "vos ressources sont proches du plafond : l'organisme vérifie vos revenus exacts"
NOTHING_COMPUTED = "d'après le calcul officiel, elle ne vous verserait rien avec les ressources indiquées"


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def territory_outcome(scheme: SchemeRecord, place: Place | None) -> Outcome:
    territory = scheme.territory
    if territory.level == "national":
        return Outcome(Status.MET)
    if place is None:
        return _unknown("commune")
    elsewhere = "elle n'est pas proposée là où vous habitez"
    if place.epci and place.epci in territory.excluded_epci:
        return _no(elsewhere)
    inside = {
        "region": place.region,
        "departement": place.departement,
        "epci": place.epci,
        "commune": place.insee,
    }[territory.level] in territory.codes
    if not inside:
        return _no(elsewhere)
    wording = {
        "region": "vous habitez en Occitanie",
        "departement": "vous habitez dans ce département",
        "epci": "vous habitez dans cette intercommunalité",
        "commune": "vous habitez dans cette commune",
    }[territory.level]
    return _yes(wording)


def _outcomes(scheme: SchemeRecord, situation: Situation, place: Place | None, params: Parameters,
              estimate: Estimate | None) -> list[Outcome]:
    """Every condition's outcome. With an amount computed by OpenFisca-France, the engine's own rules
    replace the resource ceilings written in the catalogue (kept for when the engine cannot answer)."""
    evaluator = Evaluator(situation, params)
    conditions = [spec for spec in scheme.conditions
                  if estimate is None or spec.get("critere") != "ressources_mensuelles"]
    outcomes = [territory_outcome(scheme, place)] + [evaluator.evaluate(spec) for spec in conditions]
    if estimate is not None:
        if estimate.nothing:
            outcomes.append(_no(NOTHING_COMPUTED))
        elif estimate.near_ceiling or estimate.min <= 0:
            outcomes.append(Outcome(Status.MET, [], to_confirm=[NEAR_CEILING]))
    return outcomes


def evaluate_scheme(scheme: SchemeRecord, situation: Situation, place: Place | None,
                    params: Parameters, estimate: Estimate | None = None) -> Match | None:
    """The match of one scheme, or None if a condition is not met.

    A scheme near a resource ceiling is never « sure »: it is « possible », and says what to check.
    """
    outcomes = _outcomes(scheme, situation, place, params, estimate)
    if any(o.status is Status.NOT_MET for o in outcomes):
        return None
    reasons = _unique(r for o in outcomes for r in o.reasons)
    missing = _unique(q for o in outcomes for q in o.missing)
    to_confirm = _unique(t for o in outcomes for t in o.to_confirm)
    sure = not missing and NEAR_CEILING not in to_confirm
    first = scheme.first_when is not None and \
        Evaluator(situation, params).evaluate(scheme.first_when).status is Status.MET
    return Match(scheme=scheme, sure=sure, reasons=reasons, missing=missing, to_confirm=to_confirm,
                 estimate=estimate, first=first)


def unmet_conditions(scheme: SchemeRecord, situation: Situation, place: Place | None,
                     params: Parameters, estimate: Estimate | None = None) -> list[str]:
    """What the scheme asks that the situation does not meet, in plain words (empty when it may fit)."""
    outcomes = _outcomes(scheme, situation, place, params, estimate)
    unmet = [o for o in outcomes if o.status is Status.NOT_MET]
    return _unique(r for o in unmet for r in o.reasons) or (["une condition n'est pas remplie"] if unmet else [])


def match_schemes(schemes: Iterable[SchemeRecord], situation: Situation, place: Place | None,
                  params: Parameters, estimates: Mapping[str, Estimate] | None = None) -> list[Match]:
    """Schemes that fit the situation's needs and conditions, most relevant first."""
    wanted = set(situation.besoins)
    matches = []
    estimates = estimates or {}
    for scheme in schemes:
        if wanted and not wanted & set(scheme.needs):
            continue
        match = evaluate_scheme(scheme, situation, place, params, estimates.get(scheme.id))
        if match is not None:
            if not match.reasons:
                need = next((n for n in scheme.needs if n in wanted), scheme.needs[0])
                match.reasons = [f"elle est ouverte à tous pour ce besoin : {LABELS_BESOIN[need].lower()}"]
            matches.append(match)
    # sure before possible; within each, what the person should do first (en_premier_si), then priority
    matches.sort(key=lambda m: (not m.sure, not m.first, -m.scheme.priority, m.scheme.title))
    return matches
