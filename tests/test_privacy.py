"""Erasing a conversation and the retention purge, on SQLite and on a real PostgreSQL started here."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.purge import purge
from components.erasable_tracker_store import ErasableSQLTrackerStore
from tests.local_services import postgres_server

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    url = request.getfixturevalue("postgres_url")
    engine = sa.create_engine(url, future=True)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS events"))
    engine.dispose()
    return url


def store_for(url: str) -> ErasableSQLTrackerStore:
    parsed = sa.engine.make_url(url)
    if parsed.drivername == "sqlite":
        return ErasableSQLTrackerStore(DOMAIN, dialect="sqlite", db=parsed.database)
    return ErasableSQLTrackerStore(DOMAIN, dialect="postgresql", host=parsed.host, port=parsed.port,
                                   db=parsed.database, username=parsed.username)


def stored_senders(url: str) -> dict[str, int]:
    engine = sa.create_engine(url, future=True)
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id")).all()
    engine.dispose()
    return {sender: count for sender, count in rows}


def conversation(sender: str, *, at: float, erase: bool = False) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    events = [UserUttered("je vis à Albi, j'ai 34 ans", {"name": "informer", "confidence": 1.0}, timestamp=at),
              SlotSet("commune", "81004", timestamp=at), SlotSet("age", 34, timestamp=at),
              BotUttered("Combien d'enfants ?", timestamp=at)]
    if erase:
        events += [UserUttered("effacer mes données", {"name": "effacer_donnees", "confidence": 1.0}, timestamp=at),
                   ActionExecuted("action_effacer_donnees", timestamp=at),
                   BotUttered("C'est fait.", timestamp=at)]
    for event in events:
        tracker.update(event)
    return tracker


def test_erase_deletes_only_that_conversation(database: str) -> None:
    store = store_for(database)
    now = time.time()
    asyncio.run(store.save(conversation("person-a", at=now)))
    asyncio.run(store.save(conversation("person-b", at=now)))
    assert set(stored_senders(database)) == {"person-a", "person-b"}

    asyncio.run(store.save(conversation("person-a", at=now, erase=True)))
    assert set(stored_senders(database)) == {"person-b"}
    assert asyncio.run(store.retrieve("person-a")) is None  # the next message starts afresh


def test_purge_deletes_conversations_idle_longer_than_the_retention(database: str) -> None:
    store = store_for(database)
    now = time.time()
    asyncio.run(store.save(conversation("old", at=now - 40 * 86_400)))
    asyncio.run(store.save(conversation("recent", at=now - 2 * 86_400)))
    assert purge(30, database, now=now) == (1, 4)
    assert set(stored_senders(database)) == {"recent"}
    assert purge(30, database, now=now) == (0, 0)


def test_purge_command_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    asyncio.run(store_for(url).save(conversation("old", at=time.time() - 90 * 86_400)))
    result = subprocess.run([sys.executable, "-m", "bot", "purge", "--older-than", "30", "--base", url],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and "Conversations effacées : 1" in result.stderr
    refused = subprocess.run([sys.executable, "-m", "bot", "purge", "--older-than", "-3"],
                             capture_output=True, text=True, cwd=ROOT)
    assert refused.returncode == 2 and "nombre de jours" in refused.stderr
