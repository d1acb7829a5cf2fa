"""Train the Rasa model only when its inputs changed.

The model file is named after a hash of everything training reads (config,
domain, NLU data, stories, rules, the spaCy pipeline and the Rasa version), so
an unchanged checkout reuses the model trained before, and CI trains once.
Prints the path of the model to use; ``models/current`` points at it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ["config.yml", "domain.yml", "data/nlu", "data/stories.yml", "data/rules.yml",
          "build/spacy/fr_occitanie/meta.json",
          # the crisis net trained with the model (components/crisis_safety_net.py)
          "data/crise.yml", "data/crise_exemples.yml", "bot/crisis.py", "bot/crisis_classifier.py",
          "components/crisis_safety_net.py"]
# Versions of the packages that shape the model (a change retrains).
PACKAGES = ["rasa", "tensorflow", "spacy", "spacy-lookups-data"]


def fingerprint() -> str:
    from importlib.metadata import version

    digest = hashlib.sha256()
    for package in PACKAGES:
        digest.update(f"{package}=={version(package)}".encode())
    for entry in INPUTS:
        path = ROOT / entry
        files = sorted(path.rglob("*.yml")) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def main() -> int:
    name = f"model-{fingerprint()}"
    models = ROOT / "models"
    target = models / f"{name}.tar.gz"
    if not target.exists():
        print(f"Entraînement du modèle ({name}), quelques minutes…", file=sys.stderr)
        command = [str(ROOT / ".venv/bin/rasa"), "train", "--fixed-model-name", name, "--out", str(models),
                   "--config", "config.yml", "--domain", "domain.yml",
                   "--data", "data/nlu", "data/stories.yml", "data/rules.yml"]
        log = ROOT / "var" / "log" / "train.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        with open(log, "w", encoding="utf-8") as output:
            result = subprocess.run(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
                                    env={**os.environ, "PYTHONPATH": str(ROOT)})
        if result.returncode != 0:
            print(log.read_text(encoding="utf-8")[-4000:], file=sys.stderr)
            print(f"L'entraînement a échoué (journal complet : {log}).", file=sys.stderr)
            return result.returncode
        print(f"Modèle entraîné en {time.monotonic() - started:.0f} s.", file=sys.stderr)
    current = models / "current.tar.gz"
    if current.is_symlink() or current.exists():
        current.unlink()
    current.symlink_to(target.name)
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
