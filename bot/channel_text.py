"""Choices and long answers on messaging channels (SMS, WhatsApp, Telegram, Messenger, Slack).

Buttons become a numbered list; the person answers with the number or the
words of a choice. Long answers are cut at paragraph, line or word boundaries
to fit the platform's message limit.
"""

from __future__ import annotations

import re
from typing import Any

from bot.text import normalize

CHOICE_HINT = "Répondez par le numéro ou par les mots."
# Sent at once when a person sends a photo, a voice message or a sticker: the assistant reads text only.
ONLY_TEXT = ("Je ne peux lire que les messages écrits. "
             "Écrivez en quelques mots ce que vous cherchez, par exemple « aide pour le loyer ».")


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


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with « … » when cut."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def fits(buttons: list[dict[str, Any]], title_limit: int, payload_bytes: int) -> bool:
    """Whether every button's title and payload fit the platform's limits."""
    return all(len(str(b.get("title", ""))) <= title_limit and len(str(b.get("payload", "")).encode()) <= payload_bytes
               for b in buttons)
