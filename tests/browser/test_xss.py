"""The XSS corpus (tests/security/xss_payloads.txt), typed by an editor into every text field of
the admin's forms and published, rendered in Chromium: on every page where the text appears no
dialog opens, the `window.__xss` canary stays unset, no request leaves for another host and the
page has exactly the live elements it has with plain text in the same places.

The pages are opened with the Content-Security-Policy bypassed: the policy would block most of
these scripts anyway, and this test is about the escaping that must hold without it
(tests/browser/test_csp.py checks the policy)."""

from urllib.parse import quote, urlsplit
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import EditorFactory
from tests.security.xss import (
    ADMIN_PAGES,
    PAYLOADS,
    baseline_texts,
    create_through_admin,
    payload_texts,
)

pytestmark = pytest.mark.browser

# The live markup of the page, as tests/security/xss.py counts it in Python: elements that run
# script, load a document or take input; event-handler, style and srcdoc attributes; script URLs.
LIVE_MARKUP = """() => {
  const tags = new Set(%s);
  const urlAttributes = new Set(["href", "src", "action", "formaction", "xlink:href", "data",
                                 "background", "poster"]);
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    const tag = element.localName.toLowerCase();
    if (tags.has(tag)) {
      const detail = tag === "script"
        ? `${element.getAttribute("type") || "text/javascript"} ${element.src ? "src" : "inline"}`
        : "";
      found.push(`element ${tag} ${detail}`.trim());
    }
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\u0000-\\u0020]+/g, "").toLowerCase();
      if (name.startsWith("on") || name === "style" || name === "srcdoc") {
        found.push(`attribute ${tag} ${name}`);
      } else if (urlAttributes.has(name) && /^(javascript|vbscript|data):/.test(value)) {
        found.push(`url ${tag} ${name}`);
      }
    }
  }
  return found.sort();
}"""
ACTIVE_TAGS = [
    *("script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta"),
    *("link", "style", "svg", "math", "img", "image", "video", "audio", "source", "details"),
    *("marquee", "form", "input", "button", "textarea", "select", "body", "html", "head"),
    *("title", "noscript", "template", "foreignobject", "animate", "set", "use", "x"),
]
LIVE_MARKUP = LIVE_MARKUP % ACTIVE_TAGS.__repr__().replace("'", '"')

# Short payloads typed into the search box: the page echoes them in the field and the heading.
SEARCHED = [
    p for p in PAYLOADS if len(p) < 80 and any(s in p for s in ('">', "'>", "`", "</", "<svg"))
][:10]


@pytest.fixture
def records(transactional_db, live_server):
    """The payload records and the plain-text ones, typed into the admin by an editor and
    published, with the editor's session for the admin pages."""
    editor = EditorFactory(username="xss-browser")
    client = Client()
    client.force_login(editor)
    return {
        "payload": create_through_admin(client, editor, payload_texts(), slug="payload"),
        "baseline": create_through_admin(client, editor, baseline_texts(), slug="baseline"),
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
    }


class Browser:
    """One page in a context without the CSP, recording dialogs, console errors and requests
    to other hosts (which are aborted)."""

    def __init__(self, chromium, base_url, session=None):
        self.base_url = base_url
        self.context = chromium.new_context(bypass_csp=True)
        if session:
            self.context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
            )
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.events = []
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.events.append(f"page error: {error}"))

    def _route(self, route):
        if urlsplit(route.request.url).netloc == urlsplit(self.base_url).netloc:
            route.continue_()
        else:
            self.events.append(f"request to another host: {route.request.url}")
            route.abort()

    def _dialog(self, dialog):
        self.events.append(f"{dialog.type} dialog: {dialog.message}")
        dialog.dismiss()

    def _console(self, message):
        if message.type == "error" or "xss" in message.text.lower():
            self.events.append(f"console {message.type}: {message.text}")

    def open(self, path):
        """Open `path`; returns (status, live markup, what happened) once the page settled."""
        self.events = []
        response = self.page.goto(self.base_url + path, wait_until="load")
        # Handlers that need a moment (autofocus, animations, timers) get it.
        self.page.wait_for_timeout(150)
        events = list(self.events)
        if self.page.evaluate("() => window.__xss !== undefined"):
            events.append("window.__xss was set")
        return response.status, self.page.evaluate(LIVE_MARKUP), events

    def render(self, markup):
        """Show `markup` as a feed reader that trusts its feed would; returns what happened."""
        self.events = []
        self.page.set_content(f"<!doctype html><body>{markup}</body>")
        self.page.wait_for_timeout(150)
        events = list(self.events)
        if self.page.evaluate("() => window.__xss !== undefined"):
            events.append("window.__xss was set")
        live = [m for m in self.page.evaluate(LIVE_MARKUP) if m not in BLANK_DOCUMENT]
        return live, events

    def close(self):
        self.context.close()


BLANK_DOCUMENT = {"element html", "element head", "element body"}


def compare(browser, payload_path, baseline_path):
    """Problems of the page at `payload_path` against the same page with plain text."""
    status, live, events = browser.open(payload_path)
    baseline_status, baseline_live, baseline_events = browser.open(baseline_path)
    # (A 404 page logs its own status as a console error, with or without payloads.)
    problems = [f"{payload_path}: {event}" for event in events if event not in baseline_events]
    if status != baseline_status:
        problems.append(f"{payload_path}: answered {status}, the plain page {baseline_status}")
    if live != baseline_live:
        extra = sorted(set(live) - set(baseline_live)) or "counts differ"
        problems.append(f"{payload_path}: live markup differs from the plain page: {extra}")
    return problems


def feed_items(client, url):
    response = client.get(url)
    assert response.status_code == 200
    channel = ElementTree.fromstring(response.content).find("channel")
    return [item.findtext("description") or "" for item in channel.iter("item")]


def test_no_payload_runs_or_leaves_markup_on_any_page(chromium, live_server, records):
    payload, baseline = records["payload"], records["baseline"]
    problems = []

    reader = Browser(chromium, live_server.url)
    for name, url in payload.public_urls.items():
        problems += compare(reader, url, baseline.public_urls[name])
    search = reverse("search")
    problems += compare(
        reader, f"{search}?q={payload.texts.word.lower()}", f"{search}?q={baseline.texts.word}"
    )
    problems += compare(
        reader,
        "/" + quote('"><img src=x onerror=alert(1)>') + "/",
        "/plain-missing-page/",
    )
    problems += compare(
        reader,
        reverse("api:claim-detail", args=[payload.claim.pk]) + "?format=api",
        reverse("api:claim-detail", args=[baseline.claim.pk]) + "?format=api",
    )
    for text in SEARCHED:
        _, live, events = reader.open(f"{search}?q={quote(text)}")
        problems += [f"search for {text!r}: {event}" for event in events]
        injected = [
            m
            for m in live
            if m.startswith(("attribute", "url")) or m.endswith("inline") and "ld+json" not in m
        ]
        problems += [f"search for {text!r}: {m}" for m in injected]

    # A feed reader shows each item's description as HTML.
    client = Client()
    for feed, slug in [
        ("claims:topic_feed", payload.topic.slug),
        ("experts:feed", payload.expert.slug),
    ]:
        for description in feed_items(client, reverse(feed, kwargs={"slug": slug})):
            live, events = reader.render(description)
            problems += [f"{feed} description: {problem}" for problem in [*live, *events]]
    reader.close()

    editor = Browser(chromium, live_server.url, session=records["session"])
    for name in ADMIN_PAGES:
        problems += compare(editor, payload.admin_urls[name], baseline.admin_urls[name])
    editor.close()

    assert not problems, "\n".join(problems)
