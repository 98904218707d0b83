"""Property tests: whatever a reader or a partner types, search answers without a server error.

Hypothesis throws text at the /search/ page, /api/v1/search/ and the `q` filter of the four
API lists that use the search engine: control characters, quotes and minus signs of every
kind, emoji, SQL and FTS5/tsquery fragments, and strings up to 10,000 characters. Each answer
must be a 2xx or 4xx, and nothing may be logged as an error by the request handler or the
database layer.
"""

import logging

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.middleware import VALUE_CONTROL_CHARACTERS
from tests.factories import ClaimTopicFactory, ProvisionFactory, QuoteFactory

PAGE = reverse("search")
LISTS = [
    reverse("api:search"),
    reverse("api:article-list"),
    reverse("api:claim-list"),
    reverse("api:expert-list"),
    reverse("api:provision-list"),
]
WATCHED_LOGGERS = ("django.request", "django.db.backends")

# Everything but lone surrogates, which no URL can carry.
characters = st.characters(exclude_categories=("Cs",))
FRAGMENTS = [
    '"',
    "'",
    "«",
    "»",
    "“",
    "”",
    "-",
    "−",
    "–",
    "—",
    "--",
    "OR",
    "or",
    "AND",
    "NOT",
    "NEAR(",
    "NEAR/2",
    "*",
    "^",
    ":",
    "title:",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "\\",
    ";",
    "/*",
    "*/",
    "%",
    "_",
    "&",
    "|",
    "!",
    "<->",
    "<2>",
    ":*",
    "' OR 1=1 --",
    "'; DROP TABLE claims_claim; --",
    "UNION SELECT NULL",
    "MATCH",
    "bm25(",
    "rowid",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\t",
    "\n",
    "\r",
    "\u200b",
    "\u202e",
    "\ufeff",
    "\ue000",
    "\ue001",
    "\u0301",
    "😀",
    "👩‍👩‍👧",
    "🇺🇦",
    "Мусієнко",
    "中国",
    "ﷺ",
    "<script>alert(1)</script>",
    "&amp;",
    "China",
    "leverage",
    "the",
    "of",
    " ",
]
queries = st.one_of(
    st.text(characters, max_size=300),
    st.lists(
        st.one_of(st.sampled_from(FRAGMENTS), st.text(characters, max_size=12)), max_size=40
    ).map("".join),
    st.lists(
        st.one_of(st.sampled_from(FRAGMENTS), st.text(characters, max_size=12)), max_size=40
    ).map(" ".join),
    st.text(characters, min_size=1_000, max_size=10_000),
)
filter_values = st.one_of(
    st.text(characters, max_size=30),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["claim", "expert", "en", "uk", "2024", "1", "0", "-1", "1e9", "NaN"]),
)


@pytest.fixture
def records(db):
    """A little of everything the engine indexes, so queries can also match."""
    quote = QuoteFactory()
    ClaimTopicFactory(claim=quote.claim)
    ProvisionFactory(heading="Mutual assistance")


@pytest.fixture
def errors_logged(caplog):
    """The ERROR records of the request handler and the database layer during the test."""
    for name in WATCHED_LOGGERS:
        logging.getLogger(name).addHandler(caplog.handler)
    yield lambda: [
        record
        for record in caplog.records
        if record.name.startswith(WATCHED_LOGGERS) and record.levelno >= logging.ERROR
    ]
    for name in WATCHED_LOGGERS:
        logging.getLogger(name).removeHandler(caplog.handler)


def no_server_error(response, url, params):
    assert response.status_code < 500, (url, params, response.status_code)


@pytest.mark.django_db
@settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(q=queries)
def test_any_query_gets_an_answer_never_a_server_error(client, records, errors_logged, q):
    for url in [PAGE, *LISTS]:
        response = client.get(url, {"q": q})
        no_server_error(response, url, q)
        if url == PAGE:
            # Control characters other than tab and line breaks are refused at the edge
            # (core.middleware.ControlCharacterMiddleware); anything else gets a results page.
            refused = VALUE_CONTROL_CHARACTERS.search(q) is not None
            assert response.status_code == (400 if refused else 200)

    assert errors_logged() == []


@pytest.mark.django_db
@settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    q=st.sampled_from(["China", "leverage", "mutual assistance", "the", "😀"]),
    filters=st.dictionaries(
        st.sampled_from(["type", "topic", "outlet", "language", "year", "page"]),
        filter_values,
        max_size=6,
    ),
)
def test_any_filter_values_get_an_answer_never_a_server_error(
    client, records, errors_logged, q, filters
):
    params = {"q": q, **filters}

    page = client.get(PAGE, params)
    api = client.get(reverse("api:search"), params)

    refused = any(VALUE_CONTROL_CHARACTERS.search(str(value)) for value in params.values())
    assert page.status_code == (400 if refused else 200)
    no_server_error(api, "api:search", params)
    assert api.status_code in (200, 400, 404)
    assert errors_logged() == []
