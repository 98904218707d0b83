"""CSRF: a logged-in editor's browser, tricked into posting to the admin from another site (it
sends the session cookie but cannot read the form's token), changes nothing; the same post with
the form's token goes through. The API is read-only: every write method is refused with JSON."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articles.models import Article
from claims.models import Topic
from config.api_urls import router
from core.models import PublicationStatus
from tests.admin_helpers import form_data
from tests.factories import ArticleFactory, EditorFactory, TopicFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def browser(db):
    """An editor's browser: logged in, with CSRF checks on as in production."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(EditorFactory())
    return client


def form_token(response):
    """The token the page's form carries (the other site cannot read it)."""
    return TOKEN.search(response.content.decode())[1]


def page_data(browser, url):
    """The form of the page at `url` as it would be posted, and its token."""
    response = browser.get(url)
    assert response.status_code == 200
    return form_data(response), form_token(response)


def test_an_add_without_the_token_is_refused_and_adds_nothing(browser):
    url = reverse("admin:claims_topic_add")
    data, token = page_data(browser, url)
    data |= {"title": "Forged topic", "slug": "forged", "question": "Forged?"}

    refused = browser.post(url, data)
    accepted = browser.post(url, data | {"csrfmiddlewaretoken": token})

    assert refused.status_code == 403
    assert accepted.status_code == 302
    assert Topic.objects.filter(slug="forged").count() == 1


def test_a_change_without_the_token_is_refused_and_changes_nothing(browser):
    topic = TopicFactory(title="Original title")
    url = reverse("admin:claims_topic_change", args=[topic.pk])
    data, token = page_data(browser, url)
    data["title"] = "Forged title"

    refused = browser.post(url, data)
    topic.refresh_from_db()
    assert refused.status_code == 403
    assert topic.title == "Original title"

    accepted = browser.post(url, data | {"csrfmiddlewaretoken": token})
    topic.refresh_from_db()
    assert accepted.status_code == 302
    assert topic.title == "Forged title"


def test_a_delete_without_the_token_is_refused_and_deletes_nothing(browser):
    topic = TopicFactory()
    url = reverse("admin:claims_topic_delete", args=[topic.pk])
    token = form_token(browser.get(url))

    refused = browser.post(url, {"post": "yes"})
    assert refused.status_code == 403
    assert Topic.objects.filter(pk=topic.pk).exists()

    accepted = browser.post(url, {"post": "yes", "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
    assert not Topic.objects.filter(pk=topic.pk).exists()


def test_a_workflow_move_without_the_token_is_refused(browser):
    article = ArticleFactory(status=PublicationStatus.PUBLISHED)
    url = reverse("admin:articles_article_transition", args=[article.pk, "withdraw"])
    token = form_token(browser.get(url))

    refused = browser.post(url, {"text": "Forged reason"})
    article.refresh_from_db()
    assert refused.status_code == 403
    assert article.status == PublicationStatus.PUBLISHED

    accepted = browser.post(url, {"text": "A real reason", "csrfmiddlewaretoken": token})
    article.refresh_from_db()
    assert accepted.status_code == 302
    assert article.status == PublicationStatus.WITHDRAWN


def test_an_import_upload_without_the_token_is_refused(browser):
    url = reverse("admin:articles_article_import")
    item = {
        "uri": "urn:test:forged",
        "headline": "Forged import",
        "body_text": "Forged body.",
        "language": "en",
        "firstcreated": "2024-06-20",
        "copyrightholder": "Forged Outlet",
    }
    upload = SimpleUploadedFile("forged.json", json.dumps(item).encode())
    browser.get(url)

    refused = browser.post(url, {"files": [upload]})

    assert refused.status_code == 403
    assert not Article.objects.filter(external_uri="urn:test:forged").exists()


# --- The API is read-only ----------------------------------------------------------------------


def api_urls():
    """Every API endpoint: each list and a detail of each resource, the export, the search."""
    urls = [reverse("api:api-root"), reverse("api:claim-export"), reverse("api:search")]
    for _, _, basename in router.registry:
        urls += [reverse(f"api:{basename}-list"), reverse(f"api:{basename}-detail", args=[1])]
    return urls


WRITES = ["post", "put", "patch", "delete"]


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "editor session"])
def test_the_api_refuses_every_write_with_json(db, logged_in):
    client = Client(enforce_csrf_checks=True)
    if logged_in:
        client.force_login(EditorFactory())
    problems = []
    for url in api_urls():
        for method in WRITES:
            response = getattr(client, method)(
                url, json.dumps({"summary": "Forged"}), content_type="application/json"
            )
            is_json = response["Content-Type"].startswith("application/json")
            if response.status_code not in {403, 405} or not is_json:
                problems.append(f"{method.upper()} {url}: {response.status_code}")
            elif "detail" not in json.loads(response.content):
                problems.append(f"{method.upper()} {url}: no detail in {response.content[:80]}")

    assert not problems, "\n".join(problems)
