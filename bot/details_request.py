"""« 2 », « détails 3 », « la deuxième » after the results: which aid the person wants the details of.

Read without training examples, like the named-aid questions: a message that is only a number
(« 2 », « la 2 », « n° 2 »), an ordinal (« la deuxième »), or that asks for details (« détails »,
« plus d'infos sur la 3 »). The dialogue rules use it only outside the questions: during the
questions a number is the answer to the question asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text import normalize

MAX_NUMBER = 30
ORDINALS = {
    "premier": 1, "premiere": 1, "deuxieme": 2, "second": 2, "seconde": 2, "troisieme": 3, "quatrieme": 4,
    "cinquieme": 5, "sixieme": 6, "septieme": 7, "huitieme": 8, "neuvieme": 9, "dixieme": 10,
}
_ORDINAL = "|".join(ORDINALS)
_ALONE = re.compile(rf"^(?:(?:l aide|aide|la|le|numero|num|n|no|n o)\s*)?(\d{{1,2}}|{_ORDINAL})"
                    r"(?:\s*(?:aide|stp|svp|merci))?$")
_ASKS_DETAILS = re.compile(r"\b(details?|detaille|en savoir plus|plus d infos?|plus d informations?|"
                           r"plus de precisions?|comment faire pour la|comment on fait pour la|les papiers pour la)\b")
_NUMBER = re.compile(rf"\b(\d{{1,2}}|{_ORDINAL})\b")


@dataclass(frozen=True)
class DetailsRequest:
    number: int | None  # None: details asked without saying which aid


def _value(token: str) -> int:
    return int(token) if token.isdigit() else ORDINALS[token]


def read_details_request(text: str) -> DetailsRequest | None:
    normalized = normalize(text)
    if not normalized:
        return None
    alone = _ALONE.match(normalized)
    if alone:
        number = _value(alone.group(1))
        return DetailsRequest(number) if 1 <= number <= MAX_NUMBER else None
    if not _ASKS_DETAILS.search(normalized):
        return None
    found = _NUMBER.search(normalized)
    if found:
        number = _value(found.group(1))
        return DetailsRequest(number if 1 <= number <= MAX_NUMBER else None)
    return DetailsRequest(None)
