"""The trained model with its safety net: every crisis phrasing gives `urgence`, no near-miss does,
and generated input (hypothesis) always gets a known intent.

Needs the trained model (make e2e)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml

from tests.servers import MODEL

pytestmark = pytest.mark.e2e
CASES = yaml.safe_load((Path(__file__).parent / "crisis_phrases.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def parse():
    from rasa.core.agent import Agent

    agent = Agent.load(str(MODEL))
    loop = asyncio.new_event_loop()
    yield lambda text: loop.run_until_complete(agent.parse_message(text))
    loop.close()


def test_every_crisis_phrasing_gives_urgence_with_its_situation(parse) -> None:
    missed = []
    for text, situation in CASES["crises"]:
        result = parse(text)
        crise = [e["value"] for e in result["entities"] if e["entity"] == "crise"]
        if result["intent"]["name"] != "urgence" or crise != [situation]:
            missed.append((text, result["intent"]["name"], crise))
    assert not missed


def test_no_near_miss_gives_urgence(parse) -> None:
    wrong = [(text, parse(text)["intent"]["name"]) for text in CASES["near_misses"]]
    assert [w for w in wrong if w[1] == "urgence"] == []


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
