"""The last list of choices sent to each person on channels where they may answer « 2 ».

On SMS and WhatsApp the choices are a numbered list; on Messenger and Telegram
the person may also type the number instead of tapping. To turn « 2 » back into
the second choice, the connector remembers the last list sent to each person for
half an hour.

With one Rasa server the lists are kept in memory. With several Rasa replicas,
set ``CHOICES_REDIS_URL`` (for example the Redis server of the lock store,
``redis://redis:6379/2``): every replica then reads and writes the same lists,
and « 2 » is understood whichever replica receives it. Only the button titles
and payloads are stored, under an opaque key, and they expire on their own.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from typing import Any, Dict, List, Optional, Protocol, Text

from bot.channel_text import resolve_choice

logger = logging.getLogger(__name__)

CHOICES_TTL_SECONDS = 30 * 60
MAX_REMEMBERED = 10_000
REDIS_URL_VARIABLE = "CHOICES_REDIS_URL"

Buttons = List[Dict[Text, Any]]


class ChoiceStore(Protocol):
    def remember(self, sender: Text, buttons: Buttons) -> None: ...

    def forget(self, sender: Text) -> None: ...

    def resolve(self, sender: Text, text: Text) -> Text: ...


class ChoiceMemory:
    """In this process only: for a single Rasa server."""

    def __init__(self, ttl: float = CHOICES_TTL_SECONDS) -> None:
        self.ttl = ttl
        self._choices: Dict[Text, tuple[float, Buttons]] = {}

    def remember(self, sender: Text, buttons: Buttons) -> None:
        if len(self._choices) >= MAX_REMEMBERED:
            oldest = min(self._choices, key=lambda key: self._choices[key][0])
            del self._choices[oldest]
        self._choices[sender] = (time.monotonic(), buttons)

    def forget(self, sender: Text) -> None:
        self._choices.pop(sender, None)

    def _saved(self, sender: Text) -> Optional[Buttons]:
        saved = self._choices.get(sender)
        if not saved or time.monotonic() - saved[0] > self.ttl:
            return None
        return saved[1]

    def resolve(self, sender: Text, text: Text) -> Text:
        """The payload of the chosen button, or the text as the person wrote it."""
        return _resolve(self, self._saved(sender), sender, text)


class RedisChoiceMemory:
    """Shared by every Rasa replica through Redis; entries expire after the TTL."""

    def __init__(self, url: Text, ttl: float = CHOICES_TTL_SECONDS) -> None:
        import redis  # installed with Rasa (its Redis lock store)

        self.ttl = int(ttl)
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    @staticmethod
    def _key(sender: Text) -> Text:
        # The sender id (a phone number on SMS) is not stored in clear.
        return "choices:" + hashlib.sha256(sender.encode("utf-8")).hexdigest()

    def remember(self, sender: Text, buttons: Buttons) -> None:
        try:
            self.client.set(self._key(sender), json.dumps(buttons, ensure_ascii=False), ex=self.ttl)
        except Exception as error:  # noqa: BLE001 - a lost list only means « 2 » is read as words
            logger.warning("Could not store the last choices in Redis: %s", type(error).__name__)

    def forget(self, sender: Text) -> None:
        try:
            self.client.delete(self._key(sender))
        except Exception as error:  # noqa: BLE001
            logger.warning("Could not forget the last choices in Redis: %s", type(error).__name__)

    def resolve(self, sender: Text, text: Text) -> Text:
        try:
            raw = self.client.get(self._key(sender))
        except Exception as error:  # noqa: BLE001
            logger.warning("Could not read the last choices from Redis: %s", type(error).__name__)
            return text
        return _resolve(self, json.loads(raw) if raw else None, sender, text)


def _resolve(store: ChoiceStore, buttons: Optional[Buttons], sender: Text, text: Text) -> Text:
    if not buttons:
        return text
    payload = resolve_choice(text, buttons)
    if payload is None:
        return text
    store.forget(sender)
    return payload


def choice_store_from_env(environ: Optional[Dict[Text, Text]] = None) -> ChoiceStore:
    url = (environ if environ is not None else os.environ).get(REDIS_URL_VARIABLE)
    return RedisChoiceMemory(url) if url else ChoiceMemory()


_SHARED: Optional[ChoiceStore] = None


def shared_choices() -> ChoiceStore:
    """The store used by every connector of this process (created on first use)."""
    global _SHARED
    if _SHARED is None:
        _SHARED = choice_store_from_env()
    return _SHARED
