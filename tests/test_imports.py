"""Importing the project's packages has no side effect: no patch of Rasa, no exit, no database check.
The start-up hooks do that: ``python -m actions`` checks the catalogue, the NLU pipeline's first
component installs the outage answer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = """
import actions, actions.form, actions.navigation, actions.aid, components, components.crisis_safety_net
from rasa.core.actions.action import RemoteAction
from components.action_server_outage import run_or_apologise
assert RemoteAction.run is not run_or_apologise, "patched on import"
from components.input_guard import InputCleaner
InputCleaner.create({}, None, None, None)
assert RemoteAction.run is run_or_apologise, "not installed at start-up"
print("ok")
"""


def test_imports_have_no_side_effects_and_start_up_hooks_do_the_work(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'missing.db'}", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", CODE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0 and result.stdout.strip().endswith("ok"), result.stderr[-2000:]


def test_the_action_server_refuses_to_start_without_its_catalogue(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'missing.db'}", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "actions", "--port", "5196"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 3 and "Le serveur d'actions ne démarre pas" in result.stderr
