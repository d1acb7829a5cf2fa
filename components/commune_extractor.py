"""Finds the communes of Occitanie and postal codes a person names, without training examples.

The rules are in ``bot.places`` (a place cue, a postal code that is not an amount, a name that is
not an everyday word, or the whole message); this component only hands it the spaCy token
spans (SpacyTokenizer) and turns what it finds into Rasa entities.

Entity ``commune``: the INSEE code (role ``insee``) when one commune matches, otherwise the text as
written (role ``ambiguous`` or ``outside``), which the form then resolves with buttons or a polite
answer. Group ``sur`` when the person clearly said they live there, ``a_confirmer`` otherwise:
the assistant then asks « Vous habitez à … ? » before using it.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.geography import CommuneIndex, load_index
from bot.input_text import MAX_CHARS
from bot.places import find_places

ENTITY = "commune"
SURE = "sur"
TO_CONFIRM = "a_confirmer"


def find_communes(text: str, spans: list[tuple[int, int]], index: CommuneIndex) -> list[dict[str, Any]]:
    """Commune entities in ``text`` given token character spans."""
    return [{"entity": ENTITY, "start": m.start, "end": m.end, "value": m.value, "role": m.kind,
             "group": SURE if m.certain else TO_CONFIRM} for m in find_places(text, spans, index)]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class CommuneEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Adds a ``commune`` entity for each commune of Occitanie or postal code in the message."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> CommuneEntityExtractor:
        return cls(config)

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = config
        self._index: Optional[CommuneIndex] = None

    @property
    def index(self) -> CommuneIndex:
        if self._index is None:
            self._index = load_index()
        return self._index

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> CommuneEntityExtractor:
        """At the server's start: the commune index is read now, not at the first person's message."""
        extractor = cls(config)
        _ = extractor.index
        return extractor

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue
            tokens = message.get(TOKENS_NAMES[TEXT]) or []
            spans = [(token.start, token.end) for token in tokens][:200]
            spans = [(start, end) for start, end in spans if end <= MAX_CHARS]
            entities = find_communes(text[:MAX_CHARS], spans, self.index)
            for entity in entities:
                entity["extractor"] = self.__class__.__name__
                entity["confidence_entity"] = 1.0
            if entities:
                message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
        return messages
