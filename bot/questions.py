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

from bot import parsing
from bot.catalogue import SchemeRecord
from bot.eligibility import Place, match_schemes
from bot.estimates import missing_inputs
from bot.parameters import Parameters
from bot.parsing import DONT_KNOW
from bot.paths import DATA
from bot.situation import Situation

QUESTIONS_FILE = DATA / "questions.yml"

ANSWER_KINDS = frozenset({"commune", "nombre", "ages", "choix", "oui_non", "tranche"})


class QuestionsFileError(ValueError):
    """data/questions.yml does not follow its format."""


@dataclass(frozen=True)
class Question:
    """One situation question, declared once in data/questions.yml."""

    name: str  # the dialogue's slot, and the key of the answers
    kind: str  # what the answer is: one of ANSWER_KINDS
    field: str  # the Situation field it settles
    label: str  # « votre âge »: the question named in a sentence
    button: str  # « Mon âge »: its button in « changer une réponse »
    parser: str = ""  # the bot.parsing function that reads a typed answer (none for the commune)
    acknowledgement: Any = None  # « {valeur} ans », or a mapping by value (« autre » for the rest)

    def acknowledge(self, value: Any, shown: str) -> str | None:
        """How an answer given in passing is acknowledged; ``shown`` is the value as the person reads it."""
        template = self.acknowledgement
        if isinstance(template, dict):
            template = template.get(value, template.get(str(value), template.get("autre")))
        return str(template).format(valeur=shown) if template else None


@dataclass(frozen=True)
class QuestionPlan:
    questions: tuple[Question, ...]
    always: frozenset[str]
    by_need: dict[str, tuple[str, ...]]

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(q.name for q in self.questions)


@lru_cache(maxsize=2)
def load_plan(path: Path = QUESTIONS_FILE) -> QuestionPlan:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fields = set(Situation.__dataclass_fields__)
    questions = []
    for name, spec in (data.get("questions") or {}).items():
        try:
            kind = str(spec["reponse"])
            parser = str(spec.get("analyse") or ("parse_yes_no" if kind == "oui_non" else ""))
            question = Question(str(name), kind, str(spec["champ"]), str(spec["libelle"]), str(spec["bouton"]),
                                parser, spec.get("accuse"))
        except (KeyError, TypeError) as error:
            raise QuestionsFileError(f"question {name} : il manque {error}") from error
        if (question.parser and not callable(getattr(parsing, question.parser, None))) \
                or (not question.parser and question.kind != "commune"):
            raise QuestionsFileError(f"question {name} : analyse « {question.parser} » inconnue dans bot/parsing.py")
        if question.kind not in ANSWER_KINDS or question.field not in fields:
            raise QuestionsFileError(f"question {name} : réponse « {question.kind} » ou champ « {question.field} » "
                                     "inconnu")
        questions.append(question)
    plan = QuestionPlan(tuple(questions), frozenset(data["toujours"]),
                        {need: tuple(slots) for need, slots in data["par_besoin"].items()})
    unknown = (set(plan.always) | {q for slots in plan.by_need.values() for q in slots}) - set(plan.order)
    if unknown:
        raise QuestionsFileError(f"questions inconnues dans toujours/par_besoin : {sorted(unknown)}")
    return plan


def questions() -> tuple[Question, ...]:
    """Every situation question, in the order they are asked."""
    return load_plan().questions


def question(name: str) -> Question:
    found = next((q for q in questions() if q.name == name), None)
    if found is None:
        raise KeyError(f"no situation question {name!r}")
    return found


def answer_slots() -> tuple[str, ...]:
    """The dialogue slots that hold the answers, in the order the questions are asked."""
    return load_plan().order


def questions_for_field(field: str) -> tuple[str, ...]:
    """The questions that settle a Situation field named by the eligibility engine."""
    return tuple(q.name for q in questions() if q.field == field)


def field_label(field: str) -> str:
    """A Situation field named in a sentence: the label of the first question that settles it."""
    return next((q.label for q in questions() if q.field == field), field)


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
        loyer=None if _known(answers.get("loyer")) is None else float(answers["loyer"]),
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


AMOUNT_FIELDS = frozenset({"loyer", "ressources_mensuelles"})


def next_question(answers: Mapping[str, Any], besoins: Iterable[str], schemes: Iterable[SchemeRecord],
                  place: Place | None, params: Parameters, amounts: bool = False) -> str | None:
    """The next question to ask, or None when nothing more would change the answer.

    The core questions (``toujours`` and those listed for the person's needs)
    come first, in the plan's order. Then the assistant asks the question on
    which the most remaining aids depend, so that each answer settles as many
    of them as possible; it stops when no remaining aid depends on a question.
    The amounts: the rent and the income are asked once everything else the rules engine needs
    is known; with ``amounts`` (the person asked for the amounts), everything it needs is asked.
    """
    plan = load_plan()
    needs = list(besoins)

    def askable(name: str) -> bool:
        if answers.get(name) is not None:
            return False
        return not (name == "ages_enfants" and _known(answers.get("nb_enfants")) in (None, 0))

    core = set(plan.always)
    for need in needs:
        core.update(plan.by_need.get(need, ()))
    for name in plan.order:
        if name in core and askable(name):
            return name

    situation = situation_from_answers(answers, needs)
    weight: dict[str, int] = {}
    for match in match_schemes(schemes, situation, place, params):
        for name in {q for f in match.missing for q in questions_for_field(f)}:
            weight[name] = weight.get(name, 0) + 1
        computed = match.scheme.computed
        if computed is not None:
            # the amount for the person: the rent (only when a housing aid is at stake) and the income,
            # once everything else the engine needs is known
            missing = missing_inputs(situation, computed)
            if missing and (amounts or set(missing) <= AMOUNT_FIELDS):
                for name in {q for f in missing for q in questions_for_field(f)}:
                    weight[name] = weight.get(name, 0) + 1
    candidates = [q for q in plan.order if q in weight and askable(q)]
    if not candidates:
        return None
    chosen = max(candidates, key=lambda q: (weight[q], -plan.order.index(q)))
    if chosen == "ressources" and "loyer" in candidates:
        return "loyer"  # just before the income: the engine then computes every income while the person answers
    return chosen
