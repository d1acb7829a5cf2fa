import pytest

from bot import parsing
from bot.parsing import DONT_KNOW


@pytest.mark.parametrize("text, age", [("32", 32), ("j'ai 45 ans", 45), ("vingt-cinq", 25), ("trente deux ans", 32)])
def test_age(text, age):
    assert parsing.parse_age(text).value == age


@pytest.mark.parametrize("text", ["300", "-5", "2", "abc", ""])
def test_absurd_or_missing_age_gets_a_french_example(text):
    result = parsing.parse_age(text)
    assert not result.ok
    assert "par exemple" in result.error


@pytest.mark.parametrize("text", ["je ne sais pas", "jsp", "je sais pas", "aucune idée", "/ne_sait_pas",
                                  "je préfère ne pas dire"])
def test_dont_know(text):
    assert parsing.parse_age(text).value == DONT_KNOW
    assert parsing.parse_ressources(text).value == DONT_KNOW


@pytest.mark.parametrize("text, value", [
    ("1200", (1200, 1200)), ("1 200 €", (1200, 1200)), ("1.200 euros", (1200, 1200)),
    ("entre 1000 et 1500", (1000, 1500)), ("500-1000", (500, 1000)), ("rien", (0, 0)),
    ("moins de 500", (0, 500)), ("r3", (1000, 1500)), ("1,5k", (1500, 1500)), ("12000 par an", (1000, 1000)),
])
def test_resources(text, value):
    assert parsing.parse_ressources(text).value == value


@pytest.mark.parametrize("text", ["-5", "-300 €", "99999999"])
def test_impossible_resources_are_refused(text):
    assert not parsing.parse_ressources(text).ok


@pytest.mark.parametrize("text, value", [
    ("je loue un appartement", "locataire"), ("hlm", "locataire"), ("chez ma mère", "heberge"),
    ("proprio", "proprietaire"), ("je dors dans ma voiture", "sans_logement"), ("en foyer", "foyer"),
    ("sans_logement", "sans_logement"),
])
def test_housing(text, value):
    assert parsing.parse_logement(text).value == value


@pytest.mark.parametrize("text, value", [
    ("au chômage", "demandeur_emploi"), ("je bosse en cdd", "salarie"), ("en alternance", "apprenti"),
    ("auto-entrepreneur", "independant"), ("retraitée", "retraite"), ("demandeur_emploi", "demandeur_emploi"),
])
def test_activity(text, value):
    assert parsing.parse_activite(text).value == value


def test_children_ages_must_match_the_count():
    assert parsing.parse_child_ages("3 et 7 ans", 2).value == [3, 7]
    assert parsing.parse_child_ages("un bébé de 8 mois", 1).value == [0]
    mismatch = parsing.parse_child_ages("3", 2)
    assert not mismatch.ok and "2 âges" in mismatch.error


@pytest.mark.parametrize("text, count", [("2", 2), ("deux", 2), ("aucun", 0), ("un seul", 1), ("pas d'enfant", 0)])
def test_child_count(text, count):
    assert parsing.parse_child_count(text).value == count


@pytest.mark.parametrize("text, value", [("oui", True), ("/affirmer", True), ("non pas du tout", False),
                                         ("/nier", False), ("nan", False)])
def test_yes_no(text, value):
    assert parsing.parse_yes_no(text).value is value


def test_corrections_in_free_text():
    assert parsing.find_corrections("non, j'ai 3 enfants") == [parsing.Correction("nb_enfants", 3)]
    assert parsing.find_corrections("je me suis trompé j'ai 40 ans") == [parsing.Correction("age", 40)]
    assert parsing.Correction("logement", "locataire") in parsing.find_corrections("en fait je suis locataire")
    assert parsing.find_corrections("en fait j'habite à st gaudens") == []  # the commune extractor finds places
    assert parsing.find_corrections("bonjour") == []


def test_negative_numbers_are_refused_in_french():
    from bot.parsing import parse_adults, parse_age, parse_child_ages, parse_child_count, parse_ressources

    for parser in (parse_age, parse_adults, parse_child_count, parse_ressources, lambda t: parse_child_ages(t, 2)):
        result = parser("-5")
        assert not result.ok and "négatif" in result.error
    assert parse_child_ages("2-7 ans", None).ok  # a range is not a negative number
