"""Build the French spaCy pipeline used by Rasa: tokenizer + lookup lemmatizer.

spaCy's trained French models need spaCy 3.8, which Rasa 3.6 cannot use, so
the pipeline is assembled at setup time from ``spacy.blank("fr")`` and the
French lemma table of ``spacy-lookups-data``. It has no vectors: Rasa uses it
for tokens and lemmas, and DIET learns from sparse features.

    python -m bot.nlp_pipeline build/spacy/fr_occitanie
"""

from __future__ import annotations

import sys
from pathlib import Path

DEFAULT_OUTPUT = Path("build/spacy/fr_occitanie")


def build(output: Path = DEFAULT_OUTPUT) -> Path:
    import spacy

    nlp = spacy.blank("fr")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lemma table from spacy-lookups-data
    nlp.meta["name"] = "fr_occitanie"
    nlp.meta["description"] = "French tokenizer and lookup lemmatizer (spacy-lookups-data), built at setup time"
    output.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    return output


if __name__ == "__main__":
    target = build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT)
    print(f"pipeline spaCy français : {target}")
