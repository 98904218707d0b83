"""The quote admin: a quote with a new claim, and the review and repair of orphaned quotes."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles.models import Article
from articles.services import article_update_body
from claims.models import Claim, Quote
from claims.services import quote_create
from core.models import DatePrecision, PublicationStatus
from tests.admin_helpers import listed
from tests.factories import ArticleFactory, ClaimFactory, ExpertFactory

BODY = "Intro.\n\n“China has the leverage to stop it,” said the expert.\n\nThe end."
QUOTED = "China has the leverage to stop it"
REPEATED = "Talks resumed.\n\nTalks resumed, officials said.\n\nNothing else."
ADD = reverse("admin:claims_quote_add")


def change_url(quote):
    return reverse("admin:claims_quote_change", args=[quote.pk])


@pytest.fixture
def quote(db):
    article = ArticleFactory(body=BODY)
    return quote_create(claim=ClaimFactory(), article=article, text=QUOTED)


@pytest.fixture
def orphan(quote):
    article = Article.objects.get(pk=quote.article_id)
    article_update_body(article=article, body=BODY.replace(QUOTED, "Beijing <b>could</b> stop it"))
    quote.refresh_from_db()
    assert quote.orphaned
    return quote


# Orphans in the admin.


def test_orphaned_quotes_filter_lists_only_orphans(editor_client, orphan):
    anchored = quote_create(claim=ClaimFactory(), article=ArticleFactory(), text="Putin and Kim")

    assert listed(editor_client, "claims.quote", orphaned="yes") == {orphan}
    assert listed(editor_client, "claims.quote", orphaned="no") == {anchored}


def test_orphan_page_shows_the_old_passage_beside_the_edited_body(editor_client, orphan):
    response = editor_client.get(change_url(orphan))

    assertContains(response, f"<mark>{QUOTED}</mark>", html=False)
    assertContains(response, "Beijing &lt;b&gt;could&lt;/b&gt; stop it")
    assertContains(response, 'class="orphan-review"')


def test_anchored_quote_page_has_no_orphan_review(editor_client, quote):
    response = editor_client.get(change_url(quote))

    assert 'class="orphan-review"' not in response.content.decode()


def orphan_form(orphan, **changes):
    return {
        "claim": orphan.claim_id,
        "article": orphan.article_id,
        "text": orphan.text,
        "occurrence": "",
        **changes,
    }


def test_editor_repairs_an_orphan_on_its_page(editor_client, orphan):
    editor_client.post(change_url(orphan), orphan_form(orphan, text="Beijing <b>could</b> stop"))

    orphan.refresh_from_db()
    assert not orphan.orphaned
    assert orphan.text == "Beijing <b>could</b> stop"
    assert orphan.article.body[orphan.start : orphan.end] == orphan.text


def test_repair_with_a_passage_missing_from_the_body_is_a_form_error(editor_client, orphan):
    response = editor_client.post(
        change_url(orphan), orphan_form(orphan, text="Words nobody wrote")
    )

    assert response.status_code == 200
    assert "not found" in str(response.context["adminform"].form.errors)
    orphan.refresh_from_db()
    assert orphan.orphaned
    assert orphan.text == QUOTED


def test_orphan_saved_with_another_claim_stays_orphaned(editor_client, orphan):
    other = ClaimFactory()

    response = editor_client.post(change_url(orphan), orphan_form(orphan, claim=other.pk))

    assert response.status_code == 302
    orphan.refresh_from_db()
    assert orphan.claim == other
    assert orphan.orphaned


# The add form, as "Create quote from selection" opens it.


def test_add_form_is_prefilled_from_the_query_string(editor_client):
    article = ArticleFactory(body=REPEATED)

    response = editor_client.get(
        ADD, {"article": article.pk, "text": "Talks resumed", "occurrence": "2"}
    )

    form = response.context["adminform"].form
    assert form["article"].value() == str(article.pk)
    assert form["text"].value() == "Talks resumed"
    assert form["occurrence"].value() == "2"


def test_quote_is_added_with_a_new_claim_by_the_speaker(editor_client):
    article = ArticleFactory(body=REPEATED, published_on=datetime.date(2024, 6, 21))
    speaker = ExpertFactory()

    response = editor_client.post(
        ADD,
        {
            "article": article.pk,
            "text": "Talks resumed",
            "occurrence": "2",
            "speaker": speaker.pk,
            "summary": "Talks are back on.",
            "kind": Claim.Kind.FACTUAL,
        },
    )

    assert response.status_code == 302
    quote = Quote.objects.get()
    assert (quote.start, quote.end) == (16, 29)
    assert quote.claim.speaker == speaker
    assert quote.claim.kind == Claim.Kind.FACTUAL
    assert quote.claim.status == PublicationStatus.DRAFT
    assert (quote.claim.made_on, quote.claim.made_precision) == (
        datetime.date(2024, 6, 21),
        DatePrecision.DAY,
    )


def test_add_redirects_to_the_new_quote_s_page_when_asked(editor_client):
    article = ArticleFactory(body=REPEATED)

    response = editor_client.post(
        ADD,
        {
            "article": article.pk,
            "text": "Talks resumed",
            "speaker": ExpertFactory().pk,
            "summary": "Talks are back on.",
            "_continue": "1",
        },
    )

    assert response.url == change_url(Quote.objects.get())


def test_add_without_a_claim_needs_a_speaker_and_a_summary(editor_client):
    article = ArticleFactory(body=REPEATED)

    response = editor_client.post(ADD, {"article": article.pk, "text": "Talks resumed"})

    errors = response.context["adminform"].form.errors
    assert set(errors) >= {"speaker", "summary"}
    assert not Claim.objects.exists()


def test_add_with_a_claim_and_a_new_claim_is_refused(editor_client):
    article = ArticleFactory(body=REPEATED)

    response = editor_client.post(
        ADD,
        {
            "article": article.pk,
            "text": "Talks resumed",
            "claim": ClaimFactory().pk,
            "speaker": ExpertFactory().pk,
            "summary": "Talks are back on.",
        },
    )

    assert "not both" in str(response.context["adminform"].form.errors)
    assert not Quote.objects.exists()


def test_add_with_a_new_claim_and_text_missing_from_the_body_writes_nothing(editor_client):
    article = ArticleFactory(body=REPEATED)

    editor_client.post(
        ADD,
        {
            "article": article.pk,
            "text": "Words nobody wrote",
            "speaker": ExpertFactory().pk,
            "summary": "Talks are back on.",
        },
    )

    assert not Claim.objects.exists()
    assert not Quote.objects.exists()


def test_speaker_autocomplete_finds_experts(editor_client):
    expert = ExpertFactory(display_name="Andrei Lankov")

    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "claims", "model_name": "claim", "field_name": "speaker", "term": "Lank"},
    )

    assert [item["id"] for item in response.json()["results"]] == [str(expert.pk)]


def test_add_page_loads_the_speaker_autocomplete(editor_client):
    response = editor_client.get(ADD)

    assertContains(response, 'data-model-name="claim"')
    assertContains(response, 'name="speaker"')
