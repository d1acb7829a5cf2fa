"""The rules engine as a small web service: OpenFisca-France, loaded once, behind gunicorn.

Runs in its own Python 3.11 environment (``.venv-openfisca``): OpenFisca-France needs
numpy >= 1.26, which Rasa 3.6 forbids. The assistant (Python 3.10) builds the
situation in OpenFisca's own JSON format (``bot/estimates.py``) and calls:

    GET  /health      200 once the French tax-benefit system is loaded
    POST /calculate   {"situation": {...}, "variables": {"rsa": "2026-11", ...}}
                      -> {"source": "openfisca-france X.Y.Z", "results": {"rsa": {"f0": 498.2, ...}}}

Several households go in one situation: OpenFisca computes them in one vectorised
simulation, which costs about as much as one household. Answers are cached by
request, and a request already being computed is waited for, not computed twice:
the assistant asks for the person's grid of incomes while they answer the income
question, and the same request at the results turn is then answered from the cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import threading
from collections import OrderedDict
from importlib.metadata import version
from typing import Any

from flask import Flask, jsonify, request
from openfisca_core.errors import SituationParsingError
from openfisca_core.simulation_builder import SimulationBuilder
from openfisca_france import FranceTaxBenefitSystem

MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_PERSONS = 20_000
MAX_VARIABLES = 30
CACHE_SIZE = 256

LOG = logging.getLogger("engine")
# Computed once before serving: OpenFisca builds its formulas and parameter caches at first use, which
# makes the first simulation about three times slower than the next ones. These are the benefits the
# assistant asks for; any other variable works too, only without this head start.
WARM_UP_VARIABLES = {"rsa": "month", "ppa": "month", "aide_logement": "month", "af": "month", "cf": "month",
                     "asf": "month", "paje_base": "month", "aah": "month", "ars": "year", "cheque_energie": "year"}


def warm_up(system: FranceTaxBenefitSystem) -> None:
    """One household with a child and a rented home, every usual benefit computed."""
    today = dt.date.today()
    month, year = f"{today.year}-{today.month:02d}", str(today.year)
    years = [str(today.year - 2), str(today.year - 1), year]
    situation = {
        "individus": {"p": {"date_naissance": {"ETERNITY": "1990-01-01"}, "salaire_net": {y: 12000 for y in years},
                            "salaire_imposable": {y: 12000 for y in years}},
                      "e": {"date_naissance": {"ETERNITY": f"{today.year - 8}-01-01"}}},
        "familles": {"f": {"parents": ["p"], "enfants": ["e"]}},
        "foyers_fiscaux": {"ff": {"declarants": ["p"], "personnes_a_charge": ["e"]}},
        "menages": {"m": {"personne_de_reference": ["p"], "enfants": ["e"],
                          "statut_occupation_logement": {y: "locataire_vide" for y in years},
                          "loyer": {y: 6000 for y in years}, "depcom": {y: "31555" for y in years}}},
    }
    simulation = SimulationBuilder().build_from_entities(system, situation)
    for name, kind in WARM_UP_VARIABLES.items():
        simulation.calculate(name, month if kind == "month" else year)


class ResultCache:
    """Answers by request key, least recently used out first; one computation per key at a time."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._answers: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._running: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self.hits = 0
        self.computed = 0

    def get_or_compute(self, key: str, compute: Any) -> dict[str, Any]:
        while True:
            with self._lock:
                if key in self._answers:
                    self._answers.move_to_end(key)
                    self.hits += 1
                    return self._answers[key]
                running = self._running.get(key)
                if running is None:
                    running = self._running[key] = threading.Event()
                    owner = True
                else:
                    owner = False
            if not owner:
                running.wait()
                continue  # answered from the cache now, or computed again if it failed
            try:
                answer = compute()
                with self._lock:
                    self._answers[key] = answer
                    self.computed += 1
                    while len(self._answers) > self.size:
                        self._answers.popitem(last=False)
                return answer
            finally:
                with self._lock:
                    del self._running[key]
                running.set()


def _check_request(body: Any) -> tuple[dict[str, Any], dict[str, str]]:
    if not isinstance(body, dict) or not isinstance(body.get("situation"), dict) \
            or not isinstance(body.get("variables"), dict) or not body["variables"]:
        raise ValueError('expected {"situation": {...}, "variables": {"name": "period", ...}}')
    variables = body["variables"]
    if len(variables) > MAX_VARIABLES or not all(isinstance(k, str) and isinstance(v, str)
                                                 for k, v in variables.items()):
        raise ValueError(f"variables: at most {MAX_VARIABLES} names, each with a period string")
    persons = body["situation"].get("individus")
    if not isinstance(persons, dict) or not persons or len(persons) > MAX_PERSONS:
        raise ValueError(f"situation.individus: 1 to {MAX_PERSONS} persons")
    return body["situation"], variables


def create_app() -> Flask:
    system = FranceTaxBenefitSystem()
    warm_up(system)
    source = f"openfisca-france {version('OpenFisca-France')}"
    cache = ResultCache()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES

    def simulate(situation: dict[str, Any], variables: dict[str, str]) -> dict[str, Any]:
        simulation = SimulationBuilder().build_from_entities(system, situation)
        results: dict[str, dict[str, float]] = {}
        for name, period in variables.items():
            values = simulation.calculate(name, period)
            entity = system.get_variable(name, check_existence=True).entity
            ids = simulation.populations[entity.key].ids
            results[name] = {str(i): round(float(v), 2) for i, v in zip(ids, values)}
        return {"source": source, "results": results}

    @app.get("/health")
    def health() -> Any:
        return jsonify({"status": "ok", "source": source, "cached": len(cache._answers),
                        "computed": cache.computed, "hits": cache.hits})

    @app.post("/calculate")
    def calculate() -> Any:
        body = request.get_json(silent=True)
        try:
            situation, variables = _check_request(body)
            for name in variables:
                system.get_variable(name, check_existence=True)
        except (ValueError, Exception) as error:  # VariableNotFoundError is not a ValueError
            return jsonify({"error": str(error)[:500]}), 400
        key = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        try:
            return jsonify(cache.get_or_compute(key, lambda: simulate(situation, variables)))
        except SituationParsingError as error:
            return jsonify({"error": json.dumps(error.error, ensure_ascii=False)[:500]}), 400
        except (ValueError, KeyError, TypeError) as error:
            return jsonify({"error": f"{type(error).__name__}: {str(error)[:400]}"}), 400

    return app
