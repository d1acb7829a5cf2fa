"""Latency against the number of people, from var/bench/resume.csv (the latest run of each profile, level and
rhythm): p50 and p95 per turn, all kinds of turns together. Writes var/bench/latence.png."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

SUMMARY = Path("var/bench/resume.csv")
OUT = Path("var/bench/latence.png")


def latest_rows(path: Path = SUMMARY) -> dict[tuple[str, str, int], dict[str, str]]:
    rows: dict[tuple[str, str, int], dict[str, str]] = {}
    for row in csv.DictReader(path.open(encoding="utf-8")):
        if row["tour"] == "Aggregated" and row["rythme"] != "pannes":  # the fault drill is not a load level
            rows[(row["profil"], row["rythme"], int(row["personnes"]))] = row  # the file is in time order
    return rows


def main() -> int:
    if not SUMMARY.exists():
        print(f"Pas de résultats : {SUMMARY} manque (lancez make bench).", file=sys.stderr)
        return 1
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = latest_rows()
    figure, axis = plt.subplots(figsize=(8, 5))
    for profile, rhythm in sorted({(p, r) for p, r, _ in rows}):
        levels = sorted(n for p, r, n in rows if (p, r) == (profile, rhythm))
        for quantile, style in (("p50_ms", "o-"), ("p95_ms", "s--")):
            axis.plot(levels, [float(rows[(profile, rhythm, n)][quantile]) for n in levels], style,
                      label=f"{profile}, {rhythm}, {quantile[:3]}")
    axis.set_xlabel("personnes en même temps")
    axis.set_ylabel("durée d'un tour (ms)")
    axis.set_title("Assistant des aides : durée d'un tour selon le nombre de personnes")
    axis.grid(True, alpha=0.3)
    axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(OUT, dpi=120)
    print(f"Graphique : {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
