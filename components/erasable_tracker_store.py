"""Rasa's SQL tracker store, which really deletes a conversation when the person asks.

« Effacer mes données » runs ``action_effacer_donnees``. When the turn that ran it is saved,
this store deletes every stored event of the conversation instead of adding the new ones:
the messages, answers and slots are gone from the database (SQLite or PostgreSQL), and the
next message starts a new conversation. Everything else is Rasa's ``SQLTrackerStore``.

endpoints.yml:

    tracker_store:
      type: components.erasable_tracker_store.ErasableSQLTrackerStore
      dialect: sqlite            # or postgresql, with url/port/db/username/password
      db: var/tracker.db
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any, Dict, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import SQLAlchemyError

logger = logging.getLogger(__name__)

# Set by a channel for the message it handles (components/rest_channel.py): when the database cannot be read
# or written, Rasa's fail-safe store goes on with an empty conversation in memory; the channel then answers
# the person a clear French message instead of what that empty conversation says.
STORE_STATE: ContextVar[Optional[Dict[str, bool]]] = ContextVar("tracker_store_state", default=None)


def watch_store() -> Dict[str, bool]:
    """A flag, for the message being handled, raised if the tracker store fails."""
    state = {"down": False}
    STORE_STATE.set(state)
    return state


def _store_failed(error: Exception) -> None:
    state = STORE_STATE.get()
    if state is not None:
        state["down"] = True
    logger.warning("The tracker store cannot be reached: %s", type(error).__name__)

ERASE_ACTION = "action_effacer_donnees"


def erased_this_turn(tracker: DialogueStateTracker) -> bool:
    """Whether the erase action ran since the person's last message."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name == ERASE_ACTION:
            return True
    return False


class ErasableSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # after a database restart, pooled connections are dead: test each one before use (pre-ping)
        engine: sa.engine.Engine = self.engine  # type: ignore[has-type]
        url = engine.url
        engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        try:
            return await super().retrieve(sender_id)
        except SQLAlchemyError as error:
            _store_failed(error)
            raise

    async def save(self, tracker: DialogueStateTracker) -> None:
        try:
            if erased_this_turn(tracker):
                deleted = self.delete_conversation(tracker.sender_id)
                logger.info("A conversation was erased at the person's request (%d events).", deleted)
                return
            await super().save(tracker)
        except SQLAlchemyError as error:
            _store_failed(error)
            raise

    def delete_conversation(self, sender_id: Text) -> int:
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete(
                synchronize_session=False)
            session.commit()
        return int(deleted or 0)
