"""The second crisis net: a small linear classifier that generalises to wordings no rule describes.

It reads the prepared text (bot.crisis: lower case, no accents, SMS spellings spelt out,
everyday turns of phrase blanked) through character n-grams (robust to typos and missing letters) and word unigrams and
bigrams, and a logistic regression chooses between « no crisis » and the six situations of
data/crise.yml. It learns from the examples of data/crise_exemples.yml (crises and near-misses)
and from the everyday messages of the NLU training data (no crisis); it never sees the
held-out file. Training takes a second; the model is trained with the Rasa model
(components/crisis_safety_net.py) and stored inside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import yaml

from bot import crisis
from bot.paths import DATA

EXAMPLES_FILE = DATA / "crise_exemples.yml"
NO_CRISIS = "aucune"
# The classifier alone raises an alarm only above this probability of a crisis: chosen by
# cross-validation on the training examples (scripts/evaluate_crisis.py --cv), so that near-misses
# stay quiet; the rules of data/crise.yml remain the first net.
THRESHOLD = 0.9


@dataclass(frozen=True)
class Prediction:
    situation: str | None  # the most likely situation, None when no crisis is the most likely
    crisis_probability: float  # 1 - P(no crisis)
    best_situation: str  # the most likely situation among the crises, whatever the probability


def load_examples(path: Path = EXAMPLES_FILE) -> tuple[list[str], list[str]]:
    """Texts and labels of the examples file: a situation for each crisis, NO_CRISIS for near-misses."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts: list[str] = []
    labels: list[str] = []
    for situation, items in raw["crises"].items():
        texts += [str(t) for t in items]
        labels += [str(situation)] * len(items)
    texts += [str(t) for t in raw["near_misses"]]
    labels += [NO_CRISIS] * len(raw["near_misses"])
    return texts, labels


class CrisisClassifier:
    """Logistic regression over character and word n-grams of the prepared text."""

    def __init__(self, pipeline: object | None = None) -> None:
        self.pipeline = pipeline

    @staticmethod
    def _prepare(texts: Iterable[str]) -> list[str]:
        rules = crisis.rules()
        return [crisis.prepared_without_exceptions(t or "", rules) for t in texts]

    @classmethod
    def train(cls, texts: list[str], labels: list[str], seed: int = 42) -> CrisisClassifier:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion, Pipeline

        features = FeatureUnion([
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1)),
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                      token_pattern=r"(?u)\b\w+\b")),
        ])
        model = LogisticRegression(C=10.0, class_weight="balanced", max_iter=3000, random_state=seed)
        pipeline = Pipeline([("features", features), ("model", model)])
        pipeline.fit(cls._prepare(texts), labels)
        return cls(pipeline)

    def predict(self, texts: list[str], threshold: float = THRESHOLD) -> list[Prediction]:
        return self.predict_prepared(self._prepare(texts), threshold)

    def predict_prepared(self, padded: list[str], threshold: float = THRESHOLD) -> list[Prediction]:
        """Predictions for texts already prepared by bot.crisis.read (their ``padded`` form)."""
        if self.pipeline is None:
            raise RuntimeError("the crisis classifier is not trained")
        probabilities = self.pipeline.predict_proba(padded)  # type: ignore[attr-defined]
        classes = list(self.pipeline.classes_)  # type: ignore[attr-defined]
        none_index = classes.index(NO_CRISIS)
        predictions = []
        for row in probabilities:
            crisis_probability = 1.0 - float(row[none_index])
            best = max((i for i in range(len(classes)) if i != none_index), key=lambda i: row[i])
            situation = classes[best] if crisis_probability >= threshold else None
            predictions.append(Prediction(situation, crisis_probability, classes[best]))
        return predictions
