"""Finds the communes of Occitanie and postal codes in free text, without training examples.

"j'habite à st gaudens", "vers Perpignan", "31800": the component walks the
spaCy tokens of the message (SpacyTokenizer), looks every span of up to six
tokens up in the commune index of ``bot.geography`` (names without accents,
hyphens or case, "st"/"ste" for "saint"/"sainte") and every five-character
token up as a postal or INSEE code. A commune whose name is also an everyday
French word (in spaCy's French lemma table: "Vers", "Lourdes") is only taken
after a place word ("à", "vers", "près de", "habite"…).

Entity ``commune``: the INSEE code (role ``insee``) when one commune matches,
otherwise the text as written (role ``ambiguous`` or ``outside``), which the
form then resolves with buttons or a polite answer.
"""

from __future__ import annotations

import re
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
from bot.text import french_words, normalize

ENTITY = "commune"
MAX_TOKENS = 6
_CODE = re.compile(r"^\d[0-9ABab]\d{3}$")
PLACE_WORDS = {"a", "au", "aux", "en", "sur", "vers", "pres", "de", "habite", "habites", "vis", "commune",
               "ville", "village", "cote", "dans", "jhabite"}


def find_communes(text: str, spans: list[tuple[int, int]], index: CommuneIndex) -> list[dict[str, Any]]:
    """Commune entities in ``text`` given token character spans, longest match first, no overlap."""
    taken: set[int] = set()
    found: list[dict[str, Any]] = []
    words = french_words()
    for size in range(min(MAX_TOKENS, len(spans)), 0, -1):
        for first in range(0, len(spans) - size + 1):
            positions = set(range(first, first + size))
            if positions & taken:
                continue
            start, end = spans[first][0], spans[first + size - 1][1]
            surface = text[start:end]
            entity = _entity_for(surface, index, words, text, spans, first, size)
            if entity is None:
                continue
            taken |= positions
            found.append({"entity": ENTITY, "start": start, "end": end, **entity})
    return sorted(found, key=lambda e: e["start"])


def _entity_for(surface: str, index: CommuneIndex, words: frozenset[str], text: str,
                spans: list[tuple[int, int]], first: int, size: int) -> Optional[dict[str, Any]]:
    if size == 1 and _CODE.match(surface):
        resolution = index.resolve(surface)
    else:
        normalized = normalize(surface)
        if len(normalized.replace(" ", "")) < 3:
            return None
        if normalized in index.by_name:
            communes = index.by_name[normalized]
            whole_message = size == len(spans)
            if normalized in words and not whole_message and not _after_place_word(text, spans, first):
                return None
            resolution = index.resolve(surface)
        elif normalized in index.outside_by_name and len(normalized) > 3:
            if normalized in words and not _after_place_word(text, spans, first):
                return None
            return {"value": surface, "role": "outside"}
        else:
            return None
        if not communes:
            return None
    if resolution.status == "ok":
        return {"value": resolution.communes[0].insee, "role": "insee"}
    if resolution.status == "ambiguous":
        return {"value": surface, "role": "ambiguous"}
    if resolution.status == "outside":
        return {"value": surface, "role": "outside"}
    return None


def _after_place_word(text: str, spans: list[tuple[int, int]], first: int) -> bool:
    if first == 0:
        return False
    previous = normalize(text[spans[first - 1][0]:spans[first - 1][1]])
    return previous.split()[-1] in PLACE_WORDS if previous else False


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

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue
            tokens = message.get(TOKENS_NAMES[TEXT]) or []
            spans = [(token.start, token.end) for token in tokens][:200]
            entities = find_communes(text[:2000], spans, self.index)
            for entity in entities:
                entity["extractor"] = self.__class__.__name__
                entity["confidence_entity"] = 1.0
            if entities:
                message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
        return messages
