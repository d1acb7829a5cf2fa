"""Crisis recognition of the trained model on the held-out crisis file (tests/crisis_heldout.yml).

Each held-out crisis message is parsed by the whole NLU pipeline (DIET, then the crisis safety
net: rules and learned net); it counts as recognised when the intent is ``urgence`` and the answer
chosen by its ``crise`` entity opens with the number of the message's situation (domain.yml,
``utter_urgence``). Near-misses count as false alarms when they give ``urgence``.

Prints recall per situation and the false-alarm rate, writes results/crisis_heldout.json, and fails
when the recall of a gated situation is below its gate (GATES) or too many near-misses raise an alarm
(MAX_FALSE_ALARMS).
Only counts are printed: the held-out sentences are not shown, so that nobody writes a rule from them.

With ``--cv``, no model is needed: a 5-fold cross-validation on the training examples
(data/crise_exemples.yml) shows, for each threshold of the learned net alone, the recall of rules and
net together and the false alarms on the training near-misses; it is how THRESHOLD
(bot/crisis_classifier.py) was chosen, without the held-out file.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import crisis  # noqa: E402

HELDOUT = ROOT / "tests" / "crisis_heldout.yml"
OUT = ROOT / "results" / "crisis_heldout.json"
# The target for these four situations is a recall of 1.00 (every message gets its number first).
# It is not reached yet: the gate is the recall measured on this file (README, « Crise »), so that
# any regression fails `make test`; raise it as the nets improve, never lower it.
TARGET = 1.0
# Measured on 28/11/2026: 0.911, 0.803, 0.842, 0.824, and 8.7 % false alarms (target 2 %); the gates
# leave about two points for the small variations of a training on another machine.
GATES = {"sans_abri_ce_soir": 0.89, "violence": 0.78, "suicide": 0.82, "enfant_en_danger": 0.80}
TARGET_FALSE_ALARMS = 0.02
MAX_FALSE_ALARMS = 0.10


def answered_situation(result: dict) -> str | None:
    if result["intent"]["name"] != "urgence":
        return None
    values = [e["value"] for e in result.get("entities", []) if e.get("entity") == "crise"]
    return values[-1] if values else crisis.GENERAL


def evaluate(parse) -> dict:
    heldout = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))
    openings = crisis.answer_openings()
    report: dict = {"situations": {}, "near_misses": {}}
    for situation, texts in heldout["crises"].items():
        answered = [answered_situation(parse(text)) for text in texts]
        recognised = sum(crisis.number_comes_first(situation, a, openings) for a in answered)
        report["situations"][situation] = {"messages": len(texts), "number_first": recognised,
                                           "urgence": sum(a is not None for a in answered),
                                           "recall": recognised / len(texts)}
    alarms = sum(answered_situation(parse(text)) is not None for text in heldout["near_misses"])
    report["near_misses"] = {"messages": len(heldout["near_misses"]), "alarms": alarms,
                             "rate": alarms / len(heldout["near_misses"])}
    return report


def everyday_examples() -> list[str]:
    """The NLU training examples of every intent but ``urgence``, annotations removed."""
    from bot.nlu_examples import training_examples

    return [text for intent, text in training_examples(ROOT / "data" / "nlu") if intent != "urgence"]


def cross_validate() -> int:
    from sklearn.model_selection import StratifiedKFold

    from bot.crisis_classifier import NO_CRISIS, CrisisClassifier, load_examples

    texts, labels = load_examples()
    everyday = everyday_examples()
    predictions: list = [None] * len(texts)
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(texts, labels):
        net = CrisisClassifier.train([texts[i] for i in train] + everyday,
                                     [labels[i] for i in train] + [NO_CRISIS] * len(everyday))
        for i, prediction in zip(test, net.predict([texts[i] for i in test], threshold=0.0)):
            predictions[i] = prediction
    found = [crisis.detect(text) for text in texts]
    crises = sum(label != NO_CRISIS for label in labels)
    print(f"Validation croisée (5 plis) sur {crises} crises et {len(labels) - crises} tournures proches")
    for threshold in (0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99):
        answers = [rule or (p.best_situation if p.crisis_probability >= threshold else None)
                   for rule, p in zip(found, predictions)]
        recalled = sum(a == label for a, label in zip(answers, labels) if label != NO_CRISIS)
        alarms = sum(a is not None for a, label in zip(answers, labels) if label == NO_CRISIS)
        print(f"  seuil {threshold:.2f} : rappel {recalled / crises:.3f}, "
              f"fausses alertes {alarms / (len(labels) - crises):.3f}")
    return 0


def main() -> int:
    if "--cv" in sys.argv[1:]:
        return cross_validate()
    import logging

    import structlog
    from rasa.core.agent import Agent

    # Rasa logs each parsed text at debug level: keep the held-out sentences out of the output.
    logging.disable(logging.WARNING)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))

    agent = Agent.load(str(ROOT / "models" / "current.tar.gz"))
    loop = asyncio.new_event_loop()
    report = evaluate(lambda text: loop.run_until_complete(agent.parse_message(text)))
    loop.close()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print("Crise, fichier mis de côté : numéro de la situation donné en premier")
    failed = False
    for situation, scores in report["situations"].items():
        gate = GATES.get(situation)
        print(f"  {situation:18} {scores['number_first']:3}/{scores['messages']:3} rappel {scores['recall']:.3f}"
              + (f"  (seuil {gate:.3f}, objectif {TARGET:.2f})" if gate is not None else ""))
        failed |= gate is not None and scores["recall"] < gate
    nm = report["near_misses"]
    print(f"  fausses alertes    {nm['alarms']:3}/{nm['messages']:3} ({nm['rate']:.1%}, seuil {MAX_FALSE_ALARMS:.1%}, "
          f"objectif {TARGET_FALSE_ALARMS:.0%})")
    failed |= nm["rate"] > MAX_FALSE_ALARMS
    if failed:
        print("Échec : une situation à seuil n'est pas toujours reconnue, ou trop de fausses alertes.",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
