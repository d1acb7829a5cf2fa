"""Answers to a question about a named aid, from the catalogue record only (no text in domain.yml).

- « c'est quoi X »: the title and the summary, then « Voir si j'y ai droit » and « Comment la demander »;
- « comment demander X »: who handles it, the steps, the site, the papers, and the nearest office when the
  commune is known;
- « pourquoi pas X »: what the aid asks that the person's answers do not meet, in plain words.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.aid_questions import HOW_TO_CLAIM, WHY_NOT
from bot.catalogue import SchemeRecord
from bot.eligibility import Place, unmet_conditions
from bot.estimates import Estimate
from bot.parameters import Parameters
from bot.situation import Situation

MAX_DOCUMENTS = 3


@dataclass
class Answer:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)


def choose(schemes: list[SchemeRecord], place: Place | None) -> SchemeRecord:
    """Among schemes sharing a name (one per département), the one for the person's place."""
    for scheme in schemes:
        territory = scheme.territory
        if place is None or territory.level in ("national", "region"):
            continue
        code = {"departement": place.departement, "epci": place.epci, "commune": place.insee}[territory.level]
        if code in territory.codes and (place.epci or "") not in territory.excluded_epci:
            return scheme
    return schemes[0]


def check_button(scheme: SchemeRecord) -> dict[str, str]:
    return {"title": "Voir si j'y ai droit", "payload": f"/besoin_{scheme.needs[0]}"}


def question_button(title: str, name: str, kind: str) -> dict[str, str]:
    entities = json.dumps({"aide": name, "type_question": kind}, ensure_ascii=False)
    return {"title": title, "payload": f"/question_aide{entities}"}


def family_title(schemes: list[SchemeRecord]) -> str:
    """What most titles of one aid's local versions share: « Fonds de solidarité pour le logement (FSL) »."""
    heads = Counter(s.title[:s.title.index(")") + 1] if ")" in s.title else s.title for s in schemes)
    head, count = heads.most_common(1)[0]
    if count > 1:
        return head
    words = os.path.commonprefix([s.title for s in schemes]).split()[:-1]
    while words and words[-1].lower() in ("de", "du", "des", "la", "le", "les"):
        words.pop()
    return " ".join(words) or schemes[0].title


def definition(scheme: SchemeRecord, name: str, family: list[SchemeRecord] | None = None) -> Answer:
    """The summary, or, for an aid with one version per territory and no place known, what they share."""
    buttons = [check_button(scheme), question_button("Comment la demander", name, HOW_TO_CLAIM)]
    if family:
        return Answer(f"{family_title(family)} : chaque département a le sien, avec ses propres règles. "
                      "Pour celui de chez vous, touchez « Voir si j'y ai droit » : je vous demanderai votre "
                      "commune.", buttons)
    return Answer(f"{scheme.title} : {scheme.summary}", buttons)


def how_to_claim(scheme: SchemeRecord, nearest_office: str | None) -> Answer:
    how = scheme.how_to_apply
    lines = [f"Pour demander : {scheme.title}", f"Qui s'en occupe : {how['organisme']}."]
    if how.get("texte"):
        lines.append(how["texte"])
    if how.get("en_ligne"):
        lines.append(f"En ligne : {how['en_ligne']}")
    if scheme.documents:
        lines.append("À préparer : " + " ; ".join(scheme.documents[:MAX_DOCUMENTS]) + ".")
    if nearest_office:
        lines.append(f"Près de chez vous : {nearest_office}")
    else:
        lines.append("Pour un lieu près de chez vous qui aide à faire la demande, touchez « Voir si j'y ai droit ».")
    return Answer("\n".join(lines), [check_button(scheme)])


def why_not(scheme: SchemeRecord, situation: Situation, place: Place | None, params: Parameters,
            answered: bool, estimate: Estimate | None = None) -> Answer:
    if not answered:
        return Answer(f"Je ne connais pas encore votre situation. Répondez à quelques questions et je vous dirai "
                      f"si « {scheme.title} » est possible pour vous.", [check_button(scheme)])
    unmet = unmet_conditions(scheme, situation, place, params, estimate)
    if not unmet:
        return Answer(f"D'après vos réponses, « {scheme.title} » reste possible pour vous. Seul l'organisme peut "
                      f"le confirmer : {scheme.how_to_apply['organisme']}.", [check_button(scheme)])
    reasons = "\n".join(f"• {reason[:1].upper()}{reason[1:]}." for reason in unmet)
    return Answer(f"D'après vos réponses, « {scheme.title} » ne semble pas possible pour vous :\n{reasons}\n"
                  "Si une réponse est fausse, écrivez « changer une réponse ».", [check_button(scheme)])


def answer(kind: str | None, schemes: list[SchemeRecord], name: str, place: Place | None,
           situation: Situation, params: Parameters, answered: bool, nearest_office: str | None,
           estimates: Mapping[str, Estimate] | None = None) -> Answer:
    """The answer to a question of ``kind`` about the schemes called ``name``."""
    scheme = choose(schemes, place)
    if kind == HOW_TO_CLAIM:
        return how_to_claim(scheme, nearest_office)
    if kind == WHY_NOT:
        return why_not(scheme, situation, place, params, answered, (estimates or {}).get(scheme.id))
    return definition(scheme, name, schemes if len(schemes) > 1 and place is None else None)
