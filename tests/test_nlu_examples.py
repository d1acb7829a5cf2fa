"""The one reader of NLU example sentences used by scripts and tests."""

from __future__ import annotations

from pathlib import Path

from bot.nlu_examples import intent_examples, plain, training_examples
from bot.paths import DATA


def test_annotations_are_replaced_by_the_words_typed() -> None:
    assert plain("j'habite à [Albi](commune)") == "j'habite à Albi"
    assert plain('c\'est quoi [l\'apl]{"entity": "aide", "value": "apl"}') == "c'est quoi l'apl"


def test_lookup_tables_are_not_sentences(tmp_path: Path) -> None:
    nlu = tmp_path / "nlu.yml"
    nlu.write_text('version: "3.1"\nnlu:\n- intent: saluer\n  examples: |\n    - bonjour\n    - [Albi](commune) svp\n'
                   "- lookup: commune\n  examples: |\n    - Albi\n", encoding="utf-8")
    assert intent_examples(nlu) == [("saluer", "bonjour"), ("saluer", "Albi svp")]


def test_every_training_file_is_read() -> None:
    examples = training_examples(DATA / "nlu")
    assert len(examples) > 500
    assert {"urgence", "saluer"} <= {intent for intent, _ in examples}
