"""The situation form: understanding each answer, corrections, and the next question."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.slots import ANSWER_SLOTS, answers_from, needs_from, place_from
from bot import parsing
from bot.geography import describe, load_index
from bot.parameters import load_parameters
from bot.parsing import DONT_KNOW, Parsed
from bot.questions import next_question
from bot.service import cached_schemes
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
COMMAND_INTENTS = frozenset({"recommencer", "effacer_donnees", "au_revoir", "demander_humain", "revenir",
                             "modifier_reponse", "recapitulatif"})
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


def _entity(entities: list[dict[str, Any]], name: str) -> str | None:
    for entity in entities:
        if entity.get("entity") == name and entity.get("value") not in (None, ""):
            return str(entity["value"])
    return None


def parse_commune(text: str) -> tuple[Parsed, list[dict[str, str]] | None]:
    """A commune's INSEE code, or the candidates to choose from, or a French error."""
    if parsing.is_dont_know(text):
        return Parsed(error="J'ai besoin de votre commune pour trouver les aides et les lieux proches. "
                            "Écrivez son nom ou son code postal, par exemple : Rodez ou 12000."), None
    resolution = load_index().resolve(text)
    if resolution.status == "ok" and not resolution.fuzzy:
        return Parsed(resolution.communes[0].insee), None
    if resolution.status in ("ok", "ambiguous"):  # several, or found despite a typo: the person confirms
        choices = [{"insee": c.insee, "label": describe(c)} for c in resolution.communes[:MAX_COMMUNE_CHOICES]]
        return Parsed(), choices
    if resolution.status == "outside":
        return Parsed(error=(
            "Cette commune n'est pas en Occitanie : je ne connais que les aides d'Occitanie. "
            "Pour votre région, le 39 39 (Allô Service Public) ou la France Services la plus proche peuvent "
            "vous renseigner. Si vous habitez en Occitanie, écrivez le nom de votre commune.")), None
    return Parsed(error="Je ne trouve pas cette commune en Occitanie. Vérifiez l'orthographe ou donnez "
                        "le code postal, par exemple : Saint-Gaudens ou 31800."), None


def commune_from_entities(entities: list[dict[str, Any]]) -> tuple[Parsed, list[dict[str, str]] | None]:
    """The commune named anywhere in the message, as found by the NLU commune extractor."""
    for entity in entities:
        if entity.get("entity") != "commune" or not entity.get("value"):
            continue
        if entity.get("role") == "insee" and load_index().get(str(entity["value"])):
            return Parsed(str(entity["value"])), None
        if entity.get("role") in ("ambiguous", "outside"):
            return parse_commune(str(entity["value"]))
    return Parsed(), None


def parse_answer(slot: str, text: str, entities: list[dict[str, Any]], answers: dict[str, Any]) -> Parsed:
    """The answer to ``slot`` found in the message (buttons send entities, people send words)."""
    entity = _entity(entities, ENTITY_FOR_SLOT.get(slot, ""))
    if entity is not None:
        text = {"ressources": entity, "commune": f"code commune {entity}"}.get(slot, entity)
    if slot == "commune":
        return parse_commune(text)[0]
    if slot == "age":
        return parsing.parse_age(text)
    if slot == "adultes":
        return parsing.parse_adults(text)
    if slot == "nb_enfants":
        return parsing.parse_child_count(text)
    if slot == "ages_enfants":
        expected = answers.get("nb_enfants")
        return parsing.parse_child_ages(text, int(expected) if isinstance(expected, (int, float)) else None)
    if slot == "logement":
        return parsing.parse_logement(text)
    if slot == "activite":
        return parsing.parse_activite(text)
    if slot == "ressources":
        parsed = parsing.parse_ressources(text)
        return Parsed(list(parsed.value)) if isinstance(parsed.value, tuple) else parsed
    if slot in ("impaye", "permis", "vehicule", "handicap", "grossesse", "msa"):
        return parsing.parse_yes_no(text)
    raise ValueError(f"no parser for slot {slot}")


def corrections_in(text: str) -> list[tuple[str, Any]]:
    """Answers stated in a message (« non, j'ai 3 enfants »), communes resolved to their INSEE code."""
    found = []
    for correction in parsing.find_corrections(text):
        value: Any = correction.value
        if correction.slot == "commune":
            parsed, _ = parse_commune(value)
            if not parsed.ok:
                continue
            value = parsed.value
        found.append((correction.slot, value))
    return found


def acknowledgement(slot: str, value: Any) -> str | None:
    if value == DONT_KNOW:
        return None
    if slot == "nb_enfants":
        return "aucun enfant à charge" if value == 0 else f"{value} enfant{'s' if value > 1 else ''} à charge"
    if slot == "age":
        return f"{value} ans"
    if slot == "logement":
        return f"vous êtes {LABELS_LOGEMENT[value]}"
    if slot == "activite":
        return f"vous êtes {LABELS_ACTIVITE[value]}"
    if slot == "commune":
        commune = load_index().get(value)
        return f"vous habitez {describe(commune)}" if commune else None
    return None


def previous_action(tracker: Tracker) -> str | None:
    """The action that ran before this run of the form (``action_listen`` when the person just spoke)."""
    actions = [e.get("name") for e in tracker.events if e.get("event") == "action"]
    if actions and actions[-1] == "situation_form":
        actions = actions[:-1]
    return actions[-1] if actions else None


def with_history(history: list[str], answered: list[str]) -> list[str]:
    """Questions in the order they were last answered (for « revenir en arrière »)."""
    result = [q for q in history if q not in answered]
    return result + [q for q in answered if q in ANSWER_SLOTS]


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

    def resume(self, tracker: Tracker, requested: str) -> list[EventType]:
        answers = answers_from(tracker)
        if answers.get(requested) is None and requested in ANSWER_SLOTS:
            following: str | None = requested
        else:
            following = next_question(answers, needs_from(tracker), cached_schemes(),
                                      place_from(answers.get("commune")), load_parameters())
        return [SlotSet("requested_slot", following)]

    def validate_message(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                         requested: str | None) -> list[EventType]:
        message = tracker.latest_message or {}
        text = str(message.get("text") or "")[:2000]
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
        if requested and text:
            if requested == "commune":
                answer, choices = parse_commune(text) if not _entity(entities, "commune_insee") else (
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

        for slot, value in corrections_in(text):
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

        understood = bool(notes) or requested in updates
        if requested and not understood and "commune_choix" not in updates:
            if intent in DEFLECT_INTENTS and confident:
                return []  # off-topic: a rule answers it, then the question comes back
            if error:
                dispatcher.utter_message(text=error)
        if notes:
            dispatcher.utter_message(text="C'est noté : " + " ; ".join(notes) + ".")

        merged = answers_from(tracker, updates)
        following: str | None
        if requested and requested not in updates and not notes:
            following = requested  # not understood: the same question again, after the example
        else:
            following = next_question(merged, needs, cached_schemes(), place_from(merged.get("commune")),
                                      load_parameters())
        events: list[EventType] = [SlotSet(slot, value) for slot, value in updates.items()]
        if requested and requested not in updates:
            events.append(SlotSet(requested, None))
        answered = [slot for slot, value in updates.items() if value is not None]
        if answered:
            events.append(SlotSet("historique", with_history(list(tracker.get_slot("historique") or []), answered)))
        events.append(SlotSet("besoins", needs))
        events.append(SlotSet("requested_slot", following))
        return events


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
            text = f"Vouliez-vous dire {choices[0]['label']} ? Sinon, écrivez le nom de votre commune."
        else:
            text = ("Plusieurs communes correspondent. Laquelle est la vôtre ? "
                    "Si elle n'est pas dans la liste, écrivez son nom.")
        dispatcher.utter_message(text=text, buttons=buttons)
        return []
