"""Text normalisation shared by the commune search and the answer parsers."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize(text: str) -> str:
    """Lower-case, accent-free, punctuation-free text with single spaces.

    Also expands "st"/"ste" to "saint"/"sainte" so that "st gaudens" and
    "Saint-Gaudens" compare equal.
    """
    cleaned = strip_accents(text.lower()).replace("œ", "oe").replace("æ", "ae")
    cleaned = cleaned.replace("'", " ").replace("’", " ")
    words = _NON_ALNUM.sub(" ", cleaned).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


@lru_cache(maxsize=1)
def french_words() -> frozenset[str]:
    """Word forms and lemmas of spaCy's French lookup lemma table (spacy-lookups-data), normalised."""
    import gzip
    import json
    from importlib.resources import files

    path = files("spacy_lookups_data") / "data" / "fr_lemma_lookup.json.gz"
    table: dict[str, list[str]] = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
    words = {normalize(form) for form in table}
    words.update(normalize(lemma) for lemmas in table.values() for lemma in lemmas)
    return frozenset(words)
