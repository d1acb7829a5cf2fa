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
from collections.abc import Mapping
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
    r"ma ville(?: c est| est)?|mon village(?: c est| est)?|la commune de|la ville de|commune de|"
    r"code postal(?: c est| est)?|cp)" + _PREPOSITION + "$")
_WEAK_CUE = re.compile(r"(?:^| )(?:a|au|aux|sur|vers|pres de|pres d|a cote de|du cote de|cote|coin de|region de)$")
_OF_CUE = re.compile(r"(?:^| )(?:de|d|en|dans)$")
_CURRENCY = re.compile(r"^\s*(?:€|k€|eur\b|euros?\b|balles\b)")
_CODE_CUE = re.compile(r"(?:^| )(?:(?:code postal|cp|code)(?: c est| est| c)?|dans le)$")
# « il a », « on a »: after these, an « a » without its accent is the verb, not « à »
_VERB_A = re.compile(r"(?:^| )(?:il|elle|on|qui|y|ca|cela|ce|tout|personne|fils|fille|mari|femme|copain|copine) a$")
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
    candidates: tuple[str, ...] = ()  # INSEE codes of the communes of the region it may be


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


def _shouting(text: str) -> bool:
    """A message written mostly in capitals: its capitals say nothing about names."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > len(letters) / 2


def _capitalised(surface: str, context: _Context) -> bool:
    """Written with a capital that is not just the start of the message or a message in capitals."""
    return surface[:1].isupper() and context.start > 0 and not context.shouting


def find_places(text: str, spans: list[tuple[int, int]], index: CommuneIndex) -> list[PlaceMention]:
    """Places named in ``text``, given its token character spans; longest first, no overlap, in text order."""
    words = [normalize(text[s:e]) for s, e in spans]
    content = {i for i, w in enumerate(words) if w}
    shouting = _shouting(text)
    taken: set[int] = set()
    found: list[PlaceMention] = []
    for size in range(min(MAX_TOKENS, len(spans)), 0, -1):
        for first in range(0, len(spans) - size + 1):
            positions = set(range(first, first + size))
            if positions & taken or not words[first] or not words[first + size - 1]:
                continue
            context = _Context(text, spans, words, first, size, content <= positions, len(content), shouting)
            mention = _mention(context, index)
            if mention is not None:
                taken |= positions
                found.append(mention)
    return _with_codes_joined(sorted(found, key=lambda m: m.start), text)


@dataclass(frozen=True)
class _Context:
    text: str
    spans: list[tuple[int, int]]
    words: list[str]
    first: int
    size: int
    whole: bool  # the span is the whole message
    length: int  # words in the message
    shouting: bool  # the message is mostly in capitals

    @property
    def start(self) -> int:
        return self.spans[self.first][0]

    @property
    def end(self) -> int:
        return self.spans[self.first + self.size - 1][1]

    def before(self, count: int = 6) -> list[str]:
        return [w for w in self.words[max(0, self.first - count):self.first] if w]

    def after(self, count: int = 3) -> str:
        return " ".join(w for w in self.words[self.first + self.size:self.first + self.size + count] if w)

    def raw_before(self) -> str:
        """The token just before, as typed (« à » and « a » differ here)."""
        if self.first == 0:
            return ""
        start, end = self.spans[self.first - 1]
        return self.text[start:end].lower()

    def next_to(self, names: Mapping[str, object]) -> bool:
        """Whether a name of ``names`` (up to 6 words) ends just before or starts just after the span."""
        before = self.before(MAX_TOKENS)
        after = self.after(MAX_TOKENS).split()
        return any(" ".join(before[-k:]) in names for k in range(1, len(before) + 1)) or \
            any(" ".join(after[:k]) in names for k in range(1, len(after) + 1))


def _mention(context: _Context, index: CommuneIndex) -> PlaceMention | None:
    surface = context.text[context.start:context.end]
    name = normalize(surface)
    before = context.before()
    if context.size == 1 and _CODE.match(name):
        return _code_mention(name, context, " ".join(before), index)
    if len(name.replace(" ", "")) < 3:
        return None
    if before and before[-1] in ("au", "aux"):
        # « au Vigan », « aux Angles »: Le Vigan, Les Angles
        with_article = ("le " if before[-1] == "au" else "les ") + name
        if with_article in index.by_name:
            return _commune_mention(surface, with_article, context, _cue(" ".join([*before[:-1], "a"])), index)
    cue = _cue(" ".join(before))
    if cue == "weak" and context.raw_before() == "a" and _VERB_A.search(" ".join(before)) and _is_everyday(name):
        cue = None  # « il a le martinet facile »: « a » without its accent is often the verb
    if name in index.by_name:
        return _commune_mention(surface, name, context, cue, index)
    if name in index.outside_by_name and len(name) >= 3:
        everyday = _is_everyday(name)
        capital = _capitalised(surface, context)
        if cue == "sure" or (cue in ("weak", "of") and (capital or not everyday)) or (context.whole and not everyday):
            return PlaceMention(context.start, context.end, "outside", surface, certain=True)
    return None


def _code_mention(code: str, context: _Context, before: str, index: CommuneIndex) -> PlaceMention | None:
    cue = _cue(before)
    as_code = bool(_CODE_CUE.search(before))
    following = context.text[context.end:context.end + 12].lower()
    if (_is_amount(before, context.after()) or _CURRENCY.match(following)) and not as_code:
        return None
    next_to_name = context.next_to(index.by_name)
    named = as_code or cue == "sure" or context.whole or next_to_name
    if not named and not (cue == "weak" and context.raw_before() != "sur"):
        return None  # a five-digit number inside a sentence with no place cue: more often an amount
    resolution = index.lookup_exact(code)
    candidates = tuple(c.insee for c in resolution.communes)
    if resolution.status == "ok":
        return PlaceMention(context.start, context.end, "insee", candidates[0], named, candidates)
    if resolution.status == "ambiguous":
        return PlaceMention(context.start, context.end, "ambiguous", code, True, candidates)
    if resolution.status == "outside":
        return PlaceMention(context.start, context.end, "outside", code, certain=True)
    return None


def _commune_mention(surface: str, name: str, context: _Context, cue: str | None,
                     index: CommuneIndex) -> PlaceMention | None:
    everyday = _is_everyday(name)
    capital = _capitalised(surface, context)
    if not everyday:
        taken = cue is not None or context.whole or capital or context.length <= SHORT_MESSAGE
        certain = cue == "sure" or context.whole
    else:
        common = _without_articles(name) in most_common_words()
        taken = context.whole or cue == "sure" or (cue == "weak" and (capital or not common)) \
            or (cue == "of" and capital)
        certain = (cue == "sure" and capital) or (context.whole and not common)
    if not taken:
        return None
    candidates = tuple(c.insee for c in index.by_name[name])
    if len(candidates) == 1:
        return PlaceMention(context.start, context.end, "insee", candidates[0], certain, candidates)
    value = surface if normalize(surface) == name else name  # « aux Angles » → « les angles »
    return PlaceMention(context.start, context.end, "ambiguous", value, True, candidates)


def _without_articles(name: str) -> str:
    return " ".join(w for w in name.split() if w not in ARTICLES)


def _with_codes_joined(found: list[PlaceMention], text: str) -> list[PlaceMention]:
    """A commune name next to a postal code is one place: the communes they have in common."""
    joined: list[PlaceMention] = []
    for mention in found:
        previous = joined[-1] if joined else None
        between = text[previous.end:mention.start] if previous else ""
        if previous and previous.candidates and mention.candidates and not between.strip(" ,-/()"):
            common = tuple(c for c in previous.candidates if c in mention.candidates)
            if common:
                certain = previous.certain or mention.certain
                if len(common) == 1:
                    joined[-1] = PlaceMention(previous.start, mention.end, "insee", common[0], certain, common)
                else:
                    code = mention if previous.kind != "ambiguous" or _CODE.match(previous.value) else previous
                    joined[-1] = PlaceMention(previous.start, mention.end, "ambiguous", code.value, True, common)
                continue
        joined.append(mention)
    return joined
