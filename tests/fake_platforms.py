"""A local fake of the Telegram Bot API, the Messenger Send API and the Slack Web API.

Answers as the platforms document it and records every call, so that a test can
read what reached each person. One server plays the three platforms; the path
tells them apart (/bot<token>/<method>, /v<version>/me/messages, /api/<method>).
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from tests.fake_apis import send_json

TELEGRAM_BOT = {"id": 7000000001, "is_bot": True, "first_name": "Aide sociale Occitanie",
                "username": "AideOccitanieTestBot"}


class FakePlatforms:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if "json" in (self.headers.get("Content-Type") or ""):
                    data = json.loads(raw or b"{}")
                else:
                    data = {key: values[0] for key, values in parse_qs(raw.decode()).items()}
                path = urlparse(self.path).path
                telegram = re.fullmatch(r"/bot([^/]+)/(\w+)", path)
                if telegram:
                    fake.record("telegram", telegram.group(2), data)
                    return send_json(self, 200, json.dumps(fake.telegram_result(telegram.group(2), data)).encode())
                if re.fullmatch(r"/v[\d.]+/me/messages", path):
                    fake.record("messenger", "action" if "sender_action" in data else "message", data)
                    body = {"recipient_id": data.get("recipient", {}).get("id"), "message_id": f"m_{len(fake.calls)}"}
                    return send_json(self, 200, json.dumps(body).encode())
                slack = re.fullmatch(r"/api/([\w.]+)", path)
                if slack:
                    fake.record("slack", slack.group(1), data)
                    body = {"ok": True, "channel": data.get("channel"), "ts": f"1700000000.{len(fake.calls):06d}"}
                    return send_json(self, 200, json.dumps(body).encode())
                send_json(self, 404, b'{"error": "unknown path"}')

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def record(self, platform: str, method: str, data: dict[str, Any]) -> None:
        with self.lock:
            self.calls.append({"platform": platform, "method": method, "data": data})

    def telegram_result(self, method: str, data: dict[str, Any]) -> dict[str, Any]:
        if method == "getMe":
            return {"ok": True, "result": TELEGRAM_BOT}
        if method == "sendMessage":
            message = {"message_id": len(self.calls), "date": 1700000000, "text": data.get("text", ""),
                       "chat": {"id": int(data.get("chat_id", 0)), "type": "private"}, "from": TELEGRAM_BOT}
            return {"ok": True, "result": message}
        return {"ok": True, "result": True}

    def of(self, platform: str, method: str | None = None) -> list[dict[str, Any]]:
        with self.lock:
            return [c["data"] for c in self.calls
                    if c["platform"] == platform and (method is None or c["method"] == method)]

    def close(self) -> None:
        self.server.shutdown()
