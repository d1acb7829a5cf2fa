"""Urgent everyday needs: recognised by data/besoins_urgents.yml, answered by data/aide_immediate.yml first,
after the commune only, then the full check on « oui »."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from actions.conversation import URGENT_INTRO, ActionEnregistrerBesoin
from actions.form import ValidateSituationForm
from actions.results import FULL_CHECK_QUESTION, ActionBilanComplet, ActionProposerAides
from bot.catalogue import CatalogueError
from bot.geography import load_index
from bot.immediate_help import TO_CONFIRM, help_file, help_message, help_texts, load_help
from bot.paths import DATA
from bot.urgent_rules import detect_urgent_need, urgent_rules
from tests.test_actions import run, slots_set, texts, tracker

EXAMPLES = yaml.safe_load((DATA / "besoins_urgents_exemples.yml").read_text(encoding="utf-8"))
POSITIVES = [(situation, text) for situation, items in EXAMPLES["besoins"].items() for text in items]
SUNDAY_MORNING = dt.datetime(2026, 11, 29, 10, 0)
SUMMER = dt.datetime(2026, 6, 15, 10, 0)
ALBI, CAHORS = "81004", "46042"


@pytest.mark.parametrize(("situation", "text"), POSITIVES)
def test_each_example_gives_its_urgent_need(situation: str, text: str) -> None:
    found = detect_urgent_need(text)
    assert found is not None and found.situation == situation, text


@pytest.mark.parametrize("text", EXAMPLES["pas_urgent"])
def test_everyday_messages_are_not_urgent(text: str) -> None:
    assert detect_urgent_need(text) is None


def test_button_payloads_are_never_an_urgent_need() -> None:
    assert detect_urgent_need("/besoin_alimentation") is None


def test_every_situation_names_a_need_of_the_assistant() -> None:
    assert set(urgent_rules().needs.values()) <= {"alimentation", "energie", "logement"}
    assert set(EXAMPLES["besoins"]) == set(urgent_rules().needs)


def test_every_urgent_situation_has_its_help_and_each_step_its_status() -> None:
    helps = help_file()
    assert set(helps.situations) == set(urgent_rules().needs)
    for entry in helps.situations.values():
        for step in entry.steps:
            assert step.source.startswith("https://")
            assert step.checked is None or step.checked == "2026-11-29" or step.checked < "2027"


def test_a_help_file_without_a_situation_is_refused(tmp_path: Path) -> None:
    raw = yaml.safe_load((DATA / "aide_immediate.yml").read_text(encoding="utf-8"))
    del raw["situations"]["expulsion"]
    broken = tmp_path / "aide_immediate.yml"
    broken.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogueError, match="expulsion"):
        load_help(broken)


def test_a_verified_step_without_the_sentence_read_is_refused(tmp_path: Path) -> None:
    raw = yaml.safe_load((DATA / "aide_immediate.yml").read_text(encoding="utf-8"))
    step = next(s for s in raw["situations"]["expulsion"]["etapes"] if s.get("verifie_le"))
    del step["phrase"]
    broken = tmp_path / "aide_immediate.yml"
    broken.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogueError, match="phrase"):
        load_help(broken)


def test_eviction_help_says_stay_keep_paying_call_and_go_to_the_hearing() -> None:
    text = help_message("expulsion", load_index().get(ALBI), SUNDAY_MORNING)
    assert text.startswith("Pour garder votre logement, près d'Albi")
    assert "Restez chez vous" in text  # the winter truce, on 29 November
    assert "0 805 160 075" in text  # SOS loyers impayés, verified on F31272
    assert "Continuez à payer le loyer" in text
    assert "audience" in text
    assert "Visale" not in text and "Loca-Pass" not in text
    assert "Mairie d'Albi" in text  # the CCAS, for the FSL


def test_the_local_adil_comes_where_a_page_gives_it() -> None:
    assert "(ADIL) du Lot au 05 65 35 25 41" in help_message("expulsion", load_index().get(CAHORS), SUNDAY_MORNING)
    assert "ADIL" not in help_message("expulsion", load_index().get(ALBI), SUNDAY_MORNING).split("Continuez")[0]


def test_the_winter_truce_is_said_only_during_the_truce() -> None:
    assert "trêve hivernale" in help_message("expulsion", None, SUNDAY_MORNING)
    assert "trêve hivernale" not in help_message("expulsion", None, SUMMER)
    assert "trêve hivernale" in help_message("coupure_energie", None, dt.datetime(2027, 3, 31, 9, 0))
    assert "trêve hivernale" not in help_message("coupure_energie", None, dt.datetime(2027, 4, 1, 9, 0))


def test_the_power_cut_line_has_the_departement_digits_and_says_to_confirm() -> None:
    text = help_message("coupure_energie", load_index().get(ALBI), SUNDAY_MORNING)
    assert "09 72 67 50 81" in text and TO_CONFIRM in text


def test_food_help_gives_the_town_hall_with_its_number_and_next_opening() -> None:
    text = help_message("plus_rien_a_manger", load_index().get(ALBI), SUNDAY_MORNING)
    assert "Mairie d'Albi au 05 63 49 10 10" in text
    assert "Ouvert demain" in text  # a Sunday
    assert "CCAS (centre communal d'action sociale)" in text


@pytest.mark.parametrize("situation", sorted(urgent_rules().needs))
def test_the_help_of_the_day_is_short_enough_for_a_phone(situation: str) -> None:
    for insee in (ALBI, CAHORS, "31555", "48095"):
        assert len(help_message(situation, load_index().get(insee), SUNDAY_MORNING)) <= 1000


def test_help_texts_cover_every_step() -> None:
    texts_ = help_texts()
    assert sum(len(v) for v in texts_.values()) == sum(len(e.steps) + 1 for e in help_file().situations.values())


# --- the dialogue ------------------------------------------------------------------------------------------

def test_an_urgent_need_is_announced_instead_of_the_questions() -> None:
    events, dispatcher = run(ActionEnregistrerBesoin(), tracker(
        {"urgence_pratique": "plus_rien_a_manger", "besoins": []}, "on a plus rien a manger",
        intent="besoin_alimentation"))
    assert texts(dispatcher) == URGENT_INTRO
    assert slots_set(events)["besoins"] == ["alimentation"]


def test_only_the_commune_is_asked_before_the_help_of_the_day() -> None:
    events, _ = run(ValidateSituationForm(), tracker(
        {"urgence_pratique": "plus_rien_a_manger", "besoins": ["alimentation"]}, "on a plus rien a manger",
        intent="besoin_alimentation"))
    assert slots_set(events)["requested_slot"] == "commune"
    events, _ = run(ValidateSituationForm(), tracker(
        {"urgence_pratique": "plus_rien_a_manger", "besoins": ["alimentation"]}, "Albi", requested="commune"))
    assert slots_set(events)["commune"] == ALBI
    assert slots_set(events)["requested_slot"] is None


def test_an_urgent_need_told_during_a_question_ends_the_questions_without_an_error() -> None:
    events, dispatcher = run(ValidateSituationForm(), tracker(
        {"commune": ALBI, "urgence_pratique": "expulsion"}, "l'huissier vient demain", requested="age",
        intent="besoin_logement"))
    assert slots_set(events)["requested_slot"] is None
    assert "âge" not in texts(dispatcher)


def test_the_results_turn_gives_the_help_of_the_day_then_offers_the_full_check() -> None:
    events, dispatcher = run(ActionProposerAides(), tracker(
        {"commune": ALBI, "urgence_pratique": "expulsion", "besoins": ["logement"]}))
    assert slots_set(events) == {"aide_immediate_donnee": "expulsion"}
    assert "0 805 160 075" in texts(dispatcher)
    assert dispatcher.messages[-1]["text"] == FULL_CHECK_QUESTION
    assert [b["payload"] for b in dispatcher.messages[-1]["buttons"]] == ["/affirmer", "/nier"]


def test_after_the_help_of_the_day_the_questions_and_then_the_aids_come() -> None:
    given = {"commune": ALBI, "urgence_pratique": "expulsion", "aide_immediate_donnee": "expulsion",
             "besoins": ["logement"]}
    _, dispatcher = run(ActionBilanComplet(), tracker(given, "oui", intent="affirmer"))
    assert "Quelques questions" in texts(dispatcher)
    events, _ = run(ValidateSituationForm(), tracker(given, "oui", intent="affirmer"))
    assert slots_set(events)["requested_slot"] not in (None, "commune")
    _, dispatcher = run(ActionProposerAides(), tracker({**given, "logement": "locataire", "impaye": True}))
    assert FULL_CHECK_QUESTION not in texts(dispatcher)
    assert "aide" in texts(dispatcher)


def test_a_second_different_urgent_need_gets_its_own_help() -> None:
    events, dispatcher = run(ActionProposerAides(), tracker(
        {"commune": ALBI, "urgence_pratique": "coupure_energie", "aide_immediate_donnee": "expulsion",
         "besoins": ["logement", "energie"]}))
    assert slots_set(events) == {"aide_immediate_donnee": "coupure_energie"}
    assert "fournisseur" in texts(dispatcher)
