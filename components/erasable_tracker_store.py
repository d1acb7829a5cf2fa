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
from typing import Text

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

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
    async def save(self, tracker: DialogueStateTracker) -> None:
        if erased_this_turn(tracker):
            deleted = self.delete_conversation(tracker.sender_id)
            logger.info("A conversation was erased at the person's request (%d events).", deleted)
            return
        await super().save(tracker)

    def delete_conversation(self, sender_id: Text) -> int:
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete(
                synchronize_session=False)
            session.commit()
        return int(deleted or 0)
