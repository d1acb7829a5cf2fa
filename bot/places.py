"""Where a person says they live: communes and postal codes named in free text.

A commune is taken from a sentence only where the person names a place:

- after a place cue: « j'habite à », « je vis à », « ma commune c'est », « code postal »
  (*sure* cues) or « à », « au », « sur », « vers », « près de », « de » (*weak* cues);
- a postal code of the region, unless an amount word stands next to it (« 30000 euros »,
  « 12000 par an », « une dette de 31000 »);
- a name that is not an everyday French word, capitalised or in a short message;
- the whole message (« Quarante », « 31800 »).

Names that are also everyday words or numbers (Quarante, Salles, Portes, Lourde, Vals…: the
spaCy French lemma table and the number words) are never taken without a place cue, and the
most common of them (data/geo/communes_mots_courants.yml) need a capital letter or a sure cue.
Nothing is matched with a tolerance for typos here: that is only for the answer to the
commune question (bot.geography.CommuneIndex.resolve).

Each mention says whether it is *certain* (a sure cue or the whole message, and not an
everyday word in lower case): otherwise the assistant confirms it (« Vous habitez à
Quarante (Hérault) ? ») before using it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.geography import CommuneIndex
from bot.paths import DATA
from bot.text import french_words, normalize

COMMON_WORDS_FILE = DATA / "geo" / "communes_mots_courants.yml"
MAX_TOKENS = 6
SHORT_MESSAGE = 4  # words: a name alone or nearly (« Albi svp », « toulouse 2 enfants »)
_CODE = re.compile(r"^\d[0-9ab]\d{3}$")
_DIGITS = re.compile(r"^\d+$")
NUMBER_WORDS = frozenset({
    "un", "une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze",
    "treize", "quatorze", "quinze", "seize", "vingt", "trente", "quarante", "cinquante", "soixante",
    "septante", "octante", "nonante", "cent", "cents", "mille"})
ARTICLES = frozenset({"le", "la", "les", "l"})

# Cues, on the normalised words just before the name (bot.text.normalize: « j'habite à » → « j habite a »).
_PREPOSITION = r"(?: (?:a|au|aux|en|sur|dans|vers|pres de|pres d|a cote de|du cote de|sur la commune de|de|d))?"
_SURE_CUE = re.compile(
    r"(?:^| )(?:j habite|jhabite|j habites|je vis|on habite|on vit|nous habitons|nous vivons|je reside|"
    r"je demeure|je loge|on loge|domicilie|domiciliee|installe|installee|installes|ma commune(?: c est| est)?|"
    r"ma ville(?: c est| est)?|mon village(?: c est| est)?|la commune de|la ville de|commune de|ville de|"
    r"village de|code postal(?: c est| est)?|cp)" + _PREPOSITION + "$")
_WEAK_CUE = re.compile(r"(?:^| )(?:a|au|aux|sur|vers|pres de|pres d|a cote de|du cote de|cote|coin de|region de)$")
_OF_CUE = re.compile(r"(?:^| )(?:de|d|en|dans)$")
_CODE_CUE = re.compile(r"(?:^| )(?:code postal|cp|code)(?: c est| est| :)?$")
# Words that make a five-digit number an amount, not a postal code
_AMOUNT_AFTER = re.compile(
    r"^(?:euros?|eur|e|€|balles|k|net|nets|brut|bruts|par (?:mois|an|annee|jour|semaine)|/ ?mois|/ ?an|"
    r"mensuels?|annuels?|de (?:dettes?|revenus?|salaire|credit|loyer|retard|impayes?|arrieres?)|"
    r"d (?:impayes?|arrieres?|allocations?)|a (?:rembourser|payer))\b")
_AMOUNT_BEFORE = re.compile(
    r"(?:^| )(?:gagne|gagnons|gagnez|touche|touchons|percois|salaire|revenus?|dettes?|dette de|dettes de|"
    r"loyer de|credit de|pret de|montant|somme|environ|plus de|moins de|pres de|jusqu a|rembourser|doit|dois|"
    r"devons|payer|paye|facture de|impayes? de|arrieres? de|rfr|revenu fiscal|a peu pres|total|"
    r"numero|n|no|dossier|allocataire|reference|ref|identifiant)$")


@dataclass(frozen=True)
class PlaceMention:
    """A place named in a message: a commune of the region (``kind`` insee or ambiguous) or elsewhere."""

    start: int
    end: int
    kind: str  # "insee" (one commune: value is its INSEE code), "ambiguous" (value: the name or code), "outside"
    value: str
    certain: bool  # named with a sure cue or as the whole message: used without asking


@lru_cache(maxsize=1)
def everyday_words() -> frozenset[str]:
    """Normalised French words (lemma table) and number words: names that need a place cue."""
    return french_words() | NUMBER_WORDS


@lru_cache(maxsize=1)
def most_common_words(path: Path = COMMON_WORDS_FILE) -> frozenset[str]:
    """Commune names so common as words that they need a capital letter or a sure cue."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return frozenset(normalize(str(word)) for word in raw.get("mots") or [])


def _is_everyday(name: str) -> bool:
    words = [w for w in name.split() if w not in ARTICLES]
    return bool(words) and all(w in everyday_words() or _DIGITS.match(w) for w in words)


def _cue(before: str) -> str | None:
    """« sure », « weak », « of » (de, en, dans) or None for the words just before a name."""
    if _SURE_CUE.search(before):
        return "sure"
    if _WEAK_CUE.search(before):
        return "weak"
    if _OF_CUE.search(before):
        return "of"
    return None


def _is_amount(before: str, after: str) -> bool:
    return bool(_AMOUNT_AFTER.match(after) or _AMOUNT_BEFORE.search(before))


def _capitalised(surface: str, start: int, text: str) -> bool:
    """Written with a capital that is not just the start of the message or a message in capitals."""
    letters = [c for c in text if c.isalpha()]
    shouting = letters and sum(c.isupper() for c in letters) > len(letters) / 2
    return surface[:1].isupper() and start > 0 and not shouting


def find_places(text: str, spans: list[tuple[int, int]], index: CommuneIndex) -> list[PlaceMention]:
    """Places named in ``text``, given its token character spans; longest first, no overlap, in text order."""
    words = [normalize(text[s:e]) for s, e in spans]
    content = [i for i, w in enumerate(words) if w]
    taken: set[int] = set()
    found: list[PlaceMention] = []
    for size in range(min(MAX_TOKENS, len(spans)), 0, -1):
        for first in range(0, len(spans) - size + 1):
            positions = set(range(first, first + size))
            if positions & taken or not words[first] or not words[first + size - 1]:
                continue
            start, end = spans[first][0], spans[first + size - 1][1]
            whole = set(content) <= positions
            mention = _mention(text, start, end, words, first, size, whole, len(content), index)
            if mention is not None:
                taken |= positions
                found.append(mention)
    return sorted(found, key=lambda m: m.start)


def _mention(text: str, start: int, end: int, words: list[str], first: int, size: int, whole: bool,
             length: int, index: CommuneIndex) -> PlaceMention | None:
    surface = text[start:end]
    name = normalize(surface)
    before = " ".join(w for w in words[max(0, first - 6):first] if w)
    after = " ".join(w for w in words[first + size:first + size + 3] if w)
    cue = _cue(before)
    if size == 1 and _CODE.match(name):
        return _code_mention(name, start, end, before, after, cue, whole, index)
    if len(name.replace(" ", "")) < 3:
        return None
    if name in index.by_name:
        return _commune_mention(surface, name, start, end, text, cue, whole, length, index)
    if name in index.outside_by_name and len(name) > 3:
        everyday = _is_everyday(name)
        if cue == "sure" or (cue in ("weak", "of") and not everyday) \
                or (cue == "weak" and _capitalised(surface, start, text)) or (whole and not everyday):
            return PlaceMention(start, end, "outside", surface, certain=True)
    return None


def _code_mention(code: str, start: int, end: int, before: str, after: str, cue: str | None, whole: bool,
                  index: CommuneIndex) -> PlaceMention | None:
    if _is_amount(before, after) and not _CODE_CUE.search(before):
        return None
    named_as_code = bool(_CODE_CUE.search(before)) or cue == "sure"
    resolution = index.lookup_exact(code)
    if resolution.status == "ok":
        return PlaceMention(start, end, "insee", resolution.communes[0].insee, certain=named_as_code or whole)
    if resolution.status == "ambiguous":
        return PlaceMention(start, end, "ambiguous", code, certain=True)
    if resolution.status == "outside" and (named_as_code or whole or cue is not None):
        return PlaceMention(start, end, "outside", code, certain=True)
    return None


def _commune_mention(surface: str, name: str, start: int, end: int, text: str, cue: str | None, whole: bool,
                     length: int, index: CommuneIndex) -> PlaceMention | None:
    everyday = _is_everyday(name)
    capital = _capitalised(surface, start, text)
    if not everyday:
        taken = cue is not None or whole or capital or length <= SHORT_MESSAGE
        certain = cue == "sure" or whole
    else:
        common = name in most_common_words()
        taken = whole or cue == "sure" or (cue == "weak" and (capital or not common))
        certain = (cue == "sure" and capital) or (whole and not common)
    if not taken:
        return None
    communes = index.by_name[name]
    if len(communes) == 1:
        return PlaceMention(start, end, "insee", communes[0].insee, certain=certain)
    return PlaceMention(start, end, "ambiguous", surface, certain=True)
