"""Facebook Messenger connector: Rasa's, with Messenger's limits.

Differences from Rasa's stock connector (rasa.core.channels.facebook):
- Rasa drops every button of a question with more than 3 choices; here choices
  are quick replies (up to 13). When a title is longer than Messenger's
  20 characters, the choices are written as a numbered list in the message and
  the quick replies show the numbers; typing « 2 » also chooses the second one;
- long answers are cut at Messenger's 2,000-character limit;
- every event of a batch is handled (Rasa stops at the first one);
- a photo, a voice message or a file gets a reply saying that only text is read
  (Rasa passes the file's address to the language model as if it were text);
- the signature is checked with X-Hub-Signature-256 (SHA-256) or X-Hub-Signature;
- calls to the Graph API have a timeout and do not block the server.

credentials.yml (generated from the environment by scripts/credentials.py):

    components.messenger_channel.MessengerChannel:
      verify: …                 # the verify token chosen for the webhook
      secret: …                 # the app secret (signs every webhook call)
      page-access-token: …
      api_version: …            # optional: Graph API version (fbmessenger's default otherwise)
      api_base_url: …           # tests only: a local fake of the Graph API
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from fbmessenger import MessengerClient
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput, MessengerBot
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channel_text import ONLY_TEXT, fits, numbered_choices, split_text
from bot.input_text import MAX_CHARS
from components.choice_memory import ChoiceStore, shared_choices

logger = logging.getLogger(__name__)

TEXT_LIMIT = 2000
QUICK_REPLIES_MAX = 13
QUICK_REPLY_TITLE_LIMIT = 20
QUICK_REPLY_PAYLOAD_BYTES = 1000
MAX_INPUT = MAX_CHARS
REQUEST_TIMEOUT = 10


def memory_key(sender: Text) -> Text:
    return f"messenger:{sender}"


def messenger_client(page_access_token: Text, api_version: Optional[Text] = None,
                     api_base_url: Optional[Text] = None) -> MessengerClient:
    client = MessengerClient(page_access_token, **({"api_version": api_version} if api_version else {}))
    if api_base_url:
        client.graph_url = f"{api_base_url.rstrip('/')}/v{client.api_version}"
    return client


def quick_replies(buttons: List[Dict[Text, Any]], numbered: bool) -> List[Dict[Text, Any]]:
    return [{"content_type": "text", "title": str(number) if numbered else str(button.get("title", "")),
             "payload": str(button.get("payload", ""))} for number, button in enumerate(buttons, 1)]


class MessengerOutput(MessengerBot):
    def __init__(self, client: MessengerClient, choices: Optional[ChoiceStore] = None) -> None:
        super().__init__(client)
        self.choices = choices or shared_choices()

    async def _post(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        result = await asyncio.to_thread(self.messenger_client.send, message, recipient_id, "RESPONSE",
                                         timeout=REQUEST_TIMEOUT)
        if isinstance(result, dict) and result.get("error"):
            logger.error("Messenger refused a message: code %s", result["error"].get("code"))

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in split_text(text, TEXT_LIMIT):
            await self._post(recipient_id, {"text": part})

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        self.choices.remember(memory_key(recipient_id), buttons)
        numbered = len(buttons) > QUICK_REPLIES_MAX or not fits(buttons, QUICK_REPLY_TITLE_LIMIT,
                                                                 QUICK_REPLY_PAYLOAD_BYTES)
        if numbered:
            text = numbered_choices(text, buttons)
        parts = split_text(text, TEXT_LIMIT) or ["Votre choix :"]
        for part in parts[:-1]:
            await self._post(recipient_id, {"text": part})
        last: Dict[Text, Any] = {"text": parts[-1]}
        if len(buttons) <= QUICK_REPLIES_MAX:
            last["quick_replies"] = quick_replies(buttons, numbered)
        await self._post(recipient_id, last)

    async def send_action(self, recipient_id: Text, sender_action: Text) -> None:
        try:
            await asyncio.to_thread(self.messenger_client.send_action, sender_action, recipient_id,
                                    timeout=REQUEST_TIMEOUT)
        except Exception as error:  # noqa: BLE001 - « typing… » is a courtesy, never a reason to fail
            logger.warning("Messenger sender action failed: %s", type(error).__name__)


def signature_valid(secret: Text, body: bytes, headers: Any) -> bool:
    """Checks X-Hub-Signature-256 (sha256=…) or, failing that, X-Hub-Signature (sha1=…)."""
    for header, algorithm in (("X-Hub-Signature-256", hashlib.sha256), ("X-Hub-Signature", hashlib.sha1)):
        value = headers.get(header)
        if value and "=" in value:
            expected = hmac.new(secret.encode("utf-8"), body, algorithm).hexdigest()
            return hmac.compare_digest(value.split("=", 1)[1], expected)
    return False


class MessengerChannel(FacebookInput):
    @classmethod
    def name(cls) -> Text:
        return "facebook"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
            raise AssertionError  # not reached: the call above raises
        channel = cls(credentials.get("verify"), credentials.get("secret"), credentials.get("page-access-token"))
        channel.api_version = credentials.get("api_version")
        channel.api_base_url = credentials.get("api_base_url")
        return channel

    api_version: Optional[Text] = None
    api_base_url: Optional[Text] = None

    def output(self) -> MessengerOutput:
        return MessengerOutput(messenger_client(self.fb_access_token, self.api_version, self.api_base_url))

    async def _handle_event(self, event: Dict[Text, Any], on_new_message: Callable[[UserMessage], Awaitable[Any]],
                            metadata: Optional[Dict[Text, Any]]) -> None:
        sender = str((event.get("sender") or {}).get("id") or "")
        message, postback = event.get("message"), event.get("postback")
        if not sender:
            return
        out = self.output()
        if isinstance(message, dict):
            if message.get("is_echo"):
                return
            if (message.get("quick_reply") or {}).get("payload"):
                text = str(message["quick_reply"]["payload"])
            elif isinstance(message.get("text"), str):
                text = out.choices.resolve(memory_key(sender), message["text"][:MAX_INPUT])
            else:
                await out.send_text_message(sender, ONLY_TEXT)
                return
        elif isinstance(postback, dict) and postback.get("payload"):
            text = str(postback["payload"])
        else:
            return  # deliveries, reads, reactions: nothing to answer
        await out.send_action(sender, "mark_seen")
        await out.send_action(sender, "typing_on")
        try:
            await on_new_message(UserMessage(text, out, sender, input_channel=self.name(), metadata=metadata))
        except Exception as error:  # noqa: BLE001 - answer 200, or Messenger sends the event again
            logger.error("Messenger message not handled: %s", type(error).__name__)
            logger.debug("Messenger message not handled", exc_info=True)
        finally:
            await out.send_action(sender, "typing_off")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("messenger_channel_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET"])
        async def verification(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token") or ""
            if self.fb_verify and hmac.compare_digest(token, self.fb_verify):
                return response.text(request.args.get("hub.challenge") or "")
            return response.text("invalid verify token", status=403)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.fb_secret or not signature_valid(self.fb_secret, request.body, request.headers):
                return response.text("invalid signature", status=403)
            payload = request.json if isinstance(request.json, dict) else {}
            metadata = self.get_metadata(request)
            for entry in payload.get("entry") or []:
                for event in (entry or {}).get("messaging") or []:
                    if isinstance(event, dict):
                        await self._handle_event(event, on_new_message, metadata)
            return response.text("success")

        return webhook
