"""Synthetic conversations through the REST channel, then `python -m bot stats`: the figures of the statistics
page (its JSON) match the script's own counts, after the « < 10 » suppression.

SYNTHETIC_CONVERSATIONS sets how many (60 in `make test`; the README reports a run with 500). The assistant
here has its own conversations and statistics databases, so that nothing else is counted.
Needs the trained model (make e2e).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import yaml
from sqlalchemy import MetaData, create_engine, select

from bot import stats_store
from bot.paths import DEPARTEMENTS_FILE, ROOT
from bot.statistics import PARIS, session_expiry_seconds
from bot.stats_store import Cell
from tests.servers import Assistant

pytestmark = pytest.mark.e2e
PASSWORD = "statistiques-synthetiques"
COUNT = int(os.environ.get("SYNTHETIC_CONVERSATIONS", "60"))
NEEDS = ("logement", "energie", "mobilite", "garde_enfants", "emploi", "alimentation")
CHEF_LIEU = {"09": "Foix", "11": "Carcassonne", "12": "Rodez", "30": "Nîmes", "31": "Toulouse", "32": "Auch",
             "34": "Montpellier", "46": "Cahors", "48": "Mende", "65": "Tarbes", "66": "Perpignan", "81": "Albi",
             "82": "Montauban"}
# Two large départements and eleven small ones, so that the page has counts above and under 10.
WEIGHTS = {code: (8 if code in ("31", "34") else 1) for code in CHEF_LIEU}


@pytest.fixture(scope="module")
def own_assistant(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("synthetic")
    servers = Assistant(work, {"STATS_PASSWORD": PASSWORD, "RATE_LIMIT_PER_ADDRESS": "1000000",
                               "RATE_LIMIT_PER_SENDER": "1000"},
                        extra_env={"STATS_DB_URL": f"sqlite:///{work / 'stats.db'}"})
    try:
        yield servers.start(), work
    finally:
        servers.stop_all()


def test_the_chef_lieux_are_the_departements_own() -> None:
    with DEPARTEMENTS_FILE.open(encoding="utf-8") as handle:
        assert {row["code"] for row in csv.DictReader(handle)} == set(CHEF_LIEU)


# What the person writes first: a need (its button), a crisis, or an urgent need of the day (data/crise.yml,
# data/besoins_urgents.yml); then the commune.
OPENINGS = {"crise": "je veux mourir", "besoin_urgent": "on n'a plus rien à manger ce soir"}
SITUATIONS = {"crise": "suicide", "besoin_urgent": "plus_rien_a_manger"}
URGENT_NEED_OF = {name: situation["besoin"] for name, situation in yaml.safe_load(
    (ROOT / "data" / "besoins_urgents.yml").read_text(encoding="utf-8"))["situations"].items()}


def converse(url: str, need: str, commune: str) -> str:
    sender = str(uuid.uuid4())
    for message in (OPENINGS.get(need, f"/besoin_{need}"), commune):
        replies = requests.post(url, json={"sender": sender, "message": message}, timeout=120).json()
        assert replies and all(r.get("text") or r.get("buttons") for r in replies), message
    return sender


def test_synthetic_conversations_give_the_figures_of_the_page(own_assistant) -> None:
    assistant, work = own_assistant
    rng = random.Random(2026)
    codes = list(WEIGHTS)
    kinds = [*NEEDS, *OPENINGS]
    plan = [(rng.choices(codes, weights=[WEIGHTS[c] for c in codes])[0],
             rng.choices(kinds, weights=[5] * len(NEEDS) + [1] * len(OPENINGS))[0]) for _ in range(COUNT)]
    expected: Counter[tuple[str, str, str]] = Counter()
    for code, need in plan:
        expected[(code, "conversations", "commencees")] += 1
        expected[(code, *(("besoin", need) if need in NEEDS else (need, SITUATIONS[need])))] += 1
        if need == "besoin_urgent":  # an urgent need is also the need it belongs to (data/besoins_urgents.yml)
            expected[(code, "besoin", URGENT_NEED_OF[SITUATIONS[need]])] += 1
        expected[(code, "canal", "rest")] += 1
        expected[(code, "messages", "total")] += 2
    with ThreadPoolExecutor(max_workers=6) as pool:
        senders = list(pool.map(lambda step: converse(assistant.rest_url, step[1], CHEF_LIEU[step[0]]), plan))

    # every conversation has ended once its session has expired: count them as the daily run would then
    stats_store.update(f"sqlite:///{work / 'tracker.db'}", assistant.env["STATS_DB_URL"],
                       now=dt.datetime.now().timestamp() + session_expiry_seconds() + 5)
    month = dt.datetime.now(PARIS).strftime("%Y-%m")
    page = requests.get(f"{assistant.base_url}/statistiques/donnees.json", params={"debut": month, "fin": month},
                        auth=("equipe", PASSWORD), timeout=60)
    assert page.status_code == 200
    shown = {(r["departement"], r["dimension"], r["valeur"]): r["nombre"] for r in page.json()["lignes"]}
    wrong = {key: (Cell(key[1], key[2], number).shown, shown.get(key)) for key, number in expected.items()
             if shown.get(key) != Cell(key[1], key[2], number).shown}
    assert wrong == {}
    # nothing counted that the script did not send
    started = {key for key in shown if key[1:] == ("conversations", "commencees")}
    assert started == {key for key in expected if key[1:] == ("conversations", "commencees")}
    assert sum(1 for v in shown.values() if v == "< 10") > 0 and sum(1 for v in shown.values() if v != "< 10") > 0

    # the whole statistics database: no sender id, no message text, no commune
    engine = create_engine(assistant.env["STATS_DB_URL"])
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        values = [str(v).lower() for table in metadata.sorted_tables for row in connection.execute(select(table))
                  for v in row]
    engine.dispose()
    forbidden = [s.lower() for s in senders] + [c.lower() for c in CHEF_LIEU.values()] + \
        [t.lower() for t in OPENINGS.values()]
    assert values and not [v for v in values for word in forbidden if word in v]
    assert not any(v.isdigit() and len(v) == 5 for v in values)  # no INSEE code or postal code
