"""Text normalisation shared by the commune search and the answer parsers."""

from __future__ import annotations

import re
import unicodedata

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
