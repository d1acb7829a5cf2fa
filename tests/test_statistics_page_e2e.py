"""The statistics page on the running Rasa server: 401 without the login, the figures with it, the CSV export,
and in Debian's Chromium: the charts drawn, keyboard use, axe-core with no serious or critical issue,
phone and desktop screenshots in tests/artifacts/. Needs the trained model and Chromium (make e2e)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import requests

from bot import stats_store
from tests.conftest import STATS_PASSWORD
from tests.test_browser import ARTIFACTS, AXE, browser  # noqa: F401 - the shared Chromium fixture
from tests.test_statistics import DAY, HOUR, SLOTS_ALBI, SLOTS_STOPPED, conversation, store

pytestmark = pytest.mark.e2e
LOGIN = ("equipe", STATS_PASSWORD)


@pytest.fixture(scope="module")
def page(assistant, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The page's address, once a month of conversations has been counted into its database."""
    tracker = tmp_path_factory.mktemp("stats") / "tracker.db"
    trackers = {f"a{i}": conversation(f"a{i}", DAY + i * 60, ["bonjour", "Albi"], SLOTS_ALBI) for i in range(14)}
    trackers.update({f"b{i}": conversation(f"b{i}", DAY + i * 60, ["emploi"], SLOTS_STOPPED) for i in range(3)})
    store(tracker, trackers)
    stats_store.update(f"sqlite:///{tracker}", assistant.env["STATS_DB_URL"], now=DAY + 10 * HOUR)
    return f"{assistant.base_url}/statistiques/"


def test_without_the_login_every_route_answers_401(page: str) -> None:
    for route in ("", "export.csv", "donnees.json", "?debut=2026-11&fin=2026-11"):
        for auth in (None, ("equipe", "faux"), ("admin", STATS_PASSWORD)):
            response = requests.get(page + route, auth=auth, timeout=30)
            assert response.status_code == 401, (route, auth)
            assert "equipe" in response.text and "Traceback" not in response.text
            assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_with_the_login_the_figures_the_csv_and_the_json(page: str) -> None:
    response = requests.get(page, params={"debut": "2026-11", "fin": "2026-11"}, auth=LOGIN, timeout=30)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "<td>Tarn</td><td class=\"nombre\">14</td>" in response.text
    assert "<td>Haute-Garonne</td><td class=\"nombre\">&lt; 10</td>" in response.text
    export = requests.get(page + "export.csv", params={"debut": "2026-11", "fin": "2026-11"}, auth=LOGIN, timeout=30)
    assert export.status_code == 200 and export.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    started = {r["departement"]: r["nombre"] for r in rows
               if (r["dimension"], r["valeur"]) == ("conversations", "commencees")}
    assert started == {"81": "14", "31": "< 10"}
    data = requests.get(page + "donnees.json", params={"debut": "2026-11", "fin": "2026-11", "departement": "81"},
                        auth=LOGIN, timeout=30).json()
    assert {r["departement"] for r in data["lignes"]} == {"81"} and data["colonnes"][0]["nom"] == "mois"
    wrong = requests.get(page, params={"debut": "novembre"}, auth=LOGIN, timeout=30)
    assert wrong.status_code == 400 and "AAAA-MM" in wrong.text and "Statistiques anonymes" in wrong.text


def test_the_page_in_chromium_by_keyboard_with_axe(page: str, browser) -> None:  # noqa: F811 - page first: it writes with asyncio, before Playwright runs its loop
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, viewport in (("phone", {"width": 390, "height": 844}), ("desktop", {"width": 1280, "height": 900})):
        context = browser.new_context(viewport=viewport, locale="fr-FR",
                                      http_credentials={"username": LOGIN[0], "password": LOGIN[1]})
        tab = context.new_page()
        tab.goto(page + "?debut=2026-11&fin=2026-11")
        tab.wait_for_function("!!customElements.get('map-chart-reg') && !!customElements.get('bar-chart')",
                              timeout=30000)
        tab.wait_for_selector("map-chart-reg canvas, map-chart-reg svg", timeout=30000)
        if name == "phone":
            # keyboard only: choose a département in the form and submit it
            tab.get_by_label("Département", exact=True).focus()
            tab.keyboard.press("End")  # the last option: Tarn-et-Garonne (82)
            tab.get_by_role("button", name="Afficher").focus()
            with tab.expect_navigation():
                tab.keyboard.press("Enter")
            assert "departement=82" in tab.url
            assert "Chiffres de Tarn-et-Garonne" in tab.content()
            tab.go_back()
            tab.wait_for_selector("map-chart-reg svg, map-chart-reg canvas", timeout=30000)
        tab.screenshot(path=str(ARTIFACTS / f"statistiques-{name}.png"), full_page=True)
        tab.add_script_tag(path=str(AXE))
        results = tab.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [(v["id"], [n["target"] for n in v["nodes"]][:5], v["nodes"][0].get("failureSummary", "")[:300])
                   for v in results["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], serious
        context.close()
    assert Path(ARTIFACTS / "statistiques-phone.png").stat().st_size > 10_000
