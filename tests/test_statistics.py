"""Anonymous statistics (python -m bot stats): categories only, each conversation counted once, figures that
outlive the purge, small counts shown « < 10 ». The conversations are written by Rasa's own SQL tracker store."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import MetaData, create_engine, select

from bot import stats_store
from bot.purge import purge
from bot.statistics import age_band, household, session_expiry_seconds, summarise

ROOT = Path(__file__).resolve().parent.parent
DAY = dt.datetime(2026, 11, 3, 10, 0, tzinfo=dt.timezone.utc).timestamp()
HOUR = 3600.0


def conversation(sender: str, start: float, texts: list[str], slots: dict, fallback: int = 0) -> list:
    """A session as Rasa stores it: session start, the person's messages, the slots the actions set."""
    events: list = [ActionExecuted("action_session_start", timestamp=start), SessionStarted(timestamp=start),
                    ActionExecuted("action_listen", timestamp=start)]
    moment = start
    for index, text in enumerate(texts):
        moment += 20
        intent = "nlu_fallback" if index < fallback else "informer"
        events.append(UserUttered(text, {"name": intent, "confidence": 0.9}, timestamp=moment, input_channel="rest"))
        events.append(BotUttered("D'accord.", timestamp=moment + 1))
    for name, value in slots.items():
        moment += 1
        events.append(SlotSet(name, value, timestamp=moment))
    return events


def store(url_path: Path, trackers: dict[str, list]) -> None:
    domain = Domain.load(str(ROOT / "domain.yml"))
    tracker_store = SQLTrackerStore(domain, dialect="sqlite", db=str(url_path))
    for sender, events in trackers.items():
        asyncio.run(tracker_store.save(DialogueStateTracker.from_events(sender, events, domain.slots)))
    tracker_store.engine.dispose()


SLOTS_ALBI = {"commune": "81004", "age": 23, "adultes": 1, "nb_enfants": 2, "logement": "locataire",
              "activite": "demandeur_emploi", "besoins": ["logement"], "resultats_montres": 5.0,
              "aides_proposees": ["apl", "fsl-tarn"]}
SLOTS_STOPPED = {"commune": "31555", "besoins": ["emploi"], "requested_slot": "age"}


@pytest.fixture()
def databases(tmp_path: Path) -> tuple[str, str, Path]:
    tracker = tmp_path / "tracker.db"
    return f"sqlite:///{tracker}", f"sqlite:///{tmp_path / 'stats.db'}", tracker


def test_a_conversation_becomes_categories() -> None:
    events = [e.as_dict() for e in conversation("s", DAY, ["bonjour", "Albi", "23 ans"], SLOTS_ALBI, fallback=1)]
    summary = summarise(events)
    assert summary is not None
    assert (summary.day, summary.departement, summary.age_band, summary.household) == \
        (dt.date(2026, 11, 3), "81", "18_25", "seul_enfants")
    assert summary.finished and summary.stopped_at is None
    assert summary.aids == {"apl", "fsl-tarn"} and summary.needs == {"logement"}
    assert (summary.messages, summary.not_understood, summary.channel) == (3, 1, "rest")
    stopped = summarise([e.as_dict() for e in conversation("t", DAY, ["emploi"], SLOTS_STOPPED)])
    assert stopped is not None and not stopped.finished and stopped.stopped_at == "age"
    assert ("arret", "age", 1) in list(stopped.counts())


def test_bands_and_households() -> None:
    assert [age_band(a) for a in (16, 18, 25, 26, 59, 60, None, "x")] == \
        ["moins_18", "18_25", "18_25", "26_44", "45_59", "60_plus", "inconnu", "inconnu"]
    assert [household(1, 0), household(2, 0), household(2, 3), household(3, 0), household(None, 1)] == \
        ["seul", "couple", "couple_enfants", "autre", "inconnu"]


def counts(stats_url: str, start: dt.date = dt.date(2026, 1, 1), end: dt.date = dt.date(2026, 12, 31),
           **grouping: bool) -> dict:
    return {(day, dep, cell.dimension, cell.valeur): cell.nombre
            for day, dep, cell in stats_store.read(start, end, stats_db=stats_url, **grouping)}


def test_each_conversation_is_counted_once_when_it_has_ended(databases: tuple[str, str, Path]) -> None:
    tracker_url, stats_url, path = databases
    expiry = session_expiry_seconds()
    store(path, {"a": conversation("a", DAY, ["bonjour", "Albi"], SLOTS_ALBI),
                 "b": conversation("b", DAY + 3 * HOUR, ["je cherche du travail"], SLOTS_STOPPED)})
    # « a » ended long ago; « b » is still open 2 minutes after its last message: only « a » is counted
    later = DAY + 3 * HOUR + 120
    assert stats_store.update(tracker_url, stats_url, now=later).conversations == 1
    assert counts(stats_url)[(None, None, "conversations", "commencees")] == 1
    # run again at the same time, and again later: « b » once it has ended, « a » never twice
    assert stats_store.update(tracker_url, stats_url, now=later).conversations == 0
    assert stats_store.update(tracker_url, stats_url, now=later + expiry + 300).conversations == 1
    assert stats_store.update(tracker_url, stats_url, now=later + expiry + 900).conversations == 0
    figures = counts(stats_url, group_by_departement=True)
    assert figures[(None, "81", "conversations", "commencees")] == 1
    assert figures[(None, "81", "conversations", "terminees")] == 1
    assert figures[(None, "31", "arret", "age")] == 1
    assert figures[(None, "81", "aide", "apl")] == 1


def test_a_run_that_fails_halfway_counts_nothing_and_the_next_one_counts_once(
        databases: tuple[str, str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    tracker_url, stats_url, path = databases
    store(path, {"a": conversation("a", DAY, ["bonjour"], SLOTS_ALBI)})
    original = stats_store._add

    def add_then_crash(connection, values):  # type: ignore[no-untyped-def]
        original(connection, values)
        raise RuntimeError("the machine stops here")

    monkeypatch.setattr(stats_store, "_add", add_then_crash)
    with pytest.raises(RuntimeError):
        stats_store.update(tracker_url, stats_url, now=DAY + 10 * HOUR)
    monkeypatch.setattr(stats_store, "_add", original)
    assert counts(stats_url) == {}
    stats_store.update(tracker_url, stats_url, now=DAY + 10 * HOUR)
    stats_store.update(tracker_url, stats_url, now=DAY + 11 * HOUR)
    assert counts(stats_url)[(None, None, "conversations", "commencees")] == 1


def test_the_figures_of_a_month_outlive_the_purge_of_its_conversations(databases: tuple[str, str, Path]) -> None:
    tracker_url, _, path = databases
    stats_url = tracker_url  # by default the aggregates are in the conversations' own database
    store(path, {f"p{i}": conversation(f"p{i}", DAY + i * 60, ["bonjour", "Albi"], SLOTS_ALBI) for i in range(12)})
    stats_store.update(tracker_url, stats_url, now=DAY + 10 * HOUR)
    before = counts(stats_url, dt.date(2026, 11, 1), dt.date(2026, 11, 30), group_by_day=True)
    assert before[(dt.date(2026, 11, 3), None, "conversations", "commencees")] == 12
    assert purge(30, tracker_url, now=DAY + 40 * 86_400) [0] == 12
    assert counts(stats_url, dt.date(2026, 11, 1), dt.date(2026, 11, 30), group_by_day=True) == before
    # the next run after the purge adds nothing and removes nothing
    stats_store.update(tracker_url, stats_url, now=DAY + 41 * 86_400)
    assert counts(stats_url, dt.date(2026, 11, 1), dt.date(2026, 11, 30), group_by_day=True) == before


def test_small_counts_read_under_ten() -> None:
    assert [stats_store.Cell("besoin", "emploi", n).shown for n in (1, 9, 10, 250)] == ["< 10", "< 10", "10", "250"]


def test_the_stats_database_holds_no_text_no_sender_and_no_commune(databases: tuple[str, str, Path]) -> None:
    tracker_url, stats_url, path = databases
    secret_texts = ["je m'appelle Ginette Dupuis-Marcel", "rue des Lilas 12", "Albi"]
    senders = ["sender-7f3a9c-unique", "+33612345678"]
    store(path, {sender: conversation(sender, DAY, secret_texts, {**SLOTS_ALBI, "loyer": 517, "ressources": 1234})
                 for sender in senders})
    stats_store.update(tracker_url, stats_url, now=DAY + 10 * HOUR)
    engine = create_engine(stats_url)
    everything: list[str] = []
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                everything += [str(value) for value in row]
    engine.dispose()
    assert everything, "nothing was written"
    words = [*senders, *secret_texts, "81004", "Ginette", "Lilas", "Albi"]
    assert [v for v in everything for word in words if word.lower() in v.lower()] == []
    assert {"517", "1234", "23"}.isdisjoint(everything)  # exact values: the rent, the income, the age


def test_the_monthly_open_data_file_has_labels_and_hides_small_counts(databases: tuple[str, str, Path]) -> None:
    from bot.stats_export import COLUMNS, monthly_rows, to_csv

    tracker_url, stats_url, path = databases
    trackers = {f"t{i}": conversation(f"t{i}", DAY + i * 60, ["bonjour"], SLOTS_ALBI) for i in range(11)}
    trackers["h"] = conversation("h", DAY, ["emploi"], SLOTS_STOPPED)
    store(path, trackers)
    stats_store.update(tracker_url, stats_url, now=DAY + 10 * HOUR)
    rows = {(r["departement"], r["dimension"], r["valeur"]): r for r in monthly_rows("2026-11", stats_url)}
    tarn = rows[("81", "conversations", "commencees")]
    assert (tarn["departement_nom"], tarn["libelle"], tarn["nombre"]) == ("Tarn", "Commencées", "11")
    assert rows[("31", "conversations", "commencees")]["nombre"] == "< 10"
    assert rows[("81", "age", "18_25")]["libelle"] == "18 à 25 ans"
    assert rows[("31", "arret", "age")]["libelle"] == "Votre âge"
    text = to_csv(rows.values())
    assert text.splitlines()[0] == ",".join(name for name, _, _ in COLUMNS)
    assert monthly_rows("2026-10", stats_url) == []


def test_every_danger_and_urgent_situation_has_its_label() -> None:
    import yaml

    from bot.statistics import settings

    for dimension, file in (("crise", "crise.yml"), ("besoin_urgent", "besoins_urgents.yml")):
        situations = yaml.safe_load((ROOT / "data" / file).read_text(encoding="utf-8"))["situations"]
        assert set(situations) == set(settings()[dimension]), dimension


def test_the_command_counts_then_writes_the_month(databases: tuple[str, str, Path]) -> None:
    import os
    import subprocess
    import sys

    tracker_url, stats_url, path = databases
    store(path, {"a": conversation("a", DAY, ["bonjour"], SLOTS_ALBI)})
    env = {**os.environ, "TRACKER_DB_URL": tracker_url, "STATS_DB_URL": stats_url, "PYTHONPATH": str(ROOT)}
    counted = subprocess.run([sys.executable, "-m", "bot", "stats"], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=120)
    assert counted.returncode == 0 and "1 conversation(s) terminée(s) ajoutée(s)" in counted.stderr
    month = subprocess.run([sys.executable, "-m", "bot", "stats", "--csv", "2026-11"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120)
    assert month.returncode == 0 and "2026-11,81,Tarn,conversations,commencees,Commencées,< 10" in month.stdout
    wrong = subprocess.run([sys.executable, "-m", "bot", "stats", "--csv", "novembre"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120)
    assert wrong.returncode == 2 and "AAAA-MM" in wrong.stderr and "Traceback" not in wrong.stderr


def test_the_page_shows_each_chart_with_its_table_and_hides_small_counts(databases: tuple[str, str, Path]) -> None:
    from bot.stats_page import Filters, render

    tracker_url, stats_url, path = databases
    trackers = {f"t{i}": conversation(f"t{i}", DAY + i * 60, ["bonjour"], SLOTS_ALBI) for i in range(11)}
    trackers["h"] = conversation("h", DAY, ["emploi"], SLOTS_STOPPED)
    store(path, trackers)
    stats_store.update(tracker_url, stats_url, now=DAY + 10 * HOUR)
    page = render(Filters("2026-11", "2026-11", None), stats_db=stats_url)
    assert page.count("<map-chart-reg") == 1 and '&quot;81&quot;: 11' in page
    assert '&quot;31&quot;: 0' in page  # Haute-Garonne (< 10): the lightest colour, never its count
    assert "<td>Tarn</td><td class=\"nombre\">11</td>" in page
    assert "<td>Haute-Garonne</td><td class=\"nombre\">&lt; 10</td>" in page
    # every chart has its table, and the other figures are tables (or say there is nothing to show)
    assert page.count("<caption>") + page.count("aucune donnée pour cette période") == 4 + 8
    assert "Votre âge" in page and "export.csv?debut=2026-11&amp;fin=2026-11" in page
    tarn_only = render(Filters("2026-11", "2026-11", "31"), stats_db=stats_url)
    assert "Chiffres de Haute-Garonne" in tarn_only and "<option value=\"31\" selected>" in tarn_only


def test_the_page_filters_refuse_wrong_values_in_french() -> None:
    from bot.stats_page import Filters

    today = dt.date(2026, 11, 29)
    assert Filters.from_query({}, today) == Filters("2026-06", "2026-11", None)
    assert Filters.from_query({}, dt.date(2026, 3, 2)) == Filters("2025-10", "2026-03", None)
    for query, words in (({"debut": "2026-13"}, "AAAA-MM"), ({"debut": "2026-11", "fin": "2026-01"}, "commence"),
                         ({"departement": "75"}, "l'un des 13")):
        with pytest.raises(ValueError, match=words):
            Filters.from_query(query, today)


def test_the_login_is_checked_in_constant_time_and_refuses_everything_else() -> None:
    import base64
    from types import SimpleNamespace

    from components.statistics_page import allowed

    def request(header: str) -> SimpleNamespace:
        return SimpleNamespace(headers={"authorization": header} if header else {})

    good = "Basic " + base64.b64encode(b"equipe:s3cret-mot").decode()
    assert allowed(request(good), "s3cret-mot")  # type: ignore[arg-type]
    for header in ("", "Basic " + base64.b64encode(b"equipe:faux").decode(),
                   "Basic " + base64.b64encode(b"admin:s3cret-mot").decode(), "Basic !!!", "Bearer s3cret-mot"):
        assert not allowed(request(header), "s3cret-mot"), header  # type: ignore[arg-type]
    assert not allowed(request(good), "")  # type: ignore[arg-type]  # no password configured: nobody


def test_the_guide_gives_the_same_column_dictionary_as_the_code() -> None:
    from bot.stats_export import COLUMNS

    guide = (ROOT / "docs" / "guide-equipes.md").read_text(encoding="utf-8")
    for name, kind, meaning in COLUMNS:
        assert f"| {name} | {kind} | {meaning} |" in guide, name


@pytest.mark.services
def test_with_postgresql_as_in_production() -> None:
    """The same run on PostgreSQL (the production profile): counted once, and kept after the purge."""
    import sqlalchemy as sa

    from tests.local_services import postgres_server

    with postgres_server() as url:
        engine = sa.create_engine(url, future=True)
        with engine.begin() as connection:
            for table in ("events", "stats_comptes", "stats_etat"):
                connection.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))
        engine.dispose()
        parts = sa.engine.make_url(url)
        domain = Domain.load(str(ROOT / "domain.yml"))
        tracker_store = SQLTrackerStore(domain, dialect="postgresql", host=parts.host, port=parts.port,
                                        db=parts.database, username=parts.username, password=parts.password)
        for i in range(11):
            events = conversation(f"p{i}", DAY + i * 60, ["bonjour", "Albi"], SLOTS_ALBI)
            asyncio.run(tracker_store.save(DialogueStateTracker.from_events(f"p{i}", events, domain.slots)))
        tracker_store.engine.dispose()
        assert stats_store.update(url, url, now=DAY + 10 * HOUR).conversations == 11
        assert stats_store.update(url, url, now=DAY + 11 * HOUR).conversations == 0
        assert purge(30, url, now=DAY + 40 * 86_400)[0] == 11
        figures = counts(url, group_by_departement=True)
        assert figures[(None, "81", "conversations", "commencees")] == 11
        assert figures[(None, "81", "aide", "apl")] == 11
