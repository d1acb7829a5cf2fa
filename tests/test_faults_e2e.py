"""Faults caused for real: the action server stopped, the Rasa server restarted mid-conversation,
the catalogue database missing or corrupt; conversations in a real PostgreSQL started here.

Needs the trained model (make e2e) and PostgreSQL (make services)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.local_services import postgres_server
from tests.servers import PYTHON, ROOT, Assistant
from tests.test_e2e import Person, answer_to, joined

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="module")
def assistant_on_postgres(tmp_path_factory: pytest.TempPathFactory, postgres_url: str) -> Iterator[Assistant]:
    url = sa.engine.make_url(postgres_url)
    store = ("tracker_store:\n  type: components.erasable_tracker_store.ErasableSQLTrackerStore\n"
             f"  dialect: postgresql\n  url: {url.host}\n  port: {url.port}\n  db: {url.database}\n"
             f"  username: {url.username}\n")
    servers = Assistant(tmp_path_factory.mktemp("faults"), tracker_store=store)
    try:
        yield servers.start()
    finally:
        servers.stop_all()


def events_of(postgres_url: str, sender: str) -> int:
    engine = sa.create_engine(postgres_url, future=True)
    with engine.connect() as connection:
        count = connection.execute(sa.text("SELECT COUNT(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()
    engine.dispose()
    return int(count or 0)


def test_action_server_down_then_back(assistant_on_postgres: Assistant) -> None:
    person = Person(assistant_on_postgres.rest_url)
    person.says("je cherche une aide pour payer le loyer")
    question = person.says("Foix")[-1]["text"]
    answer = answer_to(question)
    assistant_on_postgres.stop_actions()
    try:
        replies = person.says(answer)
        text = joined(replies)
        assert "Je ne peux pas chercher les aides pour le moment" in text
        assert "France services" in text and "Foix" in text  # the person's nearest office
        assert "39 39" not in text  # not a catch-all number (issue 14)
        assert text.count("Je ne peux pas chercher") == 1  # one apology per message, not one per action
    finally:
        assistant_on_postgres.start_actions()
    replies = person.says(answer)  # the same answer, once the action server is back
    assert replies[-1]["text"] != question and replies[-1]["text"].endswith("?")  # the questions go on


def test_rasa_restart_resumes_the_conversation_from_postgresql(assistant_on_postgres: Assistant,
                                                               postgres_url: str) -> None:
    person = Person(assistant_on_postgres.rest_url)
    person.says("je cherche une aide pour garder mon fils")
    person.says("Rodez")
    question = person.says("j'ai 29 ans")[-1]["text"]
    assert events_of(postgres_url, person.sender) > 0
    assistant_on_postgres.stop_rasa()
    assistant_on_postgres.start_rasa()
    answer = answer_to(question)
    following = person.says(answer)[-1]["text"]  # the pending question is answered after the restart
    assert following != question and "Bonjour" not in following
    assert "Rodez" in joined(person.says("/recapitulatif"))  # the answers from before the restart are kept


@pytest.fixture(scope="module")
def assistant_on_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    """An assistant of its own, so that restarting it never disturbs the one the other test files share."""
    servers = Assistant(tmp_path_factory.mktemp("faults-sqlite"))
    try:
        yield servers.start()
    finally:
        servers.stop_all()


def test_rasa_restart_resumes_the_conversation_from_sqlite(assistant_on_sqlite: Assistant) -> None:
    """Conversations are kept in SQLite by default: restarted, the assistant goes on."""
    assistant = assistant_on_sqlite
    person = Person(assistant.rest_url)
    person.says("je cherche une aide pour garder mon fils")
    question = person.says("Millau")[-1]["text"]
    assistant.stop_rasa()
    assistant.start_rasa()
    answer = answer_to(question)
    following = person.says(answer)[-1]["text"]
    assert following != question and "Bonjour" not in following
    assert "Millau" in joined(person.says("/recapitulatif"))


def test_erase_on_postgresql(assistant_on_postgres: Assistant, postgres_url: str) -> None:
    person = Person(assistant_on_postgres.rest_url)
    person.says("je cherche une aide pour garder mon fils")
    person.says("Millau")
    assert events_of(postgres_url, person.sender) > 0
    person.says("effacer mes données")
    assert events_of(postgres_url, person.sender) == 0


@pytest.mark.parametrize("problem", ["missing", "corrupt", "empty"])
def test_action_server_refuses_to_start_without_a_sound_catalogue(tmp_path: Path, problem: str) -> None:
    path = tmp_path / "catalogue.db"
    if problem == "corrupt":
        path.write_bytes(b"this is not a database" * 100)
    elif problem == "empty":
        sa.create_engine(f"sqlite:///{path}").connect().close()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([PYTHON, "-m", "actions", "--actions", "actions", "--port", "5199"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "Le serveur d'actions ne démarre pas" in result.stderr and "make db" in result.stderr
