"""Telegram, Messenger and Slack end to end: a platform payload posted to the connector's webhook, the
reply read where it lands, in a local fake of the platform's API (no real network).

Needs the trained model (make e2e). The shared servers are started once (tests/conftest.py).
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any, Callable

import pytest
import requests

from bot.channel_text import ONLY_TEXT
from tests.conftest import FACEBOOK_SECRET, SLACK_SIGNING_SECRET, TELEGRAM_SECRET
from tests.fake_platforms import FakePlatforms
from tests.servers import Assistant

pytestmark = pytest.mark.e2e

PAYLOADS = Path(__file__).parent / "fixtures" / "channels"
NEEDS = ["/besoin_logement", "/besoin_energie", "/besoin_mobilite", "/besoin_garde_enfants", "/besoin_emploi",
         "/besoin_alimentation"]


def payload(name: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


def new_calls(fake: FakePlatforms, platform: str, method: str, action: Callable[[], None],
              until: Callable[[list[dict[str, Any]]], bool] | None = None) -> list[dict[str, Any]]:
    """The calls to ``platform``'s ``method`` caused by ``action`` (waits for background replies, and fails
    when they have not all come within a minute: partial replies are a failure, not a result)."""
    before = len(fake.of(platform, method))
    action()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        calls = fake.of(platform, method)[before:]
        if calls and (until is None or until(calls)):
            return calls
        time.sleep(0.2)
    raise AssertionError(f"{platform} {method}: the replies did not all come within 60 s "
                         f"({len(fake.of(platform, method)) - before} received)")


# --- Telegram ----------------------------------------------------------------------------------

def telegram_post(assistant: Assistant, update: dict[str, Any], secret: str | None = TELEGRAM_SECRET) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
    return requests.post(assistant.webhook("telegram"), json=update, headers=headers, timeout=60).status_code


def telegram_text(chat_id: int, text: str) -> dict[str, Any]:
    update = payload("telegram_message.json")
    update["message"]["text"] = text
    update["message"]["chat"]["id"] = update["message"]["from"]["id"] = chat_id
    return update


def test_telegram_registers_its_webhook_with_the_secret(assistant: Assistant, fake_platforms: FakePlatforms) -> None:
    registrations = fake_platforms.of("telegram", "setWebhook")
    assert registrations, "the webhook was not registered at start"
    assert registrations[-1]["url"].endswith("/webhooks/telegram/webhook")
    assert registrations[-1]["secret_token"] == TELEGRAM_SECRET


def test_telegram_conversation_with_buttons_one_per_line(assistant: Assistant,
                                                          fake_platforms: FakePlatforms) -> None:
    chat = 555000111
    before = len(fake_platforms.of("telegram", "sendMessage"))
    assert telegram_post(assistant, telegram_text(chat, "bonjour"), secret="wrong") == 403
    assert telegram_post(assistant, telegram_text(chat, "bonjour"), secret=None) == 403
    assert len(fake_platforms.of("telegram", "sendMessage")) == before  # forged updates get no answer

    greeting = new_calls(fake_platforms, "telegram", "sendMessage",
                         lambda: telegram_post(assistant, telegram_text(chat, "/start")))
    assert all(int(m["chat_id"]) == chat for m in greeting)
    assert "Bonjour" in greeting[0]["text"]
    keyboard = json.loads(greeting[-1]["reply_markup"])["inline_keyboard"]
    assert [row[0]["callback_data"] for row in keyboard] == NEEDS
    assert all(len(row) == 1 for row in keyboard)  # one choice per line, readable on a phone

    pressed = payload("telegram_callback.json")
    replies = new_calls(fake_platforms, "telegram", "sendMessage", lambda: telegram_post(assistant, pressed))
    assert "Dans quelle commune" in replies[-1]["text"]
    assert fake_platforms.of("telegram", "answerCallbackQuery")[-1]["callback_query_id"] == "4382bfdwdsb323b2d9"

    photo = new_calls(fake_platforms, "telegram", "sendMessage",
                      lambda: telegram_post(assistant, payload("telegram_photo.json")))
    assert [m["text"] for m in photo] == [ONLY_TEXT]


def test_telegram_typed_number_chooses(assistant: Assistant, fake_platforms: FakePlatforms) -> None:
    chat = 555000222
    new_calls(fake_platforms, "telegram", "sendMessage", lambda: telegram_post(assistant, telegram_text(chat, "salut")))
    replies = new_calls(fake_platforms, "telegram", "sendMessage",
                        lambda: telegram_post(assistant, telegram_text(chat, "1")))  # typed, not tapped
    assert "Dans quelle commune" in replies[-1]["text"]


# --- Messenger ---------------------------------------------------------------------------------

def messenger_post(assistant: Assistant, event: dict[str, Any], secret: str = FACEBOOK_SECRET) -> int:
    body = json.dumps(event).encode()
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return requests.post(assistant.webhook("facebook"), data=body, timeout=60,
                         headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature}).status_code


def messenger_text(sender: str, text: str) -> dict[str, Any]:
    event = payload("messenger_message.json")
    event["entry"][0]["messaging"][0]["sender"]["id"] = sender
    event["entry"][0]["messaging"][0]["message"]["text"] = text
    return event


def to(sender: str) -> Callable[[list[dict[str, Any]]], bool]:
    return lambda calls: any(c["recipient"]["id"] == sender for c in calls)


def test_messenger_webhook_verification_and_signature(assistant: Assistant) -> None:
    url = assistant.webhook("facebook")
    ok = requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "facebook-test-verify",
                                   "hub.challenge": "1158201444"}, timeout=10)
    assert ok.status_code == 200 and ok.text == "1158201444"
    wrong = requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "guess",
                                      "hub.challenge": "x"}, timeout=10)
    assert wrong.status_code == 403
    assert messenger_post(assistant, messenger_text("6100000000000009", "bonjour"), secret="not-the-secret") == 403


def test_messenger_more_than_three_choices_arrive_as_quick_replies(assistant: Assistant,
                                                                    fake_platforms: FakePlatforms) -> None:
    sender = "6100000000000001"

    def messages(event: dict[str, Any]) -> list[dict[str, Any]]:
        calls = new_calls(fake_platforms, "messenger", "message", lambda: messenger_post(assistant, event), to(sender))
        return [c["message"] for c in calls if c["recipient"]["id"] == sender]

    greeting = messages(messenger_text(sender, "bonjour"))
    replies = greeting[-1]["quick_replies"]
    assert [r["payload"] for r in replies] == NEEDS  # Rasa's own connector would drop all six
    assert all(len(r["title"]) <= 20 for r in replies)
    actions = [c["sender_action"] for c in fake_platforms.of("messenger", "action") if c["recipient"]["id"] == sender]
    assert {"mark_seen", "typing_on", "typing_off"} <= set(actions)

    quick = payload("messenger_quick_reply.json")
    assert "Dans quelle commune" in messages(quick)[-1]["text"]

    question = messages(messenger_text(sender, "Toulouse"))[-1]
    for _ in range(8):  # answer « 1 » (typed) until a question has a choice longer than a quick reply title
        if question.get("quick_replies") and question["quick_replies"][0]["title"] == "1":
            break
        answer = "1" if question.get("quick_replies") else "34"
        question = messages(messenger_text(sender, answer))[-1]
    assert question["quick_replies"][0]["title"] == "1", "no question with long choices was asked"
    assert "1. " in question["text"] and "Répondez par le numéro" in question["text"]
    assert len(question["quick_replies"]) <= 13

    image = messages(payload("messenger_image.json"))
    assert [m["text"] for m in image] == [ONLY_TEXT]
    sent = [c["message"] for c in fake_platforms.of("messenger", "message")]
    assert all(len(m.get("text", "")) <= 2000 for m in sent)


# --- Slack -------------------------------------------------------------------------------------

def slack_post(assistant: Assistant, body: bytes, content_type: str, secret: str = SLACK_SIGNING_SECRET) -> int:
    timestamp = str(int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": timestamp,
               "X-Slack-Signature": f"v0={digest}"}
    return requests.post(assistant.webhook("slack"), data=body, headers=headers, timeout=60).status_code


def slack_event(text: str) -> bytes:
    event = payload("slack_message.json")
    event["event"]["text"] = text
    return json.dumps(event).encode()


def test_slack_signature_buttons_and_button_press(assistant: Assistant, fake_platforms: FakePlatforms) -> None:
    assert slack_post(assistant, slack_event("bonjour"), "application/json", secret="forged") == 400

    def with_buttons(calls: list[dict[str, Any]]) -> bool:
        return any(c.get("blocks") for c in calls)

    greeting = new_calls(fake_platforms, "slack", "chat.postMessage",
                         lambda: slack_post(assistant, slack_event("bonjour"), "application/json"), with_buttons)
    assert all(c["channel"] == "D0TESTDM01" for c in greeting)
    actions = next(c for c in greeting if c.get("blocks"))["blocks"][-1]["elements"]
    assert [a["value"] for a in actions] == NEEDS  # Rasa's own connector drops more than five

    press = copy.deepcopy(payload("slack_block_actions.json"))
    body = ("payload=" + requests.utils.quote(json.dumps(press))).encode()
    replies = new_calls(fake_platforms, "slack", "chat.postMessage",
                        lambda: slack_post(assistant, body, "application/x-www-form-urlencoded"),
                        lambda calls: any("Dans quelle commune" in c["text"] for c in calls))
    assert any("Dans quelle commune" in c["text"] for c in replies)
    assert all(len(c["text"]) <= 3000 for c in fake_platforms.of("slack", "chat.postMessage"))
