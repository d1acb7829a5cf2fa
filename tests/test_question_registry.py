"""Each situation question is declared once (data/questions.yml); the copies Rasa needs agree with it, and a
person who goes back or changes an answer reads the question's French label, never an identifier."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.form import parse_answer
from actions.navigation import ActionModifierReponse, ActionRevenir
from bot import questions as registry
from bot.situation import Situation

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
NAMES = [q.name for q in registry.questions()]


def test_the_domain_has_a_slot_a_form_entry_and_a_prompt_for_each_question_and_no_other() -> None:
    assert DOMAIN["forms"]["situation_form"]["required_slots"] == NAMES
    for name in NAMES:
        assert name in DOMAIN["slots"], name
        assert f"utter_ask_{name}" in DOMAIN["responses"] or name == "commune", name  # commune: action_ask_commune
    asked = {r.removeprefix("utter_ask_") for r in DOMAIN["responses"] if r.startswith("utter_ask_")}
    assert asked <= set(NAMES)


def test_every_question_settles_a_situation_field_and_has_a_parser() -> None:
    fields = set(Situation.__dataclass_fields__)
    for question in registry.questions():
        assert question.field in fields
        if question.kind != "commune":
            # « je ne sais pas » is an answer to every question
            assert parse_answer(question.name, "je ne sais pas", [], {"nb_enfants": 1}).ok
            assert callable(getattr(registry.parsing, question.parser))


def tracker(slots: dict, entities: list | None = None) -> Tracker:
    return Tracker(sender_id="t", slots=slots, latest_message={"text": "", "intent": {}, "entities": entities or []},
                   events=[SlotSet(k, v) for k, v in slots.items()], paused=False, followup_action=None,
                   active_loop={}, latest_action_name="action_listen")


def said(action, tracker_: Tracker) -> str:
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, tracker_, {}))
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


@pytest.mark.parametrize("question", registry.questions(), ids=lambda q: q.name)
def test_going_back_and_changing_name_the_question_in_french(question) -> None:
    going_back = said(ActionRevenir(), tracker({"historique": [question.name], question.name: 1}))
    assert going_back == f"D'accord, reprenons : {question.label}."
    changing = said(ActionModifierReponse(), tracker({question.name: 1}, [{"entity": "question",
                                                                          "value": question.name}]))
    assert changing == f"D'accord, changeons : {question.label}."
    for text in (going_back, changing):
        assert "_" not in text and text.count(":") == 1


def test_the_change_buttons_use_the_declared_titles() -> None:
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionModifierReponse().run(dispatcher, tracker({name: 1 for name in NAMES}), {}))
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == [q.button for q in registry.questions()]


def test_a_broken_registry_fails_with_a_french_message(tmp_path: Path) -> None:
    broken = tmp_path / "questions.yml"
    broken.write_text("questions:\n  age: {reponse: nombre, analyse: parse_nothing, champ: age, libelle: x, "
                      "bouton: y}\ntoujours: []\npar_besoin: {}\n", encoding="utf-8")
    with pytest.raises(registry.QuestionsFileError, match="analyse"):
        registry.load_plan(broken)


@pytest.mark.parametrize("slot, value, expected", [
    ("age", 34, "34 ans"), ("nb_enfants", 0, "aucun enfant à charge"), ("nb_enfants", 1, "1 enfant à charge"),
    ("nb_enfants", 3, "3 enfants à charge"), ("logement", "locataire", "vous êtes locataire"),
    ("commune", "81004", "vous habitez Albi (Tarn)"), ("permis", True, None), ("age", "inconnu", None),
])
def test_answers_given_in_passing_are_acknowledged_as_declared(slot, value, expected) -> None:
    from actions.form import acknowledgement

    assert acknowledgement(slot, value) == expected


def test_every_closed_question_lets_the_person_not_know_and_the_income_not_say():
    """Issue 15: the greeting promises « je ne sais pas »; every question with buttons offers it."""
    domain = DOMAIN
    for name in registry.answer_slots():
        variants = domain["responses"].get(f"utter_ask_{name}", [])
        buttons = [b for variant in variants for b in variant.get("buttons", [])]
        if buttons:
            assert "/ne_sait_pas" in [b["payload"] for b in buttons], name
    income = [b["title"] for v in domain["responses"]["utter_ask_ressources"] for b in v["buttons"]]
    assert any("préfère ne pas dire" in title for title in income)
