"""The crisis safety net in the NLU pipeline, after the intent classifiers.

When a message holds one of the expressions of data/crise.yml (bot.crisis), the
intent becomes ``urgence`` with full confidence, whatever the classifier said, so
that the emergency rules answer first from any point of the dialogue. Every
``urgence`` message also gets the entity ``crise``: the situation found
(``violence``, ``suicide``, ``enfant_en_danger``, ``sans_abri_ce_soir``,
``danger_immediat``) or ``general``, which chooses the first words of the answer.

When the net finds nothing, an ``urgence`` from the classifier is kept only if it is
confident (``min_confidence``, 0.6) and the message is not an everyday turn of phrase
listed under ``sauf`` (« je meurs de faim »); otherwise the next intent of the ranking
is taken. Button payloads (« /urgence », « /informer… ») are left alone. Nothing of the
text is logged.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import crisis

INTENT_NAME = "urgence"
ENTITY = "crise"
GENERAL = "general"
FALLBACK_INTENT = "nlu_fallback"
MIN_CONFIDENCE = 0.6


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisSafetyNet(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> CrisisSafetyNet:
        crisis.rules()  # a broken data/crise.yml fails at start, not on a person's message
        return cls(float(config.get("min_confidence", MIN_CONFIDENCE)))

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"min_confidence": MIN_CONFIDENCE}

    def __init__(self, min_confidence: float = MIN_CONFIDENCE) -> None:
        self.min_confidence = min_confidence

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            payload = text.startswith("/")  # a button: its intent is the person's choice
            situation = None if payload else crisis.detect(text)
            if situation:
                self._set_urgence(message)
            elif not payload and self._doubtful_urgence(message, text):
                self._take_next_intent(message)
            intent = (message.get(INTENT) or {}).get("name")
            if intent == INTENT_NAME:
                entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != ENTITY]
                entities.append({"entity": ENTITY, "value": situation or GENERAL, "start": 0, "end": len(text),
                                 "extractor": self.__class__.__name__})
                message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def _doubtful_urgence(self, message: Message, text: Text) -> bool:
        intent = message.get(INTENT) or {}
        if intent.get("name") != INTENT_NAME:
            return False
        return float(intent.get("confidence") or 0.0) < self.min_confidence or crisis.looks_like_a_near_miss(text)

    @staticmethod
    def _take_next_intent(message: Message) -> None:
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") not in (INTENT_NAME, None)]
        following = ranking[0] if ranking else {"name": FALLBACK_INTENT, "confidence": 1.0}
        message.set(INTENT, {"name": following["name"], "confidence": following.get("confidence", 1.0)},
                    add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

    @staticmethod
    def _set_urgence(message: Message) -> None:
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != INTENT_NAME]
        message.set(INTENT, {"name": INTENT_NAME, "confidence": 1.0}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [{"name": INTENT_NAME, "confidence": 1.0}, *ranking], add_to_output=True)
