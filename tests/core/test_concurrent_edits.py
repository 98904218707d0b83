"""Two editors saving the same record: the first save wins, the second is refused with who
changed it and when, and nothing of the second is saved (core/concurrency.py)."""

import re
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone
from pytest_django.asserts import assertContains

from articles.models import Article
from articles.services import article_update_body
from claims.models import Claim
from claims.services import quote_create
from core.models import PublicationStatus
from experts.models import Expert
from tests.admin_helpers import form_data
from tests.factories import (
    AffiliationFactory,
    ArticleFactory,
    ClaimFactory,
    EditorFactory,
    ExpertFactory,
    NameVariantFactory,
)

CONFLICT = re.compile(
    r"was changed by (?P<who>\S+) at (?P<when>[^;]+) after you opened it; "
    r"reload to see their changes"
)


@pytest.fixture
def first(editor_client):
    """The editor who saves first: `editor` (tests/conftest.py)."""
    return editor_client


@pytest.fixture
def second(db):
    client = Client()
    client.force_login(EditorFactory(username="second-editor"))
    return client


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def conflict(response):
    """The edit-conflict error the change form shows, as a match, or None."""
    assert response.status_code == 200, "the save was not refused"
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    return CONFLICT.search(errors)


def test_the_change_form_carries_the_version_it_was_opened_on(first):
    claim = ClaimFactory(status=PublicationStatus.DRAFT)

    response = first.get(change_url(claim))

    assertContains(response, 'type="hidden" name="opened_version"')


def test_second_claim_save_is_refused_and_the_first_kept(first, second, editor):
    claim = ClaimFactory(status=PublicationStatus.DRAFT, summary="As drafted.")
    url = change_url(claim)
    first_data = form_data(first.get(url))
    second_data = form_data(second.get(url))

    saved = first.post(url, first_data | {"summary": "China can stop it, says the first."})
    refused = second.post(url, second_data | {"summary": "China cannot, says the second."})

    assert saved.status_code == 302
    assert conflict(refused)["who"] == editor.username
    assertContains(refused, "after you opened it; reload to see their changes")
    claim.refresh_from_db()
    assert claim.summary == "China can stop it, says the first."
    assert claim.updated_by == editor


def test_the_refusal_names_the_time_of_the_other_save(first, second):
    claim = ClaimFactory(status=PublicationStatus.DRAFT)
    url = change_url(claim)
    second_data = form_data(second.get(url))
    first.post(url, form_data(first.get(url)) | {"summary": "Changed first."})

    refused = second.post(url, second_data | {"summary": "Changed second."})

    claim.refresh_from_db()
    shown = formats.date_format(timezone.localtime(claim.updated), "DATETIME_FORMAT")
    assert conflict(refused)["when"] == shown


def test_after_reloading_the_second_editor_saves(first, second):
    claim = ClaimFactory(status=PublicationStatus.DRAFT)
    url = change_url(claim)
    second_data = form_data(second.get(url))
    first.post(url, form_data(first.get(url)) | {"summary": "Changed first."})
    second.post(url, second_data | {"summary": "Changed second."})

    saved = second.post(url, form_data(second.get(url)) | {"summary": "Changed second."})

    assert saved.status_code == 302
    claim.refresh_from_db()
    assert claim.summary == "Changed second."


def test_one_editor_saving_twice_from_fresh_pages_is_not_refused(first):
    claim = ClaimFactory(status=PublicationStatus.DRAFT)
    url = change_url(claim)
    first.post(url, form_data(first.get(url)) | {"summary": "Once."})

    saved = first.post(url, form_data(first.get(url)) | {"summary": "Twice."})

    assert saved.status_code == 302


def test_second_article_save_is_refused_and_its_body_not_written(first, second, editor):
    article = ArticleFactory(status=PublicationStatus.DRAFT, title="As filed")
    body = article.body
    url = change_url(article)
    first_data = form_data(first.get(url))
    second_data = form_data(second.get(url))

    saved = first.post(url, first_data | {"title": "Retitled by the first"})
    refused = second.post(url, second_data | {"body": body + "\r\n\r\nA paragraph more."})

    assert saved.status_code == 302
    assert conflict(refused)["who"] == editor.username
    article = Article.objects.get(pk=article.pk)
    assert (article.title, article.body) == ("Retitled by the first", body)


def test_second_expert_save_is_refused_with_its_inlines(first, second, editor):
    expert = ExpertFactory(display_name="Andrei Lankov")
    NameVariantFactory(expert=expert, name="Андрей Ланьков")
    AffiliationFactory(expert=expert, role_title="Professor")
    url = change_url(expert)
    first_data = form_data(first.get(url))
    second_data = form_data(second.get(url))

    saved = first.post(
        url,
        first_data | {"name_variants-TOTAL_FORMS": "2", "name_variants-1-name": "Andrey Lankov"},
    )
    refused = second.post(
        url,
        second_data
        | {
            "display_name": "Andrei N. Lankov",
            "name_variants-TOTAL_FORMS": "2",
            "name_variants-1-name": "A. Lankov",
            "affiliations-0-role_title": "Emeritus professor",
        },
    )

    assert saved.status_code == 302
    assert conflict(refused)["who"] == editor.username
    expert = Expert.objects.get(pk=expert.pk)
    assert expert.display_name == "Andrei Lankov"
    assert set(expert.name_variants.values_list("name", flat=True)) == {
        "Андрей Ланьков",
        "Andrey Lankov",
    }
    assert list(expert.affiliations.values_list("role_title", flat=True)) == ["Professor"]


def test_second_repair_of_an_orphaned_quote_is_refused_and_the_first_kept(first, second, editor):
    body = "Intro. China has the leverage to stop it, said the expert. The end."
    article = ArticleFactory(body=body)
    quote = quote_create(
        claim=ClaimFactory(), article=article, text="China has the leverage to stop it"
    )
    article_update_body(
        article=article,
        body="Intro. Beijing could stop it, and Moscow knows, said the expert. The end.",
    )
    quote.refresh_from_db()
    assert quote.orphaned
    url = change_url(quote)
    opened = second.get(url)
    # The orphan page builds its own fieldsets; the version must still be on the page.
    assertContains(opened, 'type="hidden" name="opened_version"')
    first_data = form_data(first.get(url))
    second_data = form_data(opened)

    saved = first.post(url, first_data | {"text": "Beijing could stop it"})
    refused = second.post(url, second_data | {"text": "Moscow knows"})

    assert saved.status_code == 302
    assert conflict(refused)["who"] == editor.username
    quote.refresh_from_db()
    assert quote.text == "Beijing could stop it"
    assert not quote.orphaned


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no row locks (SELECT … FOR UPDATE)"
)
@pytest.mark.django_db(transaction=True)
def test_a_save_waits_for_one_in_progress_and_then_is_refused():
    """The check reads the row under a lock: a save that arrives while another is being
    written waits for it to commit, then sees its version, instead of overwriting it."""
    claim = ClaimFactory(status=PublicationStatus.DRAFT, summary="As drafted.")
    editor = EditorFactory(username="slow-editor")
    second = Client()
    second.force_login(EditorFactory(username="second-editor"))
    url = change_url(claim)
    second_data = form_data(second.get(url))
    locked = threading.Event()

    def save_slowly():
        # Another editor's save, holding the row while it writes, as the admin's would.
        try:
            with transaction.atomic():
                row = Claim.objects.select_for_update().get(pk=claim.pk)
                locked.set()
                time.sleep(1)
                row.summary = "Saved while the second editor was submitting."
                row.updated_by = editor
                row.save()
        finally:
            connections.close_all()

    writer = threading.Thread(target=save_slowly)
    writer.start()
    assert locked.wait(10)
    refused = second.post(url, second_data | {"summary": "The second editor's summary."})
    writer.join()

    assert conflict(refused)["who"] == "slow-editor"
    claim.refresh_from_db()
    assert claim.summary == "Saved while the second editor was submitting."
