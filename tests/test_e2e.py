"""End to end: the action server and the Rasa server, one whole conversation through the REST webhook.

Needs the trained model (models/current.tar.gz, made by `make model`); run with `make e2e`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests
from twilio.request_validator import RequestValidator

from tests.fake_twilio import FakeTwilio

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.e2e

# What a person would answer to each question, recognised by a few words of the question.
ANSWERS = {
    "quelle commune": "j'habite à st gaudens",
    "quel âge": "34 ans",
    "combien d'adultes": "je vis seule",
    "combien d'enfants": "2",
    "quel âge ont vos enfants": "3 et 7",
    "situation de logement": "je suis locataire",
    "votre activité": "je suis en cdd",
    "combien le foyer": "environ 1100 euros",
    "de loyer par mois": "520 euros charges comprises",
    "en retard de paiement": "oui",
    "permis de conduire": "non",
    "un véhicule": "non",
    "reconnaissance de handicap": "non",
    "attendez-vous un enfant": "non",
    "dépendez-vous de la msa": "non",
}


class Person:
    def __init__(self, url: str):
        self.url = url
        self.sender = str(uuid.uuid4())

    def says(self, text: str) -> list[dict]:
        response = requests.post(self.url, json={"sender": self.sender, "message": text}, timeout=60)
        response.raise_for_status()
        replies = response.json()
        assert replies, f"silent turn after « {text} »"
        return replies


def joined(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def answer_to(question: str, answers: dict[str, str] = ANSWERS) -> str:
    """What the person answers to ``question``, found by a few of its words."""
    keys = sorted((key for key in answers if key in question.lower()), key=len, reverse=True)
    answer = answers[keys[0]] if keys else None  # the most specific key: « quel âge ont vos enfants » first
    assert answer, f"unexpected question: {question}"
    return answer


def answer_questions(person: Person, replies: list[dict], limit: int = 16, answers: dict[str, str] = ANSWERS,
                     said: list[str] | None = None) -> list[dict]:
    """Answers each question until the results come; ``said`` collects the answers sent."""
    asked = []
    for _ in range(limit):
        last = replies[-1].get("text", "")
        if "que souhaitez-vous faire maintenant" in last.lower():
            return replies
        asked.append(last)
        answer = answer_to(last, answers)
        if said is not None:
            said.append(answer)
        replies = person.says(answer)
    raise AssertionError("too many questions: " + " | ".join(asked))


def test_whole_conversation_to_schemes_and_contacts(rasa_url: str) -> None:
    person = Person(rasa_url)
    greeting = person.says("bonjour")
    assert "Bonjour" in greeting[0]["text"]
    assert any(r.get("buttons") for r in greeting)

    replies = person.says("je n'arrive plus à payer mon loyer")
    assert "une à la fois" in joined(replies)
    replies = answer_questions(person, replies)
    text = joined(replies)
    assert "Fonds de solidarité pour le logement (FSL) de la Haute-Garonne" in text
    assert "Aide au logement de la CAF" in text
    assert "Source :" not in text  # one line per aid; the details come on request
    assert "France services" in text and "3230" in text
    payloads = [b["payload"] for b in replies[-1]["buttons"]]
    assert payloads[0] == '/voir_details{"numero": "1"}' and payloads[-1] == "/au_revoir"

    details = joined(person.says("2"))  # typed, as on a phone
    assert details.startswith("2. ") and "Pourquoi pour vous" in details and "Source :" in details

    # the amounts: a few more answers, then the aids again with what the rules engine computes
    if "/estimer_montants" in payloads:
        replies = answer_questions(person, person.says("Estimer les montants"))
        text = joined(replies)
    line = next(line for line in text.split("\n") if "Aide au logement de la CAF" in line)
    assert "€ par mois" in line, line
    assert "Les montants sont des estimations" in text

    goodbye = person.says("merci, au revoir")
    assert goodbye


def test_emergency_interrupts_the_questions_then_they_resume(rasa_url: str) -> None:
    person = Person(rasa_url)
    replies = person.says("je cherche une aide pour payer l'électricité")
    assert "commune" in replies[-1]["text"]
    replies = person.says("il me frappe, j'ai peur de rentrer chez moi")
    assert "3919" in replies[0]["text"] and "17" in replies[0]["text"]  # the number for violence first
    assert all(number in joined(replies) for number in ("115", "119", "3114"))  # then all the others
    assert "commune" in replies[-1]["text"]  # the question comes back
    replies = person.says("Albi")
    assert "commune" not in replies[-1]["text"] and replies[-1]["text"].endswith("?")


def test_no_food_today_gets_the_help_of_the_day_after_the_commune_only(rasa_url: str) -> None:
    person = Person(rasa_url)
    replies = person.says("On n'a plus rien à manger à la maison avec mes 3 enfants")
    assert "aide pour aujourd'hui" in joined(replies)
    assert "commune" in replies[-1]["text"]  # the only question before the help
    replies = person.says("Albi")
    text = joined(replies)
    assert text.startswith("Pour manger aujourd'hui, près d'Albi") and "05 63 49 10 10" in text
    assert "RSA" not in text
    assert [b["payload"] for b in replies[-1]["buttons"]] == ["/affirmer", "/nier"]
    replies = person.says("oui")  # typed, as on a phone: the full check
    assert "Quelques questions" in joined(replies) and "?" in replies[-1]["text"]
    replies = answer_questions(person, replies, answers={**ANSWERS, "quel âge ont vos enfants": "2, 5 et 9"})
    assert "J'ai trouvé" in joined(replies)


def test_eviction_with_the_commune_gets_the_help_at_once(rasa_url: str) -> None:
    person = Person(rasa_url)
    replies = person.says("j'ai reçu un commandement de payer pour mes loyers, j'habite à Cahors")
    text = joined(replies)
    assert "Pour garder votre logement, près de Cahors" in text
    assert "0 805 160 075" in text and "05 65 35 25 41" in text  # SOS loyers impayés, the ADIL du Lot
    assert "Continuez à payer le loyer" in text and "audience" in text
    assert "Visale" not in text and "Loca-Pass" not in text
    replies = person.says("Pas maintenant")
    assert replies and "Que souhaitez-vous faire" in joined(replies)


def test_bad_input_always_gets_a_french_reply(rasa_url: str) -> None:
    person = Person(rasa_url)
    person.says("je cherche une aide pour garder mon fils")
    for text in ("<script>alert(1)</script>", "🙂🙂🙂", "x" * 5000, "'; DROP TABLE events; --"):
        replies = person.says(text)
        assert replies[-1]["text"]
        assert "Traceback" not in joined(replies)
    assert "commune" in person.says("???")[-1]["text"]


def test_staff_replay_of_the_example_dialogue(rasa_url: str) -> None:
    server = rasa_url.removesuffix("/webhooks/rest/webhook")
    result = subprocess.run([sys.executable, "-m", "bot", "replay", "docs/exemples/dialogue-logement.yml",
                             "--serveur", server], capture_output=True, text=True, cwd=ROOT, timeout=300,
                            env={**os.environ})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 écart(s)" in result.stdout


def test_going_back_and_changing_an_answer_in_conversation(rasa_url: str) -> None:
    person = Person(rasa_url)
    person.says("je cherche une aide pour garder mon fils")
    replies = person.says("Rodez")
    first_question = replies[-1]["text"]
    person.says("2")  # an answer to the first question after the commune
    back = person.says("revenir en arrière")
    assert "reprenons" in joined(back)
    assert back[-1]["text"] == first_question
    changed = person.says("je veux changer une réponse")
    assert any(b["title"] == "Ma commune" for r in changed for b in r.get("buttons") or [])


def test_sms_channel_sends_numbered_choices_and_understands_the_number(rasa_url: str,
                                                                         fake_twilio: FakeTwilio) -> None:
    webhook = rasa_url.replace("/webhooks/rest/webhook", "/webhooks/twilio/webhook")
    number = "+33600000001"

    def sms(text: str) -> list[str]:
        before = len(fake_twilio.bodies_to(number))
        form = {"From": number, "Body": text, "To": "+33100000000"}
        signature = RequestValidator("test-token").compute_signature(webhook, form)
        response = requests.post(webhook, data=form, headers={"X-Twilio-Signature": signature}, timeout=60)
        assert response.status_code == 204
        return fake_twilio.bodies_to(number)[before:]

    forged = requests.post(webhook, data={"From": number, "Body": "bonjour"}, timeout=60,
                           headers={"X-Twilio-Signature": "forged"})
    assert forged.status_code == 403
    greeting = sms("bonjour")
    choices = greeting[-1]
    assert "1. Logement, loyer" in choices and "Répondez par le numéro ou par les mots." in choices
    assert "/besoin" not in choices  # no payload shown to the person
    replies = sms("1")  # the first choice: housing
    assert any("Dans quelle commune" in text for text in replies)
    assert all(len(text) <= 1600 for text in fake_twilio.bodies_to(number))
