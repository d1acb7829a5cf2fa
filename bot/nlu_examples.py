"""Read the example sentences of Rasa NLU files (data/nlu/*.yml, tests/nlu_heldout.yml) without Rasa.

One reader for every script and test that needs the plain sentences: entity annotations
(« [Albi](commune) », « [apl]{"entity": "aide"} ») are replaced by the words typed.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def plain(example: str) -> str:
    """The sentence as a person would type it, annotations removed."""
    return _ANNOTATION.sub(r"\1", example)


def intent_examples(path: Path) -> list[tuple[str, str]]:
    """(intent, sentence) for every example of an NLU file; lookup tables and synonyms are left out."""
    found = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
        intent = item.get("intent")
        if intent is None:
            continue
        for line in (item.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                found.append((str(intent), plain(line[2:])))
    return found


def training_examples(directory: Path) -> list[tuple[str, str]]:
    """(intent, sentence) for every NLU training file of ``directory``, in file order."""
    return [pair for path in sorted(directory.glob("*.yml")) for pair in intent_examples(path)]
