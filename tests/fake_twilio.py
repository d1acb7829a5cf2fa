"""A local fake of the Twilio REST API: records the messages the assistant sends."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from tests.fake_apis import send_json


class FakeTwilio:
    def __init__(self) -> None:
        self.sent: list[dict[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                message = {key: values[0] for key, values in form.items()}
                fake.sent.append(message)
                body = json.dumps({"sid": f"SM{len(fake.sent):032d}", "to": message.get("To"),
                                   "from": message.get("From"), "body": message.get("Body"),
                                   "status": "queued"}).encode()
                send_json(self, 201, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def bodies_to(self, number: str) -> list[str]:
        return [m.get("Body", "") for m in self.sent if m.get("To") == number]

    def close(self) -> None:
        self.server.shutdown()
