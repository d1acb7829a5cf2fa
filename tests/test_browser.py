"""The website widget in Debian's Chromium, driven by Playwright: a whole conversation with the keyboard,
a reload that keeps the conversation, no HTML injection, and axe-core with no serious or critical violation.

Screenshots (phone and desktop) are kept in tests/artifacts/. Needs the trained model and Chromium (make e2e).
"""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import playwright.sync_api as playwright  # required: a missing package fails, never skips
import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]


@pytest.fixture(scope="module")
def page_url(rasa_url: str, tmp_path_factory: pytest.TempPathFactory):
    site = tmp_path_factory.mktemp("site")
    server = rasa_url.removesuffix("/webhooks/rest/webhook")
    page = (ROOT / "web" / "index.html").read_text(encoding="utf-8").replace(
        '<script src="widget.js"', f'<script src="widget.js" data-rasa-url="{server}"')
    shutil.copytree(ROOT / "web", site, dirs_exist_ok=True)
    (site / "index.html").write_text(page, encoding="utf-8")
    assert (site / "dsfr" / "dsfr.min.css").exists(), "DSFR assets missing: make web-assets"
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/index.html"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Chromium is missing: make browser"
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def bot_messages(page) -> list[str]:
    return page.locator(".aw-bot").all_inner_texts()


def say(page, text: str) -> None:
    """Types a message with the keyboard and waits for the assistant's answer."""
    before = len(bot_messages(page))
    page.get_by_label("Votre message").fill(text)
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.querySelectorAll('.aw-bot').length > {before}", timeout=60000)
    page.wait_for_function("!document.querySelector('.aw-typing')", timeout=60000)


ANSWERS = {"commune": "Albi", "logement": "je suis locataire", "retard": "oui", "âge": "41 ans",
           "activité": "je suis au chômage", "adultes": "seule", "enfants": "aucun", "par mois": "900 euros"}


def test_conversation_reload_and_accessibility(browser, page_url):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    page.goto(page_url)
    page.wait_for_selector(".aw-choice")
    assert "Bonjour" in bot_messages(page)[0]

    # Keyboard only: Tab to the first quick reply and press Enter.
    page.get_by_role("button", name="Logement, loyer").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('.aw-bot').length > 2", timeout=60000)
    for _ in range(10):
        last = bot_messages(page)[-1].lower()
        if "que souhaitez-vous faire" in last:
            break
        answer = next((a for key, a in ANSWERS.items() if key in last), None)
        assert answer, f"unexpected question: {last}"
        say(page, answer)
    text = "\n".join(bot_messages(page))
    assert "Fonds de solidarité pour le logement (FSL) du Tarn" in text and "Mairie d'Albi" in text
    # The next step first, and phone numbers a thumb can call (issue 15).
    first = page.locator(".aw-bot", has_text="À faire d'abord").last
    assert first.count() == 1
    calls = page.locator('.aw-log a[href^="tel:"]')
    assert calls.count() >= 1
    assert all(href[4:].lstrip("+").isdigit() for href in calls.evaluate_all("links => links.map(l => l.href)")
               if href.startswith("tel:"))
    assert first.locator('a[href^="tel:"]').count() == 1
    first.scroll_into_view_if_needed()
    first.screenshot(path=str(ARTIFACTS / "widget-phone-a-faire-dabord.png"))

    # Nothing is rendered as HTML.
    say(page, "<img src=x onerror=alert(1)><b>gras</b>")
    assert page.locator(".aw-log img, .aw-log b").count() == 0
    assert "<b>gras</b>" in page.locator(".aw-user").last.inner_text()

    # A reload keeps the conversation, which goes on.
    count = len(bot_messages(page))
    page.reload()
    page.wait_for_selector(".aw-bot")
    assert len(bot_messages(page)) == count
    say(page, "récapitulatif")
    assert any("RÉCAPITULATIF – Albi" in message for message in bot_messages(page)[count:])
    assert page.get_by_role("button", name="Imprimer le récapitulatif").count() == 1
    page.screenshot(path=str(ARTIFACTS / "widget-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollHeight") < 3000  # the page does not grow with the chat

    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], [n["target"] for n in v["nodes"]][:5], v["nodes"][0].get("failureSummary", "")[:300])
               for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], serious

    desktop = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR").new_page()
    desktop.goto(page_url)
    desktop.wait_for_selector(".aw-choice")
    desktop.screenshot(path=str(ARTIFACTS / "widget-desktop.png"))
    context.close()
