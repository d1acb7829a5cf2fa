"""Telegram connector: Rasa's, with Telegram's limits and a verified webhook.

Differences from Rasa's stock connector (rasa.core.channels.telegram):
- long answers are cut at Telegram's 4,096-character limit (Rasa sends one
  message per paragraph and fails on a paragraph over the limit);
- choices are one button per line, readable on a phone; a payload over
  Telegram's 64-byte ``callback_data`` limit is sent as its number and turned
  back into the payload on return; typing « 2 » also chooses the second button;
- the webhook checks the secret token Telegram sends with every update
  (``X-Telegram-Bot-Api-Secret-Token``) when one is configured, instead of
  asking Telegram who the bot is on every message;
- a photo, a voice message or a sticker gets a reply saying that only text is read;
- « /start », Telegram's first message, is a greeting;
- the webhook is registered once the server runs; a failure is logged, it does
  not stop the other channels.

credentials.yml (generated from the environment by scripts/credentials.py):

    components.telegram_channel.TelegramChannel:
      access_token: …           # from @BotFather
      verify: …                 # the bot's user name
      webhook_url: https://…/webhooks/telegram/webhook
      secret_token: …           # optional, strongly advised
      api_base_url: …           # tests only: a local fake of the Bot API
"""

from __future__ import annotations

import hmac
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from aiogram import Bot
from aiogram.bot.api import TELEGRAM_PRODUCTION, TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Update
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channel_text import ONLY_TEXT, shorten, split_text
from bot.input_text import MAX_CHARS
from components.choice_memory import ChoiceStore, shared_choices

logger = logging.getLogger(__name__)

TEXT_LIMIT = 4096
CALLBACK_DATA_BYTES = 64
BUTTON_TITLE_LIMIT = 64
MAX_INPUT = MAX_CHARS
REQUEST_TIMEOUT = 10
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def memory_key(chat_id: Text) -> Text:
    return f"telegram:{chat_id}"


class TelegramChannelOutput(TelegramOutput):
    def __init__(self, access_token: Text, api_base_url: Optional[Text] = None,
                 choices: Optional[ChoiceStore] = None) -> None:
        server = TelegramAPIServer.from_base(api_base_url) if api_base_url else TELEGRAM_PRODUCTION
        Bot.__init__(self, access_token, timeout=REQUEST_TIMEOUT, server=server)
        self.choices = choices or shared_choices()

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in split_text(text, TEXT_LIMIT):
            await self.send_message(recipient_id, part)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     button_type: Optional[Text] = None, **kwargs: Any) -> None:
        parts = split_text(text, TEXT_LIMIT) or ["Votre choix :"]
        for part in parts[:-1]:
            await self.send_message(recipient_id, part)
        keyboard = InlineKeyboardMarkup()
        for number, button in enumerate(buttons, 1):
            payload = str(button.get("payload", ""))
            data = payload if len(payload.encode("utf-8")) <= CALLBACK_DATA_BYTES else str(number)
            keyboard.row(InlineKeyboardButton(shorten(str(button.get("title", "")), BUTTON_TITLE_LIMIT),
                                              callback_data=data))
        self.choices.remember(memory_key(recipient_id), buttons)
        await self.send_message(recipient_id, parts[-1], reply_markup=keyboard)


class TelegramChannel(TelegramInput):
    @classmethod
    def name(cls) -> Text:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
            raise AssertionError  # not reached: the call above raises
        return cls(credentials.get("access_token"), credentials.get("verify"), credentials.get("webhook_url"),
                   secret_token=credentials.get("secret_token"), api_base_url=credentials.get("api_base_url"))

    def __init__(self, access_token: Optional[Text], verify: Optional[Text], webhook_url: Optional[Text],
                 secret_token: Optional[Text] = None, api_base_url: Optional[Text] = None) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode=False)
        self.secret_token = secret_token
        self.api_base_url = api_base_url
        self._output: Optional[TelegramChannelOutput] = None

    def get_output_channel(self) -> TelegramChannelOutput:
        if self._output is None:
            self._output = TelegramChannelOutput(self.access_token or "", self.api_base_url)
        return self._output

    async def register_webhook(self) -> None:
        """Tells Telegram where to send the updates; checks the bot's name once."""
        out = self.get_output_channel()
        try:
            me = await out.get_me()
            if self.verify and me.username != self.verify:
                logger.warning("The Telegram token belongs to another bot than the configured name.")
            if self.webhook_url:
                data = {"url": self.webhook_url}
                if self.secret_token:
                    data["secret_token"] = self.secret_token
                await out.request("setWebhook", data)
        except Exception as error:  # noqa: BLE001 - the other channels must keep working
            logger.warning("Telegram webhook not registered: %s", type(error).__name__)

    def _authentic(self, request: Request) -> bool:
        if not self.secret_token:
            return True
        return hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), self.secret_token)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("telegram_channel_webhook", __name__)

        @webhook.listener("after_server_start")
        async def register(*_: Any) -> None:
            await self.register_webhook()

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self._authentic(request):
                return response.text("forbidden", status=403)
            try:
                update = Update(**(request.json or {}))
            except Exception:  # noqa: BLE001 - not a Telegram update
                return response.text("bad request", status=400)
            out = self.get_output_channel()
            if update.callback_query is not None and update.callback_query.message is not None:
                chat_id, text = update.callback_query.message.chat.id, update.callback_query.data or ""
                try:
                    await out.answer_callback_query(update.callback_query.id)
                except Exception as error:  # noqa: BLE001 - only stops the button's spinner
                    logger.warning("Telegram callback not acknowledged: %s", type(error).__name__)
            else:
                incoming = update.message or update.edited_message
                if incoming is None:
                    return response.text("success")
                chat_id = incoming.chat.id
                if incoming.text is None:
                    await out.send_message(chat_id, ONLY_TEXT)
                    return response.text("success")
                text = incoming.text
            sender = str(chat_id)
            text = out.choices.resolve(memory_key(sender), text[:MAX_INPUT])
            if text.strip() == "/start":
                text = "/saluer"
            try:
                await on_new_message(UserMessage(text, out, sender, input_channel=self.name(),
                                                 metadata=self.get_metadata(request)))
            except Exception as error:  # noqa: BLE001 - answer 200, or Telegram sends the update again
                logger.error("Telegram message not handled: %s", type(error).__name__)
                logger.debug("Telegram message not handled", exc_info=True)
            return response.text("success")

        return webhook
