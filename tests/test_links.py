"""Link check of the demo site: every internal link answers, every quote anchor exists."""

import xml.etree.ElementTree as ET
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

import pytest

pytestmark = pytest.mark.django_db

HOST = "testserver"
# Far more pages than the demo has: a crawl that reaches it is following generated links.
MAX_PAGES = 3000
LINK_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src"}


class PageParser(HTMLParser):
    """The links (a, link, script, img) and the element ids of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        target = attrs.get(LINK_ATTRIBUTES.get(tag, ""))
        if target:
            self.links.append(target)


def internal(base, href):
    """(path with query, fragment) of `href` on this site, or None for elsewhere and /admin/."""
    parts = urlsplit(urljoin(base, href.strip()))
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", HOST):
        return None
    if parts.path.startswith("/admin/"):
        return None
    return urlunsplit(("", "", parts.path or "/", parts.query, "")), parts.fragment


class Crawl:
    """Breadth-first walk from a start page; records statuses, referrers and quote anchors."""

    def __init__(self, client, start):
        self.client = client
        self.statuses = {}
        self.ids = {}
        self.referrers = {}
        self.quote_links = {}
        self.queue = deque([start])
        self.referrers[start] = "(start)"

    def run(self):
        while self.queue:
            assert len(self.statuses) < MAX_PAGES, "the crawl does not end: generated links?"
            self.visit(self.queue.popleft())
        return self

    def visit(self, url):
        response = self.client.get(url)
        # Static files are streamed; reading them to the end lets the test client close the
        # response without closing the test's database connection (response.close() would).
        body = b"".join(response.streaming_content) if response.streaming else response.content
        self.statuses[url] = response.status_code
        if response.status_code in (301, 302, 303, 307, 308):
            self.follow(url, response["Location"])
        is_html = response.get("Content-Type", "").startswith("text/html")
        if response.status_code != 200 or not is_html:
            return
        parser = PageParser()
        parser.feed(body.decode())
        self.ids[url] = parser.ids
        for href in parser.links:
            self.follow(url, href)

    def follow(self, page, href):
        found = internal(f"http://{HOST}{page}", href)
        if found is None:
            return
        target, fragment = found
        if fragment.startswith("quote-"):
            self.quote_links.setdefault((target, fragment), page)
        if target not in self.referrers:
            self.referrers[target] = page
            self.queue.append(target)

    def broken(self):
        return sorted(
            f"{url} → {status} (linked from {self.referrers[url]})"
            for url, status in self.statuses.items()
            if status >= 400
        )

    def missing_quote_anchors(self):
        return sorted(
            f"{target}#{fragment} (linked from {page})"
            for (target, fragment), page in self.quote_links.items()
            if self.statuses.get(target) == 200 and fragment not in self.ids.get(target, ())
        )


@pytest.fixture
def demo_site(client, demo):
    # Record a failing view's 500 like any other status instead of stopping the crawl.
    client.raise_request_exception = False
    return client


@pytest.fixture
def crawl(demo_site):
    return Crawl(demo_site, "/").run()


def test_every_internal_link_of_the_demo_site_answers(crawl):
    broken = crawl.broken()

    assert not broken, f"{len(broken)} broken link(s):\n" + "\n".join(broken)


def test_every_quote_anchor_linked_to_exists_on_its_page(crawl):
    assert crawl.quote_links, "no page links to a quote (#quote-<id>)"
    missing = crawl.missing_quote_anchors()

    assert not missing, "links to missing quote anchors:\n" + "\n".join(missing)


def test_the_crawl_reaches_the_showcase_topic_and_the_stylesheet(crawl):
    assert "/topics/china-role/" in crawl.statuses
    assert crawl.statuses.get("/static/css/site.css") == 200


def test_every_sitemap_location_answers(demo_site):
    response = demo_site.get("/sitemap.xml")
    namespace = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [
        loc.text for loc in ET.fromstring(response.content).findall("sm:url/sm:loc", namespace)
    ]
    assert locations

    broken = []
    for location in locations:
        path = urlsplit(location).path
        status = demo_site.get(path).status_code
        if status != 200:
            broken.append(f"{path} → {status}")

    assert not broken, "sitemap lists pages that do not answer 200:\n" + "\n".join(broken)
