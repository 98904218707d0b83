"""Every way text gets in (article imports, the admin's forms, query strings) carries the XSS
corpus (xss_payloads.txt) through to the pages, feeds and API, and none of it comes out as live
markup: stored imports hold no markup, and each page shows exactly the live elements it shows
with plain text in the same places. tests/browser/test_xss.py renders the same records in
Chromium."""

import datetime
import html
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from articles.imports.files import ImportFailed, articles_import_file
from articles.imports.html import PARSER_MAX_DEPTH, TEXT_TAGS, html_to_text, sanitize_html
from articles.models import Article, Outlet
from articles.services import article_publish, article_submit_for_review
from claims.api.filters import ClaimFilter
from claims.models import Topic
from claims.services import claim_create, claim_return_to_draft, claim_submit_for_review
from config.api_urls import router
from core.api.keys import PartnerKey
from core.middleware import BARE_400_PAGE, VALUE_CONTROL_CHARACTERS
from tests.admin_helpers import form_data
from tests.factories import EditorFactory, TopicFactory
from tests.security.xss import (
    ADMIN_PAGES,
    FORM_PAYLOADS,
    MARKUP,
    PAYLOADS,
    QUOTED_LINES,
    URL_PAYLOADS,
    active_content,
    baseline_texts,
    create_through_admin,
    injected,
    is_script_url,
    live_markup_difference,
    payload_texts,
)

# Payloads whose only markup is entity-encoded: once decoded they are text that reads like
# markup ("<script>…"), which a reader must see as typed.
ENCODED_ONLY = [p for p in PAYLOADS if not MARKUP.search(p) and MARKUP.search(html.unescape(p))]
MARKUP_PAYLOADS = [p for p in PAYLOADS if p not in ENCODED_ONLY]


def test_the_corpus_covers_the_kinds_of_attack():
    assert len(PAYLOADS) >= 100
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    for needle in ("<script", "onerror", "javascript:", "<svg", "expression(", "{{", "{%", "${"):
        assert any(needle in payload.lower() for payload in PAYLOADS), needle
    for character in ("\x00", "\u202e", "\u200b", "\uff1c", "\u0430"):
        assert any(character in payload for payload in PAYLOADS), hex(ord(character))
    assert max(map(len, PAYLOADS)) > 2000


# --- Imports ----------------------------------------------------------------------------------


def tags_and_attributes(markup):
    """[(tag, {attribute: value})] of every element in `markup`."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

        handle_startendtag = handle_starttag

    collector = Collector(convert_charrefs=True)
    collector.feed(markup)
    collector.close()
    return found


def test_the_sanitizer_keeps_only_text_structure_and_web_links():
    live = []
    for payload in PAYLOADS:
        for tag, attributes in tags_and_attributes(sanitize_html(payload)):
            href = attributes.pop("href", "") if tag == "a" else ""
            if tag == "a" and attributes.get("rel") == "noopener noreferrer":
                del attributes["rel"]  # nh3 adds it to every link
            if tag not in TEXT_TAGS or attributes or is_script_url(href):
                live.append((payload[:60], tag, attributes, href))

    assert not live


def test_html_becomes_text_without_markup():
    texts = {payload: html_to_text(payload) for payload in MARKUP_PAYLOADS}

    assert not [(p[:60], text[:60]) for p, text in texts.items() if MARKUP.search(text)]


def ninjs_file(**item):
    item = {
        "uri": f"urn:test:xss:{item.get('slugline', 'item')}",
        "language": "en",
        "firstcreated": "2024-06-20",
        "copyrightholder": "XSS Test Outlet",
        **item,
    }
    return json.dumps(item).encode()


def import_and_publish(data, name, editor):
    (result,) = articles_import_file(data=data, name=name, user=editor)
    article = article_submit_for_review(article=result.article, user=editor)
    return article_publish(article=article, user=editor)


@pytest.fixture
def imported(db):
    """Articles imported from ninjs whose HTML body, standfirst and plain headline carry the
    payloads, one with plain text in their place, all published."""
    editor = EditorFactory()
    markup = import_and_publish(
        ninjs_file(
            slugline="markup",
            headline="Qzimport markup",
            body_html="".join(f"<p>{p}</p>" for p in MARKUP_PAYLOADS),
            description_html="".join(MARKUP_PAYLOADS[:20]),
        ),
        "markup.json",
        editor,
    )
    encoded = import_and_publish(
        ninjs_file(
            slugline="encoded",
            headline="Qzimport encoded",
            body_html="".join(f"<p>{p}</p>" for p in ENCODED_ONLY),
        ),
        "encoded.json",
        editor,
    )
    plain = import_and_publish(
        ninjs_file(
            slugline="plain",
            headline=PAYLOADS[0],
            byline=PAYLOADS[1],
            body_text="\n\n".join(FORM_PAYLOADS),
            description_text=PAYLOADS[2],
        ),
        "plain.json",
        editor,
    )
    baseline = import_and_publish(
        ninjs_file(
            slugline="baseline",
            headline="Qzimport baseline",
            body_html="".join(f"<p>Plain paragraph {n}.</p>" for n in range(20)),
            description_html="A plain standfirst.",
        ),
        "baseline.json",
        editor,
    )
    return {"markup": markup, "encoded": encoded, "plain": plain, "baseline": baseline}


def test_imported_html_is_stored_as_text_without_markup(imported):
    article = imported["markup"]

    assert article.body
    assert not MARKUP.search(article.body)
    assert not MARKUP.search(article.standfirst)


def test_entity_encoded_markup_is_stored_as_the_text_it_spells(imported):
    body = imported["encoded"].body

    assert body.split("\n\n") == [html.unescape(p) for p in ENCODED_ONLY]


@pytest.mark.parametrize("name", ["markup", "encoded", "plain"])
def test_imported_articles_show_no_live_markup(client, imported, name):
    page = client.get(imported[name].get_absolute_url()).content.decode()
    baseline = client.get(imported["baseline"].get_absolute_url()).content.decode()

    assert not live_markup_difference(page, baseline)


def test_plain_text_from_an_import_is_shown_as_typed(client, imported):
    page = client.get(imported["plain"].get_absolute_url()).content.decode()

    # (A paragraph's leading and trailing spaces, U+2028 included, are not shown.)
    missing = [p[:60] for p in FORM_PAYLOADS if escape(p.strip()) not in page]
    assert not missing


def test_an_import_cannot_give_an_outlet_a_script_address(db):
    data = ninjs_file(
        headline="Qzimport outlet",
        body_text="Some text.",
        copyrightholder="",
        **{"kb:outlet": {"name": "Evil Outlet", "home_url": "javascript:alert(1)//"}},
    )

    with pytest.raises(ImportFailed, match="home_url"):
        articles_import_file(data=data, name="outlet.json")
    assert not Outlet.objects.filter(name="Evil Outlet").exists()


def test_null_characters_leave_imported_text_on_every_database(db):
    data = ninjs_file(
        headline="Null\x00 headline",
        byline="A\x00 Reporter",
        body_text="First\x00 paragraph.\n\nSecond.",
        description_text="Stand\x00first",
    )

    (result,) = articles_import_file(data=data, name="nul.json")

    article = Article.objects.get(pk=result.article.pk)
    assert (article.title, article.byline, article.standfirst) == (
        "Null headline",
        "A Reporter",
        "Standfirst",
    )
    assert article.body == "First paragraph.\n\nSecond."


SAVED_PAGE = """<!doctype html>
<html lang="en"><head><title>Qzpage {title}</title>
<link rel="canonical" href="https://news.example/{slug}">
<meta name="description" content="{description}">
<meta property="article:published_time" content="2024-06-20">
<meta property="og:site_name" content="Page Outlet"></head>
<body><nav><a href="/">Home</a></nav><article><h1>Qzpage {title}</h1>
{paragraphs}
</article><footer>Footer</footer></body></html>"""


def saved_page(slug, title, lines):
    paragraphs = "\n".join(
        f"<p>Paragraph {n} of the story about the treaty, long enough to keep. {line}</p>"
        for n, line in enumerate(lines)
    )
    return SAVED_PAGE.format(
        slug=slug, title=title, description=html.escape(lines[0]), paragraphs=paragraphs
    ).encode()


# Payloads that nest elements past the HTML parser's depth limit: a page holding one is
# refused whole (articles/imports/html.py), so the others are uploaded without them.
NESTING_PAYLOADS = [p for p in MARKUP_PAYLOADS if p.count("<div>") > PARSER_MAX_DEPTH]


def test_saved_page_nesting_past_the_parser_limit_is_refused_not_cut(editor_client):
    upload = SimpleUploadedFile("nested.html", saved_page("nested", "nested", NESTING_PAYLOADS))

    response = editor_client.post(
        reverse("admin:articles_article_import"), {"files": [upload], "language": "en"}
    )

    assert f"more than {PARSER_MAX_DEPTH} deep" in response.content.decode()
    assert not Article.objects.filter(source_url="https://news.example/nested").exists()


def test_saved_pages_uploaded_in_the_admin_are_stored_without_markup(editor_client):
    url = reverse("admin:articles_article_import")
    payloads = [p for p in MARKUP_PAYLOADS if p not in NESTING_PAYLOADS]
    upload = SimpleUploadedFile(
        '"><img src=x onerror=alert(1)>.html', saved_page("xss", "markup", payloads)
    )
    baseline_upload = SimpleUploadedFile(
        "baseline.html", saved_page("plain", "plain", [f"Line {n}." for n in range(20)])
    )

    response = editor_client.post(url, {"files": [upload], "language": "en"})
    baseline = editor_client.post(url, {"files": [baseline_upload], "language": "en"})

    article = Article.objects.get(source_url="https://news.example/xss")
    assert article.body
    assert not MARKUP.search(article.body + article.title + article.standfirst)
    # The summary names the file, escaped.
    assert escape('"><img src=x onerror=alert(1)>.html') in response.content.decode()
    assert not live_markup_difference(response.content.decode(), baseline.content.decode())


# --- Query strings ----------------------------------------------------------------------------


# (url name, filter names) of every API list and the NDJSON export.
LISTS = [
    *(
        (f"api:{basename}-list", sorted(viewset.filterset_class.base_filters))
        for _, viewset, basename in router.registry
    ),
    ("api:claim-export", sorted(ClaimFilter.base_filters)),
]


@pytest.mark.parametrize("name,filters", LISTS, ids=[name for name, _ in LISTS])
def test_api_lists_take_payloads_in_every_parameter(client, db, name, filters):
    url = reverse(name)
    # The export refuses paging parameters before it reads its filters.
    parameters = (
        filters if name == "api:claim-export" else ["ordering", "page_size", "cursor", *filters]
    )
    if name == "api:claim-export":
        # Partners only: anonymous requests are a 401 before any parameter is read.
        _, key = PartnerKey.objects.create_key(name="Payloads", contact="xss@example.org")
        client.defaults["HTTP_AUTHORIZATION"] = f"Api-Key {key}"
    for payload in PAYLOADS:
        searched = client.get(url, {"q": payload}) if "q" in filters else None
        filtered = client.get(url, dict.fromkeys(parameters, payload))
        for response in filter(None, [searched, filtered]):
            assert response.status_code in {200, 400}, (payload[:60], response.status_code)
            assert response["Content-Type"].startswith(("application/json", "application/x-ndjson"))
            if response.status_code == 400:
                assert json.loads(response.content)["detail"]


def test_api_search_takes_payloads_in_every_parameter(client, db):
    url = reverse("api:search")
    parameters = ["q", "type", "topic", "outlet", "language", "year", "page"]
    for payload in PAYLOADS:
        for params in ({"q": payload}, dict.fromkeys(parameters, payload)):
            response = client.get(url, params)
            assert response.status_code in {200, 400}, (payload[:60], response.status_code)
            assert response["Content-Type"].startswith("application/json")
            assert json.loads(response.content)


# Public pages that read a query string: (url name, kwargs, parameters). They run on a database
# with one topic, so a payload query finds nothing and each page has the baseline's structure.
HTML_QUERIES = [
    ("search", {}, ["q", "type", "page"]),
    ("experts:list", {}, ["q", "letter", "page"]),
    ("articles:list", {}, ["outlet", "language", "page"]),
    ("claims:topic", {"slug": "plain-topic"}, ["expert", "kind", "stance", "page"]),
]


@pytest.mark.parametrize("name,kwargs,parameters", HTML_QUERIES, ids=[q[0] for q in HTML_QUERIES])
def test_pages_echo_payload_queries_as_text(client, db, name, kwargs, parameters):
    TopicFactory(slug="plain-topic")
    url = reverse(name, kwargs=kwargs)
    baseline = client.get(url, dict.fromkeys(parameters, "plain words")).content.decode()
    for payload in PAYLOADS:
        response = client.get(url, dict.fromkeys(parameters, payload))
        if VALUE_CONTROL_CHARACTERS.search(payload):
            # Refused at the edge with a fixed page (core.middleware): nothing echoed.
            assert (response.status_code, response.content) == (400, BARE_400_PAGE.encode())
            continue
        assert response.status_code == 200, (payload[:60], response.status_code)
        difference = live_markup_difference(response.content.decode(), baseline)
        assert not difference, (payload[:60], difference)


# Admin pages that put a query string into the page: the changelist's search box, and the quote
# add form that "Create quote from selection" opens with the selected text.
ADMIN_QUERIES = [("admin:claims_claim_changelist", "q"), ("admin:claims_quote_add", "text")]


@pytest.mark.parametrize("name,parameter", ADMIN_QUERIES, ids=[name for name, _ in ADMIN_QUERIES])
def test_admin_pages_echo_payload_queries_as_text(editor_client, name, parameter):
    url = reverse(name)
    baseline = editor_client.get(url, {parameter: "plain words"}).content.decode()
    for payload in PAYLOADS:
        response = editor_client.get(url, {parameter: payload})
        if VALUE_CONTROL_CHARACTERS.search(payload):
            assert (response.status_code, response.content) == (400, BARE_400_PAGE.encode())
            continue
        assert response.status_code == 200, payload[:60]
        difference = live_markup_difference(response.content.decode(), baseline)
        assert not difference, (payload[:60], difference)


def test_the_browsable_api_echoes_payload_queries_as_text(client, db):
    url = reverse("api:claim-list")
    # A null character is refused (400), which the page shows as an error.
    baselines = {
        response.status_code: response.content.decode()
        for response in (
            client.get(url, {"q": "plain words", "format": "api"}),
            client.get(url, {"q": "plain\x00words", "format": "api"}),
        )
    }
    assert set(baselines) == {200, 400}
    # Every third payload (each kind of attack is there): the page renders slowly, and each
    # value goes through the same echo.
    for payload in PAYLOADS[::3]:
        response = client.get(url, {"q": payload, "format": "api"})
        assert response.status_code in baselines, payload[:60]
        difference = live_markup_difference(
            response.content.decode(), baselines[response.status_code]
        )
        assert not difference, (payload[:60], difference)


# --- The admin's forms ------------------------------------------------------------------------


@pytest.fixture(scope="class")
def built_records(django_db_setup, django_db_blocker):
    """The payload records and the plain-text ones an editor typed into the admin, published;
    built once for the class that uses them and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        editor = EditorFactory(username="xss-editor")
        client = Client()
        client.force_login(editor)
        built = {
            "payload": create_through_admin(client, editor, payload_texts(), slug="payload"),
            "baseline": create_through_admin(client, editor, baseline_texts(), slug="baseline"),
            "editor": editor,
        }
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def records(db, built_records):
    return built_records


def test_admin_forms_refuse_null_characters(editor_client):
    response = editor_client.post(
        reverse("admin:claims_topic_add"),
        {"title": "Null\x00 topic", "slug": "null-topic", "question": "Why?"},
    )

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert not Topic.objects.filter(slug="null-topic").exists()


PAGES = ["expert", "claim", "topic", "article", "treaty", "provision", "outlet"]

# Where each page shows one of the long text fields, every line of which must be there as text.
LONG_TEXT_PAGES = {
    "expert": "bio",
    "claim": "outcome note, provision note and correction",
    "topic": "description",
    "article": "body, standfirst and correction",
    "treaty": "parties",
    "provision": "text",
}


def json_strings(data):
    """Every string value in `data`, however deeply nested."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from json_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from json_strings(value)


def feed_descriptions(client, url):
    response = client.get(url)
    assert response.status_code == 200
    channel = ET.fromstring(response.content).find("channel")
    return [(item.findtext("title"), item.findtext("description")) for item in channel.iter("item")]


class TestTypedInTheAdmin:
    """Records an editor typed into the admin's forms, payloads in every text field, next to
    the same records with plain text; all published, then shown on every page."""

    def test_the_admin_stores_what_the_editor_typed(self, records):
        claim = records["payload"].claim
        texts = records["payload"].texts

        assert claim.summary.startswith(texts.word + " ")
        assert claim.summary.removeprefix(texts.word + " ") in FORM_PAYLOADS
        assert claim.outcome_note == texts.long()
        assert records["payload"].quote.text == " ".join(texts.lines[:QUOTED_LINES])

    @pytest.mark.parametrize("page", PAGES)
    def test_public_pages_show_no_live_markup(self, client, records, page):
        payload = client.get(records["payload"].public_urls[page])
        baseline = client.get(records["baseline"].public_urls[page])

        assert payload.status_code == baseline.status_code == 200
        assert not live_markup_difference(payload.content.decode(), baseline.content.decode())

    @pytest.mark.parametrize("page", LONG_TEXT_PAGES)
    def test_public_pages_show_the_payloads_as_typed(self, client, records, page):
        content = client.get(records["payload"].public_urls[page]).content.decode()

        # (Leading and trailing spaces of a line, U+2028 included, need not show.)
        missing = [p[:60] for p in FORM_PAYLOADS if escape(p.strip()) not in content]
        assert not missing, f"not shown as text on the {page} page ({LONG_TEXT_PAGES[page]})"
        assert settings.SECRET_KEY not in content

    @pytest.mark.parametrize(
        "page,field", [("expert", "bio"), ("claim", "summary"), ("article", "title")]
    )
    def test_json_ld_carries_the_payloads_as_data(self, client, records, page, field):
        content = client.get(records["payload"].public_urls[page]).content.decode()

        _, blocks = active_content(content)
        assert blocks
        # No "<" at all, so no "</script>" or "<!--" can end the element or hide what follows.
        assert not [block for block in blocks if "<" in block]
        values = set(json_strings([json.loads(block) for block in blocks]))
        assert getattr(getattr(records["payload"], page), field) in values

    @pytest.mark.parametrize("url_name", ["home", "articles:list", "experts:list", "claims:topics"])
    def test_lists_show_no_live_markup(self, client, records, url_name):
        # Both record sets are on these pages; the demo-free database has nothing else.
        content = client.get(reverse(url_name)).content.decode()

        found, _ = active_content(content)
        assert not injected(found)
        assert escape(records["payload"].texts.word) in content

    def test_search_results_show_no_live_markup(self, client, records):
        payload = client.get(reverse("search"), {"q": records["payload"].texts.word.lower()})
        baseline = client.get(reverse("search"), {"q": records["baseline"].texts.word.lower()})

        assert payload.status_code == baseline.status_code == 200
        # The hit's title, with the matched word highlighted.
        summary = records["payload"].claim.summary.removeprefix(records["payload"].texts.word)
        assert escape(summary) in payload.content.decode()
        assert not live_markup_difference(payload.content.decode(), baseline.content.decode())

    @pytest.mark.parametrize("feed", ["claims:topic_feed", "experts:feed"])
    def test_feed_items_hold_no_markup_a_reader_would_run(self, client, records, feed):
        slug = records["payload"].topic.slug if feed == "claims:topic_feed" else None
        slug = slug or records["payload"].expert.slug

        items = feed_descriptions(client, reverse(feed, kwargs={"slug": slug}))

        assert items
        for title, description in items:
            # A feed reader shows the description as HTML and the title as text.
            found, _ = active_content(description)
            assert not found, f"the description carries live markup: {sorted(found)}"
            assert records["payload"].claim.summary in title

    @pytest.mark.parametrize("page", ADMIN_PAGES)
    def test_admin_pages_show_no_live_markup(self, client, records, page):
        client.force_login(records["editor"])

        payload = client.get(records["payload"].admin_urls[page])
        baseline = client.get(records["baseline"].admin_urls[page])

        assert payload.status_code == baseline.status_code == 200
        assert not live_markup_difference(payload.content.decode(), baseline.content.decode())

    @pytest.mark.parametrize(
        "basename", ["article", "outlet", "expert", "organization", "claim", "quote", "topic"]
    )
    def test_api_returns_the_payloads_as_json(self, client, records, basename):
        response = client.get(reverse(f"api:{basename}-list"), {"page_size": 100})

        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        assert json.loads(response.content)
        assert records["payload"].texts.word in response.content.decode()

    @pytest.mark.parametrize("kind", ["claim", "expert"])
    def test_the_browsable_api_shows_no_live_markup(self, client, records, kind):
        payload = getattr(records["payload"], kind)
        baseline = getattr(records["baseline"], kind)

        pages = [
            client.get(reverse(f"api:{kind}-detail", args=[obj.pk]), {"format": "api"})
            for obj in (payload, baseline)
        ]

        assert [page.status_code for page in pages] == [200, 200]
        assert not live_markup_difference(*(page.content.decode() for page in pages))

    def test_the_duplicate_warning_names_the_expert_as_text(self, client, records):
        client.force_login(records["editor"])
        url = reverse("admin:experts_expert_add")

        pages = {}
        for name in ("payload", "baseline"):
            expert = records[name].expert
            response = client.post(
                url, form_data(client.get(url)) | {"display_name": expert.display_name, "slug": "x"}
            )
            assert response.status_code == 200  # refused: probably the same person
            pages[name] = response.content.decode()

        assert escape(records["payload"].expert.display_name) in pages["payload"]
        assert not live_markup_difference(pages["payload"], pages["baseline"])

    def test_the_review_queue_shows_no_live_markup(self, client, records):
        editor = records["editor"]
        client.force_login(editor)
        url = reverse("admin:review_queue")

        pages = {}
        for name in ("baseline", "payload"):
            claim = claim_create(
                speaker=records[name].expert,
                summary=records[name].texts.short(400),
                kind="assessment",
                made_on=datetime.date(2024, 6, 21),
                user=editor,
            )
            claim = claim_submit_for_review(claim=claim, user=editor)
            pages[name] = client.get(url).content.decode()
            claim_return_to_draft(claim=claim, user=editor)

        assert escape(records["payload"].texts.word) in pages["payload"]
        assert not live_markup_difference(pages["payload"], pages["baseline"])

    def test_url_fields_keep_their_payloads_inside_the_attribute(self, client, records):
        content = client.get(records["payload"].public_urls["outlet"]).content.decode()

        hrefs = [
            attributes.get("href")
            for tag, attributes in tags_and_attributes(content)
            if tag == "a" and (attributes.get("href") or "").startswith("https://evil.example/")
        ]
        assert hrefs and set(hrefs) <= set(URL_PAYLOADS)
