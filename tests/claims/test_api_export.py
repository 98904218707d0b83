"""/api/v1/claims/export.ndjson: every published claim, one JSON object per line, streamed."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.api.views import ClaimExportView
from claims.models import Claim
from config.models import PublicationStatus
from tests.factories import (
    AffiliationFactory,
    ClaimFactory,
    ClaimProvisionFactory,
    ClaimTopicFactory,
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
    etag = client.get(EXPORT)["ETag"]
    ClaimFactory()

    assert client.get(EXPORT, headers={"if-none-match": etag}).status_code == 200


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
    # A chunk is the claims and their affiliations, topics, provisions and quotes.
    assert per_chunk == 5
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
