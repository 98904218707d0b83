"""Schemathesis against the API's own OpenAPI schema, on the demo data.

Every GET operation is called, through Django's WSGI application, with a bounded number of
generated requests. Requests the schema allows (any filter value, page size, ordering, cursor
or id) must get answers conforming to the schema: no server error, a documented status code
and content type, a body matching the response schema, documented headers matching theirs.
Requests the schema forbids must get a documented error, never a server error.
"""

from io import StringIO

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import reverse
from drf_spectacular.settings import spectacular_settings
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# Generated requests per operation: enough to reach every parameter, small enough for CI.
MAX_EXAMPLES = 15
INVALID_EXAMPLES = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
INVALID_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]


@pytest.fixture
def wsgi_application():
    """Django's WSGI application, keeping the test's database connection between requests.

    A real request starts and ends by closing a connection that is in a transaction
    (`close_old_connections`), which would lose the test's transaction and the demo data in
    it; Django's own test client skips that the same way.
    """
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)


@pytest.fixture
def api_schema(db, wsgi_application):
    """The schema as the API serves it, with the demo data loaded for the requests."""
    call_command("load_demo", stdout=StringIO())
    return schemathesis.openapi.from_wsgi(reverse("api:schema"), wsgi_application)


def get_operations():
    """(method, path) of every GET operation the schema documents, read at collection."""
    generator = spectacular_settings.DEFAULT_GENERATOR_CLASS()
    paths = generator.get_schema(request=None, public=True)["paths"]
    return [("GET", path) for path, operations in paths.items() if "get" in operations]


def run(operation, generation_mode, checks, max_examples):
    """Call `operation` with generated requests and run `checks` on each response."""

    @given(case=operation.as_strategy(generation_mode=generation_mode))
    @settings(
        max_examples=max_examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def call_and_validate(case):
        case.call_and_validate(checks=checks)

    call_and_validate()


# Schemathesis's own pytest plugin (schema.parametrize) does not run under pytest 9 yet, so each
# operation is a parametrized test driving Hypothesis with the operation's strategy.
@pytest.mark.parametrize(("method", "path"), get_operations())
def test_valid_requests_get_documented_answers(api_schema, method, path):
    run(api_schema[path][method], GenerationMode.POSITIVE, CHECKS, MAX_EXAMPLES)


@pytest.mark.parametrize(("method", "path"), get_operations())
def test_invalid_requests_get_documented_errors_never_a_server_error(api_schema, method, path):
    # Values the schema forbids (a non-integer id, a page size of 1000, an unknown enum
    # value …): refused with a documented error status, as JSON.
    run(api_schema[path][method], GenerationMode.NEGATIVE, INVALID_CHECKS, INVALID_EXAMPLES)
