"""The crisis rules of data/crise.yml: their word patterns, the training examples they must cover,
the near-misses that must stay quiet, and the answer of each situation (its number first).

The held-out file is not read here (tests/test_crisis_heldout.py keeps it apart, and the trained
model is measured on it by scripts/evaluate_crisis.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot import crisis
from bot.crisis_classifier import load_examples
from bot.paths import ROOT

EXAMPLES = yaml.safe_load((ROOT / "data" / "crise_exemples.yml").read_text(encoding="utf-8"))
HELDOUT = yaml.safe_load((Path(__file__).parent / "crisis_heldout.yml").read_text(encoding="utf-8"))
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
ALL_NUMBERS = ("17", "112", "114", "15", "115", "3919", "119", "3114")
# Regression guards measured on the training examples (the learned net backs the rules for the rest;
# the held-out file is measured on the trained model by scripts/evaluate_crisis.py).
MIN_RULE_RECALL = 0.82
MAX_RULE_ALARMS = 0.03


def first_paragraphs() -> dict[str, str]:
    return {v["condition"][0]["value"]: v["text"].split("\n\n", 1)[0]
            for v in DOMAIN["responses"]["utter_urgence"] if v.get("condition")}


def test_the_corpus_is_large_and_covers_every_situation() -> None:
    situations = [s.key for s in crisis.rules().situations]
    assert set(EXAMPLES["crises"]) == set(HELDOUT["crises"]) == set(situations)
    for situation in situations:
        assert len(EXAMPLES["crises"][situation]) + len(HELDOUT["crises"][situation]) >= 50, situation
    assert len(EXAMPLES["near_misses"]) + len(HELDOUT["near_misses"]) >= 150
    texts, labels = load_examples()
    assert len(texts) == len(labels) and set(labels) == {*situations, "aucune"}


def test_each_situation_answer_gives_its_number_first_then_all_the_others() -> None:
    first = first_paragraphs()
    assert set(first) == {s.key for s in crisis.rules().situations}
    for situation in crisis.rules().situations:
        assert re.search(rf"(?<!\d){situation.number}(?!\d)", first[situation.key]), situation.key
    assert "115" in first["enfant_en_danger"]  # a minor outside at night: 119 and 115 first
    assert "3114" in first["urgence_medicale"]  # an overdose or self-harm: 15 and 3114 first
    for variant in DOMAIN["responses"]["utter_urgence"]:
        assert all(number in variant["text"] for number in ALL_NUMBERS)


@pytest.mark.parametrize("situation", sorted(EXAMPLES["crises"]))
def test_the_rules_cover_the_training_examples_of_each_situation(situation: str) -> None:
    items = EXAMPLES["crises"][situation]
    found = [crisis.detect(text) for text in items]
    missed = [(text, got) for text, got in zip(items, found) if got != situation]
    assert len(missed) <= (1 - MIN_RULE_RECALL) * len(items), missed


def test_training_near_misses_stay_quiet_with_the_rules() -> None:
    alarms = [(text, crisis.explain(text)) for text in EXAMPLES["near_misses"]]
    assert len([a for a in alarms if a[1]]) <= MAX_RULE_ALARMS * len(alarms), [a for a in alarms if a[1]]


@pytest.mark.parametrize(("text", "situation"), [
    ("sdf besoin d'un hébergement cette nuit", "sans_abri_ce_soir"),
    ("je viens de sortir de prison et j'ai aucun hébergement pour ce soir", "sans_abri_ce_soir"),
    ("mon fils de 16 ans dort dehors", "enfant_en_danger"),
    ("jai 14ans et je dors dehors", "enfant_en_danger"),
    ("il me frappe et je veux un logement", "violence"),
    ("ma voisine se fait frapper par son mari", "violence"),
    ("j'ai avalé toute ma boîte de cachets", "urgence_medicale"),
    ("je me suis ouvert les veines", "urgence_medicale"),
    ("je veux que tout s'arrête", "suicide"),
    ("JE VEUX MOURIR", "suicide"),
    ("il a un couteau", "danger_immediat"),
])
def test_situations_from_concepts(text: str, situation: str) -> None:
    assert crisis.detect(text) == situation


@pytest.mark.parametrize("text", [
    "la crèche me tue avec ses horaires", "j'ai peur de ne pas avoir le permis", "ce loyer va me tuer",
    "mon fils dort chez sa grand-mère", "je me suis battue pour avoir la garde", "je meurs de faim",
    "ma fille de 25 ans dort chez son copain", "j'ai dormi dehors il y a deux ans, maintenant j'ai un studio",
    "mon propriétaire veut me mettre dehors en juin", "j'ai pris mes médicaments ce matin",
    "au secours les impôts m'ont envoyé une lettre", "le secours populaire est ouvert le mardi ?", "", "🙂" * 50,
])
def test_everyday_speech_stays_quiet(text: str) -> None:
    assert crisis.detect(text) is None


def test_a_finding_names_the_combination_of_concepts() -> None:
    finding = crisis.explain("on dort dans la voiture avec les enfants")
    assert finding and finding.situation == "sans_abri_ce_soir" and "dormir" in finding.rule


def test_word_patterns() -> None:
    words = {"lieu": ["la gare", "ma voiture"]}
    pattern = crisis.compile_pattern("dors|dort ... {lieu}", words)
    assert pattern.search(" je dors ce soir a la gare ")
    assert not pattern.search(" je dors bien ")
    assert crisis.compile_pattern("frapp* (a la porte|au carreau)").search(" il frappe au carreau ")
    assert not crisis.compile_pattern("frapp*").search(" refrappe ")
    optional = crisis.compile_pattern("ne? sais pas")
    assert optional.search(" je sais pas ") and optional.search(" je ne sais pas ")
    with pytest.raises(crisis.CrisisFileError, match="inconnue"):
        crisis.compile_pattern("{inconnu}", words)


def test_a_broken_crisis_file_names_the_entry(tmp_path: Path) -> None:
    broken = tmp_path / "crise.yml"
    broken.write_text("concepts:\n  nuit:\n    motifs: [nuit]\nsituations:\n  sans_abri_ce_soir:\n"
                      "    numero: '115'\n    regles:\n      - [nuit, dehors]\n", encoding="utf-8")
    with pytest.raises(crisis.CrisisFileError, match="sans_abri_ce_soir.*dehors"):
        crisis.load_rules(broken)


def test_typo_tolerance_is_limited_to_long_keywords_that_are_not_french_words() -> None:
    rules = crisis.rules()
    assert crisis.prepare("sucide violance", rules.keywords, rules.sms, rules.known_words) == "suicide violence"
    assert crisis.prepare("tuer tier", rules.keywords) == "tuer tier"  # short words are never corrected
    assert crisis.prepare("manger", rules.keywords, known_words=rules.known_words) == "manger"  # not « danger »


def test_ages_and_durations() -> None:
    assert crisis.stated_ages(" mon fils de 16 ans dort dehors ") == (16,)
    assert crisis.stated_ages(" jai quinze ans ") == (15,)
    assert crisis.stated_ages(" sdf depuis 2 ans ") == ()
    assert crisis.stated_ages(" ca fait 10 ans que ca dure ") == ()


def test_a_rule_is_shown_with_its_own_cancellations_only() -> None:
    """The global « jamais_si » apply to every rule; showing them with each rule would mislead a reviewer."""
    rules = crisis.rules()
    global_combos = {" + ".join(c) for c in yaml.safe_load(crisis.CRISIS_FILE.read_text(encoding="utf-8"))["jamais_si"]}
    for situation in rules.situations:
        for rule in situation.rules:
            assert rule.none_of[len(rule.none_of) - rule.global_cancels:], "the global cancellations still apply"
            own = {" + ".join(c) for c in rule.none_of[:len(rule.none_of) - rule.global_cancels]}
            shown = str(rule)
            assert not any(f"sauf {g}" in shown or f", {g}" in shown for g in global_combos - own), shown


def test_the_message_is_read_once_for_every_net() -> None:
    reading = crisis.read("Je dors dehors CE SOIR")
    assert crisis.explain_reading(reading) == crisis.explain("Je dors dehors CE SOIR")
    assert reading.padded.startswith(" ") and "ce soir" in reading.padded
