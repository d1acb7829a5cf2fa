"""Daily aggregates of the conversations, in their own tables, kept when the conversations are purged.

``update()`` reads Rasa's tracker store (SQLite or PostgreSQL, SQLAlchemy core, no Rasa import) and adds
each conversation that has ended since the last run to ``stats_comptes`` (day, département, dimension,
value, count). A conversation has ended when nobody has written in it for the session expiry (domain.yml):
after that, a new message opens a new conversation, so a closed one never changes. The end of the window
already counted is kept in ``stats_etat`` and moved in the same transaction as the counts: a second run,
or a run after a crash or a restart, never counts a conversation twice. No sender id, text, commune or exact
value is written (bot/statistics.py).

``read()`` gives the counts back, summed over a period and départements, with every count under the
secrecy threshold (data/statistiques.yml) shown « < 10 ».
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Date,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    select,
)
from sqlalchemy.engine import Connection, Engine

from bot.purge import tracker_url
from bot.statistics import session_expiry_seconds, sessions, settings, summarise

STATS_URL_VARIABLE = "STATS_DB_URL"

metadata = MetaData()
COUNTS = Table(
    "stats_comptes", metadata,
    Column("jour", Date, nullable=False),
    Column("departement", String(20), nullable=False),
    Column("dimension", String(30), nullable=False),
    Column("valeur", String(80), nullable=False),
    Column("nombre", Integer, nullable=False),
    UniqueConstraint("jour", "departement", "dimension", "valeur", name="stats_comptes_cle"),
)
STATE = Table(
    "stats_etat", metadata,
    Column("cle", String(40), primary_key=True),
    Column("valeur", Float, nullable=False),
)
WINDOW_END = "fin_fenetre"  # conversations whose last event is before this time (epoch seconds) are counted


def _tracker_events() -> Table:
    # Only the columns read; the table itself is Rasa's.
    return Table("events", MetaData(), Column("id", Integer), Column("sender_id", String(255)),
                 Column("type_name", String(255)), Column("timestamp", Float), Column("data", Text))


def stats_url() -> str:
    """The aggregates' database: STATS_DB_URL, by default the conversations' own database."""
    return os.environ.get(STATS_URL_VARIABLE) or tracker_url()


@dataclass(frozen=True)
class Update:
    conversations: int
    window_end: float


def _window_end(connection: Connection) -> float:
    row = connection.execute(select(STATE.c.valeur).where(STATE.c.cle == WINDOW_END)).first()
    return float(row[0]) if row else 0.0


def _add(connection: Connection, counts: Counter[tuple[dt.date, str, str, str]]) -> None:
    for (day, departement, dimension, value), number in counts.items():
        key = ((COUNTS.c.jour == day) & (COUNTS.c.departement == departement) & (COUNTS.c.dimension == dimension)
               & (COUNTS.c.valeur == value))
        updated = connection.execute(COUNTS.update().where(key).values(nombre=COUNTS.c.nombre + number))
        if not updated.rowcount:
            connection.execute(COUNTS.insert().values(jour=day, departement=departement, dimension=dimension,
                                                      valeur=value, nombre=number))


def _ended_conversations(tracker: Engine, start: float, end: float) -> Counter[tuple[dt.date, str, str, str]]:
    """Counts of the conversations whose last event is in (start, end]."""
    events = _tracker_events()
    counts: Counter[tuple[dt.date, str, str, str]] = Counter()
    with tracker.connect() as connection:
        if not tracker.dialect.has_table(connection, "events"):
            return counts
        senders = [row[0] for row in connection.execute(
            select(events.c.sender_id).where(events.c.timestamp > start, events.c.timestamp <= end).distinct())]
        for first in range(0, len(senders), 200):
            batch = senders[first:first + 200]
            rows = connection.execute(select(events.c.sender_id, events.c.timestamp, events.c.data)
                                      .where(events.c.sender_id.in_(batch)).order_by(events.c.id))
            by_sender: dict[str, list[dict]] = {}
            for sender, timestamp, data in rows:
                event = json.loads(data) if data else {}
                event.setdefault("timestamp", timestamp)
                by_sender.setdefault(sender, []).append(event)
            for sender_events in by_sender.values():
                for conversation in sessions(sender_events):
                    last = float(conversation[-1].get("timestamp") or 0)
                    if not start < last <= end:
                        continue  # still open, or counted by an earlier run
                    summary = summarise(conversation)
                    if summary is None:
                        continue
                    for dimension, value, number in summary.counts():
                        counts[(summary.day, summary.departement, dimension, value)] += number
    return counts


def update(tracker_db: str | None = None, stats_db: str | None = None, now: float | None = None) -> Update:
    """Adds the conversations ended since the last run; returns how many, and the new end of the window."""
    end = (now if now is not None else time.time()) - session_expiry_seconds()
    tracker = create_engine(tracker_db or tracker_url(), future=True)
    stats = create_engine(stats_db or stats_url(), future=True)
    try:
        metadata.create_all(stats)
        with stats.begin() as connection:
            start = _window_end(connection)
            if end <= start:
                return Update(0, start)
            counts = _ended_conversations(tracker, start, end)
            _add(connection, counts)
            connection.execute(STATE.delete().where(STATE.c.cle == WINDOW_END))
            connection.execute(STATE.insert().values(cle=WINDOW_END, valeur=end))
        started = sum(n for (_, _, d, v), n in counts.items() if (d, v) == ("conversations", "commencees"))
        return Update(started, end)
    finally:
        tracker.dispose()
        stats.dispose()


@dataclass(frozen=True)
class Cell:
    dimension: str
    valeur: str
    nombre: int

    @property
    def shown(self) -> str:
        """The count as anyone outside may read it: « < 10 » under the secrecy threshold."""
        threshold = int(settings()["seuil_secret"])
        return f"< {threshold}" if self.nombre < threshold else str(self.nombre)


def read(start: dt.date, end: dt.date, departements: Iterable[str] | None = None,
         group_by_departement: bool = False, group_by_day: bool = False,
         stats_db: str | None = None) -> list[tuple[dt.date | None, str | None, Cell]]:
    """Counts summed over [start, end] (and the départements given), optionally per day and/or département."""
    stats = create_engine(stats_db or stats_url(), future=True)
    try:
        with stats.connect() as connection:
            if not stats.dialect.has_table(connection, COUNTS.name):
                return []  # nothing counted yet
        query = select(COUNTS).where(COUNTS.c.jour >= start, COUNTS.c.jour <= end)
        wanted = list(departements or [])
        if wanted:
            query = query.where(COUNTS.c.departement.in_(wanted))
        totals: Counter[tuple[dt.date | None, str | None, str, str]] = Counter()
        with stats.connect() as connection:
            for row in connection.execute(query):
                key = (row.jour if group_by_day else None, row.departement if group_by_departement else None,
                       row.dimension, row.valeur)
                totals[key] += int(row.nombre)
    finally:
        stats.dispose()
    return [(day, departement, Cell(dimension, value, number))
            for (day, departement, dimension, value), number in sorted(totals.items(), key=lambda i: str(i[0]))]
