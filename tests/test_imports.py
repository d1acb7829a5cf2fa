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
from components.action_response_check import validate_action_result
assert RemoteAction.run is not run_or_apologise, "patched on import"
assert RemoteAction._validate_action_result is not validate_action_result, "patched on import"
from components.input_guard import InputCleaner
InputCleaner.create({}, None, None, None)
assert RemoteAction.run is run_or_apologise, "not installed at start-up"
assert RemoteAction._validate_action_result is validate_action_result, "not installed at start-up"
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


def test_the_input_limit_is_declared_once() -> None:
    """2,000 characters: bot.input_text.MAX_CHARS; other 2000s are platform limits named *_LIMIT."""
    import re

    found = []
    for path in sorted([*ROOT.glob("bot/*.py"), *ROOT.glob("actions/*.py"), *ROOT.glob("components/*.py")]):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"(?<![\d.])2000(?![\d.])", line) and "LIMIT" not in line \
                    and not line.startswith("MAX_CHARS = 2000") and "«" not in line:
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_make_help_lists_every_target() -> None:
    import re

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z0-9-]*):", makefile, flags=re.M)) - {"help"}
    shown = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
    listed = set(re.findall(r"^make ([a-z0-9-]+)", shown, flags=re.M))
    assert targets == listed
    phony = re.search(r"^\.PHONY:(.*?)\n\n", makefile, flags=re.M | re.S)
    assert phony and set(phony.group(1).replace("\\", " ").split()) == targets | {"help"}


def test_the_database_is_rebuilt_on_the_same_files_as_its_fingerprint() -> None:
    """make db (the Makefile rule) and the start-up check (bot.store.data_fingerprint) watch the same files."""
    import glob
    import re

    from bot.store import data_sources

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    rule = re.search(r"^\$\(DB\):(.*?)(?<!\\)\n", makefile, flags=re.M | re.S)
    assert rule
    prerequisites = rule.group(1).replace("\\\n", " ")
    listed: set[str] = set()
    for patterns in re.findall(r"\$\(wildcard ([^)]*)\)", prerequisites):
        for pattern in patterns.split():
            listed.update(glob.glob(pattern, root_dir=ROOT))
    plain = re.sub(r"\$\([^)]*\)", " ", prerequisites).split()
    listed.update(plain)
    assert listed == {str(path.relative_to(ROOT)) for path in data_sources()}


def test_measured_durations_are_written_in_the_readme_only() -> None:
    import re

    guide = (ROOT / "docs" / "guide-equipes.md").read_text(encoding="utf-8")
    assert not re.search(r"\d+\s*(?:min\b|minutes|secondes|s\b(?!'))", guide)
