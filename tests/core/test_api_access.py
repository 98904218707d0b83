"""Access to the API (core.api.access): partner keys, read-only methods, throttling, CORS."""

import datetime
import os
import uuid

import pytest
import redis
from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.request import Request

from config.settings.base import caches_for
from core.api.access import PartnerKeyAuthentication
from core.api.keys import PartnerKey
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

OUTLETS = reverse("api:outlet-list")
PARTNER = "https://partner.example.org"


def throttle_rates(anon, partner):
    """Settings with these rates (DRF reloads its settings when REST_FRAMEWORK changes)."""
    return override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": anon, "partner": partner},
        }
    )


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with no throttle history."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def outlet():
    """An outlet readers can reach: the API lists only outlets with a published article."""
    return ArticleFactory().outlet


def new_key(**fields):
    fields = {"name": "Partner desk", "contact": "desk@partner.example.org", **fields}
    return PartnerKey.objects.create_key(**fields)


@pytest.fixture
def key():
    return new_key()[1]


def with_key(key):
    return {"authorization": f"Api-Key {key}"}


# Keys ----------------------------------------------------------------------------------------


def test_no_authorization_header_reads_anonymously(client, outlet):
    response = client.get(OUTLETS)

    assert response.status_code == 200
    assert [row["slug"] for row in response.json()["results"]] == [outlet.slug]


def test_a_valid_key_reads(client, outlet, key):
    response = client.get(OUTLETS, headers=with_key(key))

    assert response.status_code == 200
    assert [row["slug"] for row in response.json()["results"]] == [outlet.slug]


def test_a_valid_key_authenticates_the_request_as_that_partner_key(rf, key):
    request = Request(rf.get(OUTLETS, headers=with_key(key)))

    user, partner_key = PartnerKeyAuthentication().authenticate(request)

    assert partner_key == PartnerKey.objects.get()
    assert not user.is_authenticated


def test_the_keyword_is_case_insensitive(client, key):
    response = client.get(OUTLETS, headers={"authorization": f"api-key {key}"})

    assert response.status_code == 200


def test_an_unknown_key_is_a_401_with_a_json_detail(client):
    response = client.get(OUTLETS, headers=with_key("NotAKey1.abcdefghijklmnopqrstuvwxyz012345"))

    assert response.status_code == 401
    assert response.json() == {"detail": "Unknown API key."}
    assert response["WWW-Authenticate"] == "Api-Key"


def test_a_wrong_secret_with_a_real_prefix_is_unknown(client, key):
    prefix = key.partition(".")[0]

    response = client.get(OUTLETS, headers=with_key(f"{prefix}.wrong-secret"))

    assert response.status_code == 401
    assert response.json() == {"detail": "Unknown API key."}


def test_a_revoked_key_is_a_401_that_says_so(client):
    partner_key, key = new_key()
    partner_key.revoked = True
    partner_key.save()

    response = client.get(OUTLETS, headers=with_key(key))

    assert response.status_code == 401
    assert response.json() == {"detail": "This API key has been revoked."}
    assert response["WWW-Authenticate"] == "Api-Key"


def test_an_expired_key_is_a_401_that_says_when(client):
    expired = timezone.now() - datetime.timedelta(days=1)
    _, key = new_key(expiry_date=expired)

    response = client.get(OUTLETS, headers=with_key(key))

    assert response.status_code == 401
    assert response.json()["detail"].startswith("This API key expired on ")
    assert f"{expired.astimezone(datetime.UTC):%Y-%m-%d}" in response.json()["detail"]


def test_a_key_that_expires_later_reads(client):
    _, key = new_key(expiry_date=timezone.now() + datetime.timedelta(days=1))

    assert client.get(OUTLETS, headers=with_key(key)).status_code == 200


@pytest.mark.parametrize(
    "header",
    ["Api-Key", "Api-Key ", "Bearer abc.def", "Basic dXNlcjpwYXNz", "Api-Key two words"],
)
def test_a_malformed_authorization_header_is_a_401(client, header):
    response = client.get(OUTLETS, headers={"authorization": header})

    assert response.status_code == 401
    assert response.json()["detail"].startswith("Malformed Authorization header")
    assert response["WWW-Authenticate"] == "Api-Key"


def test_the_plain_key_is_not_stored(key):
    partner_key = PartnerKey.objects.get()

    assert key not in {partner_key.id, partner_key.hashed_key}
    assert partner_key.hashed_key.startswith("sha512$$")


def test_the_browsable_api_renders_anonymously(client, outlet):
    response = client.get(OUTLETS, headers={"accept": "text/html"})

    assert response.status_code == 200
    assert outlet.slug in response.content.decode()


def test_the_browsable_api_renders_with_a_key(client, outlet, key):
    response = client.get(OUTLETS, headers={"accept": "text/html", **with_key(key)})

    assert response.status_code == 200
    assert outlet.slug in response.content.decode()


# Read-only -----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_without_a_key_is_a_405_with_a_json_detail(client, outlet, method):
    url = reverse("api:outlet-detail", kwargs={"pk": outlet.pk}) if method != "post" else OUTLETS

    response = getattr(client, method)(url, {}, content_type="application/json")

    assert response.status_code == 405
    assert "read-only" in response.json()["detail"]
    assert response["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_with_a_key_is_a_405_too(client, outlet, key, method):
    url = reverse("api:outlet-detail", kwargs={"pk": outlet.pk}) if method != "post" else OUTLETS

    response = getattr(client, method)(
        url, {}, content_type="application/json", headers=with_key(key)
    )

    assert response.status_code == 405
    assert "read-only" in response.json()["detail"]


def test_a_write_changes_nothing(client, outlet, key):
    url = reverse("api:outlet-detail", kwargs={"pk": outlet.pk})

    client.delete(url, headers=with_key(key))

    assert type(outlet).objects.filter(pk=outlet.pk).exists()


def test_options_describes_the_endpoint(client):
    response = client.options(OUTLETS)

    assert response.status_code == 200
    assert response.json()["name"]


# Throttling ----------------------------------------------------------------------------------


def test_anonymous_requests_beyond_the_rate_get_a_429_with_retry_after(client):
    with throttle_rates(anon="2/min", partner="5/min"):
        statuses = [client.get(OUTLETS).status_code for _ in range(2)]
        response = client.get(OUTLETS)

    assert statuses == [200, 200]
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("Request was throttled.")


def test_each_client_address_has_its_own_anonymous_budget(client):
    with throttle_rates(anon="1/min", partner="5/min"):
        client.get(OUTLETS, REMOTE_ADDR="192.0.2.1")
        response = client.get(OUTLETS, REMOTE_ADDR="192.0.2.2")

    assert response.status_code == 200


def test_a_forged_forwarded_for_does_not_reset_the_anonymous_budget(client):
    with throttle_rates(anon="1/min", partner="5/min"):
        client.get(OUTLETS, HTTP_X_FORWARDED_FOR="198.51.100.1")
        response = client.get(OUTLETS, HTTP_X_FORWARDED_FOR="198.51.100.2")

    assert response.status_code == 429


def test_a_key_has_its_own_budget_beyond_the_anonymous_one(client, key):
    with throttle_rates(anon="1/min", partner="3/min"):
        client.get(OUTLETS)
        assert client.get(OUTLETS).status_code == 429
        keyed = [client.get(OUTLETS, headers=with_key(key)).status_code for _ in range(3)]

    assert keyed == [200, 200, 200]


def test_a_key_beyond_its_rate_gets_a_429_with_retry_after(client, key):
    with throttle_rates(anon="1/min", partner="2/min"):
        for _ in range(2):
            client.get(OUTLETS, headers=with_key(key))
        response = client.get(OUTLETS, headers=with_key(key))

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "detail" in response.json()


def test_each_key_is_counted_apart(client, key):
    _, other = new_key(name="Other partner")
    with throttle_rates(anon="1/min", partner="1/min"):
        client.get(OUTLETS, headers=with_key(key))
        response = client.get(OUTLETS, headers=with_key(other))

    assert response.status_code == 200


def test_a_key_with_its_own_rate_uses_it(client):
    _, key = new_key(throttle_rate="4/min")
    with throttle_rates(anon="1/min", partner="1/min"):
        statuses = [client.get(OUTLETS, headers=with_key(key)).status_code for _ in range(5)]

    assert statuses == [200, 200, 200, 200, 429]


def test_the_throttle_counts_live_in_the_configured_cache(client):
    with throttle_rates(anon="1/min", partner="1/min"):
        client.get(OUTLETS)
        cache.clear()
        response = client.get(OUTLETS)

    assert response.status_code == 200


def test_a_throttle_rate_in_the_wrong_form_is_refused():
    partner_key, _ = new_key(throttle_rate="lots")

    with pytest.raises(ValidationError, match="throttle_rate"):
        partner_key.full_clean()


# Cache backend -------------------------------------------------------------------------------


def test_the_cache_is_redis_when_redis_url_is_set():
    caches = caches_for("redis://cache.internal:6379/0")

    assert caches["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert caches["default"]["LOCATION"] == "redis://cache.internal:6379/0"


def test_the_cache_is_local_memory_without_redis_url():
    caches = caches_for(None)

    assert caches["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_the_redis_client_library_is_installed_and_drives_the_redis_cache():
    # Building the client connects to nothing, so this holds without a Redis server.
    with override_settings(CACHES=caches_for("redis://cache.internal:6379/0")):
        client = caches["default"]._cache.get_client()

    assert isinstance(client, redis.Redis)
    assert client.connection_pool.connection_kwargs["host"] == "cache.internal"
    # The fail-fast timeouts reach the client, so a Redis that is down cannot hang a page.
    assert client.connection_pool.connection_kwargs["socket_connect_timeout"] == 1
    assert client.connection_pool.connection_kwargs["socket_timeout"] == 1


@pytest.fixture
def redis_caches():
    """caches_for(REDIS_URL) under a key prefix of its own, so a test neither reads nor clears
    anybody else's keys."""
    redis_caches = caches_for(os.environ["REDIS_URL"])
    redis_caches["default"]["KEY_PREFIX"] = f"kb-test-{uuid.uuid4().hex}"
    return redis_caches


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL names no Redis server")
def test_a_value_cached_with_redis_url_set_is_stored_in_redis(redis_caches):
    with override_settings(CACHES=redis_caches):
        cache.set("greeting", "hello", timeout=60)
        stored = redis.Redis.from_url(os.environ["REDIS_URL"]).get(cache.make_key("greeting"))
        read_back = cache.get("greeting")
        cache.delete("greeting")
        after_delete = cache.get("greeting")

    assert stored is not None  # in the server itself, not in this process's memory
    assert (read_back, after_delete) == ("hello", None)


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL names no Redis server")
def test_throttle_counts_are_kept_in_redis(client, redis_caches):
    with override_settings(CACHES=redis_caches), throttle_rates(anon="1/min", partner="1/min"):
        first = client.get(OUTLETS, REMOTE_ADDR="203.0.113.9")
        second = client.get(OUTLETS, REMOTE_ADDR="203.0.113.9")
        stored = cache.get("throttle_anon_203.0.113.9")
        cache.delete("throttle_anon_203.0.113.9")

    assert (first.status_code, second.status_code) == (200, 429)
    assert len(stored) == 1


# CORS ----------------------------------------------------------------------------------------


@override_settings(CORS_ALLOWED_ORIGINS=[PARTNER])
def test_a_get_from_a_partner_origin_is_allowed(client, outlet):
    response = client.get(OUTLETS, headers={"origin": PARTNER})

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == PARTNER


@override_settings(CORS_ALLOWED_ORIGINS=[PARTNER])
def test_a_get_from_another_origin_gets_no_cors_header(client, outlet):
    response = client.get(OUTLETS, headers={"origin": "https://elsewhere.example.com"})

    assert response.status_code == 200
    assert not response.has_header("Access-Control-Allow-Origin")


@override_settings(CORS_ALLOWED_ORIGINS=[PARTNER])
def test_a_preflight_for_a_keyed_get_is_allowed(client):
    response = client.options(
        OUTLETS,
        headers={
            "origin": PARTNER,
            "access-control-request-method": "GET",
            "access-control-request-headers": "authorization",
        },
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == PARTNER
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "authorization" in response["Access-Control-Allow-Headers"]


@override_settings(CORS_ALLOWED_ORIGINS=[PARTNER])
def test_a_preflight_offers_only_read_methods(client):
    response = client.options(
        OUTLETS, headers={"origin": PARTNER, "access-control-request-method": "POST"}
    )

    allowed = {method.strip() for method in response["Access-Control-Allow-Methods"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS"}


@override_settings(CORS_ALLOWED_ORIGINS=[PARTNER])
def test_a_partner_script_may_read_the_etag_and_retry_after(client, outlet):
    response = client.get(OUTLETS, headers={"origin": PARTNER})

    exposed = {name.strip() for name in response["Access-Control-Expose-Headers"].split(",")}
    assert {"ETag", "Retry-After"} <= exposed


@override_settings(CORS_ALLOWED_ORIGINS=[PARTNER])
def test_a_throttled_response_still_carries_the_cors_header(client):
    with throttle_rates(anon="1/min", partner="1/min"):
        client.get(OUTLETS, headers={"origin": PARTNER})
        response = client.get(OUTLETS, headers={"origin": PARTNER})

    assert response.status_code == 429
    assert response["Access-Control-Allow-Origin"] == PARTNER


@override_settings(CORS_ALLOWED_ORIGINS=[PARTNER])
def test_pages_outside_the_api_get_no_cors_header(client):
    response = client.get(reverse("home"), headers={"origin": PARTNER})

    assert not response.has_header("Access-Control-Allow-Origin")
