"""The trained model with its crisis net on the training examples: the crises are recognised with their
number first, the near-misses stay quiet, and generated input (hypothesis) always gets a known intent.
The held-out file is measured by scripts/evaluate_crisis.py (make test-nlu).

Needs the trained model (make e2e)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot import crisis

pytestmark = pytest.mark.e2e
EXAMPLES = yaml.safe_load((Path(__file__).parent.parent / "data" / "crise_exemples.yml").read_text(encoding="utf-8"))


def situation_of(result: dict) -> str | None:
    if result["intent"]["name"] != "urgence":
        return None
    return [e["value"] for e in result["entities"] if e["entity"] == "crise"][-1]


# Regression guards on the training examples, measured on 28/11/2026 (lowest recall 0.938, 2.6 % alarms);
# what the model does on messages it never saw is measured by scripts/evaluate_crisis.py.
MIN_TRAINING_RECALL = 0.92
MAX_TRAINING_ALARMS = 0.035


@pytest.mark.parametrize("situation", sorted(EXAMPLES["crises"]))
def test_training_crises_give_urgence_with_their_number_first(parse, situation: str) -> None:
    openings = crisis.answer_openings()
    texts = EXAMPLES["crises"][situation]
    missed = [text for text in texts if not crisis.number_comes_first(situation, situation_of(parse(text)), openings)]
    assert len(missed) <= (1 - MIN_TRAINING_RECALL) * len(texts), missed


def test_training_near_misses_rarely_give_urgence(parse) -> None:
    alarms = [text for text in EXAMPLES["near_misses"] if parse(text)["intent"]["name"] == "urgence"]
    assert len(alarms) <= MAX_TRAINING_ALARMS * len(EXAMPLES["near_misses"]), alarms


ANSWERS = ([f"{age} ans" for age in range(14, 91)] + [f"j'ai {age} ans" for age in range(14, 91)]
           + ["seule", "seul", "aucun", "je vis seule", "2 enfants", "3 et 7", "locataire", "je suis locataire",
              "hébergée chez ma mère", "au chômage", "900 euros", "environ 1100 euros", "rien", "pas de revenus"])


def test_answers_to_the_questions_never_give_urgence(parse) -> None:
    assert [a for a in ANSWERS if parse(a)["intent"]["name"] == "urgence"] == []


def test_generated_input_never_breaks_the_nlu(parse) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from bot.input_text import readable

    intents = set(yaml.safe_load((Path(__file__).parent.parent / "domain.yml").read_text(encoding="utf-8"))["intents"])

    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.one_of(st.text(max_size=400), st.text(alphabet="<>/;'\"-=*&#%{}[]()!?🙂😢\x00\x1b ", max_size=80),
                     st.integers().map(str)))
    def check(text: str) -> None:
        result = parse(text)
        if text.lstrip().startswith("/"):
            return  # « /intent » is Rasa's button syntax, not read by the NLU (see test_safety_e2e.py)
        name = result["intent"]["name"]
        assert name in intents | {"nlu_fallback"}
        if not readable(text):
            assert name == "nlu_fallback"

    check()
