"""Playing a scripted dialogue against the running assistant and showing the differences.

    python -m bot replay docs/exemples/dialogue-logement.yml [--serveur http://localhost:5005]

The script (YAML, written by staff) lists what the person says and, for each
turn, what the assistant must say (``assistant_dit``: pieces of text), must
propose (``assistant_propose``: titles of aids or buttons) or must not propose
(``assistant_ne_propose_pas``). Each run uses a new anonymous conversation.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import yaml

DEFAULT_SERVER = "http://localhost:5005"
TIMEOUT_SECONDS = 60


class ReplayFileError(ValueError):
    """A dialogue file that does not follow the format (message in French)."""


@dataclass
class Turn:
    says: str
    expect_text: list[str] = field(default_factory=list)
    expect_proposed: list[str] = field(default_factory=list)
    forbid_proposed: list[str] = field(default_factory=list)


@dataclass
class TurnResult:
    turn: Turn
    replies: list[str]
    buttons: list[str]
    problems: list[str]


def _texts(step: dict[str, Any], key: str, number: int) -> list[str]:
    value = step.get(key, [])
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ReplayFileError(f"étape {number} : « {key} » doit être un texte ou une liste de textes")
    return value


def load_dialogue(path: Path) -> tuple[list[Turn], str | None]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ReplayFileError(f"impossible de lire « {path} » ({error.__class__.__name__})") from None
    if not isinstance(data, dict) or not isinstance(data.get("dialogue"), list) or not data["dialogue"]:
        raise ReplayFileError("le fichier doit contenir une liste « dialogue » non vide")
    turns = []
    for number, step in enumerate(data["dialogue"], 1):
        if not isinstance(step, dict) or not isinstance(step.get("personne"), str):
            raise ReplayFileError(f"étape {number} : il faut « personne: ce que dit la personne »")
        turns.append(Turn(step["personne"], _texts(step, "assistant_dit", number),
                          _texts(step, "assistant_propose", number), _texts(step, "assistant_ne_propose_pas", number)))
    server = data.get("serveur")
    return turns, server if isinstance(server, str) else None


def check_turn(turn: Turn, replies: list[dict[str, Any]]) -> TurnResult:
    texts = [str(r.get("text") or "") for r in replies]
    buttons = [str(b.get("title", "")) for r in replies for b in r.get("buttons") or []]
    everything = "\n".join(texts + buttons)
    problems = [f"attendu « {t} »" for t in turn.expect_text if t not in everything]
    problems += [f"aide ou choix attendu « {t} »" for t in turn.expect_proposed if t not in everything]
    problems += [f"ne devait pas proposer « {t} »" for t in turn.forbid_proposed if t in everything]
    if not replies:
        problems.append("l'assistant n'a rien répondu")
    return TurnResult(turn, texts, buttons, problems)


def replay(turns: list[Turn], server: str = DEFAULT_SERVER,
           session: requests.Session | None = None) -> list[TurnResult]:
    session = session or requests.Session()
    sender = f"replay-{uuid.uuid4()}"
    url = server.rstrip("/") + "/webhooks/rest/webhook"
    results = []
    for turn in turns:
        response = session.post(url, json={"sender": sender, "message": turn.says}, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        results.append(check_turn(turn, response.json()))
    return results


def report(results: list[TurnResult]) -> str:
    lines = []
    for number, result in enumerate(results, 1):
        status = "OK " if not result.problems else "ÉCART"
        lines.append(f"[{status}] {number}. La personne : {result.turn.says}")
        if result.problems:
            for problem in result.problems:
                lines.append(f"        - {problem}")
            for text in result.replies:
                lines.append("        L'assistant : " + text.replace("\n", "\n                      "))
            if result.buttons:
                lines.append("        Boutons : " + " | ".join(result.buttons))
    failed = sum(1 for r in results if r.problems)
    lines.append(f"{len(results) - failed} étape(s) conforme(s), {failed} écart(s).")
    return "\n".join(lines)
