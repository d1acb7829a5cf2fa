"""Plain French (issue 15): every sentence a person reads has at most 20 words, and every acronym is
explained in the text that uses it. Measured, not a list of phrases."""

import pytest

from bot.plain_language import MAX_WORDS, Glossary, acronyms, check_unit, load_glossary, sentences, words
from bot.user_texts import plain_language_problems, user_text_units

GLOSSARY = Glossary({"CAF": ("caisse d'allocations familiales",)}, frozenset({"SMS"}))


def test_sentences_and_words_are_counted_as_a_reader_sees_them():
    assert sentences("Une phrase. Une autre ! Et une question ?\nUne ligne") == [
        "Une phrase.", "Une autre !", "Et une question ?", "Une ligne"]
    assert sentences("Jusqu'à 1 041,59 € (depuis le 1/04/2026).") == ["Jusqu'à 1 041,59 € (depuis le 1/04/2026)."]
    assert len(words("Voir https://www.service-public.fr/particuliers/vosdroits/F12242 aujourd'hui")) == 2
    assert acronyms("L'ASS, la CAF et le C2S ; pas Albi ni II") == ["ASS", "CAF", "C2S"]


@pytest.mark.parametrize("texts, kind", [
    (["Un " + "mot " * 20 + "de trop."], "phrase longue"),
    (["Appelez la CAF."], "sigle non expliqué"),
    (["Appelez la MDPH."], "sigle inconnu"),
])
def test_each_kind_of_problem_is_found(texts, kind):
    assert [p.kind for p in check_unit("u", texts, GLOSSARY)] == [kind]


def test_an_acronym_explained_once_in_its_unit_or_known_to_all_is_fine():
    assert check_unit("u", ["La caisse d'allocations familiales (CAF) verse l'aide.", "Appelez la CAF.",
                            "Vous recevez un SMS."], GLOSSARY) == []


def test_the_glossary_explains_every_acronym_in_plain_words():
    glossary = load_glossary()
    assert len(glossary.explained_by) >= 40
    for acronym, forms in glossary.explained_by.items():
        assert forms and all(form.strip() and form.upper() != form for form in forms), acronym


def test_the_units_cover_the_catalogue_the_answers_the_offices_and_the_python_messages():
    units = user_text_units()
    kinds = {name.split(" ")[0] for name in units}
    assert kinds == {"aide", "domain.yml", "contact", "python"}
    assert sum(name.startswith("aide ") for name in units) >= 110


def test_every_text_a_person_reads_is_plain():
    problems = plain_language_problems()
    report = "\n".join(f"{p.unit} — {p.kind} — {p.detail}" for p in problems[:30])
    assert not problems, f"{len(problems)} problème(s) (phrases de plus de {MAX_WORDS} mots, sigles) :\n{report}"
