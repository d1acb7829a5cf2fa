"""Median number of questions before the first answer, over the personas of tests/personas.yml.

    python scripts/measure_questions.py     (target: 6 or fewer)
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.question_metrics import questions_asked  # noqa: E402

TARGET = 6


def main() -> int:
    personas = yaml.safe_load((ROOT / "tests" / "personas.yml").read_text(encoding="utf-8"))
    counts = []
    for persona in personas:
        questions = questions_asked(persona["situation"])
        counts.append(len(questions))
        print(f"{len(questions):2d}  {persona['id']}: {', '.join(questions)}")
    median = statistics.median(counts)
    print(f"Median number of questions before the first answer, {len(counts)} personas: {median} "
          f"(min {min(counts)}, max {max(counts)}; target {TARGET} or fewer)")
    return 0 if median <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
