"""/api/v1/claims/export.ndjson: every published claim, one JSON object per line, streamed,
for partners with a key, in bounded memory and within a time limit."""

import gc
import json
import tracemalloc

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.api import export
from claims.api.views import ClaimExportView
from claims.models import Claim
from claims.services import claim_publish
from config.settings.base import env_seconds
from core.api.keys import PartnerKey
from core.models import PublicationStatus
from tests.factories import (
    AffiliationFactory,
    ClaimFactory,
    ClaimProvisionFactory,
    ClaimTopicFactory,
    EditorFactory,
    QuoteFactory,
)

pytestmark = pytest.mark.django_db

EXPORT = reverse("api:claim-export")
CLAIMS = reverse("api:claim-list")


def full_claims(count):
    """Published claims with a speaker in a role, a topic, a provision and a quote each."""
    for _ in range(count):
        claim = ClaimFactory(speaker=AffiliationFactory().expert)
        ClaimTopicFactory(claim=claim)
        ClaimProvisionFactory(claim=claim)
        QuoteFactory(claim=claim)


@pytest.fixture
def client():
    """A partner: every request carries its API key."""
    _, key = PartnerKey.objects.create_key(name="Mirror", contact="mirror@partner.example.org")
    return Client(HTTP_AUTHORIZATION=f"Api-Key {key}")


def export_lines(client, params=None):
    response = client.get(EXPORT, params or {})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert body.endswith("\n")
    return body.splitlines()


def export_queries(client):
    with CaptureQueriesContext(connection) as queries:
        export_lines(client)
    return len(queries)


@pytest.fixture
def chunk_size(monkeypatch):
    def set_size(size):
        monkeypatch.setattr(ClaimExportView, "chunk_size", size)

    return set_size


def test_export_is_streamed_ndjson(client):
    ClaimFactory()

    response = client.get(EXPORT)

    assert response.streaming
    assert response["Content-Type"] == "application/x-ndjson"


def test_export_answers_304_while_no_claim_changed(client):
    ClaimFactory()
    etag = client.get(EXPORT)["ETag"]

    response = client.get(EXPORT, headers={"if-none-match": etag})

    assert response.status_code == 304


def test_export_etag_changes_when_a_claim_is_published(client):
    ClaimFactory()
    in_review = ClaimFactory(status=PublicationStatus.IN_REVIEW)
    etag = client.get(EXPORT)["ETag"]

    claim_publish(claim=in_review, user=EditorFactory())

    response = client.get(EXPORT, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert len(export_lines(client)) == 2


def test_export_has_one_line_per_published_claim(client):
    full_claims(3)
    ClaimFactory(status=PublicationStatus.DRAFT)
    ClaimFactory(status=PublicationStatus.IN_REVIEW)

    lines = export_lines(client)

    assert len(lines) == Claim.objects.published().count() == 3


def test_each_export_line_is_the_claim_as_the_api_lists_it(client):
    full_claims(2)
    listed = client.get(CLAIMS).json()["results"]

    exported = [json.loads(line) for line in export_lines(client)]

    assert exported == sorted(listed, key=lambda row: row["id"])


def test_export_of_nothing_is_empty(client):
    ClaimFactory(status=PublicationStatus.DRAFT)

    response = client.get(EXPORT)

    assert b"".join(response.streaming_content) == b""


def test_export_reads_in_chunks_without_skipping_or_repeating_a_claim(client, chunk_size):
    chunk_size(2)
    claims = [ClaimFactory() for _ in range(5)]

    exported = [json.loads(line)["id"] for line in export_lines(client)]

    assert exported == [claim.pk for claim in claims]


def test_export_queries_grow_per_chunk_not_per_claim(client, chunk_size):
    chunk_size(3)
    full_claims(3)
    export_lines(client)  # warm per-process caches
    one_chunk = export_queries(client)
    full_claims(3)
    two_chunks = export_queries(client)
    full_claims(3)

    three_chunks = export_queries(client)

    per_chunk = two_chunks - one_chunk
    # A chunk is the claims and their affiliations, topics, provisions and quotes; on
    # PostgreSQL also its statement timeout, set in a savepoint of the test's transaction.
    assert per_chunk == 5 + (3 if connection.vendor == "postgresql" else 0)
    assert three_chunks - two_chunks == per_chunk


def test_export_queries_do_not_grow_with_claims_within_a_chunk(client, chunk_size):
    chunk_size(100)
    full_claims(2)
    export_lines(client)
    at_two = export_queries(client)

    full_claims(40)

    assert export_queries(client) == at_two


def test_export_takes_the_claims_list_filters(client):
    kept = ClaimFactory(kind=Claim.Kind.PREDICTION)
    ClaimFactory(kind=Claim.Kind.ASSESSMENT)

    lines = export_lines(client, {"kind": "prediction"})

    assert [json.loads(line)["id"] for line in lines] == [kept.pk]


def test_export_refuses_a_bad_filter_value_before_streaming(client):
    response = client.get(EXPORT, {"made_after": "yesterday"})

    assert response.status_code == 400
    assert "made_after" in response.json()["errors"]


@pytest.mark.parametrize("param", ["page", "page_size", "cursor", "ordering"])
def test_export_refuses_paging_and_ordering(client, param):
    response = client.get(EXPORT, {param: "1"})

    assert response.status_code == 400
    assert param in response.json()["errors"]


def test_export_refuses_a_format_it_does_not_offer(client):
    response = client.get(EXPORT, {"format": "api"})

    assert response.status_code == 400
    assert "format" in response.json()["errors"]


def test_export_after_an_id_starts_past_it(client):
    first, *rest = [ClaimFactory() for _ in range(3)]

    lines = export_lines(client, {"after": first.pk})

    assert [json.loads(line)["id"] for line in lines] == [claim.pk for claim in rest]


@pytest.mark.parametrize("value", ["-1", "1.5", "x", "٣", str(2**63)])
def test_export_refuses_an_after_that_is_not_an_id(client, value):
    response = client.get(EXPORT, {"after": value})

    assert response.status_code == 400
    assert "after" in response.json()["errors"]


# Partners only


def test_an_anonymous_export_is_refused_with_a_401_saying_a_key_is_needed():
    ClaimFactory(summary="Only partners read this in bulk.")

    response = Client().get(EXPORT)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert "Authorization: Api-Key" in response.json()["detail"]
    assert b"Only partners" not in response.content


def test_the_schema_documents_that_the_export_needs_a_key():
    schema = Client().get(reverse("api:schema"), {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/claims/export.ndjson"]["get"]

    assert "Partners only" in operation["description"]
    assert {"ApiKey": []} in operation["security"]
    assert "No partner key" in operation["responses"]["401"]["description"]
    assert "after" in [parameter["name"] for parameter in operation["parameters"]]


# Bounded memory


def peak_memory_of_export(client):
    """Peak bytes allocated while the export streams, each piece dropped once received."""
    response = client.get(EXPORT)
    gc.collect()
    tracemalloc.start()
    try:
        for _ in response.streaming_content:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_export_memory_stays_flat_as_the_claims_grow(client, chunk_size):
    chunk_size(8)
    full_claims(8)
    peak_memory_of_export(client)  # warm per-process caches
    at_one_chunk = peak_memory_of_export(client)

    full_claims(32)
    at_five_chunks = peak_memory_of_export(client)

    assert at_five_chunks < at_one_chunk * 1.5


# The time limit


class Clock:
    """A clock that moves only when the test says so."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(export, "monotonic", clock)
    return clock


@override_settings(EXPORT_TIME_LIMIT_SECONDS=20)
def test_an_export_past_its_time_limit_ends_with_a_line_saying_so(client, chunk_size, clock):
    chunk_size(2)
    claims = [ClaimFactory() for _ in range(5)]
    pieces = iter(client.get(EXPORT, {"kind": "assessment"}).streaming_content)
    sent = [json.loads(line)["id"] for line in next(pieces).decode().splitlines()]

    clock.now += 21
    rest = b"".join(pieces).decode().splitlines()

    assert sent == [claims[0].pk, claims[1].pk]
    assert len(rest) == 1
    stopped = json.loads(rest[0])
    assert stopped["error"] == "time_limit"
    assert "time limit of 20 seconds" in stopped["detail"]
    assert stopped["next"] == (f"http://testserver{EXPORT}?kind=assessment&after={claims[1].pk}")


@override_settings(EXPORT_TIME_LIMIT_SECONDS=20)
def test_following_next_after_the_time_limit_exports_the_rest_once(client, chunk_size, clock):
    chunk_size(2)
    claims = [ClaimFactory() for _ in range(5)]
    pieces = iter(client.get(EXPORT).streaming_content)
    sent = next(pieces).decode().splitlines()
    clock.now += 21
    stopped = json.loads(b"".join(pieces))

    rest = client.get(stopped["next"]).streaming_content

    exported = [json.loads(line)["id"] for line in [*sent, *b"".join(rest).decode().splitlines()]]
    assert exported == [claim.pk for claim in claims]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a statement timeout is PostgreSQL's")
def test_a_chunk_query_running_past_the_deadline_is_cancelled_on_postgresql():
    ClaimFactory()
    # Takes two seconds, far past the deadline.
    slow = Claim.objects.published().extra(where=["(SELECT true FROM pg_sleep(2))"])
    started = export.monotonic()

    lines = list(
        export.ndjson_lines(
            slow, serializer=None, time_limit=0.3, resume_url=lambda last: f"after {last}"
        )
    )

    assert export.monotonic() - started < 1.5
    assert [json.loads(line)["error"] for line in lines] == ["time_limit"]


@pytest.mark.parametrize("value", ["0", "-5", "soon", "nan", "inf"])
def test_a_nonsensical_export_time_limit_is_refused(monkeypatch, value):
    monkeypatch.setenv("EXPORT_TIME_LIMIT_SECONDS", value)

    with pytest.raises(ImproperlyConfigured, match="EXPORT_TIME_LIMIT_SECONDS"):
        env_seconds("EXPORT_TIME_LIMIT_SECONDS", "20")
