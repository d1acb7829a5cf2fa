"""The situation form: understanding each answer, corrections, and the next question."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.slots import answers_from, entity_value, needs_from, place_from, urgent_need_pending
from bot import parsing
from bot.geography import describe, living_in, load_index
from bot.input_text import MAX_CHARS
from bot.intents import COMMAND_INTENTS
from bot.parameters import load_parameters
from bot.parsing import DONT_KNOW, Parsed
from bot.questions import answer_slots, next_question, question, situation_from_answers
from bot.service import cached_schemes, prefetch_estimates
from bot.vocabulary import LABELS_ACTIVITE, LABELS_BESOIN, LABELS_LOGEMENT

INTENT_TO_NEED = {
    "besoin_logement": "logement",
    "besoin_energie": "energie",
    "besoin_mobilite": "mobilite",
    "besoin_garde_enfants": "garde_enfants",
    "besoin_emploi": "emploi",
    "besoin_alimentation": "alimentation",
}
# Commands that always leave the question: the dialogue rules answer them.
# An emergency always leaves the question, even when the classifier is unsure:
# the rules give the emergency numbers at once, then the question comes back.
EMERGENCY_CONFIDENCE = 0.3
# Off-topic messages: answered by the rules when they are not an answer either.
DEFLECT_INTENTS = frozenset({"hors_sujet", "bot_challenge", "confidentialite"})
CONFIDENT = 0.6
MAX_COMMUNE_CHOICES = 8

ENTITY_FOR_SLOT = {
    "logement": "logement",
    "activite": "activite",
    "adultes": "adultes",
    "nb_enfants": "nb_enfants",
    "ressources": "ressources_tranche",
    "commune": "commune_insee",
}


OUTSIDE_REGION = ("Cette commune n'est pas en Occitanie : je ne connais que les aides d'Occitanie. "
                  "Pour votre région, la mairie ou la France Services la plus proche de chez vous peuvent vous "
                  "renseigner. Si vous habitez en Occitanie, écrivez le nom de votre commune.")


def parse_commune(text: str) -> tuple[Parsed, list[dict[str, str]] | None]:
    """The answer to the commune question: an INSEE code, the candidates to choose from, or a French error."""
    if parsing.is_dont_know(text):
        return Parsed(error="J'ai besoin de votre commune pour trouver les aides et les lieux proches. "
                            "Écrivez son nom ou son code postal, par exemple : Rodez ou 12000."), None
    return _from_resolution(load_index().resolve(text))


def _from_resolution(resolution: Any) -> tuple[Parsed, list[dict[str, str]] | None]:
    if resolution.status == "ok" and not resolution.fuzzy:
        return Parsed(resolution.communes[0].insee), None
    if resolution.status in ("ok", "ambiguous"):  # several, or found despite a typo: the person confirms
        choices = [{"insee": c.insee, "label": describe(c)} for c in resolution.communes[:MAX_COMMUNE_CHOICES]]
        return Parsed(), choices
    if resolution.status == "outside":
        return Parsed(error=OUTSIDE_REGION), None
    return Parsed(error="Je ne trouve pas cette commune en Occitanie. Vérifiez l'orthographe ou donnez "
                        "le code postal, par exemple : Saint-Gaudens ou 31800."), None


_KIND_ORDER = {"insee": 0, "ambiguous": 1, "outside": 2}


def commune_from_entities(entities: list[dict[str, Any]],
                          sure_only: bool = False) -> tuple[Parsed, list[dict[str, str]] | None]:
    """The commune named in a message that was not the answer to the commune question.

    Found by the NLU commune extractor, never with a typo tolerance. A commune of the region
    comes before a place elsewhere named in the same message. A commune the person did not
    clearly say they live in (group ``a_confirmer``) comes back as the only choice, which the
    commune question then confirms (« Vous habitez à … ? »). ``sure_only`` keeps only what is sure.
    """
    found = sorted((e for e in entities if e.get("entity") == "commune" and e.get("value")
                    and e.get("role") in _KIND_ORDER), key=lambda e: _KIND_ORDER[str(e["role"])])
    for entity in found:
        sure = entity.get("group") != "a_confirmer"
        if sure_only and (not sure or entity["role"] != "insee"):
            continue
        if entity["role"] == "insee":
            commune = load_index().get(str(entity["value"]))
            if commune is None:
                continue
            if sure:
                return Parsed(commune.insee), None
            return Parsed(), [{"insee": commune.insee, "label": describe(commune)}]
        return _from_resolution(load_index().lookup_exact(str(entity["value"])))
    return Parsed(), None


def parse_answer(slot: str, text: str, entities: list[dict[str, Any]], answers: dict[str, Any]) -> Parsed:
    """The answer to ``slot`` found in the message (buttons send entities, people send words)."""
    entity = entity_value(entities, ENTITY_FOR_SLOT.get(slot, ""))
    if entity is not None:
        text = {"ressources": entity, "commune": f"code commune {entity}"}.get(slot, entity)
    if slot == "commune":
        return parse_commune(text)[0]
    declared = question(slot)
    if declared.kind == "ages":
        expected = answers.get("nb_enfants")
        return parsing.parse_child_ages(text, int(expected) if isinstance(expected, (int, float)) else None)
    parsed = getattr(parsing, declared.parser)(text)
    if declared.kind == "tranche" and isinstance(parsed.value, tuple):
        return Parsed(list(parsed.value))  # a slot holds a list, not a tuple
    return parsed


def corrections_in(text: str, entities: list[dict[str, Any]] | None = None) -> list[tuple[str, Any]]:
    """Answers stated in a message (« non, j'ai 3 enfants », « en fait j'habite à Rodez »).

    The commune comes from the NLU commune extractor, and only when the person clearly said it.
    """
    found: list[tuple[str, Any]] = [(c.slot, c.value) for c in parsing.find_corrections(text)]
    commune, _ = commune_from_entities(entities or [], sure_only=True)
    if commune.ok:
        found.append(("commune", commune.value))
    return found


VALUE_LABELS = {"logement": LABELS_LOGEMENT, "activite": LABELS_ACTIVITE}


def acknowledgement(slot: str, value: Any) -> str | None:
    """« 34 ans », « vous habitez Albi (Tarn) »: the declared acknowledgement of an answer given in passing."""
    if value == DONT_KNOW or value is None:
        return None
    shown = VALUE_LABELS.get(slot, {}).get(value, str(value))
    if slot == "commune":
        commune = load_index().get(value)
        if commune is None:
            return None
        shown = describe(commune)
    return question(slot).acknowledge(value, shown)


def previous_action(tracker: Tracker) -> str | None:
    """The action that ran before this run of the form (``action_listen`` when the person just spoke)."""
    actions = [e.get("name") for e in tracker.events if e.get("event") == "action"]
    if actions and actions[-1] == "situation_form":
        actions = actions[:-1]
    return actions[-1] if actions else None


def with_history(history: list[str], answered: list[str]) -> list[str]:
    """Questions in the order they were last answered (for « revenir en arrière »)."""
    result = [q for q in history if q not in answered]
    return result + [q for q in answered if q in answer_slots()]


class ValidateSituationForm(Action):
    """Validates the answer to the requested question, applies corrections, picks the next question.

    Three cases: the person just answered (parse the answer); the questions start
    (use what the first message already says); the questions resume after an
    interruption, « revenir » or « changer une réponse » (ask the pending question).
    """

    def name(self) -> str:
        return "validate_situation_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        requested = tracker.get_slot("requested_slot")
        before = previous_action(tracker)
        if requested and before not in (None, "action_listen"):
            return self.resume(tracker, requested)
        return self.validate_message(dispatcher, tracker, requested)

    @staticmethod
    def _confirmation(tracker: Tracker, requested: str | None, text: str,
                      intent: str | None) -> dict[str, Any] | None:
        """« Oui » or « Non » to « Vous habitez à … ? »: the commune, or the plain question again."""
        choices = tracker.get_slot("commune_choix") or []
        if len(choices) != 1:
            return None
        answer = _confirmation_answer(text, intent)
        if answer is None:
            return None
        if answer:
            return {"commune": choices[0]["insee"], "commune_choix": None}
        return {"commune_choix": None}

    def resume(self, tracker: Tracker, requested: str) -> list[EventType]:
        answers = answers_from(tracker)
        if answers.get(requested) is None and requested in answer_slots():
            following: str | None = requested
        else:
            following = following_question(tracker, answers, needs_from(tracker))
        return [SlotSet("requested_slot", following)]

    def validate_message(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                         requested: str | None) -> list[EventType]:
        message = tracker.latest_message or {}
        text = str(message.get("text") or "")[:MAX_CHARS]
        intent = (message.get("intent") or {}).get("name")
        confidence = float((message.get("intent") or {}).get("confidence") or 0.0)
        entities = list(message.get("entities") or [])
        confident = confidence >= CONFIDENT

        if requested and intent in COMMAND_INTENTS and confident:
            return []  # the form steps aside; a rule answers the command
        if requested and intent == "urgence" and confidence >= EMERGENCY_CONFIDENCE:
            return []  # the emergency rule answers first

        needs = needs_from(tracker)
        updates: dict[str, Any] = {}
        notes: list[str] = []
        if requested and intent in INTENT_TO_NEED and confident and INTENT_TO_NEED[intent] not in needs:
            needs.append(INTENT_TO_NEED[intent])
            notes.append(f"je regarde aussi : {LABELS_BESOIN[INTENT_TO_NEED[intent]].lower()}")

        answers = answers_from(tracker)
        error: str | None = None
        confirmed = self._confirmation(tracker, requested, text, intent) if requested == "commune" else None
        if confirmed is not None:
            updates.update(confirmed)
        elif requested and text:
            if requested == "commune":
                answer, choices = parse_commune(text) if not entity_value(entities, "commune_insee") else (
                    parse_answer("commune", text, entities, answers), None)
                if choices:
                    updates["commune_choix"] = choices
            else:
                answer = parse_answer(requested, text, entities, answers)
            if answer.ok:
                updates[requested] = answer.value
                if requested == "commune":
                    updates["commune_choix"] = None
            else:
                error = answer.error

        if not requested:  # the message that started the questions may already name the commune
            named, choices = commune_from_entities(entities)
            if named.ok:
                updates["commune"] = named.value
            elif choices:
                updates["commune_choix"] = choices
            elif named.error:
                dispatcher.utter_message(text=named.error)

        for slot, value in corrections_in(text, entities if requested not in (None, "commune") else None):
            if slot == requested and requested in updates:
                continue
            if answers.get(slot) != value:
                updates[slot] = value
                note = acknowledgement(slot, value)
                if note:
                    notes.append(note)

        previous_ages = answers.get("ages_enfants")
        if "nb_enfants" in updates and previous_ages not in (None, DONT_KNOW) \
                and len(previous_ages) != updates["nb_enfants"]:
            updates["ages_enfants"] = None

        understood = bool(notes) or requested in updates or confirmed is not None
        urgent = urgent_need_pending(tracker)
        if urgent and requested != "commune":
            understood = True  # an urgent need told instead of the answer: its help comes now, the question later
        if requested and not understood and "commune_choix" not in updates:
            if intent in DEFLECT_INTENTS and confident:
                return []  # off-topic: a rule answers it, then the question comes back
            if error:
                dispatcher.utter_message(text=error)
        if notes:
            dispatcher.utter_message(text="C'est noté : " + " ; ".join(notes) + ".")

        merged = answers_from(tracker, updates)
        following: str | None
        if requested and requested not in updates and (not notes or confirmed is not None) \
                and not (urgent and merged.get("commune") is not None):
            following = requested  # not understood, or the commune not confirmed: the same question again
        else:
            following = following_question(tracker, merged, needs)
        if following is not None and (following == "ressources" or updates):
            # the engine computes the amounts while the person answers the next question
            prefetch_estimates(situation_from_answers(merged, needs))
        events: list[EventType] = [SlotSet(slot, value) for slot, value in updates.items()]
        if requested and requested not in updates:
            events.append(SlotSet(requested, None))
        answered = [slot for slot, value in updates.items() if value is not None]
        if answered:
            events.append(SlotSet("historique", with_history(list(tracker.get_slot("historique") or []), answered)))
        events.append(SlotSet("besoins", needs))
        events.append(SlotSet("requested_slot", following))
        return events


def following_question(tracker: Tracker, answers: dict[str, Any], needs: list[str]) -> str | None:
    """The next question: only the commune while the help of the day for an urgent need is still to give
    (bot.immediate_help), then the questions that can change the aids."""
    if urgent_need_pending(tracker):
        return "commune" if answers.get("commune") is None else None
    return next_question(answers, needs, cached_schemes(), place_from(answers.get("commune")),
                         load_parameters(), bool(tracker.get_slot("montants_demandes")))


YES_NO_INTENTS = {"affirmer": True, "nier": False}


def _confirmation_answer(text: str, intent: str | None) -> bool | None:
    if intent in YES_NO_INTENTS:
        return YES_NO_INTENTS[intent]
    parsed = parsing.parse_yes_no(text)
    return parsed.value if parsed.ok and isinstance(parsed.value, bool) else None


class ActionAskCommune(Action):
    """Asks for the commune, or offers buttons when several communes match the answer."""

    def name(self) -> str:
        return "action_ask_commune"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        choices = tracker.get_slot("commune_choix") or []
        if not choices:
            dispatcher.utter_message(response="utter_ask_commune")
            return []
        buttons = [{"title": choice["label"], "payload": f'/informer{{"commune_insee": "{choice["insee"]}"}}'}
                   for choice in choices]
        if len(choices) == 1:
            text = f"Vous habitez {living_in(choices[0]['label'])} ?"
            buttons = [{"title": "Oui", "payload": buttons[0]["payload"]},
                       {"title": "Non, une autre commune", "payload": "/nier"}]
        else:
            text = ("Plusieurs communes correspondent. Laquelle est la vôtre ? "
                    "Si elle n'est pas dans la liste, écrivez son nom.")
        dispatcher.utter_message(text=text, buttons=buttons)
        return []
