"""Urgent everyday needs in the NLU pipeline, after the crisis safety net.

When a typed message says there is no food today, no heating, a power or gas cut, a gas smell or an
eviction under way (bot.urgent_rules, data/besoins_urgents.yml), the message gets the entity
``besoin_urgent`` (the situation) and, unless it is a command or an emergency, the intent of the need
it names (``besoin_alimentation``, ``besoin_energie``, ``besoin_logement``). The dialogue then asks only
the commune and gives the help of the day first (bot.immediate_help). An emergency of the crisis
rules (``urgence``) always keeps the last word. Button payloads are left alone. Nothing of the text
is logged.
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

from bot.input_text import MAX_CHARS
from bot.intents import COMMAND_INTENTS, CONVERSATION_INTENTS, EMERGENCY_INTENT
from bot.urgent_rules import detect_urgent_need, urgent_rules
from components.intent_override import set_intent

ENTITY = "besoin_urgent"
# Commands and answers the person chose: the urgent need is still noted (entity), the intent is kept.
# A question about a named aid (« comment demander le colis alimentaire ? ») gets its answer.
KEPT_INTENTS = COMMAND_INTENTS | CONVERSATION_INTENTS | {EMERGENCY_INTENT}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class UrgentNeedDetector(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> UrgentNeedDetector:
        urgent_rules()  # a broken data/besoins_urgents.yml fails at training, not on a person's message
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = (message.get(TEXT) or "")[:MAX_CHARS]
            intent = (message.get(INTENT) or {}).get("name")
            if intent == "urgence":
                continue
            found = detect_urgent_need(text)
            if found is None:
                continue
            entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != ENTITY]
            entities.append({"entity": ENTITY, "value": found.situation, "start": 0, "end": len(text),
                             "extractor": self.__class__.__name__})
            message.set(ENTITIES, entities, add_to_output=True)
            if intent in KEPT_INTENTS or (intent or "").startswith("besoin_"):
                continue
            name = f"besoin_{found.need}"
            set_intent(message, name)
        return messages
