"""Shared fixtures: a catalogue database built from data/ into a temporary SQLite file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot import engine_client, service, store

# Unit tests never reach a rules engine: a closed port, so that amounts are « not computed » unless a
# test starts the real engine (tests/servers.py) and gives its own client.
CLOSED_ENGINE = "http://127.0.0.1:9"


@pytest.fixture(scope="session", autouse=True)
def catalogue_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("db") / "catalogue.db"
    url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = url
    os.environ["OPENFISCA_URL"] = CLOSED_ENGINE
    engine_client._client = None
    service.clear_caches()
    store.build_database(url)
    return url


@pytest.fixture(scope="module")
def commune_entities():
    """The NLU's own tokeniser (the spaCy pipeline built at setup) and commune extractor: text → entities."""
    import spacy
    from rasa.nlu.constants import TOKENS_NAMES
    from rasa.nlu.tokenizers.tokenizer import Token
    from rasa.shared.nlu.constants import ENTITIES, TEXT
    from rasa.shared.nlu.training_data.message import Message

    from components.commune_extractor import CommuneEntityExtractor

    nlp = spacy.load(Path(__file__).resolve().parent.parent / "build" / "spacy" / "fr_occitanie")
    component = CommuneEntityExtractor({})

    def run(text: str) -> list[dict]:
        tokens = [Token(t.text, t.idx, lemma=t.lemma_) for t in nlp(text)]
        message = Message({TEXT: text, TOKENS_NAMES[TEXT]: tokens})
        component.process([message])
        return list(message.get(ENTITIES, []))

    return run


@pytest.fixture(scope="module")
def parse():
    """The trained model's NLU (models/current.tar.gz): text → parse result (needs make model)."""
    import asyncio

    from rasa.core.agent import Agent

    from tests.servers import MODEL

    agent = Agent.load(str(MODEL))
    loop = asyncio.new_event_loop()
    yield lambda text: loop.run_until_complete(agent.parse_message(text))
    loop.close()


# The channels of the shared test assistant, each pointed at a local fake of its platform.
TELEGRAM_TOKEN = "7000000001:TEST-token-for-the-local-fake"
TELEGRAM_SECRET = "telegram-test-secret"
FACEBOOK_SECRET = "facebook-test-app-secret"
SLACK_SIGNING_SECRET = "slack-test-signing-secret"
STATS_PASSWORD = "statistiques-test-mot-de-passe"


@pytest.fixture(scope="session")
def fake_twilio():
    from tests.fake_twilio import FakeTwilio

    fake = FakeTwilio()
    yield fake
    fake.close()


@pytest.fixture(scope="session")
def fake_platforms():
    from tests.fake_platforms import FakePlatforms

    fake = FakePlatforms()
    yield fake
    fake.close()


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory, fake_twilio, fake_platforms):
    """The action server and the Rasa server with every channel, started once for the e2e tests."""
    from tests.servers import Assistant

    channels = {
        "TWILIO_ACCOUNT_SID": "ACtest", "TWILIO_AUTH_TOKEN": "test-token", "TWILIO_NUMBER": "+33100000000",
        "TWILIO_API_BASE_URL": fake_twilio.url,
        "TELEGRAM_ACCESS_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_BOT_NAME": "AideOccitanieTestBot",
        "TELEGRAM_WEBHOOK_URL": "https://aide.example.org/webhooks/telegram/webhook",
        "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET, "TELEGRAM_API_BASE_URL": fake_platforms.url,
        "FACEBOOK_VERIFY": "facebook-test-verify", "FACEBOOK_SECRET": FACEBOOK_SECRET,
        "FACEBOOK_PAGE_ACCESS_TOKEN": "facebook-test-page-token", "FACEBOOK_API_BASE_URL": fake_platforms.url,
        "SLACK_TOKEN": "xoxb-test-token", "SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
        "SLACK_API_BASE_URL": fake_platforms.url + "/api",
        # every e2e test writes from 127.0.0.1: the per-address limit is tested in test_exposure.py
        "RATE_LIMIT_PER_ADDRESS": "100000",
        "STATS_PASSWORD": STATS_PASSWORD,
    }
    work = tmp_path_factory.mktemp("assistant")
    # the statistics page reads its own database, filled by the test that reads the page
    servers = Assistant(work, channels, extra_env={"STATS_DB_URL": f"sqlite:///{work / 'stats.db'}"})
    try:
        yield servers.start()
    finally:
        servers.stop_all()


@pytest.fixture(scope="session")
def rasa_url(assistant) -> str:
    return assistant.rest_url
