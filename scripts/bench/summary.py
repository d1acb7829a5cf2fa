"""Summary of a locust run: per kind of turn, turns per second, p50/p95/p99 and errors, and the ratio of
each kind's p95 to the floor (a greeting, answered without any custom action). Appends to var/bench/resume.csv."""

from __future__ import annotations

import csv
import datetime as dt
import platform
import sys
from pathlib import Path

KINDS = ("question", "résultats", "suite", "salutation")


def main(prefix: str, users: str, label: str, profile: str = "defaut") -> int:
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        print(f"Pas de résultats ({stats} manque) : voir var/log/bench.log", file=sys.stderr)
        return 1
    rows = {row["Name"]: row for row in csv.DictReader(stats.open(encoding="utf-8"))}
    floor = float(rows["salutation"]["95%"]) if "salutation" in rows else None
    summary = Path("var/bench/resume.csv")
    new = not summary.exists()
    with summary.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if new:
            writer.writerow(["date", "machine", "profil", "personnes", "rythme", "tour", "tours", "tours_par_s",
                             "p50_ms", "p95_ms", "p99_ms", "erreurs", "p95_sur_plancher"])
        print(f"{'tour':<12}{'tours':>7}{'tours/s':>9}{'p50':>8}{'p95':>8}{'p99':>8}{'erreurs':>9}{'×plancher':>11}")
        for kind in KINDS + ("Aggregated",):
            row = rows.get(kind)
            if row is None:
                continue
            p95 = float(row["95%"])
            ratio = f"{p95 / floor:.1f}" if floor else ""
            print(f"{kind:<12}{row['Request Count']:>7}{float(row['Requests/s']):>9.2f}{row['50%']:>8}"
                  f"{row['95%']:>8}{row['99%']:>8}{row['Failure Count']:>9}{ratio:>11}")
            writer.writerow([dt.datetime.now().isoformat(timespec="minutes"), f"{platform.machine()} "
                             f"{__import__('os').cpu_count()} cœurs", profile, users, label, kind,
                             row["Request Count"], f"{float(row['Requests/s']):.2f}", row["50%"], row["95%"],
                             row["99%"], row["Failure Count"], ratio])
    print(f"(millisecondes ; détail dans {prefix}_stats.csv, résumé dans {summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
