"""A person's situation, as told in the chat or given to ``python -m bot match``.

Every field may be unknown (None): the person can answer « je ne sais pas »,
and the eligibility engine then reports the conditions it could not settle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from bot.vocabulary import ACTIVITES, BESOINS, LOGEMENTS

Range = tuple[float, float]

MAX_AGE = 120
MAX_PEOPLE = 20
MAX_RESOURCES = 1_000_000
MAX_RENT = 10_000


class SituationError(ValueError):
    """Input that does not describe a situation; the message is in French."""


@dataclass
class Situation:
    commune: str | None = None
    age: int | None = None
    adultes: int | None = None
    enfants: list[int] | None = None
    logement: str | None = None
    activite: str | None = None
    ressources_mensuelles: Range | None = None
    besoins: list[str] = field(default_factory=list)
    handicap: bool | None = None
    impaye: bool | None = None
    permis: bool | None = None
    vehicule: bool | None = None
    grossesse: bool | None = None
    msa: bool | None = None
    nombre_enfants: int | None = None  # known count when the children's ages are not
    loyer: float | None = None  # monthly rent, charges included, in euros

    @property
    def child_count(self) -> int | None:
        return len(self.enfants) if self.enfants is not None else self.nombre_enfants


_BOOLEAN_FIELDS = ("handicap", "impaye", "permis", "vehicule", "grossesse", "msa")
_KNOWN_KEYS = {
    "commune", "age", "adultes", "enfants", "nombre_enfants", "logement", "activite", "ressources_mensuelles",
    "besoins", "loyer", *_BOOLEAN_FIELDS,
}


def _integer(value: Any, name: str, low: int, high: int) -> int:
    if (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
            or int(value) != value):
        raise SituationError(f"« {name} » doit être un nombre entier.")
    if not low <= value <= high:
        raise SituationError(f"« {name} » doit être compris entre {low} et {high}.")
    return int(value)


def _resources(value: Any) -> Range:
    if isinstance(value, bool):
        raise SituationError("« ressources_mensuelles » doit être un montant en euros.")
    if isinstance(value, (int, float)):
        low = high = float(value)
    elif isinstance(value, (list, tuple)) and len(value) == 2 and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in value
    ):
        low, high = float(value[0]), float(value[1])
    else:
        raise SituationError(
            "« ressources_mensuelles » doit être un montant (1200) ou une fourchette ([1000, 1500])."
        )
    if not (math.isfinite(low) and math.isfinite(high)) or low < 0 or high < low or high > MAX_RESOURCES:
        raise SituationError("« ressources_mensuelles » doit être positif et raisonnable.")
    return low, high


def situation_from_dict(data: Any) -> Situation:
    """Build a Situation from the JSON contract of ``python -m bot match``."""
    if not isinstance(data, dict):
        raise SituationError("La situation doit être un objet JSON, par exemple {\"age\": 32}.")
    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        raise SituationError(f"Clé(s) inconnue(s) : {', '.join(unknown)}.")
    situation = Situation()
    if data.get("commune") is not None:
        if not isinstance(data["commune"], str) or not data["commune"].strip():
            raise SituationError("« commune » doit être un code INSEE ou un nom de commune.")
        situation.commune = data["commune"].strip()
    if data.get("age") is not None:
        situation.age = _integer(data["age"], "age", 0, MAX_AGE)
    if data.get("adultes") is not None:
        situation.adultes = _integer(data["adultes"], "adultes", 1, MAX_PEOPLE)
    if data.get("enfants") is not None:
        children = data["enfants"]
        if not isinstance(children, list):
            raise SituationError("« enfants » doit être la liste des âges des enfants, par exemple [4, 9].")
        if len(children) > MAX_PEOPLE:
            raise SituationError(f"« enfants » : {MAX_PEOPLE} enfants au plus.")
        situation.enfants = [_integer(age, "âge d'un enfant", 0, 25) for age in children]
    if data.get("nombre_enfants") is not None:
        situation.nombre_enfants = _integer(data["nombre_enfants"], "nombre_enfants", 0, MAX_PEOPLE)
        if situation.enfants is not None and len(situation.enfants) != situation.nombre_enfants:
            raise SituationError("« nombre_enfants » ne correspond pas à la liste « enfants ».")
    for key, allowed in (("logement", LOGEMENTS), ("activite", ACTIVITES)):
        value = data.get(key)
        if value is not None:
            if value not in allowed:
                raise SituationError(f"« {key} » doit valoir l'une de ces valeurs : {', '.join(allowed)}.")
            setattr(situation, key, value)
    if data.get("ressources_mensuelles") is not None:
        situation.ressources_mensuelles = _resources(data["ressources_mensuelles"])
    if data.get("loyer") is not None:
        rent = data["loyer"]
        if isinstance(rent, bool) or not isinstance(rent, (int, float)) or not math.isfinite(rent) \
                or not 0 <= rent <= MAX_RENT:
            raise SituationError(f"« loyer » doit être le loyer mensuel en euros, charges comprises (0 à {MAX_RENT}).")
        situation.loyer = float(rent)
    besoins = data.get("besoins", [])
    if not isinstance(besoins, list) or not all(isinstance(b, str) for b in besoins):
        raise SituationError("« besoins » doit être une liste, par exemple [\"logement\"].")
    wrong = sorted(set(besoins) - BESOINS)
    if wrong:
        raise SituationError(f"Besoin(s) inconnu(s) : {', '.join(wrong)}. Valeurs : {', '.join(sorted(BESOINS))}.")
    situation.besoins = list(dict.fromkeys(besoins))
    for key in _BOOLEAN_FIELDS:
        value = data.get(key)
        if value is not None:
            if not isinstance(value, bool):
                raise SituationError(f"« {key} » doit valoir true ou false.")
            setattr(situation, key, value)
    return situation
