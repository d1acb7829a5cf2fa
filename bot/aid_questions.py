"""Questions about an aid named by the person: « c'est quoi le chèque énergie ? », « comment demander
l'APL ? », « pourquoi je n'ai pas le RSA ? ».

The names come from the catalogue only: each scheme's title and its ``appele_aussi`` list
(data/catalogue/schemes/*.yml). Matching ignores case, accents, hyphens and apostrophes, and
takes the longest name found. Schemes that exist once per département (FSL, FAJ) share their
names: the person's place chooses among them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from bot.catalogue import SchemeRecord
from bot.text import normalize

DEFINITION = "definition"
HOW_TO_CLAIM = "demarche"
WHY_NOT = "refus"
KINDS = (DEFINITION, HOW_TO_CLAIM, WHY_NOT)

# Checked in this order on the normalised text (bot.text.normalize)
_KIND_PATTERNS = (
    (WHY_NOT, re.compile(
        r"\bpourquoi\b.*\b(?:pas|plus|refuse|refusee|refus|rejete|rejetee|supprime|supprimee|arrete|arretee|"
        r"coupe|coupee|rien)\b|\b(?:pas|plus) (?:droit|eu|recu|touche)\b.*\bpourquoi\b")),
    (HOW_TO_CLAIM, re.compile(
        r"\b(?:comment|cmt|ou)\b.{0,30}\b(?:demander|demande|avoir|obtenir|toucher|beneficier|percevoir|recevoir|"
        r"faire|inscrire|deposer|remplir|s adresser|m adresser)\b|\bdemarches?\b|\bfaire (?:une|la|ma) demande\b|"
        r"\bdeposer (?:une|un|le|la|mon|ma) (?:demande|dossier)\b|\bje veux (?:demander|faire une demande)\b")),
    (DEFINITION, re.compile(
        r"\b(?:c est quoi|c quoi|cest quoi|c koi|ckoi|qu est ce que|qu est ce qu|quest ce que|kesako|"
        r"ca veut dire quoi|ca veut dire|ca sert a quoi|a quoi sert|a quoi ca sert|explique|expliquez|"
        r"expliquer|definition|je connais pas|je ne connais pas|jamais entendu parler|c est qui)\b")),
)


def question_kind(text: str) -> str | None:
    """What the person asks about an aid: its definition, how to claim it, or why they do not get it."""
    normalized = normalize(text)
    return next((kind for kind, pattern in _KIND_PATTERNS if pattern.search(normalized)), None)


@dataclass(frozen=True)
class AidQuestion:
    name: str  # the name as matched, normalised
    kind: str | None  # one of KINDS, or None when the aid is only named


class AidNames:
    """The names of the catalogue's schemes, normalised, and the schemes each one designates."""

    def __init__(self, schemes: Iterable[SchemeRecord]) -> None:
        self.by_name: dict[str, list[SchemeRecord]] = {}
        for scheme in schemes:
            for name in scheme.names or (scheme.title,):
                key = normalize(name)
                if len(key) >= 3 and scheme not in self.by_name.setdefault(key, []):
                    self.by_name[key].append(scheme)
        names = sorted(self.by_name, key=len, reverse=True)
        self._pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b") if names else None

    def find(self, text: str) -> str | None:
        """The longest scheme name in ``text``, normalised, or None."""
        if self._pattern is None:
            return None
        found = self._pattern.findall(normalize(text))
        return max(found, key=len) if found else None

    def schemes(self, name: str) -> list[SchemeRecord]:
        return list(self.by_name.get(normalize(name), []))

    def read(self, text: str) -> AidQuestion | None:
        name = self.find(text)
        return AidQuestion(name, question_kind(text)) if name else None
