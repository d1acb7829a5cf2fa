"""What the assistant does with a raw message before reading it: no control characters, no markup,
a bounded length. Shared by the NLU pipeline, the form and the command line."""

from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 2000
# Control and invisible formatting characters (zero-width, bidi overrides), kept: newline and tab.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]{0,500}>")
_SPACES = re.compile(r"[ \t\r\n]+")


def clean(text: str | None, limit: int = MAX_CHARS) -> str:
    """The message without control characters or markup tags, on one line, at most ``limit`` characters."""
    cleaned = unicodedata.normalize("NFC", text or "")
    cleaned = _CONTROL.sub(" ", cleaned)
    cleaned = _TAG.sub(" ", cleaned)
    cleaned = _SPACES.sub(" ", cleaned).strip()
    if len(cleaned) > limit:
        cut = cleaned.rfind(" ", 0, limit)
        cleaned = cleaned[: cut if cut > limit // 2 else limit]
    return cleaned


def readable(text: str | None) -> bool:
    """Whether the message has at least one letter or digit (not only emoji, punctuation or markup)."""
    return any(ch.isalnum() for ch in clean(text))
