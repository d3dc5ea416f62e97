"""Browser tests: Playwright for Python driving Debian's Chromium (never `playwright install`)."""

import os
from pathlib import Path

from wagtail.models import Site

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: `apt-get install -y chromium` (see README).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def site_live(live_server, transactional_db, demo_snapshot):
    """The full demo site behind a live server, restored before each test (live_server
    flushes the database after each one)."""
    demo_snapshot.restore()
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
    return live_server


class BrowserPage:
    """A Playwright page that records console errors and can run axe-core."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.console_errors = []
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def goto(self, path):
        response = self.page.goto(self.base_url + path)
        return response

    def accessibility_violations(self, impacts=("serious", "critical")):
        # Evaluated through the DevTools protocol, not as an inline <script>: the site's CSP
        # stays enforced in this context, so CSP violations still show in the console.
        self.page.evaluate(AXE.read_text())
        results = self.page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        return [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"]
            if v["impact"] in impacts
        ]

    def screenshot(self, name):
        directory = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))
        directory.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(directory / f"{name}.png"), full_page=True)


@pytest.fixture
def browser_page(browser, site_live):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    page = BrowserPage(context.new_page(), site_live.url)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, site_live):
    context = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": 375, "height": 740}, is_mobile=True
    )
    page = BrowserPage(context.new_page(), site_live.url)
    yield page
    context.close()
