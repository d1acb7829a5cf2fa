"""Real Redis and PostgreSQL servers for the tests, started in a temporary folder and stopped after.

The Debian packages (redis-server, postgresql) are installed by `make services`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.servers import free_port


def _wait_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited early")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on port {port}")


@contextmanager
def redis_server() -> Iterator[str]:
    """A Redis server on a free port, without persistence; yields its URL."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing: make services"
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_port(port, process)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)





def _postgres_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    assert found, "PostgreSQL is missing: make services"
    return str(found[-1])


@contextmanager
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on a free port; yields the URL of its database ``rasa``.

    As root, the cluster belongs to the ``postgres`` user (PostgreSQL refuses to run as root),
    in a folder of its own under the system's temporary folder.
    """
    base = Path(tempfile.mkdtemp(prefix="pg-"))
    as_user: list[str] = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    data = base / "pgdata"
    data.mkdir(parents=True)
    if as_user:
        shutil.chown(base, "postgres")
        shutil.chown(data, "postgres")
    subprocess.run([*as_user, _postgres_bin("initdb"), "-D", str(data), "-U", "rasa", "--auth=trust", "-E", "UTF8"],
                   check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen([*as_user, _postgres_bin("postgres"), "-D", str(data), "-p", str(port),
                                "-h", "127.0.0.1", "-k", str(data)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_port(port, process)
        for _ in range(50):
            created = subprocess.run([*as_user, _postgres_bin("createdb"), "-h", "127.0.0.1", "-p", str(port),
                                      "-U", "rasa", "rasa"], capture_output=True)
            if created.returncode == 0:
                break
            time.sleep(0.2)
        yield f"postgresql://rasa@127.0.0.1:{port}/rasa"
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(base, ignore_errors=True)
