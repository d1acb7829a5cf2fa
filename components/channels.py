"""Text-only messaging connectors: Twilio SMS and WhatsApp with numbered choices.

Rasa's Twilio connector sends buttons as « 1: titre (/payload) » and does not
understand « 2 » as the second choice. This connector sends the choices as a
numbered list without payloads, understands the number or the words of a
choice, and cuts long answers to the platform's limit.

The last choices sent to each person are kept in memory for a few minutes, per
Rasa replica: with several replicas, route each sender to one replica
(sticky sessions) so that « 2 » reaches the one that sent the list.

credentials.yml (generated from the environment by scripts/credentials.py):

    components.channels.TextOnlyTwilioInput:
      account_sid: …
      auth_token: …
      twilio_number: …          # « whatsapp:+33… » for WhatsApp
      api_base_url: …           # tests only: a local fake of the Twilio API
"""

from __future__ import annotations

import time
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.http.http_client import TwilioHttpClient

from bot.channel_text import numbered_choices, resolve_choice, split_text

SMS_LIMIT = 1600
CHOICES_TTL_SECONDS = 30 * 60
MAX_REMEMBERED = 10_000
TWILIO_API = "https://api.twilio.com"


class ChoiceMemory:
    """The last list of choices sent to each sender, forgotten after a while."""

    def __init__(self, ttl: float = CHOICES_TTL_SECONDS) -> None:
        self.ttl = ttl
        self._choices: Dict[Text, tuple[float, List[Dict[Text, Any]]]] = {}

    def remember(self, sender: Text, buttons: List[Dict[Text, Any]]) -> None:
        if len(self._choices) >= MAX_REMEMBERED:
            oldest = min(self._choices, key=lambda key: self._choices[key][0])
            del self._choices[oldest]
        self._choices[sender] = (time.monotonic(), buttons)

    def forget(self, sender: Text) -> None:
        self._choices.pop(sender, None)

    def resolve(self, sender: Text, text: Text) -> Text:
        """The payload of the chosen button, or the text as the person wrote it."""
        saved = self._choices.get(sender)
        if not saved or time.monotonic() - saved[0] > self.ttl:
            return text
        payload = resolve_choice(text, saved[1])
        if payload is None:
            return text
        self.forget(sender)
        return payload


MEMORY = ChoiceMemory()


class _RedirectingHttpClient(TwilioHttpClient):
    """Sends the Twilio API calls to another base address (a local fake, in tests)."""

    def __init__(self, base_url: Text) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        return super().request(method, url.replace(TWILIO_API, self.base_url, 1), *args, **kwargs)


class TextOnlyTwilioOutput(TwilioOutput):
    @classmethod
    def name(cls) -> Text:
        return "twilio"

    def __init__(self, account_sid: Optional[Text], auth_token: Optional[Text], twilio_number: Optional[Text],
                 api_base_url: Optional[Text] = None, memory: ChoiceMemory = MEMORY) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        if api_base_url:
            self.http_client = _RedirectingHttpClient(api_base_url)
        self.memory = memory

    async def _send_parts(self, recipient_id: Text, text: Text) -> None:
        for part in split_text(text, SMS_LIMIT):
            await self._send_message({"to": recipient_id, "from_": self.twilio_number, "body": part})

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send_parts(recipient_id, text)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        self.memory.remember(recipient_id, buttons)
        await self._send_parts(recipient_id, numbered_choices(text, buttons))


class TextOnlyTwilioInput(TwilioInput):
    @classmethod
    def name(cls) -> Text:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
            raise AssertionError  # not reached: the call above raises
        channel = cls(credentials.get("account_sid"), credentials.get("auth_token"),
                      credentials.get("twilio_number"))
        channel.api_base_url = credentials.get("api_base_url")
        return channel

    api_base_url: Optional[Text] = None

    def get_output_channel(self) -> OutputChannel:
        return TextOnlyTwilioOutput(self.account_sid, self.auth_token, self.twilio_number, self.api_base_url)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("text_only_twilio_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            sender = request.form.get("From")
            text = request.form.get("Body")
            if sender and text is not None:
                text = MEMORY.resolve(sender, text[:2000])
                await on_new_message(UserMessage(text, self.get_output_channel(), sender,
                                                 input_channel=self.name(), metadata=self.get_metadata(request)))
            return response.text("", status=204)

        return webhook
