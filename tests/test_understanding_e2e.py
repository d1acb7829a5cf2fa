"""End to end, through the REST webhook: places are taken only where people name one, and questions about
a named aid are answered (issue: « no invented place, questions about a named aid »)."""

from __future__ import annotations

import pytest

from tests.test_e2e import Person, joined

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("first", ["j'ai quarante ans et je cherche du travail",
                                   "j'ai 30000 euros de dettes de loyer",
                                   "les salles de bain de mon logement sont insalubres"])
def test_no_place_is_invented_from_words_or_amounts(rasa_url: str, first: str) -> None:
    replies = Person(rasa_url).says(first)
    assert "commune" in replies[-1]["text"].lower()
    assert not any(name in joined(replies) for name in ("Quarante", "Hérault", "Nîmes", "Salles", "Tarn"))


def test_a_place_not_said_clearly_is_confirmed_first(rasa_url: str) -> None:
    person = Person(rasa_url)
    replies = person.says("aide pour payer la crèche à Albi")
    assert replies[-1]["text"] == "Vous habitez à Albi (Tarn) ?"
    assert [b["title"] for b in replies[-1]["buttons"]] == ["Oui", "Non, une autre commune"]
    replies = person.says(replies[-1]["buttons"][0]["payload"])
    assert "commune" not in replies[-1]["text"].lower() and replies[-1]["text"].endswith("?")


def test_no_to_the_confirmation_asks_the_commune_plainly(rasa_url: str) -> None:
    person = Person(rasa_url)
    replies = person.says("je n'arrive plus à payer mon loyer à Perpignan")
    assert replies[-1]["text"] == "Vous habitez à Perpignan (Pyrénées-Orientales) ?"
    replies = person.says("/nier")
    assert "Dans quelle commune habitez-vous" in replies[-1]["text"]
    assert "Je ne trouve pas" not in joined(replies)


def test_a_place_outside_the_region_gets_a_polite_answer(rasa_url: str) -> None:
    replies = Person(rasa_url).says("j'habite à Lyon et je cherche un logement")
    assert "n'est pas en Occitanie" in joined(replies)


def test_what_is_a_named_aid_then_how_to_claim_it(rasa_url: str) -> None:
    person = Person(rasa_url)
    replies = person.says("c'est quoi le chèque énergie ?")
    assert replies[0]["text"].startswith("Chèque énergie :")
    assert [b["title"] for b in replies[0]["buttons"]] == ["Voir si j'y ai droit", "Comment la demander"]
    replies = person.says(replies[0]["buttons"][1]["payload"])
    assert "Qui s'en occupe" in replies[0]["text"]
    replies = person.says("comment demander l'APL ?")
    assert replies[0]["text"].startswith("Pour demander : ") and "CAF" in replies[0]["text"]
    replies = person.says("pourquoi je n'ai pas le RSA ?")
    assert "Je ne connais pas encore votre situation" in replies[0]["text"]


def test_a_question_about_an_aid_during_the_questions_then_they_resume(rasa_url: str) -> None:
    person = Person(rasa_url)
    replies = person.says("je n'arrive plus à payer mon loyer")
    assert "commune" in replies[-1]["text"].lower()
    replies = person.says("c'est quoi le FSL ?")
    assert "Fonds de solidarité" in joined(replies) and "commune" in replies[-1]["text"].lower()
