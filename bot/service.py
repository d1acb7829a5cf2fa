"""The two lookups the assistant offers: schemes for a situation, contacts for a commune."""

from __future__ import annotations

from functools import lru_cache

from bot import store
from bot.catalogue import SchemeRecord
from bot.contacts import contact_book
from bot.eligibility import Match, Place, match_schemes
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
                             "Donnez le code INSEE.")
    if resolution.status == "outside":
        raise SituationError(f"« {code_or_name} » n'est pas en Occitanie.")
    raise SituationError(f"Commune inconnue : « {code_or_name} ».")


def schemes_for(situation: Situation) -> list[Match]:
    place = place_of(find_commune(situation.commune)) if situation.commune else None
    return match_schemes(cached_schemes(), situation, place, load_parameters())


def clear_caches() -> None:
    """Forget cached engines and in-memory copies (after a rebuild or a change of DATABASE_URL)."""
    store.clear_cache()
    load_index.cache_clear()
    contact_book.cache_clear()
    cached_schemes.cache_clear()
