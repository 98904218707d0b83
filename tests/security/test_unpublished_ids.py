"""An unpublished item's address, asked for by a reader, answers as if nothing were there: 404
(410 Gone for a withdrawn one, as core.public.gone_or_404 does), never 403, which would confirm
that something exists, and never a word of the item. A draft's 404 is the very page a made-up
address gets."""

import json

import pytest
from django.urls import reverse

from articles.services import article_update_body
from core.models import PublicationStatus
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ExpertFactory,
    OutletFactory,
    QuoteFactory,
)

Status = PublicationStatus
SECRET = "Zqunpublished"
UNPUBLISHED = [Status.DRAFT, Status.IN_REVIEW, Status.WITHDRAWN]
MISSING_ID = 987654


def expected_status(status):
    return 410 if status == Status.WITHDRAWN else 404


def assert_hidden(response, status):
    assert response.status_code == expected_status(status)
    assert SECRET.casefold() not in response.content.decode().casefold()


def claim_in(status):
    speaker = ExpertFactory(slug=f"speaker-{status}", display_name=f"{SECRET} Speaker")
    return ClaimFactory(speaker=speaker, status=status, summary=f"{SECRET} summary")


def article_in(status):
    return ArticleFactory(
        slug=f"article-{status}", status=status, title=f"{SECRET} title", body=f"{SECRET} body."
    )


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_a_claim_page(client, db, status):
    claim = claim_in(status)

    response = client.get(reverse("claims:detail", kwargs={"pk": claim.pk}))

    assert_hidden(response, status)


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_an_article_page(client, db, status):
    article = article_in(status)

    response = client.get(article.get_absolute_url())

    assert_hidden(response, status)


@pytest.mark.parametrize("status", UNPUBLISHED)
@pytest.mark.parametrize("url_name", ["experts:detail", "experts:feed"])
def test_the_pages_of_an_expert_whose_only_claim_is_unpublished(client, db, status, url_name):
    expert = claim_in(status).speaker

    response = client.get(reverse(url_name, kwargs={"slug": expert.slug}))

    # An expert is public through a published claim; without one there is no profile at all.
    assert_hidden(response, Status.DRAFT)


def test_an_expert_without_claims(client, db):
    expert = ExpertFactory(display_name=f"{SECRET} Nobody")

    assert_hidden(client.get(expert.get_absolute_url()), Status.DRAFT)


def test_an_outlet_page_does_not_list_its_unpublished_articles(client, db):
    # Outlets have no workflow of their own: public once they have a published article, and
    # then they show only the published ones.
    outlet = OutletFactory()
    ArticleFactory(outlet=outlet)
    for status in UNPUBLISHED:
        ArticleFactory(outlet=outlet, status=status, title=f"{SECRET} {status}")

    page = client.get(outlet.get_absolute_url())
    api = client.get(reverse("api:outlet-detail", args=[outlet.pk]))

    assert page.status_code == api.status_code == 200
    assert SECRET not in page.content.decode()
    assert json.loads(api.content)["article_count"] == 1


def test_an_outlet_with_only_unpublished_articles_is_not_shown(client, db):
    outlet = OutletFactory(name=f"{SECRET} Outlet")
    for status in UNPUBLISHED:
        ArticleFactory(outlet=outlet, status=status)

    page = client.get(outlet.get_absolute_url())
    api = client.get(reverse("api:outlet-detail", args=[outlet.pk]))

    assert page.status_code == api.status_code == 404
    assert SECRET not in page.content.decode() + api.content.decode()


def api_detail(kind, status):
    """The API detail URL of an item of `kind` kept back by `status`."""
    if kind == "claim":
        return reverse("api:claim-detail", args=[claim_in(status).pk])
    if kind == "claim-jsonld":
        return reverse("api:claim-detail", args=[claim_in(status).pk]) + "?format=jsonld"
    if kind == "article":
        return reverse("api:article-detail", args=[article_in(status).pk])
    if kind == "expert":
        return reverse("api:expert-detail", args=[claim_in(status).speaker.pk])
    if kind == "quote of the claim":
        article = ArticleFactory(body=f"{SECRET} said it.")
        quote = QuoteFactory(claim=claim_in(status), article=article, text=f"{SECRET} said")
        return reverse("api:quote-detail", args=[quote.pk])
    if kind == "quote in the article":
        article = article_in(status)
        quote = QuoteFactory(article=article, text=f"{SECRET} body")
        return reverse("api:quote-detail", args=[quote.pk])
    raise AssertionError(kind)


API_KINDS = [
    "claim",
    "claim-jsonld",
    "article",
    "expert",
    "quote of the claim",
    "quote in the article",
]


@pytest.mark.parametrize("status", UNPUBLISHED)
@pytest.mark.parametrize("kind", API_KINDS)
def test_an_api_detail(client, db, kind, status):
    response = client.get(api_detail(kind, status))

    # The API has no 410: a withdrawn item is simply not there.
    assert response.status_code == 404
    assert "json" in response["Content-Type"]  # application/json, or ld+json for JSON-LD
    assert SECRET.casefold() not in response.content.decode().casefold()


def test_an_orphaned_quote_in_the_api(client, db):
    article = ArticleFactory(body=f"{SECRET} was said.\n\nThe rest.")
    quote = QuoteFactory(article=article, text=f"{SECRET} was said")
    article_update_body(article=article, body="The rest.")

    response = client.get(reverse("api:quote-detail", args=[quote.pk]))

    assert response.status_code == 404
    assert SECRET not in response.content.decode()


@pytest.mark.parametrize(
    "url_name,kind",
    [("claims:detail", "claim"), ("api:claim-detail", "claim"), ("api:article-detail", "article")],
)
def test_a_draft_answers_like_an_id_that_never_existed(client, db, url_name, kind):
    draft = claim_in(Status.DRAFT) if kind == "claim" else article_in(Status.DRAFT)
    hidden_url = reverse(url_name, kwargs={"pk": draft.pk})
    missing_url = reverse(url_name, kwargs={"pk": MISSING_ID})

    hidden = client.get(hidden_url)
    missing = client.get(missing_url)

    assert hidden.status_code == missing.status_code == 404
    # The same page but for the address it names.
    assert hidden.content.decode().replace(hidden_url, "URL") == missing.content.decode().replace(
        missing_url, "URL"
    )
