"""Logs are JSON lines on stdout; each request has an id, echoed as X-Request-ID and carried by
every line logged while it runs, and one access line."""

import io
import json
import logging
import re

import pytest
from django.urls import reverse

from core.logging import JsonFormatter

GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def log_lines():
    """The lines the configured stdout handler writes during the test, parsed as JSON."""
    (handler,) = [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler.formatter, JsonFormatter)
    ]
    buffer = io.StringIO()
    stdout = handler.setStream(buffer)
    try:
        yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    finally:
        handler.setStream(stdout)


def access_lines(lines):
    return [line for line in lines if line["logger"] == "config.access"]


@pytest.mark.django_db
def test_a_safe_incoming_request_id_is_echoed_and_logged(client, log_lines):
    response = client.get(reverse("home"), HTTP_X_REQUEST_ID="lb-7f3a.01_x")

    assert response["X-Request-ID"] == "lb-7f3a.01_x"
    (line,) = access_lines(log_lines())
    assert line["request_id"] == "lb-7f3a.01_x"
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == "/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["time"].endswith("+00:00")


@pytest.mark.parametrize(
    "incoming",
    ["x" * 65, "id with spaces", "id\nforged line", 'quote"d', "", "ид"],
    ids=["too-long", "spaces", "newline", "quote", "empty", "non-ascii"],
)
def test_an_unsafe_or_missing_request_id_is_replaced_by_a_new_one(client, log_lines, incoming):
    headers = {"HTTP_X_REQUEST_ID": incoming} if incoming else {}

    response = client.get(reverse("healthz"), **headers)

    assert GENERATED_ID.fullmatch(response["X-Request-ID"])
    (line,) = access_lines(log_lines())
    assert line["request_id"] == response["X-Request-ID"]


def test_each_request_gets_its_own_id(client):
    first = client.get(reverse("healthz"))["X-Request-ID"]
    second = client.get(reverse("healthz"))["X-Request-ID"]

    assert first != second


@pytest.mark.django_db
def test_every_line_of_a_request_carries_its_id(client, log_lines):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="trace-404")

    assert response.status_code == 404
    lines = [line for line in log_lines() if line["request_id"] == "trace-404"]
    assert {line["logger"] for line in lines} == {"django.request", "config.access"}
    (warning,) = [line for line in lines if line["logger"] == "django.request"]
    assert warning["level"] == "WARNING"
    assert warning["status"] == 404
    assert warning["message"] == "Not Found: /no-such-page/"


def test_lines_outside_a_request_have_no_request_id(log_lines):
    logging.getLogger("config.test").warning("nightly import started")

    (line,) = log_lines()
    assert line["request_id"] is None
    assert line["message"] == "nightly import started"
    assert "status" not in line


def test_an_exception_stays_on_one_line(log_lines):
    try:
        raise ValueError("bad row\nsecond line")
    except ValueError:
        logging.getLogger("config.test").exception("Import failed for %s", "a.json")

    (line,) = log_lines()
    assert line["level"] == "ERROR"
    assert line["message"] == "Import failed for a.json"
    assert "ValueError: bad row" in line["exc_info"]
