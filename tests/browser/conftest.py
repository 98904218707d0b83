"""Fixtures for the browser tests: Debian's Chromium driven by Playwright against a live server.

The bundled Playwright browser download does not work here; the tests use the system Chromium
(`apt-get install -y chromium`). Without it they are skipped, except when KB_REQUIRE_BROWSER=1
(set by .ci/run), where a missing browser is a failure.
"""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
INSTALL_HINT = "Chromium is missing: install it with `apt-get install -y chromium` (as root)."

# On a loaded 2-core machine (CI, or the suite on both cores while other work runs) the first
# load of Swagger UI's or ReDoc's scripts and the schema they fetch can take far longer than
# Playwright's 5 s default, which then fails a test that would pass. Every wait gets these
# bounds instead; a wait still ends as soon as what it waits for is there, so an idle machine
# runs no slower. Tests wait for what they assert, never for a fixed time.
EXPECT_TIMEOUT_MS = 30_000
ACTION_TIMEOUT_MS = 30_000
NAVIGATION_TIMEOUT_MS = 60_000

# Playwright's sync API keeps an asyncio event loop running in this thread, which makes Django's
# ORM refuse to run in the test (SynchronousOnlyOperation). The tests and the live server never
# share a connection from async code, so the check only gets in the way here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def browser_required():
    return os.environ.get("KB_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}


class PatientBrowser:
    """The browser, with every new context waiting up to the timeouts above."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole run, patient enough for a loaded machine."""
    if not Path(CHROMIUM).exists():
        if browser_required():
            pytest.fail(f"{INSTALL_HINT} KB_REQUIRE_BROWSER is set, so the browser tests must run.")
        pytest.skip(INSTALL_HINT)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        expect.set_options(timeout=EXPECT_TIMEOUT_MS)
        yield PatientBrowser(browser)
        browser.close()


@pytest.fixture
def site_url(transactional_db, live_server):
    """The live server's root URL, with the demo data loaded."""
    call_command("load_demo", stdout=StringIO())
    return live_server.url


@pytest.fixture
def screenshots():
    """The folder the screenshots go to (kept as CI artifacts; git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def open_page(chromium):
    """open_page(width) → a fresh page at that viewport width; fails the test on any JS error.

    Console errors (a failed resource load, a script error) and uncaught page errors are
    collected while the test runs and reported at the end.
    """
    contexts = []
    errors = []

    def open_page(width=1280, height=900):
        context = chromium.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()

        def on_console(message):
            if message.type == "error":
                where = message.location.get("url") or page.url
                errors.append(f"console error on {page.url}: {message.text} ({where})")

        page.on("console", on_console)
        page.on("pageerror", lambda error: errors.append(f"page error on {page.url}: {error}"))
        return page

    yield open_page
    for context in contexts:
        context.close()
    if errors:
        pytest.fail("The browser reported errors:\n" + "\n".join(errors))
