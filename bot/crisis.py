"""The crisis safety net: recognises danger, violence, a night without shelter, suicidal thoughts
and a child at risk from the expressions of data/crise.yml, whatever the language model says.

The text is normalised (lower case, no accents, no apostrophes), SMS spellings are spelt
out (« jsuis »), repeated letters are collapsed (« frapppe ») and words one letter away
from a keyword of at least six letters are read as the keyword (« sucide », « violance »)
before the expressions are searched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.paths import DATA
from bot.text import normalize

CRISIS_FILE = DATA / "crise.yml"
MIN_FUZZY_LENGTH = 6
MAX_TEXT = 5000  # longer messages are searched on their first 5,000 characters


@dataclass(frozen=True)
class Situation:
    key: str
    expressions: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class CrisisRules:
    situations: tuple[Situation, ...]
    exceptions: tuple[re.Pattern[str], ...]
    keywords: frozenset[str]
    sms: dict[str, str]


def load_rules(path: Path = CRISIS_FILE) -> CrisisRules:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    situations = tuple(
        Situation(key, tuple(re.compile(str(e)) for e in entry["expressions"]))
        for key, entry in raw["situations"].items())
    return CrisisRules(situations, tuple(re.compile(str(e)) for e in raw.get("sauf") or []),
                       frozenset(str(k) for k in raw.get("mots_cles") or []),
                       {str(k): str(v) for k, v in (raw.get("ecrit_sms") or {}).items()})


@lru_cache(maxsize=1)
def rules() -> CrisisRules:
    return load_rules()


def _one_edit_apart(word: str, keyword: str) -> bool:
    """True when one substitution, insertion or deletion turns ``word`` into ``keyword``."""
    if abs(len(word) - len(keyword)) > 1 or word == keyword:
        return False
    if len(word) == len(keyword):
        return sum(a != b for a, b in zip(word, keyword)) == 1
    shorter, longer = sorted((word, keyword), key=len)
    return any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))


def prepare(text: str, keywords: frozenset[str], sms: dict[str, str] | None = None) -> str:
    """Normalised text with SMS words spelt out, repeated letters collapsed and near-keywords corrected."""
    words = normalize(text[:MAX_TEXT]).split()
    prepared = []
    for word in words:
        word = re.sub(r"(.)\1{2,}", r"\1", word)
        if sms and word in sms:
            prepared.append(sms[word])
            continue
        if word not in keywords and len(word) >= MIN_FUZZY_LENGTH - 1:
            word = next((k for k in keywords if len(k) >= MIN_FUZZY_LENGTH and _one_edit_apart(word, k)), word)
        prepared.append(word)
    return " ".join(prepared)


def looks_like_a_near_miss(text: str, crisis_rules: CrisisRules | None = None) -> bool:
    """Whether ``text`` holds one of the everyday turns of phrase of ``sauf`` (« je meurs de faim »)."""
    crisis_rules = crisis_rules or rules()
    prepared = prepare(text or "", crisis_rules.keywords, crisis_rules.sms)
    return any(exception.search(prepared) for exception in crisis_rules.exceptions)


def detect(text: str, crisis_rules: CrisisRules | None = None) -> str | None:
    """The key of the first crisis situation found in ``text``, or None."""
    crisis_rules = crisis_rules or rules()
    prepared = prepare(text or "", crisis_rules.keywords, crisis_rules.sms)
    if not prepared:
        return None
    cleaned = prepared
    for exception in crisis_rules.exceptions:
        cleaned = exception.sub(" ", cleaned)
    for situation in crisis_rules.situations:
        if any(expression.search(cleaned) for expression in situation.expressions):
            return situation.key
    return None
