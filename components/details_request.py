"""« 2 », « détails 3 », « la deuxième »: the intent ``voir_details`` with the entity ``numero`` (no training examples).

Read by bot.details_request. The rules use the intent only outside the questions; during the
questions the form reads the message as the answer to the question asked (« 2 » adults).
The named-aid questions and the crisis safety net run after this component and win.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.details_request import read_details_request
from bot.input_text import MAX_CHARS
from components.intent_override import set_intent

INTENT_NAME = "voir_details"
ENTITY_NAME = "numero"
KEPT_INTENTS = frozenset({"urgence"})


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class DetailsRequestClassifier(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> DetailsRequestClassifier:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = (message.get(TEXT) or "")[:MAX_CHARS]
            if not text or text.startswith("/") or (message.get(INTENT) or {}).get("name") in KEPT_INTENTS:
                continue
            request = read_details_request(text)
            if request is None:
                continue
            set_intent(message, INTENT_NAME)
            entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != ENTITY_NAME]
            if request.number is not None:
                entities.append({"entity": ENTITY_NAME, "value": str(request.number), "start": 0, "end": len(text),
                                 "extractor": self.__class__.__name__})
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
