"""Start and stop the action server and the Rasa server for end-to-end tests.

Each server is a real process on a free port, waited for on its health
endpoint; the conversations go to a SQLite tracker store in the test's folder
unless another tracker store is given.
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import requests

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "current.tar.gz"
RASA = str(ROOT / ".venv" / "bin" / "rasa")
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: int) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early ({url})")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Engine:
    """The OpenFisca-France service (scripts/engine.sh), in its own Python 3.11 environment."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def start(self, log: Path | None = None) -> Engine:
        output = open(log, "a", encoding="utf-8") if log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(["bash", "scripts/engine.sh", str(self.port)], cwd=ROOT,
                                        stdout=output, stderr=subprocess.STDOUT)
        wait_for(f"{self.url}/health", self.process, 180)
        return self

    def stop(self) -> None:
        stop(self.process)


_shared_engine: Engine | None = None


def shared_engine() -> Engine:
    """One engine for the whole test session, started at first use and stopped at exit."""
    global _shared_engine
    if _shared_engine is None:
        _shared_engine = Engine().start(ROOT / "var" / "log" / "engine-tests.log")
        atexit.register(_shared_engine.stop)
    return _shared_engine


class Assistant:
    """The two servers of the assistant, started with the channels of ``channel_env``."""

    def __init__(self, work: Path, channel_env: dict[str, str] | None = None,
                 tracker_store: str | None = None, extra_env: dict[str, str] | None = None) -> None:
        assert MODEL.exists(), "no trained model: run `make model` first"
        self.work = work
        self.action_port, self.rasa_port = free_port(), free_port()
        engine = {} if "OPENFISCA_URL" in (extra_env or {}) else {"OPENFISCA_URL": shared_engine().url}
        self.env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                    "PYTHONPATH": str(ROOT), **engine, **(extra_env or {})}
        self.credentials = work / "credentials.yml"
        subprocess.run([sys.executable, "scripts/credentials.py", str(self.credentials)], cwd=ROOT, check=True,
                       env={**self.env, **(channel_env or {})}, capture_output=True)
        store = tracker_store or ("tracker_store:\n  type: components.erasable_tracker_store.ErasableSQLTrackerStore\n"
                                  f"  dialect: sqlite\n  db: {work / 'tracker.db'}\n")
        self.endpoints = work / "endpoints.yml"
        self.endpoints.write_text(f'action_endpoint:\n  url: "http://localhost:{self.action_port}/webhook"\n{store}',
                                  encoding="utf-8")
        self.actions: subprocess.Popen | None = None
        self.rasa: subprocess.Popen | None = None
        self._logs: list[IO[str]] = []

    @property
    def base_url(self) -> str:
        return f"http://localhost:{self.rasa_port}"

    @property
    def rest_url(self) -> str:
        return f"{self.base_url}/webhooks/rest/webhook"

    def webhook(self, channel: str) -> str:
        return f"{self.base_url}/webhooks/{channel}/webhook"

    def _log(self, name: str) -> IO[str]:
        log = open(self.work / name, "a", encoding="utf-8")  # noqa: SIM115 - closed in stop_all
        self._logs.append(log)
        return log

    def _spawn_actions(self) -> None:
        self.actions = subprocess.Popen([PYTHON, "-m", "actions", "--actions", "actions", "--port",
                                         str(self.action_port)], cwd=ROOT, env=self.env,
                                        stdout=self._log("actions.log"), stderr=subprocess.STDOUT)

    def _spawn_rasa(self) -> None:
        self.rasa = subprocess.Popen([RASA, "run", "--model", str(MODEL), "--port", str(self.rasa_port),
                                      "--endpoints", str(self.endpoints), "--credentials", str(self.credentials),
                                      "--cors", "*"], cwd=ROOT, env=self.env,
                                     stdout=self._log("rasa.log"), stderr=subprocess.STDOUT)

    def _wait_actions(self) -> None:
        assert self.actions is not None
        wait_for(f"http://localhost:{self.action_port}/health", self.actions, 120)

    def _wait_rasa(self) -> None:
        assert self.rasa is not None
        wait_for(f"{self.base_url}/", self.rasa, 420)

    def start_actions(self) -> None:
        self._spawn_actions()
        self._wait_actions()

    def start_rasa(self) -> None:
        self._spawn_rasa()
        self._wait_rasa()

    def start(self) -> Assistant:
        """Both servers, started side by side."""
        self._spawn_actions()
        self._spawn_rasa()
        self._wait_actions()
        self._wait_rasa()
        return self

    def stop_actions(self) -> None:
        stop(self.actions)

    def stop_rasa(self) -> None:
        stop(self.rasa)

    def stop_all(self) -> None:
        stop(self.rasa)
        stop(self.actions)
        for log in self._logs:
            log.close()
        self._logs.clear()
