from bot.eligibility import Place
from bot.parameters import load_parameters
from bot.parsing import DONT_KNOW
from bot.questions import next_question, situation_from_answers
from bot.service import cached_schemes

MENDE = Place(insee="48095", departement="48", epci="200068492")


def ask(answers: dict, needs: list[str], place: Place | None = MENDE, amounts: bool = False) -> str | None:
    return next_question(answers, needs, cached_schemes(), place, load_parameters(), amounts)


def test_commune_is_always_asked_first():
    assert ask({}, ["alimentation"], None) == "commune"


def test_questions_follow_the_need_and_stop_when_nothing_changes():
    answers: dict = {"commune": "48095"}
    asked = []
    canned = {"age": 30, "adultes": 1, "nb_enfants": 0, "logement": "locataire", "activite": "salarie",
              "loyer": 450.0, "ressources": [800, 800], "impaye": True, "permis": False, "vehicule": False,
              "handicap": False}
    while (question := ask(answers, ["logement"])) is not None:
        asked.append(question)
        answers[question] = canned[question]
        assert len(asked) < 12
    assert "logement" in asked and "impaye" in asked
    assert "loyer" not in asked  # the amount needs more answers: asked only if the person wants the amounts
    assert "permis" not in asked  # nothing about driving matters for housing aid


def test_amounts_asked_ask_what_the_engine_needs_rent_just_before_income():
    answers: dict = {"commune": "48095", "logement": "locataire", "impaye": True}
    canned = {"age": 30, "adultes": 1, "nb_enfants": 2, "ages_enfants": [3, 7], "activite": "salarie",
              "loyer": 450.0, "ressources": [800, 800], "permis": False, "vehicule": False, "handicap": False,
              "grossesse": False, "msa": False}
    asked = []
    while (question := ask(answers, ["logement"], amounts=True)) is not None:
        asked.append(question)
        answers[question] = canned[question]
        assert len(asked) < 12
    assert {"adultes", "nb_enfants", "ages_enfants", "loyer", "ressources"} <= set(asked)
    # the rent just before the income: the engine then computes every income while the person answers
    assert asked.index("loyer") == asked.index("ressources") - 1
    owner = {**answers, "logement": "proprietaire", "loyer": None, "ressources": None}
    assert ask(owner, ["logement"], amounts=True) != "loyer"  # no rent asked of an owner


def test_children_ages_only_when_there_are_children():
    base = {"commune": "48095", "age": 30, "adultes": 1, "logement": "locataire", "activite": "salarie"}
    assert ask({**base, "nb_enfants": 2}, ["garde_enfants"]) == "ages_enfants"
    assert ask({**base, "nb_enfants": 0}, ["garde_enfants"]) != "ages_enfants"


def test_dont_know_counts_as_answered():
    answers = {"commune": "48095", "age": DONT_KNOW}
    assert ask(answers, ["emploi"]) != "age"
    assert situation_from_answers(answers, ["emploi"]).age is None


def test_median_questions_over_the_personas_is_at_most_six():
    from pathlib import Path

    import yaml

    from bot.question_metrics import median_questions

    personas = yaml.safe_load((Path(__file__).parent / "personas.yml").read_text(encoding="utf-8"))
    assert median_questions([p["situation"] for p in personas]) <= 6


def test_a_question_that_no_longer_matters_is_not_asked():
    from bot.question_metrics import questions_asked

    teen = {"commune": "09122", "age": 17, "adultes": 1, "enfants": [], "logement": "heberge",
            "activite": "etudiant", "ressources_mensuelles": 0, "besoins": ["mobilite"]}
    asked = questions_asked(teen)
    assert "ressources" not in asked and "logement" not in asked
