"""The personas of tests/personas.yml, each run through `python -m bot match`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from bot.catalogue import load_scheme_files

ROOT = Path(__file__).resolve().parent.parent
PERSONAS = yaml.safe_load((Path(__file__).parent / "personas.yml").read_text(encoding="utf-8"))
DEPARTEMENTS = {"09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"}


def run_match(situation: dict) -> list[str]:
    result = subprocess.run([sys.executable, "-m", "bot", "match", "-"], input=json.dumps(situation),
                            capture_output=True, text=True, cwd=ROOT, env={**os.environ}, timeout=120)
    assert result.returncode == 0, result.stderr
    return [scheme["id"] for scheme in json.loads(result.stdout)["schemes"]]


@pytest.fixture(scope="module")
def proposals() -> dict[str, list[str]]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = pool.map(lambda p: (p["id"], run_match(p["situation"])), PERSONAS)
        return dict(results)


def test_personas_cover_every_departement_and_need():
    assert len(PERSONAS) >= 40
    assert len({p["id"] for p in PERSONAS}) == len(PERSONAS)
    assert {p["situation"]["commune"][:2] for p in PERSONAS} == DEPARTEMENTS
    needs = {need for p in PERSONAS for need in p["situation"]["besoins"]}
    assert needs == {"logement", "energie", "mobilite", "garde_enfants", "emploi", "alimentation"}


def test_personas_name_existing_schemes():
    known = {s.id for s in load_scheme_files()}
    for persona in PERSONAS:
        assert set(persona["must"]) | set(persona["must_not"]) <= known, persona["id"]


@pytest.mark.parametrize("persona", PERSONAS, ids=[p["id"] for p in PERSONAS])
def test_persona_gets_every_must_and_no_must_not(persona, proposals):
    proposed = proposals[persona["id"]]
    missing = [scheme for scheme in persona["must"] if scheme not in proposed]
    unwanted = [scheme for scheme in persona["must_not"] if scheme in proposed]
    assert not missing and not unwanted, f"missing {missing}, unwanted {unwanted}"


FIRSTS = [p for p in PERSONAS if p.get("premier")]


def test_the_must_be_first_list_covers_the_urgent_situations():
    assert len(FIRSTS) >= 10
    known = {s.id for s in load_scheme_files()}
    assert all(set(p["premier"]) <= known for p in FIRSTS)


@pytest.mark.parametrize("persona", FIRSTS, ids=[p["id"] for p in FIRSTS])
def test_the_first_aid_shown_is_what_a_social_worker_puts_first(persona, proposals):
    """Issue 15: the first aid is the one that helps soonest for the need named (not the RSA before food)."""
    assert proposals[persona["id"]][0] in persona["premier"], proposals[persona["id"]][:3]
