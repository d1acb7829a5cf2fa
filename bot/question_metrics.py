"""How many questions the dialogue asks before the first answer, for a known situation.

Used by ``scripts/measure_questions.py`` and the tests: the assistant asks its
next question, the person answers from the situation (or « je ne sais pas »
when it does not say), until the assistant has nothing more to ask.
"""

from __future__ import annotations

import statistics
from typing import Any

from bot.parameters import load_parameters
from bot.parsing import DONT_KNOW
from bot.questions import next_question
from bot.service import cached_schemes, find_commune, place_of

MAX_QUESTIONS = 20


def answer_from(question: str, situation: dict[str, Any]) -> Any:
    children = situation.get("enfants")
    resources = situation.get("ressources_mensuelles")
    derived = {
        "nb_enfants": None if children is None else len(children),
        "ages_enfants": children,
        "ressources": None if resources is None else [resources, resources],
    }
    value = derived[question] if question in derived else situation.get(question)
    return DONT_KNOW if value is None else value


def questions_asked(situation: dict[str, Any]) -> list[str]:
    """The questions asked, in order, to a person in ``situation`` (CLI contract)."""
    answers: dict[str, Any] = {}
    asked: list[str] = []
    params = load_parameters()
    while len(asked) <= MAX_QUESTIONS:
        place = place_of(find_commune(answers["commune"])) if answers.get("commune") else None
        question = next_question(answers, situation["besoins"], cached_schemes(), place, params)
        if question is None:
            return asked
        asked.append(question)
        answers[question] = answer_from(question, situation)
    raise RuntimeError("the dialogue does not stop asking")


def median_questions(situations: list[dict[str, Any]]) -> float:
    return float(statistics.median(len(questions_asked(s)) for s in situations))
