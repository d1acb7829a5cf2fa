"""The crisis safety net: every crisis phrasing is recognised with the right first message,
no near-miss triggers it, and the data file is sound."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot import crisis

CASES = yaml.safe_load((Path(__file__).parent / "crisis_phrases.yml").read_text(encoding="utf-8"))
NUMBERS = {"danger_immediat": "17", "violence": "3919", "suicide": "3114", "enfant_en_danger": "119",
           "sans_abri_ce_soir": "115"}


def test_the_sets_are_large_enough() -> None:
    assert len(CASES["crises"]) >= 60 and len(CASES["near_misses"]) >= 60
    situations = {situation for _, situation in CASES["crises"]}
    assert situations == set(NUMBERS)


@pytest.mark.parametrize(("text", "situation"), CASES["crises"])
def test_crisis_phrasing_is_recognised(text: str, situation: str) -> None:
    assert crisis.detect(text) == situation


@pytest.mark.parametrize("text", CASES["near_misses"])
def test_near_miss_does_not_trigger(text: str) -> None:
    assert crisis.detect(text) is None


def test_each_situation_answer_starts_with_its_number_then_gives_all() -> None:
    domain = yaml.safe_load((crisis.DATA.parent / "domain.yml").read_text(encoding="utf-8"))
    variants = {v["condition"][0]["value"]: v["text"] for v in domain["responses"]["utter_urgence"]
                if v.get("condition")}
    assert set(variants) == {s.key for s in crisis.rules().situations} == set(NUMBERS)
    for key, number in NUMBERS.items():
        first, rest = variants[key].split("\n\n", 1)
        assert number in first
        assert all(n in rest for n in ("17", "112", "114", "15", "115", "3919", "119", "3114"))


def test_crisis_inside_a_longer_message_or_after_a_near_miss() -> None:
    long_message = "bonjour, je cherche une aide pour le loyer mais ce soir je dors dehors"
    assert crisis.detect(long_message) == "sans_abri_ce_soir"
    assert crisis.detect("ma batterie est morte et il me frappe") == "violence"
    assert crisis.detect("JE VEUX MOURIR") == "suicide"
    assert crisis.detect("") is None and crisis.detect("🙂" * 50) is None


def test_typo_tolerance_is_limited_to_long_keywords() -> None:
    keywords = crisis.rules().keywords
    assert crisis.prepare("sucide violance", keywords) == "suicide violence"
    assert crisis.prepare("tuer tier", keywords) == "tuer tier"  # short words are never corrected


def test_the_nlu_component_overrides_the_classifier_and_names_the_situation() -> None:
    from rasa.shared.nlu.training_data.message import Message

    from components.crisis_safety_net import CrisisSafetyNet

    net = CrisisSafetyNet()
    crisis_message = Message(data={"text": "je n'ai pas de toit cette nuit",
                                   "intent": {"name": "besoin_emploi", "confidence": 0.61}})
    general = Message(data={"text": "urgence", "intent": {"name": "urgence", "confidence": 0.97}})
    ordinary = Message(data={"text": "ma batterie est morte", "intent": {"name": "hors_sujet", "confidence": 0.8}})
    payload = Message(data={"text": '/informer{"logement": "heberge"}', "intent": {"name": "informer"}})
    button = Message(data={"text": "/urgence", "intent": {"name": "urgence", "confidence": 1.0}})
    idiom = Message(data={"text": "je meurs de faim", "intent": {"name": "urgence", "confidence": 0.9},
                          "intent_ranking": [{"name": "urgence", "confidence": 0.9},
                                             {"name": "besoin_alimentation", "confidence": 0.08}]})
    unsure = Message(data={"text": "mon fils a peur du noir", "intent": {"name": "urgence", "confidence": 0.5},
                           "intent_ranking": [{"name": "urgence", "confidence": 0.5}]})
    net.process([crisis_message, general, ordinary, payload, button, idiom, unsure])
    assert crisis_message.get("intent") == {"name": "urgence", "confidence": 1.0}
    assert crisis_message.get("entities")[-1]["value"] == "sans_abri_ce_soir"
    assert general.get("entities")[-1]["value"] == "general"
    assert ordinary.get("intent")["name"] == "hors_sujet" and not ordinary.get("entities")
    assert payload.get("intent")["name"] == "informer"
    assert button.get("intent")["name"] == "urgence" and button.get("entities")[-1]["value"] == "general"
    assert idiom.get("intent")["name"] == "besoin_alimentation" and not idiom.get("entities")
    assert unsure.get("intent")["name"] == "nlu_fallback"
