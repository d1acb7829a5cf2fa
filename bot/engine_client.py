"""Calling the OpenFisca-France service (``engine/``): short timeouts, one retry, and no call while it is down.

The address is ``OPENFISCA_URL`` (default http://localhost:5011). When the engine
does not answer, it is known to be down for ``DOWN_SECONDS``: the assistant shows the
aids without amounts during that time instead of waiting again at every turn.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

DEFAULT_URL = "http://localhost:5011"
CONNECT_TIMEOUT = 0.5
READ_TIMEOUT = 8.0  # one simulation takes about 3 s on two cores; more means overloaded
ATTEMPTS = 2
DOWN_SECONDS = 30.0


class EngineUnavailable(RuntimeError):
    """The engine gave no usable answer (down, too slow, or refused the request)."""


@dataclass
class EngineClient:
    url: str = field(default_factory=lambda: os.environ.get("OPENFISCA_URL", DEFAULT_URL).rstrip("/"))
    clock: Callable[[], float] = time.monotonic
    down_until: float = 0.0
    session: requests.Session = field(default_factory=requests.Session)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # one computation ahead at a time, and only the latest one waiting: answers typed quickly would otherwise
    # queue several on the engine, and the one the person waits for would come after them (and time out)
    _running: bool = False
    _next: dict[str, Any] | None = None

    def known_down(self) -> bool:
        return self.clock() < self.down_until

    def _mark_down(self) -> None:
        with self._lock:
            self.down_until = self.clock() + DOWN_SECONDS

    def calculate(self, body: dict[str, Any]) -> dict[str, Any]:
        """The engine's answer to one request; EngineUnavailable without waiting when it is known down."""
        if self.known_down():
            raise EngineUnavailable("engine known to be down")
        last: Exception | None = None
        for _ in range(ATTEMPTS):
            try:
                response = self.session.post(f"{self.url}/calculate", json=body,
                                             timeout=(CONNECT_TIMEOUT, READ_TIMEOUT))
            except requests.Timeout as error:  # overloaded: a second try would only wait longer
                last = error
                break
            except requests.RequestException as error:
                last = error
                continue
            if response.status_code == 200:
                answer = response.json()
                if isinstance(answer, dict) and isinstance(answer.get("results"), dict):
                    return answer
                raise EngineUnavailable("unexpected answer")
            if response.status_code == 400:  # our request is wrong: retrying will not help
                raise EngineUnavailable(f"request refused: {response.text[:200]}")
            last = RuntimeError(f"HTTP {response.status_code}")
        self._mark_down()
        raise EngineUnavailable(type(last).__name__ if last else "no answer")

    def prefetch(self, body: dict[str, Any]) -> None:
        """Ask for a computation now, in the background, so that the same request later is answered
        from the engine's cache. Errors are ignored here: the later call handles them."""
        if self.known_down():
            return
        with self._lock:
            if self._running:  # it runs after the one under way, replacing any older one still waiting
                self._next = body
                return
            self._running = True

        def run(current: dict[str, Any]) -> None:
            while True:
                with contextlib.suppress(EngineUnavailable):
                    self.calculate(current)
                with self._lock:
                    following, self._next = self._next, None
                    if following is None or self.known_down():
                        self._running = False
                        return
                current = following

        threading.Thread(target=run, args=(body,), name="engine-prefetch", daemon=True).start()


_client: EngineClient | None = None


def engine_client() -> EngineClient:
    """The process's client (one circuit breaker per process)."""
    global _client
    if _client is None:
        _client = EngineClient()
    return _client
