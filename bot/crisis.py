"""The crisis rules: recognise a person in danger from concepts, not from listed sentences.

data/crise.yml declares *concepts* (a place to sleep outside, a time that is now, blows
suffered, a minor…), each as a few word patterns, and for each *situation* (a night
without shelter, violence, suicidal thoughts…) the combinations of concepts that make it.
A message is in a situation when every concept of one of its combinations is present and
none of its ``sauf`` concepts is. Situations are tried in the file's order: the first one
found chooses the number given first.

The text is prepared first: lower case, no accents, no apostrophes, SMS spellings spelt
out (« jsuis »), repeated letters collapsed (« frapppe »), numbers glued to « ans » split
(« 15ans »), and a word one letter away from a keyword of at least six letters read as
that keyword (« sucide », « violance ») unless it is itself a French word. Everyday turns
of phrase (``sauf``: « ce loyer me tue ») are blanked before the concepts are searched.

Word patterns, as written in data/crise.yml:
- words separated by spaces must follow each other;
- ``a|b`` is one word among several; ``(ce soir|cette nuit)`` one phrase among several;
  ``frapp*`` is any word that starts with « frapp »;
- ``mot?`` is a word that may be missing; ``...`` stands for up to four words in between;
- ``{enfant}`` is any word or phrase of the list ``enfant`` under ``mots``;
- ``re:…`` is a raw regular expression over the prepared text (rarely needed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import yaml

from bot.paths import DATA
from bot.text import french_words, normalize

CRISIS_FILE = DATA / "crise.yml"
GENERAL = "general"  # an emergency message whose situation is not known: every number, 17 and 112 first
MIN_FUZZY_LENGTH = 6
MAX_TEXT = 5000  # longer messages are searched on their first 5,000 characters
GAP = "(?:[a-z0-9]+ ){0,4}"
_TOKEN = re.compile(r"(?:\([^)]*\)|[^\s(])+")
_ALTERNATIVE = re.compile(r"\([^)]*\)|[^|()]+")
_GLUED_AGE = re.compile(r"\b(\d{1,3})(ans|an)\b")
_NUMBER_WORDS = {
    "un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
    "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "dix sept": 17,
    "dix huit": 18, "dix neuf": 19, "vingt": 20,
}
# « 16 ans » is an age after a word that introduces one (« de 16 ans », « j'ai 16 ans », « mon fils 16 ans »);
# « depuis 2 ans », « il y a 3 ans », « à la rue trois ans » are durations
_AGE_BEFORE = (r"(?:de|d|ai|(?<!y )a|g|jai|age|agee|ages|agees|fils|fille|filles|enfant|enfants|frere|soeur|ado|bebe|"
               r"petit|petite|gamin|gamine|neveu|niece|moi|mineur|mineure|garcon|lui|elle|il|seulement|que)")
_AGE = re.compile(r" " + _AGE_BEFORE + r" (\d{1,3}) ans (?!de |d |que |qu )")
_WORD_AGE = re.compile(r" " + _AGE_BEFORE + r" (" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
                       + r") ans (?!de |d |que |qu )")


class CrisisFileError(ValueError):
    """data/crise.yml is not well formed: the message names the entry."""


def _word(word: str) -> str:
    if not word or word == "*":
        raise CrisisFileError("mot vide")
    return re.escape(word[:-1]) + "[a-z0-9]*" if word.endswith("*") else re.escape(word)


def _phrase(phrase: str) -> str:
    return "".join(_word(w) + " " for w in phrase.split())


def compile_pattern(pattern: str, words: dict[str, list[str]] | None = None) -> re.Pattern[str]:
    """The regular expression of one word pattern (see the module docstring)."""
    if pattern.startswith("re:"):
        return re.compile(pattern[3:].strip())
    parts: list[str] = []
    for token in _TOKEN.findall(pattern):
        if token == "...":
            parts.append(GAP)
            continue
        alternatives: list[str] = []
        for alternative in _ALTERNATIVE.findall(token.rstrip("?")):
            if alternative.startswith("("):
                phrases = [phrase for phrase in alternative[1:-1].split("|") if phrase.strip()]
                if not phrases:
                    raise CrisisFileError(f"motif « {pattern} » : parenthèses vides")
                alternatives += [_phrase(phrase) for phrase in phrases]
            elif alternative.startswith("{") and alternative.endswith("}"):
                name = alternative[1:-1]
                if not words or name not in words:
                    raise CrisisFileError(f"motif « {pattern} » : liste de mots {{{name}}} inconnue")
                alternatives += [_phrase(phrase) for phrase in words[name]]
            else:
                alternatives.append(_word(alternative) + " ")
        piece = "(?:" + "|".join(alternatives) + ")"
        parts.append(piece + "?" if token.endswith("?") else piece)
    if not parts:
        raise CrisisFileError("motif vide")
    return re.compile(" " + "".join(parts))


@dataclass(frozen=True)
class Concept:
    name: str
    patterns: tuple[re.Pattern[str], ...]
    age_max: int | None = None  # also present when the message states an age up to this one
    age_min: int | None = None  # also present when the message states an age from this one

    def present(self, padded: str, ages: tuple[int, ...]) -> bool:
        if self.age_max is not None and any(age <= self.age_max for age in ages):
            return True
        if self.age_min is not None and any(age >= self.age_min for age in ages):
            return True
        return any(p.search(padded) for p in self.patterns)


@dataclass(frozen=True)
class Rule:
    all_of: tuple[str, ...]
    # each entry cancels the rule when all its concepts are present (one concept, or several together)
    none_of: tuple[tuple[str, ...], ...] = ()
    # how many entries of none_of come last from the file's global « jamais_si » (not shown with the rule)
    global_cancels: int = 0

    def holds(self, found: Callable[[str], bool]) -> bool:
        return all(found(c) for c in self.all_of) and not any(all(found(c) for c in combo) for combo in self.none_of)

    def __str__(self) -> str:
        text = " + ".join(self.all_of)
        own = self.none_of[:len(self.none_of) - self.global_cancels]
        cancels = ", ".join(" + ".join(combo) for combo in own)
        return text + (f" (sauf {cancels})" if cancels else "")


@dataclass(frozen=True)
class Situation:
    key: str
    number: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class CrisisRules:
    situations: tuple[Situation, ...]
    concepts: dict[str, Concept]
    exceptions: tuple[re.Pattern[str], ...]
    keywords: frozenset[str]
    sms: dict[str, str]
    known_words: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Finding:
    """Why a message is a crisis: the situation, and the combination of concepts that made it."""
    situation: str
    rule: str


def _combos(raw: Any) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(str(c) for c in item) if isinstance(item, list) else (str(item),) for item in raw or [])


def _rule(raw: Any, concepts: dict[str, Concept], where: str,
          always_cancel: tuple[tuple[str, ...], ...] = ()) -> Rule:
    if isinstance(raw, list):
        rule = Rule(tuple(str(c) for c in raw), always_cancel, len(always_cancel))
    elif isinstance(raw, dict) and "tous" in raw:
        rule = Rule(tuple(str(c) for c in raw["tous"]), _combos(raw.get("sauf")) + always_cancel, len(always_cancel))
    else:
        raise CrisisFileError(f"{where} : une règle est une liste de concepts, ou « tous » et « sauf »")
    unknown = [c for c in (*rule.all_of, *(c for combo in rule.none_of for c in combo)) if c not in concepts]
    if unknown or not rule.all_of:
        raise CrisisFileError(f"{where} : concept inconnu ou règle vide ({', '.join(unknown) or 'vide'})")
    return rule


def load_rules(path: Path = CRISIS_FILE, known_words: frozenset[str] = frozenset()) -> CrisisRules:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    words = {str(k): [str(w) for w in v] for k, v in (raw.get("mots") or {}).items()}
    concepts: dict[str, Concept] = {}
    for name, entry in (raw.get("concepts") or {}).items():
        motifs = entry.get("motifs") or []
        if not all(isinstance(m, str) for m in motifs):
            raise CrisisFileError(f"concept {name} : chaque motif est un texte (mettez-le entre guillemets)")
        try:
            patterns = tuple(compile_pattern(p, words) for p in motifs)
        except (re.error, CrisisFileError) as error:
            raise CrisisFileError(f"concept {name} : {error}") from error
        concepts[str(name)] = Concept(str(name), patterns, entry.get("age_max"), entry.get("age_min"))
    always_cancel = _combos(raw.get("jamais_si"))  # combinations that cancel every situation
    situations = tuple(
        Situation(str(key), str(entry.get("numero", "")),
                  tuple(_rule(r, concepts, f"situation {key}", always_cancel) for r in entry["regles"]))
        for key, entry in raw["situations"].items())
    return CrisisRules(situations, concepts, tuple(compile_pattern(str(e), words) for e in raw.get("sauf") or []),
                       frozenset(str(k) for k in raw.get("mots_cles") or []),
                       {str(k): str(v) for k, v in (raw.get("ecrit_sms") or {}).items()}, known_words)


@lru_cache(maxsize=1)
def rules() -> CrisisRules:
    return load_rules(known_words=french_words())


def _one_edit_apart(word: str, keyword: str) -> bool:
    """True when one substitution, insertion or deletion turns ``word`` into ``keyword``."""
    if abs(len(word) - len(keyword)) > 1 or word == keyword:
        return False
    if len(word) == len(keyword):
        return sum(a != b for a, b in zip(word, keyword)) == 1
    shorter, longer = sorted((word, keyword), key=len)
    return any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))


def prepare(text: str, keywords: frozenset[str], sms: dict[str, str] | None = None,
            known_words: frozenset[str] = frozenset()) -> str:
    """Normalised text with SMS words spelt out, repeated letters collapsed and near-keywords corrected."""
    words = _GLUED_AGE.sub(r"\1 ans", normalize(text[:MAX_TEXT])).split()
    prepared = []
    for word in words:
        word = re.sub(r"(.)\1{2,}", r"\1", word)
        if sms and word in sms:
            prepared.append(sms[word])
            continue
        if word not in keywords and word not in known_words and len(word) >= MIN_FUZZY_LENGTH - 1:
            word = next((k for k in keywords if len(k) >= MIN_FUZZY_LENGTH and _one_edit_apart(word, k)), word)
        prepared.append(word)
    return " ".join(prepared)


def stated_ages(padded: str) -> tuple[int, ...]:
    """Ages written in the prepared text (« 16 ans », « seize ans »), up to 120."""
    ages = [int(m.group(1)) for m in _AGE.finditer(padded)]
    ages += [_NUMBER_WORDS[m.group(1)] for m in _WORD_AGE.finditer(padded)]  # (overlapping « ans » are fine)
    return tuple(a for a in ages if a <= 120)


def _blank_exceptions(prepared: str, crisis_rules: CrisisRules) -> str:
    padded = f" {prepared} "
    for exception in crisis_rules.exceptions:
        padded = exception.sub(" _ ", padded)
    return re.sub(" +", " ", padded)


@dataclass(frozen=True)
class Reading:
    """A message prepared once for every net: ``prepared`` as typed (normalised), ``padded`` with
    the everyday turns of phrase of ``sauf`` blanked (« _ ») and spaces around."""
    prepared: str
    padded: str


def read(text: str, crisis_rules: CrisisRules | None = None) -> Reading:
    """Prepare ``text`` once; the rules, the near-miss check and the learned net all read the result."""
    crisis_rules = crisis_rules or rules()
    prepared = prepare(text or "", crisis_rules.keywords, crisis_rules.sms, crisis_rules.known_words)
    return Reading(prepared, _blank_exceptions(prepared, crisis_rules) if prepared else "")


def prepared_without_exceptions(text: str, crisis_rules: CrisisRules | None = None) -> str:
    """The prepared text with the everyday turns of phrase of ``sauf`` blanked (« _ »), padded with spaces."""
    return read(text, crisis_rules).padded


def explain_reading(reading: Reading, crisis_rules: CrisisRules | None = None) -> Finding | None:
    """The first situation found in a prepared message with the combination of concepts that made it."""
    crisis_rules = crisis_rules or rules()
    padded = reading.padded
    if not padded:
        return None
    ages = stated_ages(padded)
    cache: dict[str, bool] = {}

    def found(name: str) -> bool:
        if name not in cache:
            cache[name] = crisis_rules.concepts[name].present(padded, ages)
        return cache[name]

    for situation in crisis_rules.situations:
        for rule in situation.rules:
            if rule.holds(found):
                return Finding(situation.key, str(rule))
    return None


def explain(text: str, crisis_rules: CrisisRules | None = None) -> Finding | None:
    """The first situation found in ``text`` with the combination of concepts that made it, or None."""
    return explain_reading(read(text, crisis_rules), crisis_rules)


def detect(text: str, crisis_rules: CrisisRules | None = None) -> str | None:
    """The key of the first crisis situation found in ``text``, or None."""
    finding = explain(text, crisis_rules)
    return finding.situation if finding else None


def is_near_miss(reading: Reading, crisis_rules: CrisisRules | None = None) -> bool:
    """Whether the message holds one of the everyday turns of phrase of ``sauf`` (« je meurs de faim »)."""
    padded = f" {reading.prepared} "
    return any(exception.search(padded) for exception in (crisis_rules or rules()).exceptions)


def looks_like_a_near_miss(text: str, crisis_rules: CrisisRules | None = None) -> bool:
    """Whether ``text`` holds one of the everyday turns of phrase of ``sauf`` (« je meurs de faim »)."""
    return is_near_miss(read(text, crisis_rules), crisis_rules)


def answer_openings(domain_file: Path = DATA.parent / "domain.yml") -> dict[str, str]:
    """The first paragraph of each emergency answer of domain.yml (``utter_urgence``), by situation.

    The answer without a situation (``general``) is a list: its opening is its first line and first item.
    """
    domain = yaml.safe_load(domain_file.read_text(encoding="utf-8"))
    openings = {}
    for variant in domain["responses"]["utter_urgence"]:
        text = str(variant["text"])
        if variant.get("condition"):
            openings[str(variant["condition"][0]["value"])] = text.split("\n\n", 1)[0]
        else:
            openings[GENERAL] = "\n".join(text.splitlines()[:2])
    return openings


def number_comes_first(expected: str, answered: str | None, openings: dict[str, str],
                       crisis_rules: CrisisRules | None = None) -> bool:
    """Whether the answer given for ``answered`` opens with the number of the ``expected`` situation."""
    if answered is None:
        return False
    number = next(s.number for s in (crisis_rules or rules()).situations if s.key == expected)
    return re.search(rf"(?<!\d){number}(?!\d)", openings.get(answered, "")) is not None
