"""Choices and long answers on text-only channels (SMS, WhatsApp).

Buttons become a numbered list; the person answers with the number or the
words of a choice. Long answers are cut at paragraph, line or word boundaries
to fit the platform's message limit.
"""

from __future__ import annotations

import re
from typing import Any

from bot.text import normalize

CHOICE_HINT = "Répondez par le numéro ou par les mots."


def numbered_choices(text: str, buttons: list[dict[str, Any]]) -> str:
    lines = [text.strip(), ""] if text.strip() else []
    lines += [f"{number}. {button.get('title', '')}" for number, button in enumerate(buttons, 1)]
    lines.append(CHOICE_HINT)
    return "\n".join(lines)


def resolve_choice(reply: str, buttons: list[dict[str, Any]]) -> str | None:
    """The payload of the choice the person answered (« 2 », « 2. », « oui »), or None."""
    if not buttons or not reply:
        return None
    match = re.fullmatch(r"\s*(\d{1,2})\s*[.)]?\s*", reply)
    if match:
        index = int(match.group(1)) - 1
        return str(buttons[index].get("payload")) if 0 <= index < len(buttons) else None
    wanted = normalize(reply)
    for button in buttons:
        if wanted and normalize(str(button.get("title", ""))) == wanted:
            return str(button.get("payload"))
    return None


def split_text(text: str, limit: int) -> list[str]:
    """Parts of at most ``limit`` characters, cut at paragraph, line, then word boundaries."""
    text = text.strip()
    parts: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        cut = max(window.rfind("\n\n"), 0) or max(window.rfind("\n"), 0) or max(window.rfind(" "), 0) or limit
        parts.append(text[:cut].strip())
        text = text[cut:].strip()
    if text:
        parts.append(text)
    return parts
