"""The intents declared in bot/intents.py are intents of domain.yml."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.intents import COMMAND_INTENTS, CONVERSATION_INTENTS, EMERGENCY_INTENT

ROOT = Path(__file__).resolve().parent.parent


def test_declared_intents_exist_in_the_domain() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    names = {i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]}
    declared = COMMAND_INTENTS | CONVERSATION_INTENTS | {EMERGENCY_INTENT}
    assert declared <= names, sorted(declared - names)
    assert not COMMAND_INTENTS & CONVERSATION_INTENTS
