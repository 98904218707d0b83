"""The smaller hardening items of issue 12 (item 9): HTTPS trusted from a declared proxy only,
static files not readable cross-origin, the API docs under the site's opener policy, a
Permissions-Policy on every response, a refused `next` landing somewhere real, and absolute
URLs on the canonical host whatever the Host header said."""

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ClaimFactory, ClaimTopicFactory, TopicFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def production_setting(name, tmp_path, **environ):
    """settings.<name> as production computes it from `environ`."""
    env = {key: value for key, value in os.environ.items() if key != "API_NUM_PROXIES"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="smaller-hardening-" + "k3y" * 20,
        ALLOWED_HOSTS="kb.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **environ,
    )
    code = f"from django.conf import settings; print(repr(settings.{name}))"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


# X-Forwarded-Proto -------------------------------------------------------------------------


def test_production_ignores_x_forwarded_proto_without_a_declared_proxy(tmp_path):
    assert production_setting("SECURE_PROXY_SSL_HEADER", tmp_path) == "None"


def test_production_trusts_x_forwarded_proto_from_a_declared_proxy(tmp_path):
    header = production_setting("SECURE_PROXY_SSL_HEADER", tmp_path, API_NUM_PROXIES="1")

    assert header == "('HTTP_X_FORWARDED_PROTO', 'https')"


# Static files ------------------------------------------------------------------------------


def test_static_files_are_not_readable_from_other_origins(client):
    response = client.get("/static/favicon.svg", HTTP_ORIGIN="https://elsewhere.example")

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


# API docs ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_swagger_ui_is_same_origin_for_openers_like_every_page(client):
    response = client.get(reverse("api:docs"))

    assert response.status_code == 200
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


# Permissions-Policy ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/", "/api/v1/claims/", "/api/v1/docs/", "/admin/login/", "/static/favicon.svg", "/nope/"],
)
def test_every_response_refuses_camera_microphone_and_location(client, url):
    policy = client.get(url)["Permissions-Policy"]

    features = dict(part.strip().split("=") for part in policy.split(","))
    assert features["camera"] == features["microphone"] == features["geolocation"] == "()"
    assert set(features.values()) == {"()"}


# Login redirect ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_sign_in_with_a_foreign_next_lands_on_the_admin_index():
    UserFactory(username="reporter", is_staff=True)
    client = Client()

    response = client.post(
        reverse("admin:login"),
        {"username": "reporter", "password": PASSWORD, "next": "https://evil.example/"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200


# Canonical host ----------------------------------------------------------------------------

FOREIGN_HOST = {"HTTP_HOST": "127.0.0.1:6666"}


@pytest.fixture
def canonical(settings):
    settings.CANONICAL_HOST = "kb.example.org"
    settings.ALLOWED_HOSTS = ["kb.example.org", "127.0.0.1"]


@pytest.fixture
def claim(db):
    claim = ClaimFactory()
    ClaimTopicFactory(claim=claim, topic=TopicFactory(slug="china-role"))
    return claim


def test_api_links_name_the_canonical_host_not_the_requests_port(client, canonical, claim):
    body = client.get(reverse("api:claim-detail", args=[claim.pk]), **FOREIGN_HOST).json()

    assert body["url"] == f"http://kb.example.org/api/v1/claims/{claim.pk}/"
    assert body["html_url"] == f"http://kb.example.org{claim.get_absolute_url()}"


def test_json_ld_ids_name_the_canonical_host(client, canonical, claim):
    url = reverse("api:claim-detail", args=[claim.pk])

    body = client.get(url, {"format": "jsonld"}, **FOREIGN_HOST).json()

    assert body["@id"] == f"http://kb.example.org{claim.get_absolute_url()}"


def test_feed_links_name_the_canonical_host(client, canonical, claim):
    url = reverse("claims:topic_feed", kwargs={"slug": "china-role"})

    feed = ET.fromstring(client.get(url, **FOREIGN_HOST).content)

    assert feed.findtext("./channel/item/link") == (
        f"http://kb.example.org{claim.get_absolute_url()}"
    )


def test_sitemap_locations_name_the_canonical_host(client, canonical, claim):
    sitemap = ET.fromstring(client.get(reverse("sitemap"), **FOREIGN_HOST).content)

    locations = [loc.text for loc in sitemap.findall("s:url/s:loc", SITEMAP_NS)]
    assert locations
    assert all(location.startswith("http://kb.example.org/") for location in locations)


def test_a_host_outside_allowed_hosts_is_still_refused(client, canonical, claim):
    response = client.get(reverse("api:claim-list"), HTTP_HOST="evil.example")

    assert response.status_code == 400


def test_production_takes_the_canonical_host_from_allowed_hosts(tmp_path):
    assert production_setting("CANONICAL_HOST", tmp_path) == "'kb.example.org'"
