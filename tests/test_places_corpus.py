"""Places on two corpora written without looking at the extractor (tests/lieux/): sentences that name
no place (860: amounts, ages, everyday words that are also commune names) and sentences that do (227).

They run the NLU's own tokeniser (the spaCy pipeline built at setup) and commune extractor, then the
form's reading of what was found (actions.form.commune_from_entities), as in a conversation.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actions.form import OUTSIDE_REGION, commune_from_entities

HERE = Path(__file__).resolve().parent
MIN_RECOGNISED = 0.98


def corpus(name: str) -> list:
    return yaml.safe_load((HERE / "lieux" / name).read_text(encoding="utf-8"))["phrases"]


@pytest.fixture(scope="module")
def entities_of(commune_entities):
    return commune_entities


def test_the_corpora_are_big_enough() -> None:
    assert len(corpus("sans_lieu.yml")) >= 500 and len(corpus("avec_lieu.yml")) >= 100


def test_no_place_is_invented(entities_of) -> None:
    invented = [(text, [e["value"] for e in entities_of(text)]) for text in corpus("sans_lieu.yml")
                if entities_of(text)]
    assert invented == []


def recognised(item: dict, entities: list[dict]) -> bool:
    parsed, choices = commune_from_entities(entities)
    if item.get("hors_occitanie"):
        return parsed.error == OUTSIDE_REGION
    if item.get("ambigu"):
        return bool(choices) and {c["insee"] for c in choices or []} <= set(item["insee_possibles"])
    return parsed.value == item["insee"] or [c["insee"] for c in choices or []] == [item["insee"]]


def test_places_are_recognised(entities_of) -> None:
    items = corpus("avec_lieu.yml")
    missed = [item["texte"] for item in items if not recognised(item, entities_of(item["texte"]))]
    share = 1 - len(missed) / len(items)
    assert share >= MIN_RECOGNISED, f"{share:.3f} recognised; missed: {missed}"
