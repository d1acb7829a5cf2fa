"""Questions about a named aid, for every aid of the catalogue and every name it is known by."""

from __future__ import annotations

import pytest

from bot.aid_answers import answer, family_title
from bot.aid_questions import DEFINITION, HOW_TO_CLAIM, WHY_NOT, AidNames, question_kind
from bot.catalogue import load_scheme_files
from bot.eligibility import Place
from bot.parameters import load_parameters
from bot.situation import Situation

SCHEMES = load_scheme_files()
NAMES = AidNames(SCHEMES)
QUESTIONS = {
    DEFINITION: ["c'est quoi {} ?", "c quoi {}", "qu'est-ce que {} ?"],
    HOW_TO_CLAIM: ["comment demander {} ?", "comment on fait pour avoir {}", "ou faire la demande de {}"],
    WHY_NOT: ["pourquoi je n'ai pas {} ?", "pourquoi on m'a refusé {}"],
}


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.id)
def test_every_aid_is_recognised_by_every_name(scheme) -> None:
    assert scheme.names and scheme.names[0] == scheme.title
    for name in scheme.names:
        for kind, templates in QUESTIONS.items():
            for template in templates:
                question = NAMES.read(template.format(name))
                assert question is not None and question.kind == kind, template.format(name)
                assert scheme in NAMES.schemes(question.name), template.format(name)


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.id)
def test_every_aid_has_an_answer_for_each_question(scheme) -> None:
    params = load_parameters()
    nobody = Situation()
    name = scheme.names[-1]
    schemes = NAMES.schemes(name)
    what = answer(DEFINITION, schemes, name, None, nobody, params, False, None)
    if len(schemes) == 1:
        assert what.text == f"{scheme.title} : {scheme.summary}"
    else:  # one version per département, place unknown: what they share, and the way to the right one
        assert what.text.startswith(family_title(schemes) + " : chaque département a le sien")
        assert sum(s.title.startswith(family_title(schemes)) for s in schemes) > len(schemes) / 2
        assert len(family_title(schemes)) > 20
    assert [b["title"] for b in what.buttons] == ["Voir si j'y ai droit", "Comment la demander"]
    how = answer(HOW_TO_CLAIM, [scheme], name, None, nobody, params, False, "France Services d'Albi")
    assert scheme.how_to_apply["organisme"] in how.text and "France Services d'Albi" in how.text
    why = answer(WHY_NOT, [scheme], name, None, nobody, params, False, None)
    assert "Je ne connais pas encore votre situation" in why.text


def test_why_not_names_the_condition_that_is_not_met() -> None:
    rsa = next(s for s in SCHEMES if s.id == "rsa")
    young = Situation(age=19, adultes=1, enfants=[], logement="locataire", activite="demandeur_emploi",
                      ressources_mensuelles=(0, 0), besoins=["emploi"])
    reply = answer(WHY_NOT, [rsa], "rsa", None, young, load_parameters(), True, None)
    assert "ne semble pas possible" in reply.text and "25 ans" in reply.text


def test_a_departemental_aid_is_chosen_by_the_place() -> None:
    schemes = NAMES.schemes("fsl")
    assert len(schemes) > 10
    tarn = Place(insee="81004", departement="81", epci=None)
    reply = answer(DEFINITION, schemes, "fsl", tarn, Situation(), load_parameters(), False, None)
    chosen = next(s for s in schemes if "81" in s.territory.codes)
    assert reply.text.startswith(chosen.title) and "chaque département" not in reply.text


@pytest.mark.parametrize("text", ["je voudrais l'apl", "j'ai besoin d'aide pour mon loyer", "bonjour",
                                  "comment ça marche ici ?"])
def test_only_a_question_about_a_named_aid_is_one(text) -> None:
    question = NAMES.read(text)
    assert question is None or question.kind is None


def test_question_kinds() -> None:
    assert question_kind("pourquoi j'ai plus le rsa") == WHY_NOT
    assert question_kind("cmt avoir la prime") == HOW_TO_CLAIM
    assert question_kind("ça sert à quoi") == DEFINITION
    assert question_kind("je cherche un logement") is None
