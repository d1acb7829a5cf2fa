"""The check run after a bench on the production profile: every answered turn stored once and in order."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("bench_integrity", ROOT / "scripts" / "bench" / "integrity.py")
assert _spec and _spec.loader
integrity = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(integrity)

OK, ERR = integrity.ANSWERED, integrity.FAILED


def test_answered_turns_stored_once_and_in_order_fit() -> None:
    assert integrity.consistent([("a", OK), ("b", OK), ("b", OK)], ["a", "b", "b"])
    assert integrity.consistent([], [])


def test_a_lost_turn_a_doubled_turn_or_a_swapped_order_do_not_fit() -> None:
    assert not integrity.consistent([("a", OK), ("b", OK)], ["a"])
    assert not integrity.consistent([("a", OK), ("b", OK)], ["a", "b", "b"])
    assert not integrity.consistent([("a", OK), ("b", OK)], ["b", "a"])
    assert not integrity.consistent([("a", OK)], ["a", "x"])


def test_a_failed_turn_may_be_stored_or_not_but_never_twice() -> None:
    assert integrity.consistent([("a", OK), ("b", ERR), ("c", OK)], ["a", "c"])
    assert integrity.consistent([("a", OK), ("b", ERR), ("c", OK)], ["a", "b", "c"])
    assert not integrity.consistent([("a", OK), ("b", ERR), ("c", OK)], ["a", "b", "b", "c"])
    # the same words typed again after an error: either copy may be the stored one
    assert integrity.consistent([("oui", ERR), ("oui", OK)], ["oui"])
    assert integrity.consistent([("oui", ERR), ("oui", OK)], ["oui", "oui"])


def test_the_summary_counts_conversations_turns_and_mismatches() -> None:
    sent = {"s1": [("a", OK), ("b", ERR)], "s2": [("a", OK)]}
    assert integrity.check(sent, {"s1": ["a"], "s2": []}) == (2, 2, 1, ["s2"])
