"""Virtual people typing whole dialogues to the assistant through the REST channel (`make bench`).

Each person: a need in their own words, then answers to each question as it comes (commune, age,
household, housing, rent, activity, income…), then « voir plus », « 2 » (details) and
« récapitulatif ». Every turn is recorded under what it was: « question » (a form turn),
« résultats » (the turn that shows the aids and their amounts), « suite » (after the results),
and « salutation », a greeting answered without any custom action: the floor.
"""

from __future__ import annotations

import json
import logging
import os
import random
import uuid
from collections import defaultdict
from typing import Any

import gevent
from locust import HttpUser, between, constant, events, task

# What the person answers, found by a few words of the question (the most specific first).
ANSWERS = {
    "quelle commune": ["j'habite à Albi", "31000", "je vis à Béziers", "Montauban"],
    "quel âge avez-vous": ["34 ans", "j'ai 52 ans", "27"],
    "combien d'adultes": ["je vis seule", "2", "on est deux"],
    "combien d'enfants": ["2", "aucun", "1"],
    "quel âge ont vos enfants": ["3 et 7", "4 et 11", "9"],
    "situation de logement": ["je suis locataire"],
    "de loyer par mois": ["520 euros charges comprises", "650", "480 €"],
    "votre activité": ["je suis en cdd", "au chômage", "salarié"],
    "combien le foyer": ["environ 1100 euros", "entre 1000 et 1500", "900 €"],
    "en retard de paiement": ["oui", "non"],
    "permis de conduire": ["non"],
    "un véhicule": ["non"],
    "reconnaissance de handicap": ["non"],
    "attendez-vous un enfant": ["non"],
    "dépendez-vous de la msa": ["non"],
    "vous habitez": ["oui"],
}
NEEDS = ["je n'arrive plus à payer mon loyer", "aide pour payer l'électricité", "je cherche du travail",
         "on a du mal à manger à la fin du mois"]
WEBHOOK = "/webhooks/rest/webhook"
# What each conversation sent, in order, and whether it was answered (« ok ») or not (« erreur »):
# written at the end to BENCH_SENT_FILE, then compared with the tracker store (scripts/bench/integrity.py).
SENT: dict[str, list[tuple[str, str]]] = defaultdict(list)


@events.test_stop.add_listener
def write_sent(**_: Any) -> None:
    path = os.environ.get("BENCH_SENT_FILE")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(SENT, handle, ensure_ascii=False)


def answer_to(question: str) -> str | None:
    keys = sorted((key for key in ANSWERS if key in question.lower()), key=len, reverse=True)
    return random.choice(ANSWERS[keys[0]]) if keys else None


class Person(HttpUser):
    """A person typing without pause (capacity)."""

    wait_time = constant(0)
    pause: tuple[float, float] | None = None  # seconds between two messages of a dialogue

    def on_start(self) -> None:
        self.greeting()  # every run measures its floor, even a short one with pauses

    def turn(self, sender: str, text: str, kind: str) -> str:
        if self.pause is not None and SENT.get(sender):
            gevent.sleep(random.uniform(*self.pause))  # reading the answer and typing the next message
        sent = SENT[sender]
        sent.append((text, "erreur"))
        with self.client.post(WEBHOOK, json={"sender": sender, "message": text}, name=kind,
                              catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return ""
            replies = response.json()
            texts = "\n".join(r.get("text", "") for r in replies)
            if not replies or "Traceback" in texts:
                response.failure("no reply")
                return ""
            if "un de nos services ne répond pas" in texts:  # the assistant's own outage answer
                response.failure("service down")
                return ""
            if "J'ai trouvé" in texts or "Je n'ai pas trouvé d'aide" in texts:
                response.request_meta["name"] = "résultats"
            sent[-1] = (text, "ok")
            return replies[-1].get("text", "")

    @task(6)
    def dialogue(self) -> None:
        sender = str(uuid.uuid4())
        last = self.turn(sender, random.choice(NEEDS), "question")
        for _ in range(14):
            if "que souhaitez-vous faire" in last.lower():
                break
            answer = answer_to(last)
            if answer is None:
                logging.warning("no answer for: %s", last[:120])
                return
            last = self.turn(sender, answer, "question")
        for text in ("voir plus", "2", "récapitulatif"):
            self.turn(sender, text, "suite")

    @task(1)
    def greeting(self) -> None:
        self.turn(str(uuid.uuid4()), "bonjour", "salutation")


class TypingPerson(Person):
    """A person typing: 3 to 8 s between two messages, and between two dialogues."""

    wait_time = between(3, 8)
    pause = (3.0, 8.0)
