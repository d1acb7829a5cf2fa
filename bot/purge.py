"""Retention: delete the conversations nobody has written in for more than a number of days.

Works on Rasa's SQL tracker store (table ``events``), SQLite or PostgreSQL, with SQLAlchemy
core only (no Rasa import). A conversation's age is the time of its last event.
"""

from __future__ import annotations

import os
import time

from sqlalchemy import Column, Float, MetaData, String, Table, create_engine, delete, func, select

DEFAULT_TRACKER_URL = "sqlite:///var/tracker.db"
TRACKER_URL_VARIABLE = "TRACKER_DB_URL"
SECONDS_PER_DAY = 86_400


def tracker_url() -> str:
    return os.environ.get(TRACKER_URL_VARIABLE) or DEFAULT_TRACKER_URL


def _events_table() -> Table:
    # Only the columns the purge reads; the table itself is Rasa's.
    return Table("events", MetaData(), Column("sender_id", String(255)), Column("timestamp", Float))


def purge(older_than_days: float, url: str | None = None, now: float | None = None) -> tuple[int, int]:
    """Deletes conversations idle for more than ``older_than_days``; returns (conversations, events) deleted."""
    if older_than_days < 0:
        raise ValueError("older_than_days must be positive")
    cutoff = (now if now is not None else time.time()) - older_than_days * SECONDS_PER_DAY
    engine = create_engine(url or tracker_url(), future=True)
    events = _events_table()
    with engine.begin() as connection:
        if not engine.dialect.has_table(connection, "events"):
            return 0, 0
        stale = (select(events.c.sender_id).group_by(events.c.sender_id)
                 .having(func.max(events.c.timestamp) < cutoff))
        senders = [row[0] for row in connection.execute(stale)]
        deleted = 0
        for start in range(0, len(senders), 500):
            result = connection.execute(delete(events).where(events.c.sender_id.in_(senders[start:start + 500])))
            deleted += int(result.rowcount or 0)
    engine.dispose()
    return len(senders), deleted
