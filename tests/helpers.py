"""Helpers shared by tests of every app: query counting and a published claim with its parts."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    AffiliationFactory,
    ClaimFactory,
    ClaimProvisionFactory,
    ClaimTopicFactory,
    QuoteFactory,
)


def count_queries(client, url):
    """How many queries a GET of `url` runs; the page must answer 200."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def assert_queries_do_not_grow(client, url, make):
    """The page runs as many queries after `make(45)` more rows as with `make(5)`."""
    make(5)
    client.get(url)  # warm per-process caches
    at_five = count_queries(client, url)

    make(45)

    assert count_queries(client, url) == at_five


def published_claim_on(topic, *, stance="no", speaker=None, provision=None, **fields):
    """A claim on `topic` with a quote and a provision, published unless `status` says else."""
    speaker = speaker or AffiliationFactory().expert
    claim = ClaimFactory(speaker=speaker, **fields)
    ClaimTopicFactory(claim=claim, topic=topic, stance=stance)
    ClaimProvisionFactory(claim=claim, **({"provision": provision} if provision else {}))
    QuoteFactory(claim=claim)
    return claim
