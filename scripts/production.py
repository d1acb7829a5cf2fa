"""The production profile on one machine: Rasa's own scaling model, started and stopped with one command.

    PostgreSQL   the tracker store (conversations), in var/production/pgdata
    Redis        the lock store (one replica at a time on a conversation), the shared button choices
                 (CHOICES_REDIS_URL) and the message limits counted together (RATE_LIMIT_REDIS_URL)
    OpenFisca    the rules engine (its own Python 3.11 service), once
    actions x2   two action servers, behind nginx (ACTION_ENDPOINT_URL points at nginx)
    Rasa x2      two Rasa replicas on endpoints.production.yml, behind nginx
    nginx        the widget page and the webhooks (/webhooks/…), balanced over the replicas; it passes
                 the client's address in X-Forwarded-For and the replicas read it (SANIC_PROXIES_COUNT=1)

Each part is waited for on its health check, never on a sleep; stopping stops everything it started.
`make run-production` runs `python scripts/production.py run`; the tests drive the same class.
Settings (environment): PROD_WEB_PORT (8090), PROD_REPLICAS (2), PROD_DIR (var/production).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import requests

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"

NGINX_CONF = """worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/log/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;  # no personal data in logs: no addresses, no messages
    client_body_temp_path {dir}/nginx-tmp/body;
    proxy_temp_path {dir}/nginx-tmp/proxy;
    fastcgi_temp_path {dir}/nginx-tmp/fastcgi;
    uwsgi_temp_path {dir}/nginx-tmp/uwsgi;
    scgi_temp_path {dir}/nginx-tmp/scgi;
    client_max_body_size 1m;
    upstream rasa {{
{rasa_servers}
        keepalive 32;
    }}
    upstream actions {{
{action_servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{web_port};
        location = /nginx-health {{ return 200 "ok"; }}
        # every part up (written by scripts/production.py once it has waited for each of them)
        location = /ready {{
            root {dir};
            default_type text/plain;
            try_files /ready =503;
        }}
        # the web chat: if no replica can answer (a restart, the database down), a clear French message in
        # the REST channel's own format, instead of an error the widget cannot show
        location /webhooks/rest/ {{
{proxy_to_rasa}
            proxy_next_upstream error http_502 http_503;
            proxy_read_timeout 120s;
            proxy_intercept_errors on;
            error_page 500 502 503 504 = @unavailable;
        }}
        location @unavailable {{
            default_type application/json;
            return 200 '{unavailable}';
        }}
        location /webhooks/ {{
{proxy_to_rasa}
            # a replica that refuses the connection: the next one (a POST is never sent twice)
            proxy_next_upstream error http_502 http_503;
            proxy_read_timeout 120s;
        }}
        # the statistics page of the Pacte's teams (login checked by the replicas)
        location /statistiques/ {{
{proxy_to_rasa}
        }}
        # the demo page, with the widget talking to nginx (same address) instead of one Rasa server
        location = / {{
            root {www};
            try_files /index.html =404;
        }}
        location = /index.html {{
            root {www};
        }}
        location / {{
            root {web};
        }}
    }}
    server {{
        listen 127.0.0.1:{actions_port};
        location / {{
            proxy_pass http://actions;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_next_upstream error http_502 http_503;
            proxy_read_timeout 120s;
        }}
    }}
}}
"""


# How every location that goes to the Rasa replicas passes a request: keep-alive, the client's address.
PROXY_TO_RASA = """            proxy_pass http://rasa;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;"""


def unavailable_json() -> str:
    """The outage message of the web chat (bot.unavailable), as the REST channel would send it, escaped for
    a single-quoted nginx string."""
    sys.path.insert(0, str(ROOT))
    from bot.unavailable import APOLOGY, GENERIC_FRANCE_SERVICES

    body = json.dumps([{"recipient_id": "", "text": f"{APOLOGY}\n{GENERIC_FRANCE_SERVICES}"}], ensure_ascii=True)
    return body.replace("\\", "\\\\").replace("'", "\\'")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _postgres_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        raise SystemExit("PostgreSQL manque : make services")
    return str(found[-1])


def wait_http(url: str, seconds: float, process: subprocess.Popen | None = None, name: str = "") -> None:
    """Wait until ``url`` answers (any HTTP status below 500), or fail with a French message."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{name or url} s'est arrêté au démarrage (voir var/production/log/).")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"{name or url} ne répond pas après {seconds:.0f} s (voir var/production/log/).")


def wait_port(port: int, seconds: float, process: subprocess.Popen, name: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} s'est arrêté au démarrage (voir var/production/log/).")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"{name} n'écoute pas sur le port {port}.")


@dataclass
class Production:
    directory: Path = field(default_factory=lambda: ROOT / os.environ.get("PROD_DIR", "var/production"))
    web_port: int = field(default_factory=lambda: int(os.environ.get("PROD_WEB_PORT", "8090")))
    replicas: int = field(default_factory=lambda: int(os.environ.get("PROD_REPLICAS", "2")))
    model: Path = ROOT / "models" / "current.tar.gz"
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)

    # --- addresses -------------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def rest_url(self) -> str:
        return f"{self.url}/webhooks/rest/webhook"

    @property
    def postgres_url(self) -> str:
        return f"postgresql://rasa@127.0.0.1:{self.ports['postgres']}/rasa"

    def replica_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.ports[f'rasa{index}']}"

    # --- processes -------------------------------------------------------------------------------------------
    def _log(self, name: str) -> IO[bytes]:
        (self.directory / "log").mkdir(parents=True, exist_ok=True)
        return open(self.directory / "log" / f"{name}.log", "ab")  # noqa: SIM115 - kept open by the process

    def _spawn(self, name: str, command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=self._log(name),
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self.processes[name] = process
        # its own process group: `kill -- -$(cat run/rasa1.pid)` stops it with its children (fault drills)
        (self.directory / "run").mkdir(parents=True, exist_ok=True)
        (self.directory / "run" / f"{name}.pid").write_text(f"{process.pid}\n", encoding="utf-8")
        return process

    def _as_postgres(self) -> list[str]:
        return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def start_postgres(self) -> None:
        data = self.directory / "pgdata"
        if not (data / "PG_VERSION").exists():
            data.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(data, "postgres")
            data.chmod(0o700)
            made = subprocess.run([*self._as_postgres(), _postgres_bin("initdb"), "-D", str(data), "-U", "rasa",
                                   "--auth=trust", "-E", "UTF8"], capture_output=True, text=True)
            if made.returncode != 0:
                raise RuntimeError("PostgreSQL : initdb a échoué (le dossier doit être accessible à l'utilisateur "
                                   f"postgres) : {made.stderr.strip()[-300:]}")
        port = self.ports.setdefault("postgres", free_port())
        process = self._spawn("postgres", [*self._as_postgres(), _postgres_bin("postgres"), "-D", str(data),
                                           "-p", str(port), "-h", "127.0.0.1", "-k", str(data)])
        wait_port(port, 60, process, "PostgreSQL")
        for _ in range(100):  # the port opens before the server accepts connections
            created = subprocess.run([*self._as_postgres(), _postgres_bin("createdb"), "-h", "127.0.0.1",
                                      "-p", str(port), "-U", "rasa", "rasa"], capture_output=True, text=True)
            if created.returncode == 0 or "already exists" in created.stderr or "existe déjà" in created.stderr:
                # anonymous statistics of the ended conversations, then retention: conversations without a
                # message for RETENTION_DAYS are deleted at each start (the statistics stay)
                for command in (["stats"], ["purge", "--older-than", os.environ.get("RETENTION_DAYS", "30")]):
                    subprocess.run([str(VENV / "python"), "-m", "bot", *command], cwd=ROOT, capture_output=True,
                                   env={**os.environ, "TRACKER_DB_URL": self.postgres_url})
                return
            time.sleep(0.2)
        raise RuntimeError("PostgreSQL ne crée pas la base « rasa » : " + created.stderr.strip())

    def stop_postgres(self) -> None:
        self._stop("postgres")

    def start_redis(self) -> None:
        binary = shutil.which("redis-server")
        if not binary:
            raise SystemExit("Redis manque : make services")
        port = self.ports.setdefault("redis", free_port())
        process = self._spawn("redis", [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                        "--appendonly", "no"])
        wait_port(port, 30, process, "Redis")

    def start_engine(self) -> None:
        port = self.ports.setdefault("engine", free_port())
        process = self._spawn("engine", ["bash", "scripts/engine.sh", str(port)])
        wait_http(f"http://127.0.0.1:{port}/health", 180, process, "Le moteur de calcul OpenFisca")

    def spawn_actions(self, index: int) -> None:
        name = f"actions{index}"
        port = self.ports.setdefault(name, free_port())
        self._spawn(name, [str(VENV / "python"), "-m", "actions", "--actions", "actions", "--port", str(port)],
                    self._env())

    def wait_actions(self, index: int) -> None:
        name = f"actions{index}"
        wait_http(f"http://127.0.0.1:{self.ports[name]}/health", 120, self.processes[name],
                  f"Le serveur d'actions {index}")

    def spawn_rasa(self, index: int) -> None:
        name = f"rasa{index}"
        port = self.ports.setdefault(name, free_port())
        exposure = subprocess.run([str(VENV / "python"), "scripts/rasa_args.py"], cwd=ROOT, check=True,
                                  capture_output=True, text=True,
                                  env={**os.environ, "WEB_PORT": str(self.web_port), **self.extra_env}).stdout
        self._spawn(name, [str(VENV / "rasa"), "run", "--model", str(self.model), "--port", str(port),
                           "--endpoints", "endpoints.production.yml",
                           "--credentials", str(self.directory / "credentials.yml"),
                           *[a for a in exposure.split("\n") if a]], self._env())

    def wait_rasa(self, index: int) -> None:
        name = f"rasa{index}"
        wait_http(f"http://127.0.0.1:{self.ports[name]}/", 300, self.processes[name], f"Le serveur Rasa {index}")

    def restart(self, name: str) -> None:
        """Start again a part that was stopped or killed (``rasa1``, ``actions2``, ``postgres``, ``nginx``…)."""
        if name in ("postgres", "redis", "engine", "nginx"):
            getattr(self, f"start_{name}")()
            return
        kind, index = name.rstrip("0123456789"), int(name[len(name.rstrip("0123456789")):])
        getattr(self, f"spawn_{kind}")(index)
        getattr(self, f"wait_{kind}")(index)

    def start_nginx(self) -> None:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(binary).exists():
            raise SystemExit("nginx manque : make services")
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.directory / "nginx-tmp" / sub).mkdir(parents=True, exist_ok=True)
        self.ports.setdefault("actions_proxy", free_port())
        (self.directory / "www").mkdir(exist_ok=True)
        page = (ROOT / "web" / "index.html").read_text(encoding="utf-8")
        widget = '<script src="widget.js" '
        if widget not in page:
            raise RuntimeError("web/index.html ne charge plus widget.js : mettez à jour scripts/production.py")
        (self.directory / "www" / "index.html").write_text(
            page.replace(widget, f'{widget}data-rasa-url="http://127.0.0.1:{self.web_port}" '), encoding="utf-8")
        conf = self.directory / "nginx.conf"
        conf.write_text(NGINX_CONF.format(
            dir=self.directory, web=ROOT / "web", www=self.directory / "www", web_port=self.web_port,
            actions_port=self.ports["actions_proxy"], unavailable=unavailable_json(), proxy_to_rasa=PROXY_TO_RASA,
            rasa_servers=self._upstream("rasa"), action_servers=self._upstream("actions")), encoding="utf-8")
        process = self._spawn("nginx", [binary, "-c", str(conf), "-p", str(self.directory)])
        wait_http(f"{self.url}/nginx-health", 30, process, "nginx")

    def _upstream(self, kind: str) -> str:
        return "\n".join(f"        server 127.0.0.1:{self.ports[f'{kind}{i}']} max_fails=1 fail_timeout=5s;"
                         for i in range(1, self.replicas + 1))

    def _env(self) -> dict[str, str]:
        redis = f"redis://127.0.0.1:{self.ports['redis']}"
        return {
            "PYTHONPATH": str(ROOT),
            "OPENFISCA_URL": f"http://127.0.0.1:{self.ports['engine']}",
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.ports['actions_proxy']}/webhook",
            "TRACKER_DB_HOST": "127.0.0.1", "TRACKER_DB_PORT": str(self.ports["postgres"]),
            "TRACKER_DB_NAME": "rasa", "TRACKER_DB_USER": "rasa", "TRACKER_DB_PASSWORD": "",
            # the statistics page reads the aggregates that `python -m bot stats` writes in the same database
            "STATS_DB_URL": self.postgres_url,
            "REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(self.ports["redis"]), "REDIS_PASSWORD": "",
            "CHOICES_REDIS_URL": f"{redis}/2", "RATE_LIMIT_REDIS_URL": f"{redis}/3",
            # behind nginx: the client's address is the last one nginx adds to X-Forwarded-For
            "SANIC_PROXIES_COUNT": "1",
            "SANIC_REQUEST_MAX_SIZE": "1048576",
            **self.extra_env,
        }

    def start(self) -> Production:
        self.directory.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(VENV / "python"), "scripts/credentials.py", str(self.directory / "credentials.yml")],
                       cwd=ROOT, check=True, env={**os.environ, **self.extra_env})
        try:
            self.start_postgres()
            self.start_redis()
            self.start_engine()
            for index in range(1, self.replicas + 1):  # ports first: nginx needs them all
                self.ports.setdefault(f"actions{index}", free_port())
                self.ports.setdefault(f"rasa{index}", free_port())
            self.ports.setdefault("actions_proxy", free_port())
            self.start_nginx()
            indexes = range(1, self.replicas + 1)
            for index in indexes:  # the replicas load side by side
                self.spawn_actions(index)
                self.spawn_rasa(index)
            for index in indexes:
                self.wait_actions(index)
            for index in indexes:
                self.wait_rasa(index)
            # where each part listens, for the tools that check the profile (scripts/bench/integrity.py)
            (self.directory / "ports.json").write_text(json.dumps(self.ports, indent=1), encoding="utf-8")
            (self.directory / "ready").write_text("ok\n", encoding="utf-8")
        except BaseException:
            self.stop()
            raise
        return self

    def _stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        (self.directory / "run" / f"{name}.pid").unlink(missing_ok=True)
        if process is None or process.poll() is not None:
            return
        # PostgreSQL: « fast » shutdown (SIGINT) closes the replicas' open connections instead of waiting for them
        try:
            os.killpg(process.pid, signal.SIGINT if name == "postgres" else signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def kill(self, name: str) -> None:
        """Kill one part at once, as a crash would (the fault tests)."""
        process = self.processes.pop(name)
        (self.directory / "run" / f"{name}.pid").unlink(missing_ok=True)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self) -> None:
        (self.directory / "ready").unlink(missing_ok=True)
        for name in [n for n in self.processes if n.startswith("rasa")] + ["nginx"] + \
                [n for n in self.processes if n.startswith("actions")] + ["engine", "redis", "postgres"]:
            self._stop(name)


def main(argv: list[str]) -> int:
    if argv[1:] != ["run"]:
        print("usage : python scripts/production.py run", file=sys.stderr)
        return 2
    production = Production()
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    print(f"Démarrage du profil de production : PostgreSQL, Redis, {production.replicas} serveurs d'actions, "
          f"{production.replicas} serveurs Rasa et nginx (une à deux minutes)…", flush=True)
    production.start()
    print(f"\nL'assistant (profil de production) est prêt. Ouvrez : {production.url}/", flush=True)
    password = os.environ.get("STATS_PASSWORD") or (production.directory / "stats-password").read_text().strip()
    print(f"Statistiques anonymes : {production.url}/statistiques/ (identifiant : equipe ; mot de passe : "
          f"{password})", flush=True)
    print("(Ctrl+C pour tout arrêter ; journaux dans var/production/log/)", flush=True)
    try:
        while not stopping:
            time.sleep(0.5)
            # a part that stops on its own is started again, as a service manager would (systemd
            # Restart=on-failure); the other replicas answer meanwhile
            for name in [name for name, p in production.processes.items() if p.poll() is not None]:
                print(f"Arrêt inattendu de {name} : redémarrage (voir var/production/log/{name}.log).",
                      file=sys.stderr, flush=True)
                production.processes.pop(name)
                try:
                    production.restart(name)
                except (RuntimeError, TimeoutError) as error:
                    print(f"{name} ne redémarre pas : {error} Arrêt de tout le profil.", file=sys.stderr)
                    stopping = True
                    break
    finally:
        production.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
