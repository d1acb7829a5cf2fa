"""Showing the matching schemes, one line each with the amount for the person, and the contacts near them."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.form import following_question
from actions.slots import answers_from, latest_entity, needs_from, situation_from, urgent_need_pending
from bot.contacts import ContactView, contacts_for, office_for
from bot.eligibility import Match
from bot.formatting import first_step, format_contacts, format_line, format_scheme, paris_now
from bot.geography import CommuneInfo, load_index
from bot.immediate_help import help_message
from bot.service import Estimates, estimates_for, schemes_for

PAGE_SIZE = 5

NEXT_STEPS = [
    {"title": "Récapitulatif (papiers à préparer)", "payload": "/recapitulatif"},
    {"title": "Changer une réponse", "payload": "/modifier_reponse"},
    {"title": "Un autre besoin", "payload": "/autre_besoin"},
    {"title": "Parler à une personne", "payload": "/demander_humain"},
    {"title": "Terminer", "payload": "/au_revoir"},
]
MORE = {"title": "Voir plus d'aides", "payload": "/voir_plus"}
AMOUNTS = {"title": "Estimer les montants", "payload": "/estimer_montants"}
AMOUNTS_HINT = "Pour estimer les montants, touchez « Estimer les montants » : quelques questions de plus."
DETAILS_HINT = "Pour savoir comment demander une aide, touchez « Détails » avec son numéro, ou écrivez son numéro."
ESTIMATES_HINT = "Les montants sont des estimations : l'organisme calcule le montant exact."


def current_matches(tracker: Tracker) -> tuple[list[Match], Estimates]:
    """The aids for the person's answers, with the amounts the rules engine computes for them."""
    situation = situation_from(tracker)
    estimates = estimates_for(situation)
    return schemes_for(situation, estimates), estimates


def amounts_to_ask(matches: list[Match], estimates: Estimates) -> bool:
    """An amount the engine could compute with a few more answers (not when the engine is down)."""
    return not estimates.unavailable and any(m.scheme.computed is not None and m.estimate is None for m in matches)


def details_button(position: int) -> dict[str, str]:
    return {"title": f"Détails {position}", "payload": f'/voir_details{{"numero": "{position}"}}'}


def show_page(dispatcher: CollectingDispatcher, matches: list[Match], start: int,
              estimates: Estimates, header: list[str] | None = None) -> int:
    """One message, one line per aid from ``start`` (after ``header``); returns how many have been shown."""
    page = matches[start:start + PAGE_SIZE]
    lines = [*(header or []), *(format_line(match, position) for position, match in enumerate(page, start + 1))]
    if estimates.unavailable:
        lines.append(estimates.NOTE)
    elif any(match.estimate is not None for match in page):
        lines.append(ESTIMATES_HINT)
    if amounts_to_ask(page, estimates):
        lines.append(AMOUNTS_HINT)
    dispatcher.utter_message(text="\n".join(lines))
    return start + len(page)


def contacts_from(tracker: Tracker) -> tuple[CommuneInfo | None, list[ContactView]]:
    """The person's commune and the offices for their latest need and situation."""
    situation = situation_from(tracker)
    commune = load_index().get(situation.commune) if situation.commune else None
    if commune is None:
        return None, []
    needs = tracker.get_slot("besoins") or []
    contacts = contacts_for(commune, needs[-1] if needs else None,
                            sans_logement=situation.logement in ("sans_logement", "heberge"),
                            age=situation.age, msa=situation.msa)
    return commune, contacts


def first_office(match: Match, tracker: Tracker) -> ContactView | None:
    """Where to go first for the first aid: its own office for the person's commune, else the nearest
    France services (free help with every claim)."""
    insee = situation_from(tracker).commune
    commune = load_index().get(insee) if insee else None
    if commune is None:
        return None
    own = office_of(match, tracker)
    if own is not None and (own.phone or own.address):
        return own
    return office_for("france_services", commune)  # free help with every claim, with a phone and hours


def office_of(match: Match, tracker: Tracker) -> ContactView | None:
    """The person's own office for an aid whose démarche names a kind of office (their town hall, MDPH…)."""
    kind = match.scheme.how_to_apply.get("contact")
    insee = situation_from(tracker).commune
    commune = load_index().get(insee) if kind and insee else None
    return office_for(kind, commune) if kind and commune else None


def offer_next_steps(dispatcher: CollectingDispatcher, matches: list[Match], shown: int,
                     first: int = 0, estimates: Estimates | None = None) -> list[EventType]:
    """« Détails » for the aids just shown, « Estimer les montants » when more answers would give them,
    « Voir plus » while aids remain, then the usual next steps."""
    details = [details_button(position) for position in range(first + 1, shown + 1)]
    amounts = [AMOUNTS] if estimates is not None and amounts_to_ask(matches[first:shown], estimates) else []
    buttons = details + amounts + ([MORE] if shown < len(matches) else []) + NEXT_STEPS
    text = "Que souhaitez-vous faire maintenant ?"
    if details:
        text = DETAILS_HINT + "\n" + text
    dispatcher.utter_message(text=text, buttons=buttons)
    # the aids shown so far, by catalogue id: counted, never with the person, by python -m bot stats
    return [SlotSet("resultats_montres", float(shown)),
            SlotSet("aides_proposees", [match.scheme.id for match in matches[:shown]])]


FULL_CHECK_QUESTION = ("Voulez-vous que je cherche aussi toutes les aides pour vous ? "
                       "Quelques questions suffisent.")
FULL_CHECK_BUTTONS = [
    {"title": "Oui, chercher mes aides", "payload": "/affirmer"},
    {"title": "Non, pas maintenant", "payload": "/nier"},
]


def give_immediate_help(dispatcher: CollectingDispatcher, tracker: Tracker, situation: str) -> list[EventType]:
    """The help of the day for an urgent need, for the person's commune, then the offer of the full check."""
    insee = situation_from(tracker).commune
    commune = load_index().get(insee) if insee else None
    dispatcher.utter_message(text=help_message(situation, commune, paris_now()))
    dispatcher.utter_message(text=FULL_CHECK_QUESTION, buttons=FULL_CHECK_BUTTONS)
    return [SlotSet("aide_immediate_donnee", situation)]


class ActionProposerAides(Action):
    """The aids for the person's answers; for an urgent need, the help of the day first (bot.immediate_help)."""

    def name(self) -> str:
        return "action_proposer_aides"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        urgent = urgent_need_pending(tracker)
        if urgent:
            return give_immediate_help(dispatcher, tracker, urgent)
        matches, estimates = current_matches(tracker)
        if matches:
            count = len(matches)
            intro = (f"J'ai trouvé {count} aide{'s' if count > 1 else ''} qui pourrai{'ent' if count > 1 else 't'} "
                     "vous concerner. Les plus utiles d'abord :")
            shown = show_page(dispatcher, matches, 0, estimates,
                              header=[*first_step(matches[0], first_office(matches[0], tracker), paris_now()),
                                      "", intro])
        else:
            dispatcher.utter_message(
                text="Je n'ai pas trouvé d'aide qui corresponde exactement à votre situation. Un conseiller "
                     "peut regarder avec vous d'autres pistes : voici où vous adresser.")
            shown = 0
        commune, contacts = contacts_from(tracker)
        if commune:
            dispatcher.utter_message(text=format_contacts(contacts, commune.nom))
        else:
            dispatcher.utter_message(
                text="Pour être accompagné(e), une France services vous aide gratuitement. Dites-moi votre commune "
                     "(par exemple « j'habite à Millau ») et je vous donne la plus proche.")
        return offer_next_steps(dispatcher, matches, shown, 0, estimates)


class ActionVoirPlus(Action):
    def name(self) -> str:
        return "action_voir_plus"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        matches, estimates = current_matches(tracker)
        start = int(tracker.get_slot("resultats_montres") or 0)
        if not matches:
            dispatcher.utter_message(response="utter_choisir_besoin")
            return []
        if start >= len(matches):
            dispatcher.utter_message(text="Je vous ai montré toutes les aides que j'ai trouvées.",
                                     buttons=NEXT_STEPS)
            return []
        return offer_next_steps(dispatcher, matches, show_page(dispatcher, matches, start, estimates), start,
                                estimates)


class ActionVoirDetails(Action):
    """« 2 », « détails 3 »: how to claim one aid of the results, with its papers and its source."""

    def name(self) -> str:
        return "action_voir_details"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        shown = int(tracker.get_slot("resultats_montres") or 0)
        if shown <= 0:
            dispatcher.utter_message(text="Je ne vous ai pas encore proposé d'aide. Dites-moi ce dont vous avez "
                                          "besoin, et je chercherai avec vous.")
            dispatcher.utter_message(response="utter_choisir_besoin")
            return []
        matches, _ = current_matches(tracker)
        shown = min(shown, len(matches))
        number = latest_entity(tracker, "numero")
        position = int(number) if number and number.isdigit() else None
        if position is None or not 1 <= position <= shown:
            asked = "" if position is None else f"Je n'ai pas d'aide numéro {position}. "
            dispatcher.utter_message(
                text=f"{asked}De quelle aide voulez-vous le détail ? Touchez son numéro.",
                buttons=[details_button(p) for p in range(1, shown + 1)] + NEXT_STEPS[:1])
            return []
        match = matches[position - 1]
        dispatcher.utter_message(text=format_scheme(match, position, office_of(match, tracker)))
        dispatcher.utter_message(text="Que souhaitez-vous faire maintenant ?",
                                 buttons=([MORE] if shown < len(matches) else []) + NEXT_STEPS)
        return []


class ActionEstimerMontants(Action):
    """« Estimer les montants »: the questions the rules engine still needs, then the aids again with amounts."""

    def name(self) -> str:
        return "action_estimer_montants"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        if not tracker.get_slot("besoins"):
            dispatcher.utter_message(text="Dites-moi d'abord pour quoi vous cherchez de l'aide : je calculerai "
                                          "ensuite les montants.")
        else:
            dispatcher.utter_message(text="Pour estimer les montants, j'ai besoin de quelques réponses de plus.")
        return [SlotSet("montants_demandes", True)]


class ActionBilanComplet(Action):
    """« Oui » after the help of the day: the questions that can change the aids, then all the aids."""

    def name(self) -> str:
        return "action_bilan_complet"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        if following_question(tracker, answers_from(tracker), needs_from(tracker)) is not None:
            dispatcher.utter_message(text="D'accord. Quelques questions, une à la fois. Vous pouvez répondre "
                                          "« je ne sais pas ».")
        return []
