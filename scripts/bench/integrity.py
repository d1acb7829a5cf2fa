"""After a bench run on the production profile: is every turn in the tracker store, once and in order?

Compares what each virtual person sent (BENCH_SENT_FILE, written by scripts/bench/locustfile.py) with the
user messages PostgreSQL holds for that conversation. A turn that was answered must be stored exactly once,
in the order it was sent. A turn that got an error (a replica killed while it was answering, the outage
answer) may be stored or not, but never twice. Nothing else may be stored.

    python scripts/bench/integrity.py var/bench/production-10-sans-pause_envois.json var/bench/production

Prints one French line and appends it to var/bench/integrite.csv; exit status 1 if a turn is lost or doubled.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

ANSWERED, FAILED = "ok", "erreur"


def consistent(sent: Sequence[tuple[str, str]], stored: Sequence[str]) -> bool:
    """True if ``stored`` is ``sent`` in order, with each answered turn once and each failed turn at most once."""

    @cache
    def fits(i: int, j: int) -> bool:
        if i == len(sent):
            return j == len(stored)
        text, status = sent[i]
        if j < len(stored) and stored[j] == text and fits(i + 1, j + 1):
            return True
        return status == FAILED and fits(i + 1, j)

    return fits(0, 0)


def stored_messages(database_url: str, senders: Iterable[str]) -> dict[str, list[str]]:
    from sqlalchemy import bindparam, create_engine, text

    wanted = list(senders)
    found: dict[str, list[str]] = {sender: [] for sender in wanted}
    query = text("SELECT sender_id, data FROM events WHERE type_name = 'user' AND sender_id IN :senders "
                 "ORDER BY id").bindparams(bindparam("senders", expanding=True))
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            for start in range(0, len(wanted), 500):
                for sender, data in connection.execute(query, {"senders": wanted[start:start + 500]}):
                    found[sender].append(json.loads(data)["text"])
    finally:
        engine.dispose()
    return found


def check(sent: dict[str, list[tuple[str, str]]], stored: dict[str, list[str]]) -> tuple[int, int, int, list[str]]:
    """Conversations, answered turns, failed turns, and the conversations whose store does not fit."""
    answered = sum(1 for turns in sent.values() for _, status in turns if status == ANSWERED)
    failed = sum(1 for turns in sent.values() for _, status in turns if status == FAILED)
    wrong = [sender for sender, turns in sent.items() if not consistent(turns, stored.get(sender, []))]
    return len(sent), answered, failed, wrong


def main(sent_file: str, profile_directory: str) -> int:
    raw = json.loads(Path(sent_file).read_text(encoding="utf-8"))
    sent = {sender: [(str(t), str(s)) for t, s in turns] for sender, turns in raw.items()}
    ports = json.loads((Path(profile_directory) / "ports.json").read_text(encoding="utf-8"))
    stored = stored_messages(f"postgresql://rasa@127.0.0.1:{ports['postgres']}/rasa", sent)
    conversations, answered, failed, wrong = check(sent, stored)
    verdict = "aucun tour perdu ni doublé" if not wrong else f"{len(wrong)} conversation(s) ne correspondent pas"
    print(f"Intégrité : {conversations} conversations, {answered} tours répondus, {failed} tours sans réponse "
          f"(erreur, ou en cours à la fin du test) ; {verdict}.")
    for sender in wrong[:5]:
        print(f"  {sender} : envoyés {[t for t, _ in sent[sender]]}, enregistrés {stored.get(sender)}")
    summary = Path("var/bench/integrite.csv")
    new = not summary.exists()
    with summary.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if new:
            writer.writerow(["date", "envois", "conversations", "tours_repondus", "tours_en_erreur",
                             "conversations_incoherentes"])
        writer.writerow([dt.datetime.now().isoformat(timespec="minutes"), Path(sent_file).name, conversations,
                         answered, failed, len(wrong)])
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
