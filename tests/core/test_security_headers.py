"""Every kind of response carries the security headers and a Content-Security-Policy that allows
nothing inline without the response's own nonce."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ArticleFactory

NONCE = re.compile(r"'nonce-([^']+)'")


def policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_secure_headers(response):
    header = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    for directive in ("script-src", "style-src"):
        sources = [source for source in directives[directive] if not NONCE.match(source)]
        assert sources == ["'self'"]
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_a_public_page_sends_the_security_headers(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert_secure_headers(response)


@pytest.mark.django_db
def test_an_api_response_sends_the_security_headers(client):
    response = client.get(reverse("api:claim-list"))

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert_secure_headers(response)


@pytest.mark.django_db
def test_an_admin_page_sends_the_security_headers(editor_client):
    login = Client().get(reverse("admin:login"))
    changelist = editor_client.get(reverse("admin:claims_claim_changelist"))

    assert login.status_code == 200
    assert_secure_headers(login)
    assert changelist.status_code == 200
    assert_secure_headers(changelist)


@pytest.mark.django_db
def test_the_structured_data_carries_the_nonce_the_policy_names(client):
    article = ArticleFactory()

    response = client.get(article.get_absolute_url())

    (nonce,) = set(NONCE.findall(response.headers["Content-Security-Policy"]))
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts == [f'<script type="application/ld+json" nonce="{nonce}">']


@pytest.mark.django_db
def test_each_response_gets_a_new_nonce(client):
    first = client.get(reverse("home"))
    second = client.get(reverse("home"))

    first_nonces = NONCE.findall(first.headers["Content-Security-Policy"])
    second_nonces = NONCE.findall(second.headers["Content-Security-Policy"])
    assert len(first_nonces) == 2  # script-src and style-src, the same nonce
    assert len(set(first_nonces)) == 1
    assert first_nonces[0] != second_nonces[0]
    assert len(first_nonces[0]) >= 22  # 128 random bits, base64


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["api:docs", "api:redoc"])
def test_the_api_docs_inline_script_and_style_carry_the_nonce(client, page):
    response = client.get(reverse(page))

    (nonce, _) = NONCE.findall(response.headers["Content-Security-Policy"])
    html = response.content.decode()
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    inline_styles = re.findall(r"<style[^>]*>", html)
    assert inline_scripts and inline_styles
    assert all(f'nonce="{nonce}"' in tag for tag in inline_scripts + inline_styles)
    assert " style=" not in html
    assert "fonts.googleapis.com" not in html
