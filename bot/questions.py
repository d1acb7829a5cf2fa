"""Which situation question to ask next, from the answers so far.

Answers are kept as the dialogue's slot values: ``None`` means not asked yet,
``DONT_KNOW`` means the person does not know. A question is asked when an aid
still in the running depends on it, or when ``data/questions.yml`` lists it for
the person's need; the dialogue stops asking when no answer can change the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from bot.catalogue import SchemeRecord
from bot.eligibility import Place, match_schemes
from bot.parameters import Parameters
from bot.parsing import DONT_KNOW
from bot.paths import DATA
from bot.situation import Situation

QUESTIONS_FILE = DATA / "questions.yml"

# Situation fields named by the eligibility engine -> the questions that settle them.
FIELD_TO_QUESTIONS = {
    "commune": ("commune",),
    "age": ("age",),
    "adultes": ("adultes",),
    "enfants": ("nb_enfants", "ages_enfants"),
    "logement": ("logement",),
    "activite": ("activite",),
    "ressources_mensuelles": ("ressources",),
    "impaye": ("impaye",),
    "permis": ("permis",),
    "vehicule": ("vehicule",),
    "handicap": ("handicap",),
    "grossesse": ("grossesse",),
    "msa": ("msa",),
}


@dataclass(frozen=True)
class QuestionPlan:
    order: tuple[str, ...]
    always: frozenset[str]
    by_need: dict[str, tuple[str, ...]]


@lru_cache(maxsize=2)
def load_plan(path: Path = QUESTIONS_FILE) -> QuestionPlan:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return QuestionPlan(
        order=tuple(data["ordre"]),
        always=frozenset(data["toujours"]),
        by_need={need: tuple(slots) for need, slots in data["par_besoin"].items()},
    )


def _known(value: Any) -> Any:
    return None if value == DONT_KNOW else value


def situation_from_answers(answers: Mapping[str, Any], besoins: Iterable[str]) -> Situation:
    """The Situation described by the dialogue's answers (« je ne sais pas » = unknown)."""
    nb_children = _known(answers.get("nb_enfants"))
    ages = _known(answers.get("ages_enfants"))
    children: list[int] | None = None
    if nb_children == 0:
        children = []
    elif ages is not None:
        children = [int(age) for age in ages]
    resources = _known(answers.get("ressources"))

    def flag(name: str) -> bool | None:
        value = _known(answers.get(name))
        return None if value is None else bool(value)

    return Situation(
        commune=_known(answers.get("commune")),
        age=None if _known(answers.get("age")) is None else int(answers["age"]),
        adultes=None if _known(answers.get("adultes")) is None else int(answers["adultes"]),
        enfants=children,
        nombre_enfants=None if nb_children is None else int(nb_children),
        logement=_known(answers.get("logement")),
        activite=_known(answers.get("activite")),
        ressources_mensuelles=None if resources is None else (float(resources[0]), float(resources[1])),
        besoins=list(dict.fromkeys(besoins)),
        handicap=flag("handicap"),
        impaye=flag("impaye"),
        permis=flag("permis"),
        vehicule=flag("vehicule"),
        grossesse=flag("grossesse"),
        msa=flag("msa"),
    )


def next_question(answers: Mapping[str, Any], besoins: Iterable[str], schemes: Iterable[SchemeRecord],
                  place: Place | None, params: Parameters) -> str | None:
    """The next question to ask, or None when nothing more would change the answer.

    The core questions (``toujours`` and those listed for the person's needs)
    come first, in the plan's order. Then the assistant asks the question on
    which the most remaining aids depend, so that each answer settles as many
    of them as possible; it stops when no remaining aid depends on a question.
    """
    plan = load_plan()
    needs = list(besoins)

    def askable(question: str) -> bool:
        if answers.get(question) is not None:
            return False
        return not (question == "ages_enfants" and _known(answers.get("nb_enfants")) in (None, 0))

    core = set(plan.always)
    for need in needs:
        core.update(plan.by_need.get(need, ()))
    for question in plan.order:
        if question in core and askable(question):
            return question

    situation = situation_from_answers(answers, needs)
    weight: dict[str, int] = {}
    for match in match_schemes(schemes, situation, place, params):
        for question in {q for f in match.missing for q in FIELD_TO_QUESTIONS.get(f, ())}:
            weight[question] = weight.get(question, 0) + 1
    candidates = [q for q in plan.order if q in weight and askable(q)]
    if not candidates:
        return None
    return max(candidates, key=lambda q: (weight[q], -plan.order.index(q)))
