"""Shared fixtures: a catalogue database built from data/ into a temporary SQLite file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot import store


@pytest.fixture(scope="session", autouse=True)
def catalogue_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("db") / "catalogue.db"
    url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = url
    store.clear_cache()
    store.build_database(url)
    return url
