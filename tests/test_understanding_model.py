"""The trained NLU model (all of it: tokeniser, DIET, commune extractor, aid questions, crisis net) on the
place corpora of tests/lieux/ and on a question of each kind about every aid of the catalogue.

Needs the trained model (make e2e)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.aid_questions import DEFINITION, HOW_TO_CLAIM, WHY_NOT, AidNames
from bot.catalogue import load_scheme_files

pytestmark = pytest.mark.e2e
HERE = Path(__file__).resolve().parent
MIN_RECOGNISED = 0.98
QUESTIONS = {DEFINITION: "c'est quoi {} ?", HOW_TO_CLAIM: "comment demander {} ?",
             WHY_NOT: "pourquoi je n'ai pas {} ?"}


def corpus(name: str) -> list:
    return yaml.safe_load((HERE / "lieux" / name).read_text(encoding="utf-8"))["phrases"]


def communes(result: dict) -> list[dict]:
    return [e for e in result["entities"] if e["entity"] == "commune"]


def test_the_model_invents_no_place(parse) -> None:
    invented = [text for text in corpus("sans_lieu.yml") if communes(parse(text))]
    assert invented == []


def test_the_model_finds_the_places_people_name(parse) -> None:
    from tests.test_places_corpus import recognised

    items = corpus("avec_lieu.yml")
    missed = [item["texte"] for item in items if not recognised(item, communes(parse(item["texte"])))]
    assert 1 - len(missed) / len(items) >= MIN_RECOGNISED, missed


def test_every_aid_can_be_asked_about_by_name(parse) -> None:
    schemes = load_scheme_files()
    names = AidNames(schemes)
    wrong = []
    for scheme in schemes:
        name = scheme.names[-1]
        for kind, template in QUESTIONS.items():
            result = parse(template.format(name))
            entities = {e["entity"]: e["value"] for e in result["entities"]}
            if result["intent"]["name"] != "question_aide" or entities.get("type_question") != kind \
                    or scheme not in names.schemes(entities.get("aide", "")):
                wrong.append(template.format(name))
    assert wrong == []
