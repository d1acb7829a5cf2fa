"""Custom actions, driven with rasa_sdk trackers and a collecting dispatcher."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionEffacerDonnees, ActionEnregistrerBesoin, ActionHumain
from actions.form import ActionAskCommune, ValidateSituationForm
from actions.results import ActionProposerAides, ActionVoirDetails, ActionVoirPlus

DOMAIN: dict[str, Any] = {}


def tracker(slots: dict[str, Any] | None = None, text: str = "", intent: str = "informer",
            confidence: float = 0.9, entities: list | None = None, requested: str | None = None) -> Tracker:
    all_slots = {"besoins": ["logement"], "requested_slot": requested, **(slots or {})}
    events = [SlotSet(name, value) for name, value in all_slots.items()]
    return Tracker(
        sender_id="test", slots=all_slots,
        latest_message={"text": text, "intent": {"name": intent, "confidence": confidence},
                        "entities": entities or []},
        events=events, paused=False, followup_action=None,
        active_loop={"name": "situation_form"} if requested else {}, latest_action_name="action_listen",
    )


def run(action, tracker_: Tracker) -> tuple[list[dict], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker_, DOMAIN))
    return events, dispatcher


def slots_set(events: list[dict]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def texts(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(m.get("text") or m.get("response") or "" for m in dispatcher.messages)


def test_valid_answer_fills_the_slot_and_asks_the_next_question():
    events, dispatcher = run(ValidateSituationForm(), tracker({"commune": "48095"}, "j'ai 34 ans", requested="age"))
    slots = slots_set(events)
    assert slots["age"] == 34
    assert slots["requested_slot"] not in (None, "age")
    assert dispatcher.messages == []


def test_invalid_answer_is_reasked_with_an_example():
    events, dispatcher = run(ValidateSituationForm(), tracker({"commune": "48095"}, "300", requested="age"))
    slots = slots_set(events)
    assert slots["age"] is None and slots["requested_slot"] == "age"
    assert "par exemple" in texts(dispatcher)


def test_button_payload_entity_is_used():
    entities = [{"entity": "logement", "value": "heberge"}]
    events, _ = run(ValidateSituationForm(), tracker({"commune": "48095", "age": 30}, '/informer{"logement":'
                                                     ' "heberge"}', entities=entities, requested="logement"))
    assert slots_set(events)["logement"] == "heberge"


def test_correction_of_an_earlier_answer():
    slots = {"commune": "48095", "age": 30, "adultes": 1, "nb_enfants": 1, "ages_enfants": [3]}
    events, dispatcher = run(ValidateSituationForm(), tracker(slots, "non, j'ai 3 enfants", intent="nier",
                                                              requested="logement"))
    result = slots_set(events)
    assert result["nb_enfants"] == 3
    assert result["ages_enfants"] is None  # the ages will be asked again
    assert "C'est noté : 3 enfants à charge" in texts(dispatcher)
    assert "Je n'ai pas compris" not in texts(dispatcher)


def test_dont_know_is_accepted():
    events, _ = run(ValidateSituationForm(), tracker({"commune": "48095"}, "je sais pas", intent="ne_sait_pas",
                                                     requested="age"))
    assert slots_set(events)["age"] == "inconnu"


def test_ambiguous_commune_offers_buttons():
    events, _ = run(ValidateSituationForm(), tracker({}, "Prades", requested="commune"))
    choices = slots_set(events)["commune_choix"]
    assert {c["insee"] for c in choices} == {"09232", "66149", "81212"}
    asking = tracker({"commune_choix": choices}, requested="commune")
    _, dispatcher = run(ActionAskCommune(), asking)
    buttons = dispatcher.messages[0]["buttons"]
    assert len(buttons) == 3 and '"09232"' in buttons[2]["payload"] + buttons[1]["payload"] + buttons[0]["payload"]


def test_commune_with_a_typo_is_confirmed_with_a_button():
    events, _ = run(ValidateSituationForm(), tracker({}, "perpigan", requested="commune"))
    slots = slots_set(events)
    assert slots["commune"] is None and slots["commune_choix"] == [{"insee": "66136",
                                                                    "label": "Perpignan (Pyrénées-Orientales)"}]
    _, dispatcher = run(ActionAskCommune(), tracker({"commune_choix": slots["commune_choix"]}, requested="commune"))
    assert dispatcher.messages[0]["text"] == "Vous habitez à Perpignan (Pyrénées-Orientales) ?"
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == ["Oui", "Non, une autre commune"]


def test_commune_outside_occitanie_gets_a_polite_answer():
    events, dispatcher = run(ValidateSituationForm(), tracker({}, "Bordeaux", requested="commune"))
    assert slots_set(events)["commune"] is None
    assert "n'est pas en Occitanie" in texts(dispatcher) and "France Services" in texts(dispatcher)
    assert "39 39" not in texts(dispatcher)


def place(value: str, role: str = "insee", group: str = "sur") -> dict[str, Any]:
    return {"entity": "commune", "value": value, "role": role, "group": group}


def test_a_commune_said_clearly_in_the_first_message_is_kept():
    events, _ = run(ValidateSituationForm(), tracker({}, "j'habite à Albi", entities=[place("81004")]))
    assert slots_set(events)["commune"] == "81004"


def test_a_commune_not_said_clearly_is_asked_back_then_kept_on_yes():
    events, _ = run(ValidateSituationForm(), tracker({}, "la crèche à Albi",
                                                     entities=[place("81004", group="a_confirmer")]))
    slots = slots_set(events)
    assert "commune" not in slots and slots["commune_choix"] == [{"insee": "81004", "label": "Albi (Tarn)"}]
    assert slots["requested_slot"] == "commune"
    _, dispatcher = run(ActionAskCommune(), tracker({"commune_choix": slots["commune_choix"]}, requested="commune"))
    assert dispatcher.messages[0]["text"] == "Vous habitez à Albi (Tarn) ?"
    events, _ = run(ValidateSituationForm(), tracker({"commune_choix": slots["commune_choix"]}, "oui",
                                                     intent="affirmer", requested="commune"))
    assert slots_set(events)["commune"] == "81004" and slots_set(events)["commune_choix"] is None


def test_no_to_the_commune_asked_back_asks_the_question_plainly():
    choices = [{"insee": "34226", "label": "Quarante (Hérault)"}]
    events, dispatcher = run(ValidateSituationForm(), tracker({"commune_choix": choices}, "/nier", intent="nier",
                                                              requested="commune"))
    slots = slots_set(events)
    assert slots["commune"] is None and slots["commune_choix"] is None and slots["requested_slot"] == "commune"
    assert dispatcher.messages == []  # no « je ne trouve pas cette commune »: the question comes back plainly
    _, dispatcher = run(ActionAskCommune(), tracker({}, requested="commune"))
    assert dispatcher.messages[0]["response"] == "utter_ask_commune"


def test_a_commune_of_the_region_wins_over_a_place_elsewhere_in_the_same_message():
    entities = [place("Lyon", role="outside"), place("81004")]
    events, dispatcher = run(ValidateSituationForm(), tracker({}, "je viens de Lyon, j'habite à Albi",
                                                              entities=entities))
    assert slots_set(events)["commune"] == "81004" and "n'est pas en Occitanie" not in texts(dispatcher)


def test_a_first_message_from_outside_the_region_gets_a_polite_answer():
    events, dispatcher = run(ValidateSituationForm(), tracker({}, "j'habite à Lyon et je cherche un logement",
                                                              entities=[place("Lyon", role="outside")]))
    assert "n'est pas en Occitanie" in texts(dispatcher) and "commune" not in slots_set(events)


def test_during_another_question_only_a_clear_commune_changes_the_answer():
    events, _ = run(ValidateSituationForm(), tracker({"commune": "48095"}, "j'ai 34 ans, j'habite à Rodez",
                                                     entities=[place("12202")], requested="age"))
    assert slots_set(events)["commune"] == "12202" and slots_set(events)["age"] == 34
    events, _ = run(ValidateSituationForm(), tracker({"commune": "48095"}, "34 ans à Rodez",
                                                     entities=[place("12202", group="a_confirmer")], requested="age"))
    assert "commune" not in slots_set(events)


def test_emergency_mid_form_leaves_the_question_to_the_emergency_rule():
    for confidence in (0.95, 0.4):
        events, dispatcher = run(ValidateSituationForm(), tracker({"commune": "48095"}, "il me frappe aidez moi",
                                                                  intent="urgence", confidence=confidence,
                                                                  requested="age"))
        assert events == [] and dispatcher.messages == []


def test_commands_leave_the_form_to_the_rules():
    for intent in ("recommencer", "effacer_donnees", "au_revoir", "demander_humain"):
        events, _ = run(ValidateSituationForm(), tracker({"commune": "48095"}, "stop", intent=intent,
                                                         requested="age"))
        assert events == []


def test_off_topic_that_is_not_an_answer_is_rejected_for_the_rules():
    events, _ = run(ValidateSituationForm(), tracker({"commune": "48095"}, "quel temps fait il", intent="hors_sujet",
                                                     requested="age"))
    assert events == []


def test_new_need_mid_form_is_added():
    events, dispatcher = run(ValidateSituationForm(), tracker({"commune": "48095"}, "et aussi l'electricite",
                                                              intent="besoin_energie", requested="age"))
    assert slots_set(events)["besoins"] == ["logement", "energie"]
    assert "je regarde aussi" in texts(dispatcher)


def test_activation_prefills_from_the_first_message():
    events, _ = run(ValidateSituationForm(), tracker({}, "je suis locataire et j'habite à Rodez",
                                                     intent="besoin_logement", entities=[place("12202")]))
    slots = slots_set(events)
    assert slots["commune"] == "12202" and slots["logement"] == "locataire"


FULL = {"commune": "31555", "age": 32, "adultes": 1, "nb_enfants": 1, "ages_enfants": [4],
        "logement": "locataire", "activite": "salarie", "ressources": [1000, 1500], "impaye": True}


def test_results_list_schemes_with_reasons_then_contacts_then_next_steps():
    _, dispatcher = run(ActionProposerAides(), tracker(FULL))
    messages = dispatcher.messages
    lines = messages[0]["text"].split("\n")
    # issue 15: the next step first, in at most 3 lines, with a number to call and when it is open
    assert lines[0].startswith("À faire d'abord : demandez « ") and lines.index("") <= 3
    assert "Appelez " in messages[0]["text"] and " au 0" in messages[0]["text"]
    assert len(messages[0]["text"]) <= 1200
    aids = [line for line in lines if line[:2] in {f"{i}." for i in range(1, 10)}]
    assert 1 <= len(aids) <= 5
    assert all(len(line) < 200 and "Source" not in line for line in aids)  # one short line per aid
    # no engine in unit tests: the aids come without amounts, and the answer says so in one sentence
    assert lines[-1].startswith("Je ne peux pas calculer les montants")
    assert "Pour vous aider près de Toulouse" in messages[-2]["text"]
    payloads = [b["payload"] for b in messages[-1]["buttons"]]
    assert payloads[:len(aids)] == [f'/voir_details{{"numero": "{i}"}}' for i in range(1, len(aids) + 1)]
    assert payloads[-3:] == ["/autre_besoin", "/demander_humain", "/au_revoir"]


def test_details_of_one_aid_on_request():
    events, _ = run(ActionProposerAides(), tracker(FULL))
    shown = slots_set(events)["resultats_montres"]
    t = tracker({**FULL, "resultats_montres": shown}, '/voir_details{"numero": "2"}', intent="voir_details",
                entities=[{"entity": "numero", "value": "2"}])
    _, dispatcher = run(ActionVoirDetails(), t)
    card = dispatcher.messages[0]["text"]
    assert card.startswith("2. ") and "Comment faire" in card and "Source :" in card
    assert "À dire au téléphone ou au guichet : « Bonjour, je voudrais demander : " in card
    t = tracker({**FULL, "resultats_montres": shown}, "9", intent="voir_details",
                entities=[{"entity": "numero", "value": "9"}])
    _, dispatcher = run(ActionVoirDetails(), t)
    assert dispatcher.messages[0]["text"].startswith("Je n'ai pas d'aide numéro 9.")


def test_see_more_continues_where_the_list_stopped():
    slots = {**FULL, "besoins": ["logement", "energie", "emploi"]}
    events, first = run(ActionProposerAides(), tracker(slots))
    shown = slots_set(events)["resultats_montres"]
    assert shown == 5
    first_ids = slots_set(events)["aides_proposees"]  # the aids shown, by catalogue id, for the statistics
    events, more = run(ActionVoirPlus(), tracker({**slots, "resultats_montres": shown}))
    assert more.messages[0]["text"].startswith("6. ")
    assert more.messages[-1]["buttons"][0]["title"] == "Détails 6"
    assert len(first_ids) == 5 and all(isinstance(i, str) for i in first_ids)
    more_ids = slots_set(events)["aides_proposees"]
    assert more_ids[:5] == first_ids and len(more_ids) > 5


def test_first_need_explains_the_questions_once():
    t = tracker({"besoins": []}, "/besoin_logement", intent="besoin_logement")
    events, dispatcher = run(ActionEnregistrerBesoin(), t)
    assert slots_set(events)["besoins"] == ["logement"]
    assert "une à la fois" in texts(dispatcher)


def test_human_contact_lists_nearest_france_services():
    _, dispatcher = run(ActionHumain(), tracker({"commune": "65440"}))
    text = texts(dispatcher)
    assert "39 39" not in text and text.count("France services") + text.count("France Services") >= 3
    assert "CCAS" in text


def test_erase_resets_every_answer():
    events, dispatcher = run(ActionEffacerDonnees(), tracker(FULL))
    assert {"event": "reset_slots", "timestamp": None} in events
    assert "cette conversation est effacée" in texts(dispatcher)


def test_commune_found_by_the_nlu_extractor_at_the_start():
    entities = [{"entity": "commune", "value": "31483", "role": "insee"}]
    events, _ = run(ValidateSituationForm(), tracker({}, "je cherche un logement vers st gaudens",
                                                     intent="besoin_logement", entities=entities))
    assert slots_set(events)["commune"] == "31483"
    ambiguous = [{"entity": "commune", "value": "31800", "role": "ambiguous"}]
    events, _ = run(ValidateSituationForm(), tracker({}, "je suis au 31800", intent="besoin_logement",
                                                     entities=ambiguous))
    assert len(slots_set(events)["commune_choix"]) > 3


def test_resume_after_an_interruption_asks_the_pending_question():
    slots = {"commune": "48095", "requested_slot": "age"}
    events = [SlotSet(k, v) for k, v in slots.items()] + [
        {"event": "action", "name": "utter_hors_sujet"}, {"event": "action", "name": "situation_form"}]
    t = Tracker(sender_id="t", slots={"besoins": ["emploi"], **slots},
                latest_message={"text": "quel temps fait-il", "intent": {"name": "hors_sujet", "confidence": 0.99},
                                "entities": []},
                events=events, paused=False, followup_action=None, active_loop={"name": "situation_form"},
                latest_action_name="situation_form")
    result, dispatcher = run(ValidateSituationForm(), t)
    assert result == [{"event": "slot", "timestamp": None, "name": "requested_slot", "value": "age"}]
    assert dispatcher.messages == []


def test_go_back_forgets_the_last_answer_and_asks_it_again():
    from actions.navigation import ActionRevenir

    events, dispatcher = run(ActionRevenir(), tracker({"commune": "48095", "age": 40,
                                                      "historique": ["commune", "age"]}))
    slots = slots_set(events)
    assert slots["age"] is None and slots["requested_slot"] == "age" and slots["historique"] == ["commune"]
    assert "reprenons" in texts(dispatcher)


def test_change_one_answer_offers_buttons_then_asks_it_again():
    from actions.navigation import ActionModifierReponse

    _, dispatcher = run(ActionModifierReponse(), tracker(FULL))
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert "Ma commune" in titles and "Mes ressources" in titles
    chosen = tracker(FULL, '/modifier_reponse{"question": "commune"}', intent="modifier_reponse",
                     entities=[{"entity": "question", "value": "commune"}])
    events, _ = run(ActionModifierReponse(), chosen)
    assert slots_set(events)["commune"] is None and slots_set(events)["requested_slot"] == "commune"


def test_answers_are_remembered_in_order_for_going_back():
    events, _ = run(ValidateSituationForm(), tracker({"commune": "48095", "historique": ["commune"]}, "34 ans",
                                                     requested="age"))
    assert slots_set(events)["historique"] == ["commune", "age"]


def test_summary_lists_aids_documents_and_places_in_one_message():
    from actions.navigation import ActionRecapitulatif

    _, dispatcher = run(ActionRecapitulatif(), tracker(FULL))
    assert len(dispatcher.messages) == 1
    text = dispatcher.messages[0]["text"]
    assert text.startswith("RÉCAPITULATIF – Toulouse")
    assert "Les documents à préparer" in text and "Où vous faire aider" in text
    assert "39 39" not in text.split("Où vous faire aider")[1].splitlines()[-1]  # not the catch-all last word


def test_details_name_the_persons_own_office_and_say_when_facts_are_still_to_confirm():
    """Issue 14: « Où : » the town hall (or MDPH…) of the person's commune for a scheme naming a kind of
    office; « vérifié le » only for a verified record, « À confirmer auprès de … » otherwise."""
    from actions.results import office_of
    from bot.catalogue import load_scheme_files
    from bot.eligibility import Match
    from bot.formatting import aupres_de, format_scheme

    schemes = load_scheme_files()
    at_town_hall = next(s for s in schemes if s.how_to_apply.get("contact") == "mairie")
    match = Match(scheme=at_town_hall, sure=True, reasons=[], missing=[])
    card = format_scheme(match, 1, office_of(match, tracker({**FULL, "commune": "12202"})))
    assert "Où : Mairie de Rodez" in card and "Tél." in card
    for scheme in schemes:
        card = format_scheme(Match(scheme=scheme, sure=True, reasons=[], missing=[]), 1)
        if scheme.checked:
            assert "vérifié le" in card and "À confirmer" not in card
        else:
            assert f"À confirmer {aupres_de(scheme.to_confirm_with)}" in card and "vérifié le" not in card
            assert "auprès de les" not in card and "auprès de le " not in card


def test_whom_to_confirm_with_reads_as_french():
    from bot.formatting import aupres_de

    assert aupres_de("la CAF") == "auprès de la CAF"
    assert aupres_de("les services sociaux du Département") == "auprès des services sociaux du Département"
    assert aupres_de("le CCAS de votre mairie") == "auprès du CCAS de votre mairie"
    assert aupres_de("votre Mission locale") == "auprès de votre Mission locale"
    assert aupres_de("l'ADIL") == "auprès de l'ADIL"


def test_next_opening_says_when_an_office_opens_next():
    import datetime as dt

    from bot.formatting import next_opening

    hours = {"lundi": "08:30 - 12:00 / 13:30 - 16:00", "mercredi": "09:00 - 12:00"}
    monday_morning = dt.datetime(2026, 11, 30, 9, 0)
    assert next_opening(hours, monday_morning) == "ouvert aujourd'hui de 8 h 30 à 12 h et de 13 h 30 à 16 h"
    assert next_opening(hours, dt.datetime(2026, 11, 30, 17, 0)) == "ouvert mercredi de 9 h à 12 h"
    assert next_opening(hours, dt.datetime(2026, 11, 29, 20, 0)) == (
        "ouvert demain de 8 h 30 à 12 h et de 13 h 30 à 16 h")  # on Sunday evening
    assert next_opening({}, monday_morning) is None


def _persona_slots(situation: dict) -> dict:
    children = situation.get("enfants") or []
    income = situation.get("ressources_mensuelles")
    slots = {k: situation[k] for k in ("commune", "age", "adultes", "logement", "activite", "impaye", "permis",
                                       "vehicule", "handicap", "grossesse", "msa") if k in situation}
    slots.update({"nb_enfants": len(children), "ages_enfants": children, "besoins": situation["besoins"]})
    if income is not None:
        slots["ressources"] = [income, income]
    return slots


def test_every_persona_reads_the_next_step_first_in_a_short_message():
    """Issue 15: on the 41 personas, the results message opens with « À faire d'abord » (3 lines at most,
    with someone to call or a place to go) and fits in 1,200 characters before « voir plus » or « détails »."""
    from pathlib import Path

    import yaml

    personas = yaml.safe_load((Path(__file__).parent / "personas.yml").read_text(encoding="utf-8"))
    for persona in personas:
        _, dispatcher = run(ActionProposerAides(), tracker(_persona_slots(persona["situation"])))
        text = dispatcher.messages[0]["text"]
        assert text.startswith("À faire d'abord : "), persona["id"]
        head = text.split("\n\n")[0].split("\n")
        assert len(head) <= 3 and ("Appelez " in head[1] or "Allez à " in head[1]), (persona["id"], head)
        assert len(text) <= 1200, (persona["id"], len(text))
