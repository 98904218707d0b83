"""Who may import over what: every import path asks core.workflow's one rule.

A contributor's file that matches an article submitted for review or public writes nothing
and is reported "needs an editor"; an editor's updates it; the command runs as --user, or
as the system with full rights (saying so) without it.
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.imports.files import ImportFailed, articles_import_file
from articles.models import Article, Outlet
from claims.models import Quote
from core.models import PublicationStatus
from tests.factories import ArticleFactory, ContributorFactory, QuoteFactory, UserFactory

FIXTURES = Path(__file__).parent / "fixtures"
NINJS_1 = FIXTURES / "ninjs1_article.json"
URI = "urn:newsml:wire.example.org:20240620:treaty-china"
NEW_HEADLINE = "A contributor's new headline"
NEW_BODY = "<p>A body that no longer holds the quoted words.</p>"
QUOTED = "China has the leverage to stop it"
NOT_DRAFT = [
    PublicationStatus.IN_REVIEW,
    PublicationStatus.PUBLISHED,
    PublicationStatus.CORRECTED,
    PublicationStatus.WITHDRAWN,
]
pytestmark = pytest.mark.django_db


def ninjs_bytes(**changes):
    item = json.loads(NINJS_1.read_text(encoding="utf-8"))
    item.update({"headline": NEW_HEADLINE, "body_html": NEW_BODY, **changes})
    return json.dumps(item, ensure_ascii=False).encode()


def existing_article(status):
    """The article the fixture's uri matches, with a quote of a published claim."""
    article = ArticleFactory(
        external_uri=URI,
        title="The published headline",
        body=f"Putin and Kim signed a treaty.\n\n“{QUOTED},” said the expert.",
        status=status,
    )
    QuoteFactory(article=article, text=QUOTED)
    return article


def snapshot(article):
    article.refresh_from_db()
    quote = article.quotes.get()
    return (article.title, article.body, article.status, quote.orphaned, quote.start)


def upload_as(client, data, name="item.json"):
    return client.post(
        reverse("admin:articles_article_import"),
        {"files": [SimpleUploadedFile(name, data)]},
    )


def run_command(path, **options):
    out, err = StringIO(), StringIO()
    call_command("import_articles", str(path), stdout=out, stderr=err, **options)
    return out.getvalue() + err.getvalue()


def run_command_failing(path, **options):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(path), stdout=out, stderr=err, **options)
    return out.getvalue() + err.getvalue()


# --- the admin's "Import ninjs / HTML" ------------------------------------------------------


@pytest.mark.parametrize("status", NOT_DRAFT)
def test_contributor_upload_over_a_submitted_or_public_article_changes_nothing(
    contributor_client, status
):
    article = existing_article(status)
    before = snapshot(article)

    response = upload_as(contributor_client, ninjs_bytes())

    assert response.status_code == 200
    assert snapshot(article) == before
    assert Article.objects.count() == 1


def test_contributor_upload_over_a_published_article_says_it_needs_an_editor(
    contributor_client,
):
    article = existing_article(PublicationStatus.PUBLISHED)

    response = upload_as(contributor_client, ninjs_bytes())

    assert (
        f"needs an editor: article #{article.pk} “The published headline” is published."
        in response.content.decode()
    )
    assert response.context["summary"].counts["failed"] == 1


def test_contributor_upload_over_a_draft_updates_it(contributor_client):
    article = existing_article(PublicationStatus.DRAFT)

    upload_as(contributor_client, ninjs_bytes())

    article.refresh_from_db()
    assert article.title == NEW_HEADLINE


def test_contributor_upload_of_a_new_item_creates_a_draft(contributor_client, contributor):
    upload_as(contributor_client, ninjs_bytes())

    article = Article.objects.get()
    assert (article.title, article.status) == (NEW_HEADLINE, PublicationStatus.DRAFT)
    assert article.updated_by == contributor


@pytest.mark.parametrize("status", NOT_DRAFT)
def test_editor_upload_over_a_submitted_or_public_article_updates_it_and_keeps_its_status(
    editor_client, status
):
    article = existing_article(status)

    upload_as(editor_client, ninjs_bytes())

    article.refresh_from_db()
    assert (article.title, article.status) == (NEW_HEADLINE, status)
    assert article.quotes.get().orphaned


def test_contributor_file_with_a_new_item_and_a_published_one_writes_neither(
    contributor_client,
):
    article = existing_article(PublicationStatus.PUBLISHED)
    before = snapshot(article)
    item = json.loads(ninjs_bytes())
    new = {**item, "uri": "urn:newsml:wire.example.org:new", "altids": {}}
    new["headline"] = "Another story entirely"

    upload_as(contributor_client, json.dumps([new, item]).encode())

    assert snapshot(article) == before
    assert not Article.objects.filter(title="Another story entirely").exists()
    assert not Outlet.objects.filter(name="Wire Example").exists()


# --- the service the admin and the command share --------------------------------------------


def test_import_service_refuses_a_contributor_over_a_published_article():
    article = existing_article(PublicationStatus.PUBLISHED)
    before = snapshot(article)

    with pytest.raises(ImportFailed, match="needs an editor"):
        articles_import_file(data=ninjs_bytes(), name="item.json", user=ContributorFactory())

    assert snapshot(article) == before


def test_import_service_refuses_a_user_who_may_not_add_articles():
    with pytest.raises(ImportFailed, match="articles.add_article"):
        articles_import_file(data=ninjs_bytes(), name="item.json", user=UserFactory())

    assert not Article.objects.exists()


# --- import_articles ------------------------------------------------------------------------


@pytest.fixture
def ninjs_path(tmp_path):
    path = tmp_path / "item.json"
    path.write_bytes(ninjs_bytes())
    return path


@pytest.mark.parametrize("status", NOT_DRAFT)
def test_command_as_a_contributor_over_a_submitted_or_public_article_changes_nothing(
    ninjs_path, contributor, status
):
    article = existing_article(status)
    before = snapshot(article)

    output = run_command_failing(ninjs_path, user=contributor.username)

    assert snapshot(article) == before
    assert f"needs an editor: article #{article.pk}" in output


def test_command_as_an_editor_updates_a_published_article(ninjs_path, editor):
    article = existing_article(PublicationStatus.PUBLISHED)

    run_command(ninjs_path, user=editor.username)

    article.refresh_from_db()
    assert article.title == NEW_HEADLINE
    assert article.history.first().history_user == editor


def test_command_without_user_runs_as_the_system_with_full_rights_and_says_so(ninjs_path):
    article = existing_article(PublicationStatus.PUBLISHED)

    output = run_command(ninjs_path)

    article.refresh_from_db()
    assert article.title == NEW_HEADLINE
    assert "No --user given: importing as the system, with full rights" in output


def test_command_refuses_an_inactive_user(ninjs_path):
    UserFactory(username="gone", is_active=False)

    with pytest.raises(CommandError, match="inactive"):
        run_command(ninjs_path, user="gone")

    assert not Article.objects.exists()


# --- import_article (a page's text) ---------------------------------------------------------


@pytest.fixture
def page_text(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("Treaty signed\n\nPutin and Kim signed a treaty in Pyongyang.\n")
    return path


def test_single_page_command_as_a_contributor_creates_a_draft(page_text, contributor):
    outlet = ArticleFactory().outlet

    call_command(
        "import_article",
        str(page_text),
        outlet=outlet.slug,
        language="en",
        published="2024-06",
        user=contributor.username,
        stdout=StringIO(),
    )

    article = Article.objects.get(title="Treaty signed")
    assert (article.status, article.updated_by) == (PublicationStatus.DRAFT, contributor)


def test_single_page_command_refuses_a_user_who_may_not_add_articles(page_text):
    outlet = ArticleFactory().outlet
    UserFactory(username="reader")

    with pytest.raises(CommandError, match="articles.add_article"):
        call_command(
            "import_article",
            str(page_text),
            outlet=outlet.slug,
            language="en",
            published="2024-06",
            user="reader",
            stdout=StringIO(),
        )

    assert not Article.objects.filter(title="Treaty signed").exists()


def test_quote_of_a_published_claim_survives_a_contributors_refused_upload(contributor_client):
    article = existing_article(PublicationStatus.PUBLISHED)

    upload_as(contributor_client, ninjs_bytes())

    assert Quote.objects.public().filter(article=article).exists()
