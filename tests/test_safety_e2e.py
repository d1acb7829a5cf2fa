"""Crisis, bad input, privacy and exposure, on the shared running assistant (REST channel).

Needs the trained model (make e2e)."""

from __future__ import annotations

import sqlite3
import uuid

import pytest
import requests

from tests.servers import Assistant
from tests.test_e2e import ANSWERS, Person, answer_questions, joined

pytestmark = pytest.mark.e2e


def test_indirect_crisis_wording_mid_questions_gets_the_numbers_first(rasa_url: str) -> None:
    person = Person(rasa_url)
    question = person.says("je cherche de l'aide pour payer mes factures d'électricité")[-1]["text"]
    replies = person.says("je n'ai pas de toit cette nuit")
    assert replies[0]["text"].startswith("Pour un abri cette nuit, appelez le 115")
    assert replies[-1]["text"] == question  # then the question comes back
    replies = person.says("je pense au sucide")
    assert replies[0]["text"].startswith("Vous n'êtes pas seul(e). Appelez le 3114")


def test_near_miss_does_not_trigger_the_emergency_answer(rasa_url: str) -> None:
    person = Person(rasa_url)
    for text in ("ma batterie est morte", "je meurs de faim", "le loyer me tue"):
        assert "3919" not in joined(person.says(text))


BAD_INPUTS = ["", "   ", "🙂🙂🙂", "x" * 10_000, "<script>alert('x')</script>", "<b>bonjour</b><img src=x>",
              "'; DROP TABLE events; --", "\x00\x07\x1b[2J", "I need help with my rent", "مساعدة", "-5", "300",
              "999999999999999999999999999", "/nimportequoi", '/informer{"age": 300}', '/informer{"logement": "<b>"}']


def test_bad_input_during_the_questions_keeps_the_form(rasa_url: str) -> None:
    person = Person(rasa_url)
    person.says("je cherche une aide pour garder mon fils")
    question = person.says("Rodez")[-1]["text"]
    for text in BAD_INPUTS:
        replies = person.says(text)
        assert all("Traceback" not in r.get("text", "") and "Exception" not in r.get("text", "") for r in replies)
        assert replies[-1]["text"] == question, f"question lost after {text[:30]!r}"


def test_bad_input_outside_the_questions_gets_a_french_reply(rasa_url: str) -> None:
    person = Person(rasa_url)
    for text in ("", "🙂", "<script>alert(1)</script>", "necesito ayuda"):
        replies = person.says(text)
        assert replies[-1].get("buttons"), f"no way forward after {text!r}"


def test_oversized_and_malformed_bodies_are_refused_in_french(assistant: Assistant) -> None:
    too_long = requests.post(assistant.rest_url, json={"sender": "s-big", "message": "x" * 70_000}, timeout=30)
    assert too_long.status_code == 413 and "trop long" in too_long.json()[0]["text"]
    malformed = requests.post(assistant.rest_url, data=b"{not json", timeout=30,
                              headers={"Content-Type": "application/json"})
    assert malformed.status_code == 400 and "lire ce message" in malformed.json()[0]["text"]


def test_one_sender_cannot_flood_the_webhook(assistant: Assistant) -> None:
    sender = f"flood-{uuid.uuid4()}"
    statuses = []
    for _ in range(2 * 30 + 1):  # more than two one-minute windows' worth of the per-sender limit
        answer = requests.post(assistant.rest_url, json={"sender": sender, "message": "???"}, timeout=30)
        statuses.append(answer.status_code)
        if answer.status_code == 429:
            assert "Attendez une minute" in answer.json()[0]["text"]
            break
    assert statuses[-1] == 429


def test_rasa_http_api_is_off(assistant: Assistant) -> None:
    assert requests.get(f"{assistant.base_url}/conversations/someone/tracker", timeout=10).status_code == 404
    assert requests.post(f"{assistant.base_url}/model/parse", json={"text": "bonjour"}, timeout=10).status_code == 404


def test_no_personal_data_in_the_logs_of_a_whole_conversation(assistant: Assistant) -> None:
    """A conversation that answers the income question too; every answer sent is then looked for in the logs."""
    person = Person(assistant.rest_url)
    answers = {**ANSWERS, "combien le foyer": "environ 1 137 euros", "quel âge": "je viens d'avoir 34 ans"}
    said = ["je cherche du travail et je n'ai presque plus de revenus", "j'habite à Saint-Gaudens"]
    person.says(said[0])
    replies = answer_questions(person, person.says(said[1]), answers=answers, said=said)
    assert "que souhaitez-vous faire maintenant" in replies[-1]["text"].lower()
    assert "environ 1 137 euros" in said and "je viens d'avoir 34 ans" in said  # the income question was asked
    logs = "\n".join((assistant.work / name).read_text(encoding="utf-8", errors="replace")
                     for name in ("rasa.log", "actions.log"))
    typed = [text for text in said if len(text) >= 5]  # « oui », « non », « 2 » are in any log
    for secret in [*typed, "Saint-Gaudens", "31483", "1 137", "1137", "34 ans", person.sender]:
        assert secret not in logs, f"found in the logs: {secret}"


def test_erase_deletes_the_conversation_from_the_tracker_store(assistant: Assistant) -> None:
    person = Person(assistant.rest_url)
    person.says("je cherche une aide pour garder mon fils")
    person.says("Albi")

    def stored_events() -> int:
        with sqlite3.connect(assistant.work / "tracker.db") as connection:
            return connection.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (person.sender,)).fetchone()[0]

    assert stored_events() > 0
    replies = person.says("effacer mes données")
    assert "cette conversation est effacée" in joined(replies)
    assert stored_events() == 0
    assert "Bonjour" in joined(person.says("bonjour"))  # a new conversation starts
    assert "Albi" not in joined(person.says("/recapitulatif"))
