"""Editing an article's body in the admin re-anchors its quotes (issue 6)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from pytest_django.asserts import assertContains

from claims.services import quote_create
from tests.admin_helpers import form_data
from tests.factories import ArticleFactory, ClaimFactory

BODY = "Intro.\n\n“China has the leverage to stop it,” said the expert.\n\nThe end."
QUOTED = "China has the leverage to stop it"


@pytest.fixture
def quote(db):
    return quote_create(claim=ClaimFactory(), article=ArticleFactory(body=BODY), text=QUOTED)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def post_body(client, article, body, **extra):
    data = form_data(client.get(change_url(article)))
    # Browsers post textarea newlines as CRLF.
    data |= {"body": body.replace("\n", "\r\n"), **extra}
    return client.post(change_url(article), data)


def test_body_edit_in_the_admin_moves_the_quote_with_its_text(editor_client, quote):
    response = post_body(editor_client, quote.article, "A new first paragraph.\n\n" + BODY)

    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.article.body[quote.start : quote.end] == QUOTED
    assert "followed its text" in " ".join(m.message for m in get_messages(response.wsgi_request))


def test_body_edit_that_deletes_the_quoted_text_orphans_it_without_a_form_error(
    editor_client, quote
):
    response = post_body(editor_client, quote.article, "Intro.\n\nThe end.")

    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.orphaned
    warnings = " ".join(m.message for m in get_messages(response.wsgi_request))
    assert "no longer in the body" in warnings


def test_quote_edited_inline_with_the_body_is_anchored_in_the_new_body(editor_client, quote):
    new_body = BODY.replace("said the expert", "the expert told us, calmly")

    post_body(editor_client, quote.article, new_body, **{"quotes-0-text": "told us, calmly"})

    quote.refresh_from_db()
    assert quote.text == "told us, calmly"
    assert quote.article.body[quote.start : quote.end] == "told us, calmly"
    assert not quote.orphaned


def test_orphan_repaired_inline_in_the_same_save_is_not_reported(editor_client, quote):
    new_body = BODY.replace(QUOTED, "Beijing could stop it")

    response = post_body(
        editor_client, quote.article, new_body, **{"quotes-0-text": "Beijing could stop it"}
    )

    quote.refresh_from_db()
    assert not quote.orphaned
    warnings = " ".join(m.message for m in get_messages(response.wsgi_request))
    assert "no longer in the body" not in warnings


def test_article_page_carries_the_selection_script_and_its_target(editor_client, quote):
    response = editor_client.get(change_url(quote.article))

    assertContains(response, "admin_tools/quote_selection.js")
    assertContains(response, f'data-add-url="{reverse("admin:claims_quote_add")}"')
    assertContains(response, f'data-article="{quote.article.pk}"')
