"""`python -m bot data refresh` against a local fake of the official APIs, errors included."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.http_client import HttpClient
from bot.refresh import refresh
from tests.fake_apis import NEW_POSTAL, RENAMED, FakeApis

ROOT = Path(__file__).resolve().parent.parent
SLOW_READ = 2.0  # seconds


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    communes = tmp_path / "communes.csv"
    shutil.copy(ROOT / "data" / "geo" / "communes.csv", communes)
    return {"communes": communes, "offices": tmp_path / "annuaire.csv", "cache": tmp_path / "cache"}


def client(files: dict[str, Path]) -> HttpClient:
    # read timeout well above a loaded machine's answer time, well below the slow fake's delay
    return HttpClient(connect_timeout=1, read_timeout=SLOW_READ, attempts=3, backoff=0.01, cache_dir=files["cache"],
                      sleep=lambda seconds: None)


def run(api: FakeApis, files: dict[str, Path], **kwargs) -> object:
    return refresh(geo_url=api.url, annuaire_url=api.url, client=client(files),
                   communes_file=files["communes"], offices_file=files["offices"], **kwargs)


def test_refresh_reports_changes_and_writes_them(files):
    with FakeApis() as api:
        report = run(api, files)
    text = report.text()
    assert not report.errors, text
    assert f"→ {RENAMED[1]}" in text and "codes postaux modifiés : 1" in text
    content = files["communes"].read_text(encoding="utf-8")
    assert RENAMED[1] in content and NEW_POSTAL[1] in content
    offices = files["offices"].read_text(encoding="utf-8")
    assert "Caf de test - accueil de démonstration Toulouse" in offices
    assert "08:30 - 12:00 / 13:30 - 16:00" in offices
    # each office cites its own page on the Annuaire, never the directory's home page (issue 14)
    assert "https://lannuaire.service-public.fr/occitanie/haute-garonne/caf-31555-test" in offices
    assert "https://lannuaire.service-public.fr," not in offices
    assert "ajoutés 3" in text


def test_server_errors_are_retried(files):
    with FakeApis() as api:
        api.failures_left = 2
        report = run(api, files)
    assert not report.errors
    assert RENAMED[1] in files["communes"].read_text(encoding="utf-8")


@pytest.mark.parametrize("mode, message", [
    ("slow", "délai dépassé"), ("malformed", "JSON"), ("down", "HTTP 503"), ("truncated", "incomplète"),
    ("wrong-shape", "n'est pas une liste"),
])
def test_a_failing_api_keeps_the_shipped_data(files, mode, message):
    before = files["communes"].read_bytes()
    with FakeApis() as api:
        api.mode, api.delay = mode, 2 * SLOW_READ
        report = run(api, files)
    assert any(message in error for error in report.errors), report.text()
    assert files["communes"].read_bytes() == before
    assert "communes.csv" not in report.changed_files


def test_the_last_good_answer_is_used_when_the_api_is_down(files):
    with FakeApis() as api:
        run(api, files, dry_run=True)
        api.mode = "down"
        report = run(api, files, dry_run=True)
    assert any("copie en cache utilisée" in error for error in report.errors)
    assert f"→ {RENAMED[1]}" in report.text()


def test_cli_dry_run_changes_nothing_and_reports_in_french():
    before = (ROOT / "data" / "geo" / "communes.csv").read_bytes()
    with FakeApis() as api:
        result = subprocess.run([sys.executable, "-m", "bot", "data", "refresh", "--geo-url", api.url,
                                 "--annuaire-url", api.url, "--dry-run"], capture_output=True, text=True,
                                cwd=ROOT, env={**os.environ}, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Communes (4446 reçues)" in result.stdout and "Fichiers mis à jour : aucun" in result.stdout
    assert (ROOT / "data" / "geo" / "communes.csv").read_bytes() == before


def test_refreshed_offices_are_given_nearest_first(files, tmp_path, monkeypatch):
    from bot import service, store
    from bot.contacts import contacts_for
    from bot.geography import load_index

    with FakeApis() as api:
        run(api, files)
    monkeypatch.setattr(store, "OFFICES_FILE", files["offices"])
    url = f"sqlite:///{tmp_path / 'catalogue.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    service.clear_caches()
    try:
        store.build_database(url)
        saint_gaudens = load_index().get("31483")
        contacts = contacts_for(saint_gaudens, "logement")
        caf = next(c for c in contacts if c.type == "caf")
        assert caf.name == "Caf de test - permanence de démonstration Saint-Gaudens"
        assert caf.distance_km is not None and caf.distance_km < 5
        assert caf.hours == {"mardi": "09:00 - 12:00"}
    finally:
        monkeypatch.undo()
        service.clear_caches()
