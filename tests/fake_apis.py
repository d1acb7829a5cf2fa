"""A local fake of the geo API and of the Annuaire de l'administration API, for the refresh tests.

Serves the shipped communes in the geo API's format (with a rename and a postal
code change) and the test records of fixtures/annuaire_records.json, and can
misbehave on demand: HTTP 500, slow answers, malformed JSON, truncated lists.
"""

from __future__ import annotations

import csv
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

ROOT = Path(__file__).resolve().parent.parent
RECORDS = json.loads((Path(__file__).parent / "fixtures" / "annuaire_records.json").read_text(encoding="utf-8"))
RENAMED = ("09001", "Aigues-Juntes-Test")
NEW_POSTAL = ("09002", "09601")


def geo_communes() -> list[dict]:
    with open(ROOT / "data" / "geo" / "communes.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    payload = []
    for row in rows:
        item = {"code": row["insee"], "nom": row["nom"], "codeDepartement": row["departement"],
                "codesPostaux": row["codes_postaux"].split(), "codeEpci": row["epci_siren"] or None,
                "population": int(row["population"] or 0),
                "centre": {"type": "Point", "coordinates": [float(row["longitude"]), float(row["latitude"])]}}
        if row["insee"] == RENAMED[0]:
            item["nom"] = RENAMED[1]
        if row["insee"] == NEW_POSTAL[0]:
            item["codesPostaux"].append(NEW_POSTAL[1])
        payload.append(item)
    return payload


def send_json(handler: BaseHTTPRequestHandler, status: int, body: bytes) -> None:
    """Write a JSON answer from a request handler of the local fakes."""
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


class FakeApis:
    """Start with ``with FakeApis() as api:``; ``api.url``; set ``api.mode`` to misbehave."""

    def __init__(self) -> None:
        self.mode = "ok"
        self.failures_left = 0
        self.delay = 0.0
        self.requests: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                fake.requests.append(self.path)
                if fake.failures_left > 0:
                    fake.failures_left -= 1
                    return self._send(500, b'{"error": "boom"}')
                if fake.mode == "slow":
                    time.sleep(fake.delay)
                if fake.mode == "down":
                    return self._send(503, b"unavailable")
                if fake.mode == "malformed":
                    return self._send(200, b'{"results": [ {"nom": ')
                url = urlparse(self.path)
                if url.path == "/communes":
                    communes = geo_communes()
                    if fake.mode == "truncated":
                        communes = communes[:100]
                    if fake.mode == "wrong-shape":
                        return self._send(200, json.dumps({"communes": communes}).encode())
                    return self._send(200, json.dumps(communes).encode())
                if url.path.endswith("/api-lannuaire-administration/records"):
                    query = parse_qs(url.query)
                    where = query.get("where", [""])[0]
                    pivot = re.search(r'pivot LIKE "([^"]+)"', where)
                    dep = re.search(r'LIKE "(\d[0-9AB])\*"', where)
                    key = f"{pivot.group(1) if pivot else ''} {dep.group(1) if dep else ''}"
                    offset = int(query.get("offset", ["0"])[0])
                    results = RECORDS.get(key, [])[offset:offset + 100]
                    return self._send(200, json.dumps({"total_count": len(results), "results": results}).encode())
                return self._send(404, b"not found")

            def _send(self, status: int, body: bytes) -> None:
                send_json(self, status, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeApis:
        self.thread.start()
        return self

    def __exit__(self, *args: object) -> None:
        self.server.shutdown()
        self.server.server_close()
