"""Urgent everyday needs on the held-out file (tests/besoins_urgents_heldout.yml).

Each held-out message of a need counts as recognised when the rules of data/besoins_urgents.yml
(bot.urgent_rules) find that very situation; a « pas_urgent » message counts as a false alarm when
they find any. The rules need no model: this runs in a second.

Prints recall per situation and the false-alarm rate, writes results/urgent_needs_heldout.json and
fails below the gates. Only counts are printed: the held-out sentences are not shown, so that nobody
writes a rule from them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.urgent_rules import detect_urgent_need  # noqa: E402

HELDOUT = ROOT / "tests" / "besoins_urgents_heldout.yml"
OUT = ROOT / "results" / "urgent_needs_heldout.json"
# The rules were written from data/besoins_urgents_exemples.yml before this file existed. Measured on
# 29/11/2026: recall 0.64 (food, 18/28), 0.70 (heating, 21/30), 0.67 (energy cut, 20/30), 0.69 (eviction,
# 20/29), 7.4 % false alarms (5/68).
# The rules are deterministic: the gates are the measured figures; raise them as the rules improve, never
# lower them. A message they miss still gets the usual questions and the aids, only later.
GATES = {"plus_rien_a_manger": 0.64, "sans_chauffage": 0.69, "coupure_energie": 0.66, "expulsion": 0.68}
MAX_FALSE_ALARMS = 0.075


def evaluate(path: Path = HELDOUT) -> dict[str, dict[str, float]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    scores: dict[str, dict[str, float]] = {}
    for situation, messages in raw["besoins"].items():
        found = sum(1 for m in messages if (n := detect_urgent_need(m)) is not None and n.situation == situation)
        scores[situation] = {"messages": len(messages), "found": found, "recall": found / len(messages)}
    negatives = raw["pas_urgent"]
    alarms = sum(1 for m in negatives if detect_urgent_need(m) is not None)
    scores["pas_urgent"] = {"messages": len(negatives), "alarms": alarms, "rate": alarms / len(negatives)}
    return scores


def main() -> int:
    scores = evaluate()
    failed = False
    print("Besoins urgents (règles de data/besoins_urgents.yml) sur le fichier mis de côté :")
    for situation, score in scores.items():
        if situation == "pas_urgent":
            continue
        gate = GATES[situation]
        print(f"  {situation:20} {score['found']:3}/{score['messages']:3} (rappel {score['recall']:.2f}, "
              f"seuil {gate:.2f})")
        failed |= score["recall"] < gate
    negatives = scores["pas_urgent"]
    print(f"  fausses alertes      {negatives['alarms']:3}/{negatives['messages']:3} ({negatives['rate']:.1%}, "
          f"seuil {MAX_FALSE_ALARMS:.1%})")
    failed |= negatives["rate"] > MAX_FALSE_ALARMS
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(scores, indent=2, ensure_ascii=False), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
