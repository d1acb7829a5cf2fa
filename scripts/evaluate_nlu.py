"""Intent macro-F1 of the trained model on the held-out utterances (tests/nlu_heldout.yml).

Runs `rasa test nlu` on the held-out file, prints the macro-F1 and the
intents below target, and fails under MIN_MACRO_F1 (a regression guard;
the README states the measured value and the 0.95 target).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "results" / "nlu_heldout"
TARGET = 0.95
MIN_MACRO_F1 = 0.93


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(ROOT / ".venv/bin/rasa"), "test", "nlu", "--nlu", "tests/nlu_heldout.yml",
         "--model", "models/current.tar.gz", "--out", str(OUT), "--no-plot"],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    report = json.loads((OUT / "intent_report.json").read_text(encoding="utf-8"))
    macro = report["macro avg"]["f1-score"]
    total = int(report["macro avg"]["support"])
    print(f"Intent macro-F1 on {total} held-out utterances: {macro:.3f} (target {TARGET})")
    summaries = ("macro avg", "weighted avg", "micro avg")
    for intent, scores in sorted(report.items()):
        if isinstance(scores, dict) and intent not in summaries and scores.get("f1-score", 1.0) < TARGET:
            print(f"  {intent}: F1 {scores['f1-score']:.2f} (support {int(scores['support'])})")
    errors = OUT / "intent_errors.json"
    if errors.exists():
        for error in json.loads(errors.read_text(encoding="utf-8"))[:15]:
            print(f"  « {error['text']} » : attendu {error['intent']}, prédit {error['intent_prediction']['name']}")
    (OUT / "macro_f1.txt").write_text(f"{macro:.4f}\n", encoding="utf-8")
    if macro < MIN_MACRO_F1:
        print(f"Échec : macro-F1 {macro:.3f} < {MIN_MACRO_F1}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
