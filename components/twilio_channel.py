"""Text-only messaging connectors: Twilio SMS and WhatsApp with numbered choices.

Rasa's Twilio connector sends buttons as « 1: titre (/payload) » and does not
understand « 2 » as the second choice. This connector sends the choices as a
numbered list without payloads, understands the number or the words of a
choice, cuts long answers to the platform's limit, and refuses webhook calls
without a valid X-Twilio-Signature (Rasa's connector does not check it).

The last choices sent to each person are kept for half an hour
(components/choice_memory.py): in memory with one Rasa server, in Redis when
CHOICES_REDIS_URL is set, so that several replicas share them.

credentials.yml (generated from the environment by scripts/credentials.py):

    components.twilio_channel.TextOnlyTwilioInput:
      account_sid: …
      auth_token: …
      twilio_number: …          # « whatsapp:+33… » for WhatsApp
      webhook_url: https://…/webhooks/twilio/webhook   # the public address Twilio calls (signature)
      api_base_url: …           # tests only: a local fake of the Twilio API
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator

from bot.channel_text import numbered_choices, split_text
from bot.input_text import MAX_CHARS
from components.choice_memory import ChoiceStore, shared_choices

# The Twilio client logs every request at INFO: quiet, so that the logs stay free of conversations.
logging.getLogger("twilio.http_client").setLevel(logging.WARNING)

SMS_LIMIT = 1600
TWILIO_API = "https://api.twilio.com"


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
                 api_base_url: Optional[Text] = None, memory: Optional[ChoiceStore] = None) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        if api_base_url:
            self.http_client = _RedirectingHttpClient(api_base_url)
        self.memory = memory or shared_choices()

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
        channel.webhook_url = credentials.get("webhook_url")
        return channel

    api_base_url: Optional[Text] = None
    webhook_url: Optional[Text] = None

    def authentic(self, request: Request) -> bool:
        """Checks X-Twilio-Signature, computed by Twilio from the webhook's public address and the form."""
        signature = request.headers.get("X-Twilio-Signature", "")
        params = {key: values[0] for key, values in request.form.items()}
        url = self.webhook_url or request.url
        return bool(signature) and RequestValidator(self.auth_token or "").validate(url, params, signature)

    def get_output_channel(self) -> OutputChannel:
        return TextOnlyTwilioOutput(self.account_sid, self.auth_token, self.twilio_number, self.api_base_url)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("text_only_twilio_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self.authentic(request):
                return response.text("invalid signature", status=403)
            sender = request.form.get("From")
            text = request.form.get("Body")
            if sender and text is not None:
                text = shared_choices().resolve(sender, text[:MAX_CHARS])
                await on_new_message(UserMessage(text, self.get_output_channel(), sender,
                                                 input_channel=self.name(), metadata=self.get_metadata(request)))
            return response.text("", status=204)

        return webhook
