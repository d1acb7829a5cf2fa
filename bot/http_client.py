"""A careful HTTP client for the official open-data APIs.

Short timeouts, a few retries with exponential backoff on network errors,
HTTP 429 and 5xx, and an on-disk cache of the last good answer of each URL,
used when the API cannot be reached. Nothing in the chat calls it: only
``python -m bot data refresh`` does.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from bot.paths import ROOT

DEFAULT_CACHE = ROOT / "var" / "cache" / "http"
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


class ApiUnavailable(RuntimeError):
    """The API did not give a usable answer after the retries (and nothing is cached)."""


@dataclass
class HttpClient:
    connect_timeout: float = 3.0
    read_timeout: float = 10.0
    attempts: int = 3
    backoff: float = 0.5
    cache_dir: Path | None = DEFAULT_CACHE
    sleep: Callable[[float], None] = time.sleep
    session: requests.Session = field(default_factory=requests.Session)
    log: list[str] = field(default_factory=list)

    def get_json(self, url: str, params: dict[str, Any] | None = None) -> Any:
        """The decoded JSON answer; the cached copy if the API fails; else ApiUnavailable."""
        key = self._cache_key(url, params)
        last_error = "aucune réponse"
        for attempt in range(1, self.attempts + 1):
            try:
                response = self.session.get(url, params=params, timeout=(self.connect_timeout, self.read_timeout),
                                            headers={"Accept": "application/json"})
                if response.status_code in RETRYABLE_STATUS:
                    last_error = f"HTTP {response.status_code}"
                elif response.status_code >= 400:
                    last_error = f"HTTP {response.status_code}"
                    break
                else:
                    data = response.json()
                    self._store(key, data)
                    return data
            except requests.Timeout:
                last_error = "délai dépassé"
            except requests.ConnectionError:
                last_error = "connexion impossible"
            except ValueError:
                last_error = "réponse qui n'est pas du JSON"
                break
            if attempt < self.attempts:
                self.sleep(self.backoff * 2 ** (attempt - 1))
        self.log.append(f"{url} : {last_error}")
        cached = self._load(key)
        if cached is not None:
            self.log.append(f"{url} : copie en cache utilisée")
            return cached
        raise ApiUnavailable(f"{url} : {last_error}")

    def _cache_key(self, url: str, params: dict[str, Any] | None) -> str:
        raw = url + "?" + json.dumps(params or {}, sort_keys=True)
        return hashlib.sha256(raw.encode()).hexdigest()[:32]

    def _store(self, key: str, data: Any) -> None:
        if self.cache_dir is None:
            return
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        (self.cache_dir / f"{key}.json").write_text(json.dumps(data), encoding="utf-8")

    def _load(self, key: str) -> Any:
        if self.cache_dir is None:
            return None
        path = self.cache_dir / f"{key}.json"
        if not path.exists():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            return None
