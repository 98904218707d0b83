"""The liveness and readiness probes, and the 503 page while the database is unreachable."""

import json
import socket

import pytest
from django.db import InterfaceError, OperationalError, connection, transaction
from django.test import override_settings
from django.urls import reverse

from core.middleware import DatabaseUnavailableMiddleware


def unused_port():
    """A local port nothing listens on: connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def assert_never_cached(response):
    cache_control = response.headers["Cache-Control"]
    assert "no-store" in cache_control
    assert "max-age=0" in cache_control


def test_healthz_answers_ok_without_touching_the_database(client):
    # No django_db mark: any query would fail the test (pytest-django blocks database access).
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response.headers["Content-Type"].startswith("text/plain")
    assert_never_cached(response)


@pytest.mark.django_db
def test_readyz_reports_database_and_cache_ok(client):
    response = client.get(reverse("readyz"))

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert_never_cached(response)


@pytest.mark.django_db
def test_readyz_is_503_naming_the_cache_when_redis_is_unreachable(client):
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{unused_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with override_settings(CACHES=unreachable):
        response = client.get(reverse("readyz"))

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "unavailable"}
    assert_never_cached(response)


@pytest.mark.parametrize("name", ["healthz", "readyz"])
def test_probes_refuse_writes(client, name):
    assert client.post(reverse(name)).status_code == 405


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_probes_answer_over_plain_http_where_pages_redirect_to_https(client):
    assert client.get(reverse("home")).status_code == 301
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("readyz")).status_code == 200


# --- The database is down: 503, not 500 ------------------------------------------------------


def failing_view(error):
    def view(request):
        raise error

    return view


def answer(rf, path, error):
    """What the middleware makes of `error` raised by a view, as Django's handler would ask it."""
    request = rf.get(path)
    view = failing_view(error)
    middleware = DatabaseUnavailableMiddleware(view)
    with pytest.raises(type(error)) as raised:
        middleware(request)
    return middleware.process_exception(request, raised.value)


def test_a_page_is_503_with_the_site_design_when_the_database_is_unreachable(rf):
    error = OperationalError('connection to server at "db" failed: Connection refused')

    response = answer(rf, "/topics/china-role/", error)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert_never_cached(response)
    html = response.content.decode()
    assert "We will be back in a moment" in html
    assert 'class="site-header"' in html
    assert 'href="/topics/china-role/"' in html  # try again
    assert "Connection refused" not in html


def test_the_api_is_503_in_json_when_the_connection_was_lost(rf):
    response = answer(rf, "/api/v1/claims/", InterfaceError("connection already closed"))

    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Retry-After"] == "30"
    assert set(json.loads(response.content)) == {"detail"}
    assert "closed" not in response.content.decode()


def database_down(request):
    """A context processor that needs the database, which is down."""
    raise OperationalError("server closed the connection unexpectedly")


def test_the_503_page_falls_back_to_plain_text_if_rendering_needs_the_database(rf, settings):
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {"context_processors": ["tests.core.test_health.database_down"]},
        }
    ]

    response = answer(rf, "/topics/", OperationalError("connection refused"))

    assert response.status_code == 503
    assert "Please try again shortly." in response.content.decode()


def test_other_errors_are_left_to_the_500_handler(rf):
    assert answer(rf, "/topics/", ValueError("a bug")) is None


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement_timeout")
def test_a_statement_timeout_is_503_saying_the_page_took_too_long(rf):
    def slow_view(request):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 10")
            cursor.execute("SELECT pg_sleep(1)")

    request = rf.get("/experts/oleksandr-musienko/")
    middleware = DatabaseUnavailableMiddleware(slow_view)
    with pytest.raises(OperationalError) as raised:
        middleware(request)
    response = middleware.process_exception(request, raised.value)

    assert response.status_code == 503
    html = response.content.decode()
    assert "This page took too long" in html
    assert "cannot reach its database" not in html
