"""The two lookups the assistant offers: schemes for a situation, contacts for a commune."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import lru_cache

from bot import store
from bot.catalogue import SchemeRecord
from bot.contacts import contact_book
from bot.eligibility import Match, Place, match_schemes
from bot.engine_client import EngineClient, EngineUnavailable, engine_client
from bot.estimates import INCOME_GRID, Estimate, incomes_for, missing_inputs, read_estimates, request_body
from bot.geography import CommuneInfo, load_index
from bot.parameters import load_parameters
from bot.situation import Situation, SituationError
from bot.store import read_schemes


@lru_cache(maxsize=1)
def cached_schemes() -> tuple[SchemeRecord, ...]:
    return tuple(read_schemes())


def place_of(commune: CommuneInfo) -> Place:
    return Place(insee=commune.insee, departement=commune.departement, epci=commune.epci_siren)


def find_commune(code_or_name: str) -> CommuneInfo:
    """Exactly one commune of Occitanie, or SituationError with a French message.

    A five-character INSEE code is taken as such (the CLI contract), even where a
    postal code of another commune is the same number.
    """
    index = load_index()
    exact = index.get(code_or_name.strip().upper())
    if exact is not None:
        return exact
    resolution = index.resolve(code_or_name)
    if resolution.status == "ok":
        return resolution.communes[0]
    if resolution.status == "ambiguous":
        names = ", ".join(f"{c.nom} ({c.insee})" for c in resolution.communes[:5])
        raise SituationError(f"Plusieurs communes correspondent à « {code_or_name} » : {names}. "
                             "Donnez le code officiel de la commune (code INSEE).")
    if resolution.status == "outside":
        raise SituationError(f"« {code_or_name} » n'est pas en Occitanie.")
    raise SituationError(f"Commune inconnue : « {code_or_name} ».")


@dataclass
class Estimates:
    """The amounts computed for a person, and why some could not be (in French, for the person)."""

    by_scheme: dict[str, Estimate] = field(default_factory=dict)
    unavailable: bool = False  # the engine did not answer: the aids are shown without amounts

    NOTE = ("Je ne peux pas calculer les montants pour le moment : voici les aides sans leur montant, "
            "l'organisme vous le dira.")


def _engine_situation(situation: Situation) -> tuple[Situation, str | None]:
    """The situation with its commune as an INSEE code (the engine's « depcom »)."""
    if not situation.commune:
        return situation, None
    try:
        return situation, find_commune(situation.commune).insee
    except SituationError:
        return situation, None


def _request(situation: Situation, schemes: tuple[SchemeRecord, ...], incomes: tuple[float, ...],
             today: dt.date) -> dict[str, object] | None:
    computed = [s.computed for s in schemes if s.computed is not None]
    if not computed:
        return None
    situation, insee = _engine_situation(situation)
    return request_body(situation, computed, incomes, today, insee)


def _household_known(situation: Situation, schemes: tuple[SchemeRecord, ...]) -> bool:
    """Everything the engine needs but the resources is known for at least one computed scheme."""
    probe = replace(situation, ressources_mensuelles=situation.ressources_mensuelles or (0.0, 0.0))
    return any(s.computed is not None and not missing_inputs(probe, s.computed) for s in schemes)


def estimates_for(situation: Situation, today: dt.date | None = None,
                  client: EngineClient | None = None) -> Estimates:
    """The amount of each computed scheme for this person, where the engine can compute it."""
    schemes = cached_schemes()
    if situation.ressources_mensuelles is None or not _household_known(situation, schemes):
        return Estimates()
    today = today or dt.date.today()
    incomes, _ = incomes_for(situation)
    body = _request(situation, schemes, incomes, today)
    if body is None:
        return Estimates()
    try:
        answer = (client or engine_client()).calculate(body)
    except EngineUnavailable:
        return Estimates(unavailable=True)
    usable = [s for s in schemes if s.computed is not None and not missing_inputs(situation, s.computed)]
    crds = load_parameters().value("crds")
    return Estimates(read_estimates(situation, usable, incomes, answer, crds))


def prefetch_estimates(situation: Situation, today: dt.date | None = None,
                       client: EngineClient | None = None) -> bool:
    """While the person answers a question, ask the engine for the request the results turn will make
    (every income of the grid while the income is not known yet), so that the results turn reads it
    from the engine's cache. True when a request was sent."""
    schemes = cached_schemes()
    if not _household_known(situation, schemes):
        return False
    incomes = incomes_for(situation)[0] if situation.ressources_mensuelles is not None else INCOME_GRID
    body = _request(situation, schemes, incomes, today or dt.date.today())
    if body is None:
        return False
    (client or engine_client()).prefetch(body)
    return True


def schemes_for(situation: Situation, estimates: Estimates | None = None) -> list[Match]:
    place = place_of(find_commune(situation.commune)) if situation.commune else None
    if estimates is None:
        estimates = estimates_for(situation)
    return match_schemes(cached_schemes(), situation, place, load_parameters(), estimates.by_scheme)


def clear_caches() -> None:
    """Forget cached engines and in-memory copies (after a rebuild or a change of DATABASE_URL)."""
    store.clear_cache()
    load_index.cache_clear()
    contact_book.cache_clear()
    cached_schemes.cache_clear()


def warm_up() -> None:
    """Load at start what the first person would otherwise wait for: the catalogue, the communes, the offices,
    the dated parameters (about a second and a half, once per server)."""
    cached_schemes()
    load_index()
    contact_book()
    load_parameters()
