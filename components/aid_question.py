"""Questions about an aid named by the person, recognised from the catalogue's names (no training examples).

« c'est quoi le chèque énergie ? », « comment demander l'APL ? », « pourquoi je n'ai pas le RSA ? »:
when a message names an aid of the catalogue (its title or one of its ``appele_aussi`` names) and asks
what it is, how to claim it or why the person does not get it (bot.aid_questions), the intent
becomes ``question_aide`` with the entities ``aide`` (the name found) and ``type_question``
(``definition``, ``demarche`` or ``refus``). A message that only names an aid keeps its intent
(« je voudrais l'APL » is a housing need). The crisis safety net runs after this component and
always has the last word.
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

from bot.aid_questions import AidNames
from bot.catalogue import load_scheme_files
from bot.input_text import MAX_CHARS
from components.intent_override import set_intent

INTENT_NAME = "question_aide"
KEPT_INTENTS = frozenset({"urgence"})


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class AidQuestionClassifier(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> AidQuestionClassifier:
        return cls()

    def __init__(self) -> None:
        # loaded when the server starts, not at the first person's message (about a second)
        self.names = AidNames(load_scheme_files())

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = (message.get(TEXT) or "")[:MAX_CHARS]
            if not text or text.startswith("/") or (message.get(INTENT) or {}).get("name") in KEPT_INTENTS:
                continue
            question = self.names.read(text)
            if question is None or question.kind is None:
                continue
            set_intent(message, INTENT_NAME)
            entities = [e for e in message.get(ENTITIES, []) if e.get("entity") not in ("aide", "type_question")]
            entities += [{"entity": "aide", "value": question.name, "start": 0, "end": len(text),
                          "extractor": self.__class__.__name__},
                         {"entity": "type_question", "value": question.kind, "start": 0, "end": len(text),
                          "extractor": self.__class__.__name__}]
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
