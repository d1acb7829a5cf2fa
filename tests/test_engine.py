"""The amounts the assistant gives, computed by the real OpenFisca-France service (engine/).

The engine is started once for the session (tests/servers.py) in its own Python 3.11 environment.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from bot import engine_client as engine_module
from bot.aid_answers import why_not
from bot.eligibility import NEAR_CEILING, NOTHING_COMPUTED
from bot.engine_client import EngineClient
from bot.estimates import Estimate, _household_amount, household, request_body
from bot.formatting import amount_phrase
from bot.parameters import load_parameters
from bot.service import cached_schemes, estimates_for, prefetch_estimates, schemes_for
from bot.situation import situation_from_dict
from tests.servers import shared_engine

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parent.parent
OFFICIAL = yaml.safe_load((Path(__file__).parent / "fixtures" / "montants_officiels.yml").read_text(encoding="utf-8"))
TODAY = dt.date.today()


@pytest.fixture(scope="module")
def client() -> EngineClient:
    return EngineClient(url=shared_engine().url)


@pytest.fixture()
def chat_engine(client: EngineClient):
    """The in-process actions use the real engine for this test (unit tests use a closed port)."""
    before = engine_module._client
    engine_module._client = client
    yield client
    engine_module._client = before


def by_id(schemes: list[Any]) -> dict[str, Any]:
    return {m.scheme.id: m for m in schemes}


@pytest.fixture(scope="module")
def official_amounts(client: EngineClient) -> dict[str, float]:
    """Every published household in one request: OpenFisca computes them in one vectorised simulation."""
    day = dt.date.fromisoformat(OFFICIAL["date_de_calcul"])
    schemes = {s.id: s for s in cached_schemes()}
    body: dict[str, Any] = {"situation": {"individus": {}, "familles": {}, "foyers_fiscaux": {}, "menages": {}},
                            "variables": {}}
    for index, case in enumerate(OFFICIAL["cas"]):
        situation = situation_from_dict(case["situation"])
        resources = situation.ressources_mensuelles
        assert resources is not None and resources[0] == resources[1]
        for key, entities in household(situation, resources[0], index, day, situation.commune).items():
            body["situation"][key].update(entities)
        computed = schemes[case["aide"]].computed
        assert computed is not None
        body["variables"][computed.variable] = f"{day.year}-{day.month:02d}" if computed.period == "mois" \
            else str(day.year)
    answer = client.calculate(body)
    crds = load_parameters().value("crds")
    amounts = {}
    for index, case in enumerate(OFFICIAL["cas"]):
        computed = schemes[case["aide"]].computed
        assert computed is not None
        factor = 1 - crds if computed.net_of_crds else 1.0
        amounts[case["id"]] = _household_amount(answer["results"], computed.variable, index) * factor
    return amounts


def test_at_least_thirty_published_households_each_with_its_page():
    assert len(OFFICIAL["cas"]) >= 30
    for case in OFFICIAL["cas"]:
        assert case["sources"] and all(s["page"].startswith("https://www.service-public") and "/vosdroits/F" in
                                       s["page"] and s["dit"] for s in case["sources"])


@pytest.mark.parametrize("case", OFFICIAL["cas"], ids=[c["id"] for c in OFFICIAL["cas"]])
def test_published_amounts(case, official_amounts):
    assert official_amounts[case["id"]] == pytest.approx(case["attendu"], abs=OFFICIAL["tolerance_euros"])


PERSON = {"commune": "31555", "age": 34, "adultes": 1, "enfants": [4, 9], "logement": "locataire", "loyer": 620,
          "activite": "salarie", "ressources_mensuelles": 1200, "besoins": ["logement", "emploi", "alimentation"]}


def test_chat_command_line_and_engine_give_the_same_amounts(client, chat_engine, tmp_path):
    # the command line, as a person's adviser would run it
    result = subprocess.run([sys.executable, "-m", "bot", "match", "-"], input=json.dumps(PERSON),
                            capture_output=True, text=True, cwd=ROOT, timeout=180,
                            env={**os.environ, "OPENFISCA_URL": client.url})
    assert result.returncode == 0, result.stderr
    cli = {s["id"]: s["estimate"] for s in json.loads(result.stdout)["schemes"] if s["estimate"]}
    assert {"aides-logement", "prime-activite", "ars"} <= set(cli)
    assert all(e["min"] == e["max"] and e["source"].startswith("openfisca-france ") for e in cli.values())
    # the engine itself, asked directly with the person's household
    situation = situation_from_dict(PERSON)
    schemes = {s.id: s for s in cached_schemes()}
    body = request_body(situation, [schemes[i].computed for i in cli], [1200.0], TODAY, "31555")  # type: ignore
    answer = requests.post(f"{client.url}/calculate", json=body, timeout=60).json()
    crds = load_parameters().value("crds")
    for scheme_id, estimate in cli.items():
        computed = schemes[scheme_id].computed
        assert computed is not None
        direct = _household_amount(answer["results"], computed.variable, 0) * (1 - crds if computed.net_of_crds else 1)
        assert estimate["max"] == pytest.approx(direct, abs=0.01), scheme_id
    # the chat, with the same answers
    from actions.results import ActionProposerAides
    from tests.test_actions import run, tracker

    slots = {"commune": "31555", "age": 34, "adultes": 1, "nb_enfants": 2, "ages_enfants": [4, 9],
             "logement": "locataire", "loyer": 620.0, "activite": "salarie", "ressources": [1200, 1200],
             "besoins": PERSON["besoins"]}
    _, dispatcher = run(ActionProposerAides(), tracker(slots))
    text = dispatcher.messages[0]["text"]  # « À faire d'abord », then one line per aid
    shown = [line for line in text.split("\n") if line[:1].isdigit()]
    for scheme_id, estimate in cli.items():
        title = schemes[scheme_id].title
        line = next((line for line in shown if f". {title} :" in line), None)
        if line is not None:  # the first page shows five aids
            assert amount_phrase(Estimate(**estimate)) in line
    assert "Les montants sont des estimations" in text


def test_a_range_gives_both_ends_and_an_exact_income_one_amount(client):
    band = situation_from_dict({**PERSON, "ressources_mensuelles": [1000, 1500]})
    exact = situation_from_dict({**PERSON, "ressources_mensuelles": 1234})
    ranged = estimates_for(band, client=client).by_scheme["prime-activite"]
    single = estimates_for(exact, client=client).by_scheme["prime-activite"]
    assert ranged.min < ranged.max and amount_phrase(ranged).startswith("entre ")
    assert single.min == single.max and amount_phrase(single).startswith("environ ")
    assert ranged.min <= single.max <= ranged.max


def test_zero_over_the_whole_range_is_not_proposed_and_the_reason_is_kept(client):
    earner = situation_from_dict({"commune": "31555", "age": 40, "adultes": 1, "enfants": [],
                                  "logement": "locataire", "loyer": 500, "activite": "salarie",
                                  "ressources_mensuelles": [3000, 3000], "besoins": ["emploi"]})
    estimates = estimates_for(earner, client=client)
    assert estimates.by_scheme["rsa"].nothing
    assert "rsa" not in by_id(schemes_for(earner, estimates))
    rsa = next(s for s in cached_schemes() if s.id == "rsa")
    answer = why_not(rsa, earner, None, load_parameters(), True, estimates.by_scheme["rsa"])
    assert NOTHING_COMPUTED[1:] in answer.text  # capitalised in the answer


def test_near_a_ceiling_the_aid_is_possible_not_excluded(client):
    # 2,750 € a month: just above the ARS ceiling for one child, 10 % less would be under it
    family = situation_from_dict({"commune": "31555", "age": 40, "adultes": 2, "enfants": [8],
                                  "logement": "locataire", "loyer": 700, "activite": "salarie",
                                  "ressources_mensuelles": 2750, "besoins": ["alimentation"]})
    estimates = estimates_for(family, dt.date(2025, 6, 15), client=client)
    ars = estimates.by_scheme["ars"]
    assert ars.max == 0 and ars.near_ceiling and not ars.nothing
    match = by_id(schemes_for(family, estimates))["ars"]
    assert not match.sure and NEAR_CEILING in match.to_confirm


def test_the_results_turn_reads_what_was_computed_while_the_person_answered(client):
    """The income question: every income of the grid is asked at once; the results turn hits the cache."""
    fresh = {**PERSON, "loyer": 641}  # a household no other test asked for
    person = situation_from_dict({**fresh, "ressources_mensuelles": None, "besoins": ["logement"]})
    before = requests.get(f"{client.url}/health", timeout=5).json()
    assert prefetch_estimates(person, client=client)
    answered = situation_from_dict({**fresh, "ressources_mensuelles": [1000, 1500], "besoins": ["logement"]})
    grid = estimates_for(answered, client=client)  # waits for the computation under way, not a second one
    after = requests.get(f"{client.url}/health", timeout=5).json()
    assert after["computed"] == before["computed"] + 1 and after["hits"] >= before["hits"] + 1
    # the grid gives exactly what a request for the two ends alone gives
    ends = {"min": grid.by_scheme["aides-logement"].min, "max": grid.by_scheme["aides-logement"].max}
    schemes = {s.id: s for s in cached_schemes()}
    body = request_body(answered, [schemes["aides-logement"].computed], [1000.0, 1500.0], TODAY,  # type: ignore
                        "31555")
    direct = client.calculate(body)["results"]["aide_logement"]
    crds = load_parameters().value("crds")
    assert sorted([ends["min"], ends["max"]]) == pytest.approx(
        sorted(round(v * (1 - crds), 2) for v in direct.values()), abs=0.02)
