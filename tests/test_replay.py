"""`python -m bot replay`: scripted dialogues checked against the replies of a local fake of Rasa REST."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.replay import ReplayFileError, load_dialogue, replay, report

REPLIES = {
    "bonjour": [{"text": "Bonjour ! Je suis l'assistant."}, {"text": "Pour quoi ?", "buttons": [
        {"title": "Logement, loyer", "payload": "/besoin_logement"}]}],
    "loyer": [{"text": "Voici : Aide au logement de la CAF (APL, ALF ou ALS)"}],
}


@pytest.fixture
def fake_rasa():
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            answer = json.dumps(REPLIES.get(body["message"], [])).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "dialogue.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_matching_dialogue_has_no_difference(fake_rasa, tmp_path):
    turns, _ = load_dialogue(write(tmp_path, """
dialogue:
  - personne: bonjour
    assistant_dit: Bonjour
    assistant_propose: [Logement, loyer]
  - personne: loyer
    assistant_propose: [Aide au logement de la CAF (APL, ALF ou ALS)]
    assistant_ne_propose_pas: [Garantie Visale]
"""))
    results = replay(turns, fake_rasa)
    assert all(not r.problems for r in results)
    assert report(results).endswith("2 étape(s) conforme(s), 0 écart(s).")


def test_differences_are_shown_with_what_the_assistant_said(fake_rasa, tmp_path):
    turns, _ = load_dialogue(write(tmp_path, """
dialogue:
  - personne: loyer
    assistant_propose: [Garantie Visale]
    assistant_ne_propose_pas: [Aide au logement de la CAF]
  - personne: autre chose
"""))
    text = report(replay(turns, fake_rasa))
    assert "[ÉCART] 1. La personne : loyer" in text
    assert "aide ou choix attendu « Garantie Visale »" in text
    assert "ne devait pas proposer « Aide au logement de la CAF »" in text
    assert "L'assistant : Voici" in text
    assert "l'assistant n'a rien répondu" in text


@pytest.mark.parametrize("content, message", [
    ("dialogue: []", "non vide"), ("dialogue:\n  - bonjour", "personne"), ("- a\n- b", "dialogue"),
    ("dialogue:\n  - personne: a\n    assistant_dit: {x: 1}", "texte"),
])
def test_bad_dialogue_files_are_explained(tmp_path, content, message):
    with pytest.raises(ReplayFileError, match=message):
        load_dialogue(write(tmp_path, content))
