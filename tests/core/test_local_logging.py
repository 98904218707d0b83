"""The local settings (`dev.py serve`) log for a person: one plain line a request, in the
site's time zone, on stderr; production's JSON lines are tests/core/test_logging.py's."""

import importlib
import io
import logging
import logging.config
import re
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

ACCESS_LINE = re.compile(
    r"(?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) GET /robots\.txt 200 \d+(\.\d+)? ms"
)


@pytest.fixture
def stderr_lines():
    """Logging configured as config/settings/local.py configures it, its console handler
    writing to a buffer instead of stderr; returns a function giving the lines written."""
    local = importlib.import_module("config.settings.local")
    names = ["", "django", "django.server"]
    saved = {}
    for name in names:
        logger = logging.getLogger(name)
        saved[name] = (logger.handlers[:], logger.level, logger.propagate)
    logging.config.dictConfig(local.LOGGING)
    (console,) = logging.getLogger().handlers
    buffer = io.StringIO()
    assert console.setStream(buffer) is sys.stderr
    try:
        yield lambda: buffer.getvalue().splitlines()
    finally:
        for name, (handlers, level, propagate) in saved.items():
            logger = logging.getLogger(name)
            logger.handlers[:] = handlers
            logger.setLevel(level)
            logger.propagate = propagate


@pytest.mark.django_db
def test_a_request_is_one_readable_line_in_the_sites_time_zone(client, stderr_lines):
    client.get(reverse("robots"))

    (line,) = stderr_lines()
    match = ACCESS_LINE.fullmatch(line)
    assert match, line
    logged = datetime.strptime(match["time"], "%Y-%m-%d %H:%M:%S")
    logged = logged.replace(tzinfo=ZoneInfo(django_settings.TIME_ZONE))
    assert abs(logged - timezone.now()) < timedelta(minutes=1)


def test_runservers_own_request_line_is_dropped(stderr_lines):
    logging.getLogger("django.server").info(
        '"%s" %s %s', "GET / HTTP/1.1", "200", "5120", extra={"status_code": 200}
    )

    assert stderr_lines() == []


def test_a_django_warning_is_written_once_under_debug(settings, stderr_lines):
    settings.DEBUG = True

    logging.getLogger("django.request").warning("Not Found: %s", "/nowhere")

    (line,) = stderr_lines()
    assert line.endswith(" WARNING django.request: Not Found: /nowhere")


def test_an_exception_keeps_its_traceback_below_its_line(stderr_lines):
    try:
        raise ValueError("broken")
    except ValueError:
        logging.getLogger("core.test").exception("It failed")

    first, *traceback = stderr_lines()
    assert first.endswith(" ERROR core.test: It failed")
    assert traceback[0] == "Traceback (most recent call last):"
    assert traceback[-1] == "ValueError: broken"
