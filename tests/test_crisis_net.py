"""How the crisis safety net combines the rules, the learned net and DIET's intent (no training here: the
learned net is replaced by a stand-in that returns fixed probabilities, so each branch is reached)."""

from __future__ import annotations

from typing import Any

from rasa.shared.nlu.training_data.message import Message

from bot.crisis_classifier import Prediction
from components.crisis_safety_net import CrisisSafetyNet


class FixedNet:
    """Stand-in for the trained crisis classifier: the same prediction for every text."""

    def __init__(self, probability: float, situation: str = "suicide") -> None:
        self.probability, self.situation = probability, situation

    def predict_prepared(self, texts: list[str], threshold: float = 0.0) -> list[Prediction]:
        found = self.situation if self.probability >= threshold else None
        return [Prediction(found, self.probability, self.situation) for _ in texts]


def net(probability: float, situation: str = "suicide") -> CrisisSafetyNet:
    return CrisisSafetyNet({}, model_storage=None, resource=None,  # type: ignore[arg-type]
                           classifier=FixedNet(probability, situation))  # type: ignore[arg-type]


def message(text: str, intent: str, confidence: float, *others: tuple[str, float]) -> Message:
    ranking = [{"name": intent, "confidence": confidence}] + [{"name": n, "confidence": c} for n, c in others]
    return Message(data={"text": text, "intent": {"name": intent, "confidence": confidence},
                         "intent_ranking": ranking})


def crise(m: Message) -> Any:
    values = [e["value"] for e in m.get("entities") or [] if e["entity"] == "crise"]
    return values[-1] if values else None


def test_the_rules_decide_first_whatever_diet_and_the_learned_net_say() -> None:
    m = message("sdf besoin d'un hébergement cette nuit", "besoin_logement", 0.9)
    net(0.0).process([m])
    assert m.get("intent") == {"name": "urgence", "confidence": 1.0} and crise(m) == "sans_abri_ce_soir"


def test_the_learned_net_alone_raises_an_alarm_only_when_very_sure() -> None:
    text = "une phrase que les règles ne connaissent pas"
    sure, unsure = message(text, "hors_sujet", 0.7), message(text, "hors_sujet", 0.7)
    net(0.95, "violence").process([sure])
    net(0.6, "violence").process([unsure])
    assert sure.get("intent")["name"] == "urgence" and crise(sure) == "violence"
    assert unsure.get("intent")["name"] == "hors_sujet" and crise(unsure) is None


def test_the_learned_net_alone_never_decides_on_a_short_answer() -> None:
    answers = [message(text, "informer", 0.9) for text in ("41 ans", "j'ai 16 ans", "seule", "900 euros")]
    net(0.99, "enfant_en_danger").process(answers)
    assert all(m.get("intent")["name"] == "informer" and crise(m) is None for m in answers)


def test_diet_urgence_needs_support_or_a_short_call_for_help() -> None:
    supported = message("une phrase un peu longue et inquiétante", "urgence", 0.8, ("hors_sujet", 0.1))
    alone = message("une phrase un peu longue et ordinaire", "urgence", 0.8, ("besoin_logement", 0.1))
    short = message("c'est urgent", "urgence", 0.9)
    doubtful = message("aidez moi", "urgence", 0.4, ("saluer", 0.3))
    idiom = message("je meurs de faim", "urgence", 0.9, ("besoin_alimentation", 0.05))
    net(0.6, "suicide").process([supported])
    net(0.1).process([alone, short, doubtful, idiom])
    assert supported.get("intent")["name"] == "urgence" and crise(supported) == "suicide"
    assert alone.get("intent")["name"] == "besoin_logement" and crise(alone) is None
    assert short.get("intent")["name"] == "urgence" and crise(short) == "general"
    assert doubtful.get("intent")["name"] == "saluer"
    assert idiom.get("intent")["name"] == "besoin_alimentation"


def test_buttons_are_left_alone() -> None:
    payload = message('/informer{"logement": "heberge"}', "informer", 1.0)
    button = message("/urgence", "urgence", 1.0)
    net(0.99).process([payload, button])
    assert payload.get("intent")["name"] == "informer" and crise(payload) is None
    assert button.get("intent")["name"] == "urgence" and crise(button) == "general"


def test_urgence_without_any_other_intent_falls_back() -> None:
    lonely = message("une phrase quelconque sans rien", "urgence", 0.3)
    net(0.0).process([lonely])
    assert lonely.get("intent")["name"] == "nlu_fallback"
