"""Slack connector: Rasa's, with Slack's limits.

Differences from Rasa's stock connector (rasa.core.channels.slack):
- Rasa drops every button of a question with more than 5 choices; Slack allows
  25 buttons in an actions block, so every choice is shown (titles cut at 75
  characters); typing « 2 » also chooses the second one;
- long answers are cut at 3,000 characters (the limit of a section block),
  instead of one message per paragraph;
- « & », « < » and « > » are escaped as Slack asks, so a text is never read as a
  link or a mention;
- no ``as_user`` argument, which Slack refuses for new apps.
The signature check (X-Slack-Signature, 5 minutes) and the retries are Rasa's.

credentials.yml (generated from the environment by scripts/credentials.py):

    components.slack_channel.SlackChannel:
      slack_token: xoxb-…
      slack_signing_secret: …
      slack_channel: …          # optional
      api_base_url: …           # tests only: a local fake of the Web API
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic.request import Request
from slack_sdk.web.async_client import AsyncWebClient

from bot.channel_text import numbered_choices, shorten, split_text
from bot.input_text import MAX_CHARS
from components.choice_memory import ChoiceStore, shared_choices

TEXT_LIMIT = 3000
BUTTONS_MAX = 25
BUTTON_TITLE_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
MAX_INPUT = MAX_CHARS
REQUEST_TIMEOUT = 10


def memory_key(sender: Text) -> Text:
    return f"slack:{sender}"


def escape(text: Text) -> Text:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SlackOutput(SlackBot):
    def __init__(self, token: Text, slack_channel: Optional[Text] = None, thread_id: Optional[Text] = None,
                 proxy: Optional[Text] = None, api_base_url: Optional[Text] = None,
                 choices: Optional[ChoiceStore] = None) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        options: Dict[Text, Any] = {"proxy": proxy, "timeout": REQUEST_TIMEOUT}
        if api_base_url:
            options["base_url"] = api_base_url.rstrip("/") + "/"
        self.client = AsyncWebClient(token, **options)
        self.choices = choices or shared_choices()

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        recipient = self.slack_channel or recipient_id
        for part in split_text(escape(text), TEXT_LIMIT):
            await self._post_message(channel=recipient, text=part)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        recipient = self.slack_channel or recipient_id
        self.choices.remember(memory_key(recipient_id), buttons)
        if len(buttons) > BUTTONS_MAX:
            await self.send_text_message(recipient_id, numbered_choices(text, buttons))
            return
        parts = split_text(text, TEXT_LIMIT) or ["Votre choix :"]
        for part in parts[:-1]:
            await self._post_message(channel=recipient, text=escape(part))
        actions = [{"type": "button", "action_id": f"choix_{number}",
                    "text": {"type": "plain_text", "text": shorten(str(button.get("title", "")), BUTTON_TITLE_LIMIT)},
                    "value": str(button.get("payload", ""))[:BUTTON_VALUE_LIMIT]}
                   for number, button in enumerate(buttons, 1)]
        blocks = [{"type": "section", "text": {"type": "plain_text", "text": parts[-1]}},
                  {"type": "actions", "elements": actions}]
        await self._post_message(channel=recipient, text=escape(parts[-1]), blocks=blocks)


class SlackChannel(SlackInput):
    @classmethod
    def name(cls) -> Text:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
            raise AssertionError  # not reached: the call above raises
        channel = cls(credentials.get("slack_token") or "", credentials.get("slack_channel"), credentials.get("proxy"),
                      credentials.get("slack_retry_reason_header", "x-slack-retry-reason"),
                      credentials.get("slack_retry_number_header", "x-slack-retry-num"),
                      credentials.get("errors_ignore_retry"), credentials.get("use_threads", False),
                      credentials.get("slack_signing_secret") or "",
                      credentials.get("conversation_granularity", "sender"))
        channel.api_base_url = credentials.get("api_base_url")
        return channel

    api_base_url: Optional[Text] = None

    def get_output_channel(self, channel: Optional[Text] = None, thread_id: Optional[Text] = None) -> OutputChannel:
        return SlackOutput(self.slack_token, channel or self.slack_channel, thread_id, self.proxy, self.api_base_url)

    async def process_message(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                              text: Text, sender_id: Optional[Text], metadata: Optional[Dict]) -> Any:
        if sender_id:
            text = shared_choices().resolve(memory_key(sender_id), text[:MAX_INPUT])
        return await super().process_message(request, on_new_message, text, sender_id, metadata)
