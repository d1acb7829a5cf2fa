"""The assistant proposes, in conversation, the same schemes as `python -m bot match` for the same answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from actions.results import ActionProposerAides, ActionVoirPlus
from tests.test_actions import run, slots_set, tracker

ROOT = Path(__file__).resolve().parent.parent
PERSONAS = yaml.safe_load((Path(__file__).parent / "personas.yml").read_text(encoding="utf-8"))


def slots_for(situation: dict) -> dict:
    children = situation.get("enfants", [])
    slots = {
        "commune": situation["commune"], "age": situation.get("age"), "adultes": situation.get("adultes"),
        "nb_enfants": len(children), "ages_enfants": children or None, "logement": situation.get("logement"),
        "activite": situation.get("activite"), "besoins": situation["besoins"],
        "ressources": [situation["ressources_mensuelles"]] * 2,
    }
    for flag in ("impaye", "permis", "vehicule", "handicap", "grossesse", "msa"):
        slots[flag] = situation.get(flag)
    return slots


def chat_lines(slots: dict) -> list[str]:
    """The one-line entries of the aids the chat shows, every page (« 1. Titre : montant. Raison. »)."""
    events, dispatcher = run(ActionProposerAides(), tracker(slots))
    texts = [m.get("text") or "" for m in dispatcher.messages]
    shown = slots_set(events)["resultats_montres"]
    while any(b["payload"] == "/voir_plus" for b in dispatcher.messages[-1].get("buttons", [])):
        events, dispatcher = run(ActionVoirPlus(), tracker({**slots, "resultats_montres": shown}))
        texts += [m.get("text") or "" for m in dispatcher.messages]
        shown = slots_set(events)["resultats_montres"]
    return [line for t in texts for line in t.split("\n") if line[:1].isdigit() and ". " in line]


def same_list(lines: list[str], titles: list[str]) -> bool:
    return len(lines) == len(titles) and all(line.startswith(f"{n}. {title}")
                                             for n, (line, title) in enumerate(zip(lines, titles), 1))


@pytest.mark.parametrize("persona", PERSONAS, ids=[p["id"] for p in PERSONAS])
def test_same_schemes_in_chat_and_cli(persona, tmp_path, capsys):
    """Every persona: the command line's own entry point (in this process, as `python -m bot match` runs it)."""
    from bot.cli import main

    situation = persona["situation"]
    (tmp_path / "situation.json").write_text(json.dumps(situation), encoding="utf-8")
    assert main(["match", str(tmp_path / "situation.json")]) == 0
    cli_titles = [s["title"] for s in json.loads(capsys.readouterr().out)["schemes"]]
    assert same_list(chat_lines(slots_for(situation)), cli_titles)


def test_the_command_itself_gives_the_same_list_as_its_entry_point():
    situation = PERSONAS[0]["situation"]
    result = subprocess.run([sys.executable, "-m", "bot", "match", "-"], input=json.dumps(situation),
                            capture_output=True, text=True, cwd=ROOT, env={**os.environ}, timeout=120)
    cli_titles = [s["title"] for s in json.loads(result.stdout)["schemes"]]
    assert same_list(chat_lines(slots_for(situation)), cli_titles)
