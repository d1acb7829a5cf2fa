"""Each connector's output against a local fake of its platform: long answers and many choices stay
within the platform's limits, nothing is lost, and « 2 » typed by the person chooses the second one."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest

from components.choice_memory import ChoiceMemory
from components.messenger_channel import MessengerOutput, messenger_client, signature_valid
from components.slack_channel import SlackOutput
from components.telegram_channel import TelegramChannelOutput
from components.twilio_channel import TextOnlyTwilioOutput
from tests.fake_platforms import FakePlatforms
from tests.fake_twilio import FakeTwilio

PARAGRAPH = "Le fonds de solidarité pour le logement peut aider à payer un loyer en retard. " * 8
LONG_ANSWER = "\n\n".join(f"{number}. {PARAGRAPH}" for number in range(1, 19))  # about 11,000 characters
CHOICES = [{"title": f"Choix numéro {n} avec un titre un peu long pour un bouton",
            "payload": f'/informer{{"n": {n}}}'} for n in range(1, 16)]
LONG_PAYLOAD = [{"title": "Ma commune",
                 "payload": '/modifier_reponse{"question": "commune", "note": "' + "x" * 80 + '"}'},
                {"title": "Autre", "payload": "/autre_besoin"}]


@pytest.fixture()
def fake() -> Iterator[FakePlatforms]:
    platforms = FakePlatforms()
    yield platforms
    platforms.close()


def words(text: str) -> list[str]:
    return text.replace("…", " ").split()


def test_telegram_long_answer_is_split_without_losing_words(fake: FakePlatforms) -> None:
    out = TelegramChannelOutput("7000000001:TEST-token", fake.url, ChoiceMemory())
    asyncio.run(out.send_text_message("42", LONG_ANSWER))
    texts = [m["text"] for m in fake.of("telegram", "sendMessage")]
    assert len(texts) > 1 and all(len(t) <= 4096 for t in texts)
    assert words(" ".join(texts)) == words(LONG_ANSWER)


def test_telegram_payload_too_long_for_callback_data_comes_back_by_number(fake: FakePlatforms) -> None:
    memory = ChoiceMemory()
    out = TelegramChannelOutput("7000000001:TEST-token", fake.url, memory)
    asyncio.run(out.send_text_with_buttons("42", "Que voulez-vous changer ?", LONG_PAYLOAD))
    keyboard = json.loads(fake.of("telegram", "sendMessage")[-1]["reply_markup"])["inline_keyboard"]
    data = [row[0]["callback_data"] for row in keyboard]
    assert all(len(d.encode()) <= 64 for d in data)
    assert data == ["1", "/autre_besoin"]
    assert memory.resolve("telegram:42", data[0]) == LONG_PAYLOAD[0]["payload"]


def test_messenger_many_long_choices_become_a_numbered_list(fake: FakePlatforms) -> None:
    memory = ChoiceMemory()
    out = MessengerOutput(messenger_client("page-token", api_base_url=fake.url), memory)
    asyncio.run(out.send_text_with_buttons("6100", "Votre situation ?", CHOICES[:5]))
    message = fake.of("messenger", "message")[-1]["message"]
    assert [r["title"] for r in message["quick_replies"]] == ["1", "2", "3", "4", "5"]
    assert "5. Choix numéro 5" in message["text"]
    assert memory.resolve("messenger:6100", "3") == CHOICES[2]["payload"]


def test_messenger_more_than_thirteen_choices_and_long_text(fake: FakePlatforms) -> None:
    out = MessengerOutput(messenger_client("page-token", api_base_url=fake.url), ChoiceMemory())
    asyncio.run(out.send_text_with_buttons("6100", LONG_ANSWER, CHOICES))
    sent = [c["message"] for c in fake.of("messenger", "message")]
    assert all(len(m["text"]) <= 2000 for m in sent)
    assert "15. Choix numéro 15" in sent[-1]["text"] and "quick_replies" not in sent[-1]
    assert words(" ".join(m["text"] for m in sent)).count("Choix") == 15


def test_messenger_signature_sha256_and_sha1() -> None:
    import hashlib
    import hmac

    body = b'{"object": "page"}'
    sha256 = "sha256=" + hmac.new(b"secret", body, hashlib.sha256).hexdigest()
    sha1 = "sha1=" + hmac.new(b"secret", body, hashlib.sha1).hexdigest()
    assert signature_valid("secret", body, {"X-Hub-Signature-256": sha256})
    assert signature_valid("secret", body, {"X-Hub-Signature": sha1})
    assert not signature_valid("other", body, {"X-Hub-Signature-256": sha256})
    assert not signature_valid("secret", body, {})


def test_slack_all_choices_shown_text_escaped_and_split(fake: FakePlatforms) -> None:
    out = SlackOutput("xoxb-test", api_base_url=fake.url + "/api", choices=ChoiceMemory())
    asyncio.run(out.send_text_with_buttons("D0TEST", LONG_ANSWER, CHOICES))
    asyncio.run(out.send_text_message("D0TEST", "Loyer < 500 € & charges > 50 €"))
    posts = fake.of("slack", "chat.postMessage")
    assert all(len(p["text"]) <= 3000 for p in posts)
    buttons = posts[-2]["blocks"][-1]["elements"]
    assert [b["value"] for b in buttons] == [c["payload"] for c in CHOICES]
    assert all(len(b["text"]["text"]) <= 75 for b in buttons)
    assert posts[-1]["text"] == "Loyer &lt; 500 € &amp; charges &gt; 50 €"


def test_sms_long_answer_split_at_1600(tmp_path) -> None:
    twilio = FakeTwilio()
    try:
        out = TextOnlyTwilioOutput("ACtest", "token", "+33100000000", twilio.url, ChoiceMemory())
        asyncio.run(out.send_text_message("+33600000002", LONG_ANSWER))
        bodies = twilio.bodies_to("+33600000002")
        assert len(bodies) > 1 and all(len(b) <= 1600 for b in bodies)
        assert words(" ".join(bodies)) == words(LONG_ANSWER)
    finally:
        twilio.close()


@pytest.mark.services
def test_choices_shared_by_two_replicas_through_redis() -> None:
    from components.choice_memory import RedisChoiceMemory, choice_store_from_env
    from tests.local_services import redis_server

    with redis_server() as url:
        replica_a, replica_b = choice_store_from_env({"CHOICES_REDIS_URL": url}), RedisChoiceMemory(url)
        assert isinstance(replica_a, RedisChoiceMemory)
        replica_a.remember("+33600000003", CHOICES[:3])
        assert replica_b.resolve("+33600000003", "2") == CHOICES[1]["payload"]  # sent by A, answered to B
        assert replica_a.resolve("+33600000003", "2") == "2"  # used once, then forgotten
        keys = [key.decode() for key in replica_a.client.keys("*")]
        assert not any("33600000003" in key for key in keys)  # no phone number in clear
    # Redis gone: the number is read as words, nothing breaks.
    assert replica_b.resolve("+33600000003", "2") == "2"
