"""When the action server does not answer, the person is told so, in French, with where to get help.

Rasa runs every custom action through ``RemoteAction``; when the action server is down or
fails, Rasa logs the error and the person gets nothing, or only half an answer. Rasa has no
setting for this, so this module wraps ``RemoteAction.run``: on failure, the person gets one
message per turn (bot.unavailable: try again later, the nearest France services of
their commune), the conversation stays where it was, and the next message tries again.

Installed by ``components/__init__.py``, which the Rasa server imports for its NLU components.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import OutputChannel
from rasa.core.nlg import NaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException

from bot.unavailable import unavailable_message

logger = logging.getLogger(__name__)

_original_run = RemoteAction.run
_apologised: Dict[Text, float] = {}
MAX_REMEMBERED = 10_000


def _turn(tracker: DialogueStateTracker) -> float:
    last = tracker.get_last_event_for(UserUttered)
    return last.timestamp if last is not None else 0.0


async def run_or_apologise(self: RemoteAction, output_channel: OutputChannel, nlg: NaturalLanguageGenerator,
                           tracker: DialogueStateTracker, domain: Domain) -> List[Event]:
    try:
        return await _original_run(self, output_channel, nlg, tracker, domain)
    except ActionExecutionRejection:
        raise  # a form refusing an answer: Rasa's normal path
    except RasaException:
        logger.error("Action server unavailable: %s not run", self.name())
        turn = _turn(tracker)
        if _apologised.get(tracker.sender_id) != turn:
            if len(_apologised) >= MAX_REMEMBERED:
                _apologised.clear()
            _apologised[tracker.sender_id] = turn
            commune: Optional[Any] = tracker.get_slot("commune") if "commune" in tracker.slots else None
            await output_channel.send_response(tracker.sender_id,
                                               {"text": unavailable_message(str(commune) if commune else None)})
        return []


def install() -> None:
    if RemoteAction.run is not run_or_apologise:
        RemoteAction.run = run_or_apologise
