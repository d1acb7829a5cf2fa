"""Plain French, measured: sentences of at most 20 words, and every acronym explained where it is used.

The glossary (data/sigles.yml) declares each acronym once with the words that explain it. A text unit (one
aid's texts, one answer of domain.yml, one office note) explains an acronym when those words appear in it
(« la caisse d'allocations familiales (CAF) »). Acronyms everyone knows (SMS) are declared as such.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.paths import DATA

GLOSSARY_FILE = DATA / "sigles.yml"
MAX_WORDS = 20

_WORD = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿ€%]+(?:[’'-][0-9A-Za-zÀ-ÖØ-öø-ÿ]+)*")
# an acronym: two capitals or more (digits allowed after the first letter), possibly after an elision (L'ASS)
_ACRONYM = re.compile(r"(?<![0-9A-Za-zÀ-ÖØ-öø-ÿ])(?:[A-Za-z][’'])?([A-Z][A-Z0-9]*[A-Z0-9](?:'[A-Z])?)(?![a-zà-ÿ])")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«A-ZÀ-ÖØ-Þ0-9•(-])|\n+")
_BUTTON_PAYLOAD = re.compile(r"/[a-z_]+(\{.*?\})?")
_URL = re.compile(r"https?://\S+|www\.\S+")


@dataclass(frozen=True)
class Glossary:
    explained_by: dict[str, tuple[str, ...]]  # acronym -> the words that explain it (any one form)
    known: frozenset[str]  # acronyms everyone knows


def _normalized(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", text.lower())


@lru_cache(maxsize=2)
def load_glossary(path: Path = GLOSSARY_FILE) -> Glossary:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    explained = {str(k): tuple(v if isinstance(v, list) else [v]) for k, v in (data.get("sigles") or {}).items()}
    return Glossary(explained, frozenset(str(k) for k in [*(data.get("connus") or ()), *(data.get("noms") or ())]))


def sentences(text: str) -> list[str]:
    """The sentences of a text (list items and lines count as sentences)."""
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s and s.strip()]


def words(sentence: str) -> list[str]:
    return _WORD.findall(_BUTTON_PAYLOAD.sub(" ", _URL.sub(" ", sentence)))


def acronyms(text: str) -> list[str]:
    found = []
    for match in _ACRONYM.finditer(text or ""):
        token = match.group(1).split("'")[0]
        if len(token) >= 2 and not token.isdigit() and not re.fullmatch(r"[IVXLC]+", token):
            found.append(token)
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Problem:
    unit: str  # where the text is (« aide rsa », « domain.yml utter_ask_age »)
    kind: str  # "phrase longue", "sigle inconnu", "sigle non expliqué"
    detail: str


def check_unit(unit: str, texts: list[str], glossary: Glossary | None = None) -> list[Problem]:
    """The plain-language problems of one text unit: the texts a person reads together."""
    glossary = glossary or load_glossary()
    problems = []
    for text in texts:
        for sentence in sentences(text):
            count = len(words(sentence))
            if count > MAX_WORDS:
                problems.append(Problem(unit, "phrase longue", f"{count} mots : {sentence}"))
    whole = _normalized(" ".join(texts))
    for acronym in acronyms(" ".join(texts)):
        if acronym in glossary.known:
            continue
        forms = glossary.explained_by.get(acronym)
        if forms is None:
            problems.append(Problem(unit, "sigle inconnu", f"{acronym} (à ajouter dans data/sigles.yml)"))
        elif not any(_normalized(form) in whole for form in forms):
            problems.append(Problem(unit, "sigle non expliqué", f"{acronym} : écrire « {forms[0]} »"))
    return problems
