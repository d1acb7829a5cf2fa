"""Communes of Occitanie: finding one from what a person types, and distances.

Accepts INSEE codes, postal codes, and names written without accents or
hyphens, with "st"/"ste" for "saint"/"sainte" and small typos.
"""

from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.communes import CommuneInfo
from bot.paths import DATA
from bot.store import read_communes
from bot.text import normalize

OCCITANIE_DEPARTEMENTS = ("09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82")
OUTSIDE_FILE = DATA / "geo" / "communes_hors_occitanie.csv"

_CODE = re.compile(r"\b(\d[0-9AaBb]\d{3})\b")
_INSEE_HINT = re.compile(r"\b(?:insee|code commune)\s*:?\s*(\d[0-9AaBb]\d{3})\b", re.IGNORECASE)
_FILLER = re.compile(
    r"^(?:j habite|je vis|je suis|j suis|jhabite|j habites|on habite|nous habitons|nous vivons|on vit|"
    r"ma commune c est|ma ville c est|ma commune|ma ville|c est|c|a|au|aux|en|dans|sur|pres de|vers|"
    r"du cote de|a cote de|la commune de|la ville de|commune de|ville de|le|la|les|l)\s+"
)


@dataclass(frozen=True)
class Resolution:
    """Result of a commune search: ok, ambiguous, outside (Occitanie) or unknown."""

    status: str
    communes: tuple[CommuneInfo, ...] = ()
    outside_names: tuple[tuple[str, str, str], ...] = ()  # (insee, nom, departement)
    fuzzy: bool = False  # found by tolerating a typo: worth confirming with the person


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    radius = 6371.0
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = math.radians(lat2 - lat1)
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(a))


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, stopping above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        best = current[0]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _typo_budget(name: str) -> int:
    length = len(name.replace(" ", ""))
    if length < 5:
        return 0
    if length < 9:
        return 1
    return 2


class CommuneIndex:
    """In-memory index of the 4,446 communes of Occitanie (and names elsewhere)."""

    def __init__(self, communes: list[CommuneInfo], outside: list[tuple[str, str, str, str]]):
        self.by_insee = {c.insee: c for c in communes}
        self.by_name: dict[str, list[CommuneInfo]] = defaultdict(list)
        self.by_postal: dict[str, list[CommuneInfo]] = defaultdict(list)
        for commune in communes:
            self.by_name[normalize(commune.nom)].append(commune)
            for code in commune.codes_postaux:
                self.by_postal[code].append(commune)
        self.outside_by_name: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        self.outside_codes: dict[str, tuple[str, str, str]] = {}
        self.outside_postal: set[str] = set()
        for insee, nom, dep, postaux in outside:
            self.outside_by_name[normalize(nom)].append((insee, nom, dep))
            self.outside_codes[insee] = (insee, nom, dep)
            self.outside_postal.update(postaux.split())
        self._names_by_initial: dict[str, list[str]] = defaultdict(list)
        for name in self.by_name:
            self._names_by_initial[name[0]].append(name)
        self._max_words = max(len(name.split()) for name in self.by_name)

    def get(self, insee: str) -> CommuneInfo | None:
        return self.by_insee.get(insee)

    def resolve(self, text: str) -> Resolution:
        if not isinstance(text, str) or not text.strip():
            return Resolution("unknown")
        text = text[:300]
        hinted = _INSEE_HINT.search(text)
        if hinted:
            commune = self.by_insee.get(hinted.group(1).upper())
            return Resolution("ok", (commune,)) if commune else Resolution("unknown")
        code_match = _CODE.search(text)
        if code_match:
            return self._resolve_code(code_match.group(1).upper())
        return self._resolve_name(normalize(text))

    def lookup_exact(self, text: str) -> Resolution:
        """A postal or INSEE code, or a commune name written exactly (case, accents and hyphens aside).

        No typo tolerance and no search inside a sentence: for what the NLU found in free text.
        """
        if not isinstance(text, str) or not text.strip():
            return Resolution("unknown")
        code = text.strip().upper()
        if _CODE.fullmatch(code):
            return self._resolve_code(code)
        name = normalize(text)
        if name in self.by_name:
            return self._found(self.by_name[name])
        if name in self.outside_by_name:
            return Resolution("outside", outside_names=tuple(self.outside_by_name[name]))
        return Resolution("unknown")

    def _sorted(self, communes: list[CommuneInfo]) -> tuple[CommuneInfo, ...]:
        return tuple(sorted(communes, key=lambda c: (-c.population, c.nom)))

    def _resolve_code(self, code: str) -> Resolution:
        if code in self.by_insee and code not in self.by_postal:
            return Resolution("ok", (self.by_insee[code],))
        # People write postal codes; an INSEE code is only read as such when it is no postal code
        found = list(self.by_postal.get(code, []))
        if len(found) == 1:
            return Resolution("ok", tuple(found))
        if found:
            return Resolution("ambiguous", self._sorted(found))
        if code in self.outside_postal or code in self.outside_codes or code[:2] not in OCCITANIE_DEPARTEMENTS:
            outside = self.outside_codes.get(code)
            return Resolution("outside", outside_names=(outside,) if outside else ())
        return Resolution("unknown")

    def _phrases(self, normalized: str) -> list[str]:
        """The text itself, without leading fillers, then its word n-grams, longest first."""
        stripped = normalized
        while True:
            shorter = _FILLER.sub("", stripped)
            if shorter == stripped:
                break
            stripped = shorter
        words = stripped.split()
        phrases = [stripped]
        for size in range(min(len(words), self._max_words), 0, -1):
            for start in range(0, len(words) - size + 1):
                phrase = " ".join(words[start:start + size])
                if phrase not in phrases:
                    phrases.append(phrase)
        return phrases

    def _resolve_name(self, normalized: str) -> Resolution:
        if not normalized:
            return Resolution("unknown")
        phrases = self._phrases(normalized)
        for index, phrase in enumerate(phrases):
            if index > 0 and len(phrase) < 4:
                continue  # short words inside a sentence ("fa", "mas") are rarely a commune
            if phrase in self.by_name:
                return self._found(self.by_name[phrase])
            if phrase in self.outside_by_name and len(phrase) > 3:
                return Resolution("outside", outside_names=tuple(self.outside_by_name[phrase]))
        # Small typos: on the whole answer, and on long phrases inside a sentence
        # (a short everyday word one letter away from a commune name is not a commune).
        for phrase in phrases[:1] + [p for p in phrases[1:] if len(p) >= 7]:
            budget = _typo_budget(phrase)
            if budget == 0:
                continue
            best: list[str] = []
            best_distance = budget + 1
            for name in self._names_by_initial.get(phrase[0], []):
                distance = _edit_distance(phrase, name, budget)
                if distance < best_distance:
                    best, best_distance = [name], distance
                elif distance == best_distance and distance <= budget:
                    best.append(name)
            if best and best_distance <= budget:
                communes = [c for name in best for c in self.by_name[name]]
                return self._found(communes, fuzzy=True)
        return Resolution("unknown")

    def _found(self, communes: list[CommuneInfo], fuzzy: bool = False) -> Resolution:
        if len(communes) == 1:
            return Resolution("ok", (communes[0],), fuzzy=fuzzy)
        return Resolution("ambiguous", self._sorted(communes), fuzzy=fuzzy)


@lru_cache(maxsize=1)
def departement_names() -> dict[str, str]:
    """Names of the 13 départements of Occitanie, by code."""
    with open(DATA / "geo" / "departements.csv", encoding="utf-8") as handle:
        return {row["code"]: row["nom"] for row in csv.DictReader(handle)}


def describe(commune: CommuneInfo) -> str:
    """« Prades (Ariège) »: a commune name a person can tell apart from its namesakes."""
    return f"{commune.nom} ({departement_names().get(commune.departement, commune.departement)})"


def living_in(label: str) -> str:
    """« à Albi (Tarn) », « au Vigan (Gard) », « aux Angles (Pyrénées-Orientales) »: where someone lives."""
    if label.startswith("Le "):
        return "au " + label[3:]
    if label.startswith("Les "):
        return "aux " + label[4:]
    return "à " + label


def read_outside_communes(path: Path = OUTSIDE_FILE) -> list[tuple[str, str, str, str]]:
    with open(path, encoding="utf-8") as handle:
        return [(r["insee"], r["nom"], r["departement"], r["codes_postaux"]) for r in csv.DictReader(handle)]


@lru_cache(maxsize=2)
def load_index(database_url: str | None = None) -> CommuneIndex:
    """The commune index, read once from the catalogue database."""
    return CommuneIndex(read_communes(database_url), read_outside_communes())
