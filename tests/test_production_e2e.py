"""The production profile (scripts/production.py, `make run-production`): PostgreSQL, Redis, two Rasa replicas,
two action servers and nginx, started for real. No turn lost or done twice when the replicas take turns or
die, a French message while the database restarts, and message limits counted per client address.

Needs the trained model, PostgreSQL, Redis and nginx (`make e2e`).
"""

from __future__ import annotations

import http.client
import importlib.util
import json
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.servers import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.services]
ROOT = Path(__file__).resolve().parent.parent
PER_ADDRESS = 30  # messages per minute and per address, low enough to reach in a test

_spec = importlib.util.spec_from_file_location("production", ROOT / "scripts" / "production.py")
assert _spec and _spec.loader
production_module = importlib.util.module_from_spec(_spec)
sys.modules["production"] = production_module  # dataclasses look their module up there
_spec.loader.exec_module(production_module)


@pytest.fixture(scope="module")
def production() -> Iterator:
    # under the system's temporary folder: as root, PostgreSQL runs as « postgres », who must reach it
    directory = Path(tempfile.mkdtemp(prefix="production-"))
    directory.chmod(0o755)
    profile = production_module.Production(directory=directory, web_port=free_port(), replicas=2,
                                           extra_env={"RATE_LIMIT_PER_ADDRESS": str(PER_ADDRESS)})
    profile.start()
    try:
        yield profile
    finally:
        profile.stop()
        shutil.rmtree(directory, ignore_errors=True)


def say(url: str, sender: str, message: str) -> list[dict]:
    response = requests.post(url, json={"sender": sender, "message": message}, timeout=120)
    assert response.status_code == 200, response.text
    replies = response.json()
    assert replies and all(r.get("text") or r.get("buttons") for r in replies), f"silent turn after « {message} »"
    return replies


def user_messages(database_url: str, sender: str) -> list[str]:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT data FROM events WHERE sender_id = :sender AND type_name = 'user' "
                                        "ORDER BY id"), {"sender": sender}).all()
    engine.dispose()
    return [json.loads(row[0])["text"] for row in rows]


DIALOGUE = ["bonjour", "je cherche une aide pour payer mon loyer", "j'habite à Albi", "je suis locataire", "non",
            "34 ans", "récapitulatif"]


def test_the_page_and_the_widget_come_through_nginx(production) -> None:
    page = requests.get(production.url + "/", timeout=10)
    assert page.status_code == 200 and f'data-rasa-url="http://127.0.0.1:{production.web_port}"' in page.text
    assert requests.get(production.url + "/widget.js", timeout=10).status_code == 200


def test_two_replicas_take_turns_on_one_conversation_and_lose_no_turn(production) -> None:
    sender = str(uuid.uuid4())
    for number, message in enumerate(DIALOGUE):
        replica = production.replica_url(1 + number % 2)  # 1, 2, 1, 2…
        say(f"{replica}/webhooks/rest/webhook", sender, message)
    assert user_messages(production.postgres_url, sender) == DIALOGUE  # every turn once, in order


def test_a_replica_and_an_action_server_die_mid_conversation_and_it_goes_on(production) -> None:
    sender = str(uuid.uuid4())
    for message in DIALOGUE[:3]:
        say(production.rest_url, sender, message)
    production.kill("rasa1")
    production.kill("actions1")
    for message in DIALOGUE[3:]:
        replies = say(production.rest_url, sender, message)
        assert "ne répond pas" not in json.dumps(replies, ensure_ascii=False)
    assert user_messages(production.postgres_url, sender) == DIALOGUE
    production.restart("actions1")  # back in the pool (a Rasa replica takes a minute: the next tests use one)


def test_while_the_database_restarts_the_answer_is_french_then_the_conversation_goes_on(production) -> None:
    sender = str(uuid.uuid4())
    say(production.rest_url, sender, "bonjour")
    production.stop_postgres()
    try:
        during = say(production.rest_url, sender, "je cherche une aide pour payer mon loyer")
        assert "Réessayez dans quelques minutes" in during[0]["text"]
    finally:
        production.restart("postgres")
    after = say(production.rest_url, sender, "je cherche une aide pour payer mon loyer")
    assert "commune" in after[-1]["text"]
    assert user_messages(production.postgres_url, sender)[-1] == "je cherche une aide pour payer mon loyer"


def post_from(address: str, production, sender: str, headers: dict[str, str] | None = None) -> int:
    """One message to nginx from the loopback address ``address`` (each client its own address)."""
    connection = http.client.HTTPConnection("127.0.0.1", production.web_port, timeout=60,
                                            source_address=(address, 0))
    try:
        body = json.dumps({"sender": sender, "message": "bonjour"})
        connection.request("POST", "/webhooks/rest/webhook", body=body,
                           headers={"Content-Type": "application/json", **(headers or {})})
        return connection.getresponse().status
    finally:
        connection.close()


def test_message_limits_count_each_client_address_behind_nginx(production) -> None:
    statuses: list[int] = []
    # fixed one-minute windows: a window may turn during the test, so at most two windows' worth
    while 429 not in statuses and len(statuses) < 2 * PER_ADDRESS + 2:
        statuses.append(post_from("127.0.0.2", production, str(uuid.uuid4()),
                                  {"X-Forwarded-For": f"10.0.0.{len(statuses)}"}))  # a made-up header: no escape
    assert statuses[-1] == 429 and PER_ADDRESS <= statuses.count(200) <= 2 * PER_ADDRESS
    assert post_from("127.0.0.3", production, str(uuid.uuid4())) == 200  # another person, her own limit
