"""Message limits per person and per address for the web chat (fixed one-minute windows).

In memory with one Rasa server; in Redis when ``RATE_LIMIT_REDIS_URL`` is set, so that
several Rasa replicas count together (Redis INCR + EXPIRE, the usual fixed-window counter).
Keys are hashed: no sender id or address is stored in clear.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from typing import Callable, Dict, Optional, Protocol, Text, Tuple

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
REDIS_URL_VARIABLE = "RATE_LIMIT_REDIS_URL"
MAX_KEYS = 50_000


def _key(kind: Text, value: Text, window: int) -> Text:
    return f"rate:{kind}:{hashlib.sha256(value.encode('utf-8')).hexdigest()[:32]}:{window}"


class Counter(Protocol):
    def hit(self, key: Text) -> int: ...


class MemoryCounter:
    def __init__(self) -> None:
        self._counts: Dict[Text, int] = {}
        self._window: Optional[int] = None

    def hit(self, key: Text) -> int:
        window = int(key.rsplit(":", 1)[1])
        if window != self._window or len(self._counts) > MAX_KEYS:
            self._counts, self._window = {}, window
        self._counts[key] = self._counts.get(key, 0) + 1
        return self._counts[key]


class RedisCounter:
    def __init__(self, url: Text) -> None:
        import redis  # installed with Rasa (its Redis lock store)

        self.client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)

    def hit(self, key: Text) -> int:
        try:
            pipeline = self.client.pipeline()
            pipeline.incr(key)
            pipeline.expire(key, WINDOW_SECONDS * 2)
            count, _ = pipeline.execute()
            return int(count)
        except Exception as error:  # noqa: BLE001 - Redis down: let people write rather than block them all
            logger.warning("Rate limit not counted (Redis): %s", type(error).__name__)
            return 0


class RateLimiter:
    """``allow(sender, address)`` is False once either has sent more than its limit this minute."""

    def __init__(self, per_sender: int, per_address: int, counter: Optional[Counter] = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.per_sender = per_sender
        self.per_address = per_address
        self.counter = counter or MemoryCounter()
        self.clock = clock

    def allow(self, sender: Text, address: Text) -> bool:
        window = int(self.clock() // WINDOW_SECONDS)
        limits: Tuple[Tuple[Text, Text, int], ...] = (("s", sender, self.per_sender), ("a", address, self.per_address))
        return all(self.counter.hit(_key(kind, value, window)) <= limit for kind, value, limit in limits if value)


def counter_from_env() -> Counter:
    url = os.environ.get(REDIS_URL_VARIABLE)
    return RedisCounter(url) if url else MemoryCounter()
