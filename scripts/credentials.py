"""Write var/credentials.yml from the environment: channels are switched on by their variables.

Nothing secret is written in the repository: tokens stay in the environment of the
Rasa server and in the generated file under var/ (ignored by git, readable by the owner only).

    REST (website widget, with message limits)  always; RATE_LIMIT_PER_SENDER, RATE_LIMIT_PER_ADDRESS
                                                (messages per minute, 30 and 300 by default)
    socket.io                                 SOCKETIO=1 (the widget uses REST; socket.io has no message limits)
    Twilio SMS / WhatsApp                     TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_NUMBER
                                              (TWILIO_WEBHOOK_URL: the public address, for the signature)
    Telegram                                  TELEGRAM_ACCESS_TOKEN, TELEGRAM_BOT_NAME, TELEGRAM_WEBHOOK_URL
                                              (TELEGRAM_SECRET_TOKEN optional, advised)
    Facebook Messenger                        FACEBOOK_VERIFY, FACEBOOK_SECRET, FACEBOOK_PAGE_ACCESS_TOKEN
                                              (FACEBOOK_API_VERSION optional)
    Slack                                     SLACK_TOKEN, SLACK_SIGNING_SECRET (SLACK_CHANNEL optional)
    Statistics page /statistiques/            always; STATS_PASSWORD, else a password generated once in
                                              var/stats-password (user « equipe »)

The *_API_BASE_URL variables point a connector at a local fake of its platform, for the tests.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

CHANNELS = {
    "components.twilio_channel.TextOnlyTwilioInput": {
        "account_sid": "TWILIO_ACCOUNT_SID", "auth_token": "TWILIO_AUTH_TOKEN", "twilio_number": "TWILIO_NUMBER"},
    "components.telegram_channel.TelegramChannel": {
        "access_token": "TELEGRAM_ACCESS_TOKEN", "verify": "TELEGRAM_BOT_NAME", "webhook_url": "TELEGRAM_WEBHOOK_URL"},
    "components.messenger_channel.MessengerChannel": {
        "verify": "FACEBOOK_VERIFY", "secret": "FACEBOOK_SECRET", "page-access-token": "FACEBOOK_PAGE_ACCESS_TOKEN"},
    "components.slack_channel.SlackChannel": {
        "slack_token": "SLACK_TOKEN", "slack_signing_secret": "SLACK_SIGNING_SECRET"},
}
OPTIONAL = {
    "components.twilio_channel.TextOnlyTwilioInput": {"webhook_url": "TWILIO_WEBHOOK_URL",
                                                      "api_base_url": "TWILIO_API_BASE_URL"},
    "components.telegram_channel.TelegramChannel": {"secret_token": "TELEGRAM_SECRET_TOKEN",
                                                    "api_base_url": "TELEGRAM_API_BASE_URL"},
    "components.messenger_channel.MessengerChannel": {"api_version": "FACEBOOK_API_VERSION",
                                                      "api_base_url": "FACEBOOK_API_BASE_URL"},
    "components.slack_channel.SlackChannel": {"slack_channel": "SLACK_CHANNEL", "api_base_url": "SLACK_API_BASE_URL"},
}


def credentials(environ: dict[str, str]) -> dict[str, object]:
    socketio = {"user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered", "session_persistence": True}
    rest = {"per_sender": int(environ.get("RATE_LIMIT_PER_SENDER") or 30),
            "per_address": int(environ.get("RATE_LIMIT_PER_ADDRESS") or 300)}
    result: dict[str, object] = {"components.rest_channel.GuardedRestInput": rest}
    if environ.get("SOCKETIO") == "1":
        result["socketio"] = socketio
    for channel, keys in CHANNELS.items():
        if all(environ.get(variable) for variable in keys.values()):
            config = {key: environ[variable] for key, variable in keys.items()}
            config.update({key: environ[variable] for key, variable in OPTIONAL.get(channel, {}).items()
                           if environ.get(variable)})
            result[channel] = config
    return result


def stats_password(environ: dict[str, str], folder: Path) -> str:
    """STATS_PASSWORD, or the one generated the first time in <folder>/stats-password (owner only)."""
    if environ.get("STATS_PASSWORD"):
        return environ["STATS_PASSWORD"]
    stored = folder / "stats-password"
    if not stored.exists():
        stored.touch(mode=0o600)
        stored.write_text(secrets.token_urlsafe(18) + "\n", encoding="utf-8")
    stored.chmod(0o600)
    return stored.read_text(encoding="utf-8").strip()


def main() -> int:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "var" / "credentials.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    data = credentials(dict(os.environ))
    data["components.statistics_page.StatisticsPage"] = {"password": stats_password(dict(os.environ),
                                                                                     target.parent)}
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    target.chmod(0o600)
    enabled = [name.split(".")[-1] for name in data]
    print(f"Canaux actifs : {', '.join(enabled)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
