"""The person's situation written for OpenFisca-France, the engine's answer read back, and the engine client.

Unit tests: no engine runs here (tests/test_engine.py uses the real one).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import requests

from bot.catalogue import CatalogueError, Computed, parse_scheme
from bot.details_request import read_details_request
from bot.engine_client import DOWN_SECONDS, EngineClient, EngineUnavailable
from bot.estimates import (
    CEILING_MARGIN,
    INCOME_GRID,
    Estimate,
    household,
    incomes_for,
    missing_inputs,
    read_estimates,
    request_body,
)
from bot.formatting import amount_phrase
from bot.parameters import load_parameters
from bot.parsing import RESOURCE_BANDS, parse_loyer
from bot.service import cached_schemes, estimates_for
from bot.situation import SituationError, situation_from_dict

DAY = dt.date(2026, 11, 29)
RSA = Computed("rsa", "mois", (), False, "la CAF")
APL = Computed("aide_logement", "mois", ("loyer",), True, "la CAF")
FAMILY = {"commune": "31555", "age": 34, "adultes": 2, "enfants": [4, 9], "logement": "locataire", "loyer": 620,
          "activite": "salarie", "ressources_mensuelles": [1000, 1500]}


def test_household_in_openfisca_entities():
    situation = situation_from_dict(FAMILY)
    entities = household(situation, 1200.0, 3, DAY, "31555")
    assert set(entities["individus"]) == {"p3", "c3", "e3_0", "e3_1"}
    assert entities["familles"]["f3"] == {"parents": ["p3", "c3"], "enfants": ["e3_0", "e3_1"]}
    assert entities["foyers_fiscaux"]["ff3"]["declarants"] == ["p3", "c3"]
    person = entities["individus"]["p3"]
    # the same income for three years: the aids read the last 3 or 12 months, and the year before last
    assert person["salaire_net"] == {"2024": 14400.0, "2025": 14400.0, "2026": 14400.0}
    assert person["salaire_imposable"] == person["salaire_net"]
    assert entities["individus"]["e3_0"]["date_naissance"] == {"ETERNITY": "2022-01-01"}
    menage = entities["menages"]["m3"]
    assert menage["statut_occupation_logement"]["2026"] == "locataire_vide"
    assert menage["loyer"]["2026"] == 620 * 12 and menage["depcom"]["2026"] == "31555"


def test_income_kind_follows_the_activity():
    for activity, variable in (("retraite", "retraite_nette"), ("demandeur_emploi", "chomage_net"),
                               ("sans_activite", "pensions_alimentaires_percues")):
        situation = situation_from_dict({**FAMILY, "activite": activity})
        assert variable in household(situation, 900.0, 0, DAY, None)["individus"]["p0"]


def test_one_request_for_every_income():
    situation = situation_from_dict(FAMILY)
    body = request_body(situation, [RSA, APL], [0.0, 500.0], DAY, "31555")
    assert body["variables"] == {"aide_logement": "2026-11", "rsa": "2026-11"}
    assert {"f0", "f1"} == set(body["situation"]["familles"])


def test_incomes_on_the_grid_come_from_the_grid_others_are_computed_with_their_margins():
    for low, high in RESOURCE_BANDS.values():  # every button of the income question is on the grid
        assert low in INCOME_GRID and high in INCOME_GRID
    grid, on_grid = incomes_for(situation_from_dict({**FAMILY, "ressources_mensuelles": 1200}))
    assert on_grid and grid == INCOME_GRID
    incomes, on_grid = incomes_for(situation_from_dict({**FAMILY, "ressources_mensuelles": 1234}))
    assert not on_grid and incomes == pytest.approx([1234 * (1 - CEILING_MARGIN), 1234, 1234 * (1 + CEILING_MARGIN)])


def answer(values: dict[float, float], variable: str = "rsa") -> tuple[list[float], dict[str, Any]]:
    incomes = list(values)
    return incomes, {"source": "openfisca-france 176.1.8",
                     "results": {variable: {f"f{i}": amount for i, amount in enumerate(values.values())}}}


def rsa_scheme():
    return next(s for s in cached_schemes() if s.id == "rsa")


def test_a_range_gives_both_ends_and_nothing_means_nothing():
    situation = situation_from_dict({**FAMILY, "ressources_mensuelles": [1000, 1500]})
    incomes, engine = answer({900.0: 300.0, 1000.0: 250.0, 1250.0: 120.0, 1500.0: 40.0, 1650.0: 0.0})
    estimate = read_estimates(situation, [rsa_scheme()], incomes, engine, 0.005)["rsa"]
    assert (estimate.min, estimate.max) == (40.0, 250.0)
    assert estimate.near_ceiling  # 10 % more income, and nothing: « possible », never excluded
    assert amount_phrase(estimate) == "entre 40 et 250 € par mois"
    incomes, engine = answer({900.0: 0.0, 1000.0: 0.0, 1500.0: 0.0, 1650.0: 0.0})
    assert read_estimates(situation, [rsa_scheme()], incomes, engine, 0.005)["rsa"].nothing


def test_just_above_a_ceiling_is_not_nothing():
    situation = situation_from_dict({**FAMILY, "ressources_mensuelles": 1000})
    incomes, engine = answer({900.0: 35.0, 1000.0: 0.0, 1100.0: 0.0})
    estimate = read_estimates(situation, [rsa_scheme()], incomes, engine, 0.005)["rsa"]
    assert estimate.max == 0 and estimate.near_ceiling and not estimate.nothing


def test_amount_phrases():
    assert amount_phrase(Estimate(498.2, 498.2, "mois", "x")) == "environ 498 € par mois"
    assert amount_phrase(Estimate(0, 1234.4, "mois", "x")) == "jusqu'à 1\u202f234 € par mois"
    assert amount_phrase(Estimate(277, 277, "an", "x")) == "environ 277 € par an"


def test_what_the_engine_needs():
    situation = situation_from_dict({**FAMILY, "loyer": None})
    assert missing_inputs(situation, APL) == ["loyer"]
    assert missing_inputs(situation, RSA) == []
    owner = situation_from_dict({**FAMILY, "logement": "proprietaire", "loyer": None})
    assert missing_inputs(owner, APL) == []  # no rent asked of an owner
    assert missing_inputs(situation_from_dict({**FAMILY, "enfants": None, "nombre_enfants": 2}), RSA) == ["enfants"]


def test_rent_in_the_situation_and_in_the_chat():
    with pytest.raises(SituationError, match="loyer"):
        situation_from_dict({"loyer": -3})
    assert parse_loyer("je paie 480 € charges comprises").value == 480.0
    assert parse_loyer("pas de loyer").value == 0.0
    assert parse_loyer("je ne sais pas").value is not None
    assert parse_loyer("bof").error and parse_loyer("-20").error and parse_loyer("50000").error


def test_catalogue_declares_who_computes_the_amount():
    data = {"id": "x", "titre": "X", "resume": "r", "besoins": ["emploi"], "axe": "emploi",
            "territoire": {"niveau": "national"}, "demarche": {"organisme": "CAF"},
            "source": "https://www.service-public.fr/particuliers/vosdroits/F1", "verifie_le": "2026-11-01",
            "preuves": [{"fait": "f", "page": "https://www.service-public.fr/particuliers/vosdroits/F1",
                         "phrase": "« f »"}],
            "montant": {"periode": "mois", "calcul": {"variable": "rsa"}}}
    with pytest.raises(CatalogueError, match="calcule_par"):
        parse_scheme(data, load_parameters(), "x.yml")
    data["montant"]["calcul"]["calcule_par"] = "la CAF"
    assert parse_scheme(data, load_parameters(), "x.yml").computed == Computed("rsa", "mois", (), False, "la CAF")


class CountingSession(requests.Session):
    """A transport that never connects: counts the calls the client makes (a test double, not an engine)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def post(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.calls += 1
        raise requests.ConnectionError("refused")


def test_no_call_while_the_engine_is_known_down():
    now = [1000.0]
    session = CountingSession()
    client = EngineClient(url="http://engine.invalid", clock=lambda: now[0], session=session)
    with pytest.raises(EngineUnavailable):
        client.calculate({"situation": {}, "variables": {}})
    assert session.calls == 2  # one retry
    with pytest.raises(EngineUnavailable):
        client.calculate({})
    assert session.calls == 2  # known down: no call, no wait
    now[0] += DOWN_SECONDS + 1
    with pytest.raises(EngineUnavailable):
        client.calculate({})
    assert session.calls == 4  # tried again after a while


def test_without_the_engine_the_aids_come_without_amounts():
    situation = situation_from_dict({**FAMILY, "besoins": ["logement"]})
    estimates = estimates_for(situation, DAY, EngineClient(url="http://127.0.0.1:9"))
    assert estimates.unavailable and not estimates.by_scheme


def test_details_asked_by_number_word_or_button_text():
    assert read_details_request("2").number == 2
    assert read_details_request("Détails 3").number == 3
    assert read_details_request("la deuxième").number == 2
    assert read_details_request("plus de détails").number is None
    for other in ("2 enfants", "1500", "j'ai 34 ans", "bonjour"):
        assert read_details_request(other) is None


def test_computations_ahead_run_one_at_a_time_and_only_the_latest_waits() -> None:
    import threading

    started, release, done = [], threading.Event(), threading.Event()

    class Slow(EngineClient):
        def calculate(self, body):  # type: ignore[override]
            started.append(body["n"])
            if body["n"] == 1:
                release.wait(5)
            if body["n"] == 4:
                done.set()
            return {"results": {}}

    client = Slow(url="http://127.0.0.1:9")
    for n in (1, 2, 3, 4):  # four answers typed quickly: 2 and 3 are overtaken by 4
        client.prefetch({"n": n})
    release.set()
    assert done.wait(5)
    assert started == [1, 4]
