"""Public pages served from the fragment cache, and purged by every publish or edit."""

import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from claims.services import (
    claim_correct,
    claim_publish,
    claim_submit_for_review,
    claim_withdraw,
)
from core.cache import public_paths, purge_public_caches
from core.models import PublicationStatus
from tests.admin_helpers import form_data
from tests.factories import (
    ProvisionFactory,
    TopicFactory,
)
from tests.helpers import published_claim_on

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def public_cache():
    """The fragment cache on, as in production, and empty before and after each test."""
    cache.clear()
    with override_settings(PUBLIC_CACHE_SECONDS=300):
        yield
    cache.clear()


@pytest.fixture
def reader():
    """An anonymous reader: a client of its own, whoever else logs in during the test."""
    return Client()


@pytest.fixture
def topic():
    return TopicFactory(title="China's role", slug="china-role", question="Will China act?")


@pytest.fixture
def provision():
    return ProvisionFactory(address="art_4", number="Article 4")


def get_counting(client, url):
    """The response to GET `url` and the queries it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [query["sql"] for query in queries]


def touches_claims(queries):
    return [sql for sql in queries if '"claims_claim"' in sql]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Served from the cache


def test_second_reader_of_a_topic_page_gets_it_without_querying_claims(reader, topic):
    published_claim_on(topic, summary="China holds the key.")
    url = topic.get_absolute_url()

    first, first_queries = get_counting(reader, url)
    second, second_queries = get_counting(reader, url)

    assert touches_claims(first_queries)
    assert not touches_claims(second_queries)
    assert len(second_queries) < len(first_queries)
    assert second.content == first.content
    assertContains(second, "China holds the key.")


def test_treaty_and_provision_pages_are_served_from_the_cache(reader, topic, provision):
    published_claim_on(topic, provision=provision, summary="Article 4 binds them.")
    for url in (provision.treaty.get_absolute_url(), provision.get_absolute_url()):
        first, first_queries = get_counting(reader, url)
        second, second_queries = get_counting(reader, url)

        assert touches_claims(first_queries), url
        assert not touches_claims(second_queries), url
        assert second.content == first.content


def test_a_filtered_topic_page_is_cached_apart_from_the_unfiltered_one(reader, topic):
    published_claim_on(topic, summary="An assessment.")
    published_claim_on(topic, summary="A prediction.", kind="prediction")
    reader.get(topic.get_absolute_url())

    response = reader.get(topic.get_absolute_url(), {"kind": "prediction"})

    assertContains(response, "A prediction.")
    assertNotContains(response, "An assessment.")


def test_staff_pages_are_neither_cached_nor_served_from_the_cache(reader, editor_client, topic):
    published_claim_on(topic)
    url = topic.get_absolute_url()
    get_counting(reader, url)  # an anonymous reader fills the cache

    _, first = get_counting(editor_client, url)
    _, second = get_counting(editor_client, url)

    assert touches_claims(first)
    assert touches_claims(second)


# Purged by writes


def test_a_summary_corrected_in_the_admin_reaches_the_next_reader(
    reader, editor_client, topic, django_capture_on_commit_callbacks
):
    claim = published_claim_on(topic, summary="China will stop the alliance.")
    assertContains(reader.get(topic.get_absolute_url()), "China will stop the alliance.")
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(editor_client.get(url)) | {"summary": "China could stop the alliance."}

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, data)

    assert response.status_code == 302
    response = reader.get(topic.get_absolute_url())
    assertContains(response, "China could stop the alliance.")
    assertNotContains(response, "China will stop the alliance.")


def test_a_claim_withdrawn_through_the_workflow_leaves_the_cached_pages(
    reader, editor, topic, provision, django_capture_on_commit_callbacks
):
    claim = published_claim_on(topic, provision=provision, summary="Soon withdrawn.")
    urls = [topic.get_absolute_url(), provision.get_absolute_url()]
    for url in urls:
        assertContains(reader.get(url), "Soon withdrawn.")

    with django_capture_on_commit_callbacks(execute=True):
        claim_withdraw(claim=claim, user=editor, reason="Misattributed.")

    for url in urls:
        assertNotContains(reader.get(url), "Soon withdrawn.")


def test_a_draft_stays_out_of_the_cached_page_until_it_is_published(
    reader, editor, topic, django_capture_on_commit_callbacks
):
    published_claim_on(topic, summary="Already public.")
    draft = published_claim_on(topic, summary="Still a draft.", status=PublicationStatus.DRAFT)
    url = topic.get_absolute_url()
    assertNotContains(reader.get(url), "Still a draft.")

    with django_capture_on_commit_callbacks(execute=True):
        draft = claim_submit_for_review(claim=draft, user=editor)
    response = reader.get(url)
    assertNotContains(response, "Still a draft.")
    with django_capture_on_commit_callbacks(execute=True):
        claim_publish(claim=draft, user=editor)

    assertContains(reader.get(url), "Still a draft.")


def test_deleting_a_quote_in_the_admin_purges(
    reader, editor_client, topic, django_capture_on_commit_callbacks
):
    quote = published_claim_on(topic).quotes.get()
    assertContains(reader.get(topic.get_absolute_url()), quote.text)
    url = reverse("admin:claims_quote_delete", args=[quote.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assertNotContains(reader.get(topic.get_absolute_url()), quote.text)


def test_deleting_quotes_from_the_admin_list_purges(
    reader, editor_client, topic, django_capture_on_commit_callbacks
):
    quote = published_claim_on(topic).quotes.get()
    assertContains(reader.get(topic.get_absolute_url()), quote.text)
    data = {"action": "delete_selected", "_selected_action": [quote.pk], "post": "yes"}

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("admin:claims_quote_changelist"), data)

    assert response.status_code == 302
    assertNotContains(reader.get(topic.get_absolute_url()), quote.text)


def test_a_purge_changes_every_api_etag(reader, topic):
    published_claim_on(topic)
    url = reverse("api:topic-list")
    before = reader.get(url)["ETag"]

    purge_public_caches("test")

    assert reader.get(url)["ETag"] != before


# CDN purge hook


class PurgeRecorder(BaseHTTPRequestHandler):
    received = []
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.path, self.headers.get("Authorization"), json.loads(body)))
        self.send_response(self.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn():
    """A purge endpoint on loopback recording what it is sent."""

    class Handler(PurgeRecorder):
        received = []

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with override_settings(
        CDN_PURGE_HOOKS=["core.cache.post_cdn_purge"],
        CDN_PURGE_URL=f"http://127.0.0.1:{server.server_port}/purge",
        CDN_PURGE_TOKEN="s3cret",
    ):
        yield Handler
    server.shutdown()
    server.server_close()
    thread.join()


def test_publishing_posts_the_public_paths_to_the_cdn(
    cdn, editor, topic, django_capture_on_commit_callbacks
):
    claim = published_claim_on(topic, status=PublicationStatus.IN_REVIEW)

    with django_capture_on_commit_callbacks(execute=True):
        claim_publish(claim=claim, user=editor)

    assert cdn.received == [("/purge", "Bearer s3cret", public_paths())]
    assert {"/", "/topics/*", "/claims/*", "/treaties/*", "/api/v1/*"} <= set(public_paths())


def test_a_transaction_that_saves_many_records_purges_once(
    cdn, editor, topic, django_capture_on_commit_callbacks
):
    claims = [published_claim_on(topic) for _ in range(3)]

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for claim in claims:
            claim_correct(claim=claim, user=editor, note="Fixed.")

    assert len(cdn.received) == 1


def test_saving_a_draft_does_not_purge_the_cdn(
    cdn, contributor, topic, django_capture_on_commit_callbacks
):
    draft = published_claim_on(topic, status=PublicationStatus.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        claim_submit_for_review(claim=draft, user=contributor)

    assert cdn.received == []


def test_a_failing_cdn_is_logged_and_the_publish_still_succeeds(
    cdn, editor, topic, caplog, django_capture_on_commit_callbacks
):
    cdn.status = 503
    claim = published_claim_on(topic, status=PublicationStatus.IN_REVIEW)

    with (
        caplog.at_level(logging.WARNING, logger="core.cache"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        claim_publish(claim=claim, user=editor)

    claim.refresh_from_db()
    assert claim.status == PublicationStatus.PUBLISHED
    assert "CDN purge POST" in caplog.text and "503" in caplog.text


def test_an_unreachable_cdn_is_logged_and_the_publish_still_succeeds(
    editor, topic, caplog, django_capture_on_commit_callbacks
):
    claim = published_claim_on(topic, status=PublicationStatus.IN_REVIEW)

    with (
        override_settings(
            CDN_PURGE_HOOKS=["core.cache.post_cdn_purge"],
            CDN_PURGE_URL=f"http://127.0.0.1:{free_port()}/purge",
        ),
        caplog.at_level(logging.WARNING, logger="core.cache"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        claim_publish(claim=claim, user=editor)

    claim.refresh_from_db()
    assert claim.status == PublicationStatus.PUBLISHED
    assert "CDN purge POST" in caplog.text


# Cache down


@pytest.fixture
def cache_down():
    """A Redis cache at a port nothing listens on."""
    location = f"redis://127.0.0.1:{free_port()}/0"
    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": location,
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        }
    ):
        yield


def test_pages_render_when_the_cache_is_down(reader, topic, provision, cache_down, caplog):
    published_claim_on(topic, provision=provision, summary="Rendered without a cache.")

    assertContains(reader.get(topic.get_absolute_url()), "Rendered without a cache.")
    assertContains(reader.get(provision.get_absolute_url()), "Rendered without a cache.")
    assertContains(reader.get(provision.treaty.get_absolute_url()), provision.get_absolute_url())
    assert "Public cache unreachable" in caplog.text


def test_publishing_succeeds_when_the_cache_is_down(
    editor, topic, cache_down, caplog, django_capture_on_commit_callbacks
):
    claim = published_claim_on(topic, status=PublicationStatus.IN_REVIEW)

    with django_capture_on_commit_callbacks(execute=True):
        claim_publish(claim=claim, user=editor)

    claim.refresh_from_db()
    assert claim.status == PublicationStatus.PUBLISHED
    assert "Could not bump the public cache generation" in caplog.text


# Whole pages


def test_a_repeat_anonymous_read_of_a_topic_page_runs_no_query(reader, topic):
    published_claim_on(topic, summary="Kept whole.")
    url = topic.get_absolute_url()
    first, _ = get_counting(reader, url)

    second, queries = get_counting(reader, url)

    assert queries == []
    assert second.content == first.content
    # Middleware still runs on the kept response: the security headers are there.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Content-Type-Options"] == "nosniff"


def test_a_page_kept_whole_shows_a_newly_published_claim_to_the_next_reader(
    reader, editor, topic, django_capture_on_commit_callbacks
):
    published_claim_on(topic, summary="The first claim.")
    claim = published_claim_on(
        topic, summary="The claim under review.", status=PublicationStatus.IN_REVIEW
    )
    url = topic.get_absolute_url()
    assertNotContains(reader.get(url), "The claim under review.")
    assertNotContains(reader.get(url), "The claim under review.")  # now from the cache

    with django_capture_on_commit_callbacks(execute=True):
        claim_publish(claim=claim, user=editor)

    assertContains(reader.get(url), "The claim under review.")


def test_pages_kept_whole_are_apart_per_path_and_query(reader, topic):
    other = TopicFactory(title="Russia's role", slug="russia-role")
    published_claim_on(topic, summary="About China.")
    published_claim_on(other, summary="About Russia.")
    published_claim_on(topic, summary="A prediction.", kind="prediction")
    reader.get(topic.get_absolute_url())

    assertContains(reader.get(other.get_absolute_url()), "About Russia.")
    filtered = reader.get(topic.get_absolute_url(), {"kind": "prediction"})
    assertContains(filtered, "A prediction.")
    assertNotContains(filtered, "About China.")


def test_staff_never_get_a_page_kept_for_readers(reader, editor_client, topic):
    published_claim_on(topic)
    url = topic.get_absolute_url()
    reader.get(url)

    _, queries = get_counting(editor_client, url)

    assert touches_claims(queries)
