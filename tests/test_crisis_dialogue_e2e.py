"""Held-out crisis messages in real conversations: as the first message and in the middle of the questions,
each gets the number of its situation first, then the question comes back; and the crisis answer is the
same on the REST channel (widget), SMS and Telegram.

Needs the trained model (make e2e). The recall of the NLU alone is measured by scripts/evaluate_crisis.py;
here the assistant answers. Only failures are shown, as counts and indexes, never as sentences."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import requests
import yaml
from twilio.request_validator import RequestValidator

from bot import crisis
from tests.fake_platforms import FakePlatforms
from tests.fake_twilio import FakeTwilio
from tests.servers import Assistant
from tests.test_channels_e2e import new_calls, telegram_post, telegram_text
from tests.test_e2e import Person

pytestmark = pytest.mark.e2e

HELDOUT = yaml.safe_load((Path(__file__).parent / "crisis_heldout.yml").read_text(encoding="utf-8"))
OPENINGS = crisis.answer_openings()


def _gates() -> dict[str, float]:
    """The recall gates of scripts/evaluate_crisis.py: the same in a conversation as for the NLU alone."""
    spec = importlib.util.spec_from_file_location("evaluate_crisis", Path(__file__).parent.parent / "scripts"
                                                  / "evaluate_crisis.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.GATES)


GATES = _gates()
GATED = tuple(GATES)


def opens_with_its_number(situation: str, replies: list[dict]) -> bool:
    """Whether the first reply is an emergency answer that opens with the number of ``situation``."""
    first = replies[0].get("text", "") if replies else ""
    answered = next((key for key, opening in OPENINGS.items() if first.startswith(opening)), None)
    return crisis.number_comes_first(situation, answered, OPENINGS)


@pytest.mark.parametrize("situation", GATED)
def test_first_message_gets_the_number_of_its_situation_first(rasa_url: str, situation: str) -> None:
    texts = HELDOUT["crises"][situation]
    missed = [index for index, text in enumerate(texts)
              if not opens_with_its_number(situation, Person(rasa_url).says(text))]
    assert 1 - len(missed) / len(texts) >= GATES[situation], \
        f"{len(missed)} held-out messages of {situation} missed (indexes {missed})"


PER_CONVERSATION = 20  # messages sent in one conversation (the REST channel allows 30 a minute per person)


def in_the_questions(rasa_url: str) -> tuple[Person, str]:
    """A new conversation waiting for the answer to its second question."""
    person = Person(rasa_url)
    person.says("je cherche une aide pour payer l'électricité")
    question = person.says("Albi")[-1]["text"]
    assert question.endswith("?")
    return person, question


@pytest.mark.parametrize("situation", GATED)
def test_in_the_middle_of_the_questions_the_number_comes_first_then_the_question(rasa_url: str,
                                                                                situation: str) -> None:
    texts = HELDOUT["crises"][situation]
    person, question = in_the_questions(rasa_url)
    missed, lost = [], []
    for index, text in enumerate(texts):
        if index and index % PER_CONVERSATION == 0:
            person, question = in_the_questions(rasa_url)  # within the REST channel's limit per person
        replies = person.says(text)
        if not opens_with_its_number(situation, replies):
            missed.append(index)
            person, question = in_the_questions(rasa_url)  # a missed message may have been taken as an answer
        elif replies[-1]["text"] != question:
            lost.append(index)
    assert lost == [], f"the question did not come back after held-out messages {lost}"
    assert 1 - len(missed) / len(texts) >= GATES[situation], \
        f"{len(missed)} held-out messages of {situation} missed mid-dialogue (indexes {missed})"


def test_the_crisis_answer_is_the_same_on_rest_sms_and_telegram(rasa_url: str, assistant: Assistant,
                                                                 fake_twilio: FakeTwilio,
                                                                 fake_platforms: FakePlatforms) -> None:
    message = "mon fils de 16 ans dort dehors ce soir"
    rest = Person(rasa_url).says(message)[0]["text"]
    assert "119" in rest.split("\n\n")[0] and "115" in rest.split("\n\n")[0]

    webhook = assistant.webhook("twilio")
    number = "+33600000999"
    form = {"From": number, "Body": message, "To": "+33100000000"}
    before = len(fake_twilio.bodies_to(number))
    signature = RequestValidator("test-token").compute_signature(webhook, form)
    assert requests.post(webhook, data=form, headers={"X-Twilio-Signature": signature}, timeout=60).status_code == 204
    sms = fake_twilio.bodies_to(number)[before:]
    assert sms and sms[0].startswith(rest)  # the SMS connector joins the next message and its numbered choices

    chat = 555000999
    telegram = new_calls(fake_platforms, "telegram", "sendMessage",
                         lambda: telegram_post(assistant, telegram_text(chat, message)))
    assert telegram and telegram[0]["text"].startswith(rest)
