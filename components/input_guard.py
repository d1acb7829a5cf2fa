"""Two NLU components around the classifiers, for messages that are not ordinary text.

``InputCleaner`` (first in the pipeline) removes control characters and markup tags and
bounds the length (bot.input_text), so that « <b>loyer</b> » is read as « loyer » and a
10,000-character message does not slow the server. ``UnreadableInput`` (after the
classifiers) gives ``nlu_fallback`` to a message with no letter or digit at all (emoji
only, punctuation, empty), so that the person is asked to say it again in words instead
of getting an answer picked at random.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.input_text import clean, readable
from components.action_response_check import install as install_response_check
from components.action_server_outage import install as install_outage_answer

FALLBACK_INTENT = "nlu_fallback"


class _Stateless(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> GraphComponent:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class InputCleaner(_Stateless):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> GraphComponent:
        # Start-up hook: the first component of the pipeline is created (or loaded) when a Rasa server
        # starts; from then on a failed custom action gets the outage answer (components/action_server_outage.py)
        # and action responses are checked against a validator built once (components/action_response_check.py)
        install_outage_answer()
        install_response_check()
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str) and not text.startswith("/"):
                message.set(TEXT, clean(text))
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class UnreadableInput(_Stateless):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.startswith("/") and not readable(text):
                message.set(INTENT, {"name": FALLBACK_INTENT, "confidence": 1.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [{"name": FALLBACK_INTENT, "confidence": 1.0}], add_to_output=True)
        return messages
