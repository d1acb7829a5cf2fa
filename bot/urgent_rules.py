"""Urgent everyday needs: no food today, no heating, power or gas cut, an eviction under way.

data/besoins_urgents.yml is written like data/crise.yml (concepts and their combinations, see
bot.crisis) and read by the same engine, with the SMS spellings of data/crise.yml. A situation
found gives the need the assistant then looks at (``besoin``): the person gets the help of the
day first (bot.immediate_help), after one question, the commune.

Dangers (violence, a night outside, suicidal thoughts) are the crisis rules' job: they come first.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml

from bot import crisis
from bot.paths import DATA
from bot.text import french_words

URGENT_FILE = DATA / "besoins_urgents.yml"
NEEDS = ("logement", "energie", "mobilite", "garde_enfants", "emploi", "alimentation")


@dataclass(frozen=True)
class UrgentRules:
    rules: crisis.CrisisRules
    needs: dict[str, str]  # situation -> the assistant's need


@dataclass(frozen=True)
class UrgentNeed:
    situation: str
    need: str
    rule: str  # the combination of concepts that made it, for the staff's checks


def load_urgent_rules(path: Path = URGENT_FILE, known_words: frozenset[str] = frozenset()) -> UrgentRules:
    """The rules of ``path``, read with the SMS spellings and typo keywords of data/crise.yml."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    needs = {}
    for key, entry in (raw.get("situations") or {}).items():
        need = str((entry or {}).get("besoin") or "")
        if need not in NEEDS:
            raise crisis.CrisisFileError(f"situation {key} : besoin inconnu « {need} » (un de {', '.join(NEEDS)})")
        needs[str(key)] = need
    own = crisis.load_rules(path, known_words)
    shared = crisis.load_rules(crisis.CRISIS_FILE, known_words)
    merged = replace(own, sms={**shared.sms, **own.sms}, keywords=own.keywords | shared.keywords)
    return UrgentRules(merged, needs)


@lru_cache(maxsize=1)
def urgent_rules() -> UrgentRules:
    return load_urgent_rules(known_words=french_words())


def detect_urgent_need(text: str, rules: UrgentRules | None = None) -> UrgentNeed | None:
    """The urgent everyday need of a typed message, or None (button payloads are never one)."""
    if not text or text.startswith("/"):
        return None
    rules = rules or urgent_rules()
    finding = crisis.explain(text, rules.rules)
    if finding is None:
        return None
    return UrgentNeed(finding.situation, rules.needs[finding.situation], finding.rule)
