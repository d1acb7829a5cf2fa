"""The held-out files are kept apart: no sentence of tests/nlu_heldout.yml, tests/crisis_heldout.yml or
tests/besoins_urgents_heldout.yml is a copy or a near-copy of anything the model or the rules learn from (the
NLU training data, the crisis and urgent-need examples, the rules), after normalising case, accents and
punctuation."""

from __future__ import annotations

from difflib import SequenceMatcher
from pathlib import Path

import pytest
import yaml

from bot.nlu_examples import intent_examples
from bot.paths import ROOT
from bot.text import normalize

NEAR_COPY = 0.85  # similarity ratio of two normalised sentences from which one is a near-copy of the other


def nlu_sentences(path: Path) -> list[str]:
    return [text for _, text in intent_examples(path)]


def crisis_sentences(path: Path) -> list[str]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [t for items in raw["crises"].values() for t in items] + list(raw["near_misses"])


def urgent_sentences(path: Path) -> list[str]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [t for items in raw["besoins"].values() for t in items] + list(raw["pas_urgent"])


def training_sentences() -> list[str]:
    sentences = [s for path in sorted((ROOT / "data" / "nlu").glob("*.yml")) for s in nlu_sentences(path)]
    return (sentences + crisis_sentences(ROOT / "data" / "crise_exemples.yml")
            + urgent_sentences(ROOT / "data" / "besoins_urgents_exemples.yml"))


def near_copies(heldout: list[str], training: list[str]) -> list[tuple[str, str]]:
    train = {normalize(t) for t in training if normalize(t)}
    found = []
    for sentence in heldout:
        key = normalize(sentence)
        if key in train:
            found.append((sentence, key))
            continue
        matcher = SequenceMatcher(None, "", key, autojunk=False)  # b, the held-out sentence, is indexed once
        for other in train:
            matcher.set_seq1(other)
            if matcher.real_quick_ratio() >= NEAR_COPY and matcher.quick_ratio() >= NEAR_COPY \
                    and matcher.ratio() >= NEAR_COPY:
                found.append((sentence, other))
                break
    return found


def test_the_near_copy_check_can_fail() -> None:
    assert near_copies(["Je dors DEHORS, ce soir !"], ["je dors dehors ce soir"])
    assert near_copies(["je dors dehors ce soir avec mon fils"], ["je dors dehors ce soir avec mes fils"])
    assert not near_copies(["je cherche une crèche"], ["je dors dehors ce soir"])


@pytest.mark.parametrize("heldout", ["nlu_heldout.yml", "crisis_heldout.yml", "besoins_urgents_heldout.yml"])
def test_heldout_shares_nothing_with_training_data(heldout: str) -> None:
    path = Path(__file__).parent / heldout
    reader = {"nlu": nlu_sentences, "crisis": crisis_sentences, "besoins": urgent_sentences}[heldout.split("_")[0]]
    sentences = reader(path)
    assert sentences
    assert near_copies(sentences, training_sentences()) == []


def test_no_crisis_rule_quotes_a_heldout_sentence() -> None:
    rules = normalize((ROOT / "data" / "crise.yml").read_text(encoding="utf-8"))
    quoted = [s for s in crisis_sentences(Path(__file__).parent / "crisis_heldout.yml")
              if len(normalize(s).split()) >= 4 and normalize(s) in rules]
    assert quoted == []


def test_no_urgent_need_rule_quotes_a_heldout_sentence() -> None:
    rules = normalize((ROOT / "data" / "besoins_urgents.yml").read_text(encoding="utf-8"))
    quoted = [s for s in urgent_sentences(Path(__file__).parent / "besoins_urgents_heldout.yml")
              if len(normalize(s).split()) >= 4 and normalize(s) in rules]
    assert quoted == []
