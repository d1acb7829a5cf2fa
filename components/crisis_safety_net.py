"""The crisis safety net in the NLU pipeline, after the intent classifiers.

Two nets decide whether a message is a crisis, before anything the intent classifier says:

1. the rules of data/crise.yml (bot.crisis): combinations of concepts, reviewable by a
   social worker; when they find a situation, it is the answer;
2. a small linear classifier (bot.crisis_classifier), trained with the model on
   data/crise_exemples.yml and the everyday messages of the NLU data: it raises an alarm
   alone only when it is very sure (``alone_threshold``).

When neither net raises an alarm, an ``urgence`` from the intent classifier (DIET) is kept
only if DIET is confident (``min_confidence``), the message is not an everyday turn of
phrase of ``sauf``, and either the crisis classifier leans the same way
(``support_threshold``) or the message is a short call for help (« urgence », « aidez-moi
vite »); otherwise the next intent of the ranking is taken.

Every ``urgence`` message gets the entity ``crise``: the situation found
(``urgence_medicale``, ``suicide``, ``enfant_en_danger``, ``danger_immediat``,
``violence``, ``sans_abri_ce_soir``) or ``general``, which chooses the first words of the
answer. Button payloads (« /urgence », « /informer… ») are left alone. Nothing of the text
is logged.
"""

from __future__ import annotations

import hashlib
import pickle
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import crisis
from bot.crisis_classifier import EXAMPLES_FILE, NO_CRISIS, THRESHOLD, CrisisClassifier, load_examples
from bot.paths import ROOT
from components.intent_override import set_intent

INTENT_NAME = "urgence"
ENTITY = "crise"
GENERAL = "general"
FALLBACK_INTENT = "nlu_fallback"
MIN_CONFIDENCE = 0.6
SUPPORT_THRESHOLD = 0.5
SHORT_MESSAGE_WORDS = 4
# The learned net alone never decides on a message this short: « 41 ans », « j'ai 16 ans », « seule » are
# answers to the questions, and short crisis messages are the rules' job.
MIN_WORDS_ALONE = 4
MODEL_FILE = "crisis_classifier.pkl"
# Everything the trained net depends on besides the NLU data: a change retrains it.
SOURCES = (crisis.CRISIS_FILE, EXAMPLES_FILE, ROOT / "bot" / "crisis.py", ROOT / "bot" / "crisis_classifier.py")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class CrisisSafetyNet(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"min_confidence": MIN_CONFIDENCE, "alone_threshold": THRESHOLD,
                "support_threshold": SUPPORT_THRESHOLD}

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        digest = hashlib.sha256()
        for source in SOURCES:
            digest.update(source.read_bytes())
        return digest.hexdigest()

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 classifier: CrisisClassifier | None = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.classifier = classifier

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> CrisisSafetyNet:
        crisis.rules()  # a broken data/crise.yml fails at training, not on a person's message
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> CrisisSafetyNet:
        crisis.rules()  # a broken data/crise.yml fails at start, not on a person's message
        with model_storage.read_from(resource) as directory:
            classifier = CrisisClassifier(pickle.loads((directory / MODEL_FILE).read_bytes()))
        return cls(config, model_storage, resource, classifier)

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = load_examples()
        everyday = [m.get(TEXT) for m in training_data.intent_examples
                    if m.get(INTENT) != INTENT_NAME and m.get(TEXT)]
        self.classifier = CrisisClassifier.train(texts + everyday, labels + [NO_CRISIS] * len(everyday))
        with self._model_storage.write_to(self._resource) as directory:
            (directory / MODEL_FILE).write_bytes(pickle.dumps(self.classifier.pipeline))
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        texts = [message.get(TEXT) or "" for message in messages]
        readings = {i: crisis.read(text) for i, text in enumerate(texts) if not text.startswith("/")}
        predictions = dict(zip(readings, self.classifier.predict_prepared(
            [r.padded for r in readings.values()], threshold=0.0) if self.classifier and readings else []))
        for index, message in enumerate(messages):
            if index not in predictions:
                situation = GENERAL if (message.get(INTENT) or {}).get("name") == INTENT_NAME else None
            else:
                situation = self._situation(message, readings[index], predictions[index],
                                                len(texts[index].split()))
                if situation:
                    self._set_urgence(message)
                elif (message.get(INTENT) or {}).get("name") == INTENT_NAME:
                    self._take_next_intent(message)
            if situation:
                entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != ENTITY]
                entities.append({"entity": ENTITY, "value": situation, "start": 0, "end": len(texts[index]),
                                 "extractor": self.__class__.__name__})
                message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def _situation(self, message: Message, reading: crisis.Reading, prediction: Any,
                   words: int) -> Optional[Text]:
        """The crisis situation of a prepared message (``general`` when only DIET knows), or None."""
        found = crisis.explain_reading(reading)
        if found:
            return found.situation
        if prediction.crisis_probability >= float(self.config["alone_threshold"]) and words >= MIN_WORDS_ALONE:
            return str(prediction.best_situation)
        intent = message.get(INTENT) or {}
        if intent.get("name") != INTENT_NAME or float(intent.get("confidence") or 0.0) < self.config["min_confidence"]:
            return None
        if crisis.is_near_miss(reading):
            return None
        if prediction.crisis_probability >= float(self.config["support_threshold"]):
            return str(prediction.best_situation)
        return GENERAL if words <= SHORT_MESSAGE_WORDS else None

    @staticmethod
    def _take_next_intent(message: Message) -> None:
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") not in (INTENT_NAME, None)]
        following = ranking[0] if ranking else {"name": FALLBACK_INTENT, "confidence": 1.0}
        message.set(INTENT, {"name": following["name"], "confidence": following.get("confidence", 1.0)},
                    add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

    @staticmethod
    def _set_urgence(message: Message) -> None:
        set_intent(message, INTENT_NAME)
