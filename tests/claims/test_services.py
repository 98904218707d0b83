import datetime

import pytest
from django.core.exceptions import ValidationError

from articles.services import articles_publish, articles_unpublish
from claims.models import Claim, ClaimProvision, Quote
from claims.services import claim_create, claims_publish, quote_create
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ExpertFactory,
    ProvisionFactory,
    TopicFactory,
    UserFactory,
)


def test_claim_create_saves_topics_provisions_and_quotes(db):
    article = ArticleFactory()
    topic = TopicFactory()
    provision = ProvisionFactory()
    claim = claim_create(
        speaker=ExpertFactory(),
        summary="China can stop the alliance.",
        kind=Claim.Kind.ASSESSMENT,
        made_on=datetime.date(2024, 6, 20),
        topics=[(topic, "no")],
        provisions=[(provision, ClaimProvision.Relation.INTERPRETS, "")],
        quotes=[(article, "China has the leverage to stop it")],
    )
    assert claim.topic_links.get().stance == "no"
    assert claim.provision_links.get().provision == provision
    quote = claim.quotes.get()
    assert article.body[quote.start : quote.end] == quote.text


def test_claim_create_writes_nothing_when_a_quote_is_not_in_the_body(db):
    article = ArticleFactory()
    with pytest.raises(ValidationError):
        claim_create(
            speaker=ExpertFactory(),
            summary="Invented.",
            kind=Claim.Kind.ASSESSMENT,
            made_on=datetime.date(2024, 6, 20),
            topics=[(TopicFactory(), "")],
            quotes=[(article, "words nobody said")],
        )
    assert not Claim.objects.exists()
    assert not Quote.objects.exists()


def test_quote_create_picks_an_explicit_occurrence(db):
    article = ArticleFactory(body="Red lines. Then red lines again.")
    quote = quote_create(claim=ClaimFactory(), article=article, text="red lines", occurrence=1)
    assert quote.start == article.body.index("red lines")


def test_quote_create_records_who_made_it(db):
    user = UserFactory()
    quote = quote_create(
        claim=ClaimFactory(),
        article=ArticleFactory(),
        text="China has the leverage to stop it",
        user=user,
    )
    assert quote.updated_by == user
    assert quote.history.get().history_type == "+"


def test_publish_moves_drafts_and_stamps_the_editor(db):
    user = UserFactory()
    draft = ClaimFactory(status="draft")
    ClaimFactory(status="published")
    changed = claims_publish(claims=Claim.objects.all(), user=user)
    draft.refresh_from_db()
    assert changed == 1
    assert draft.status == "published"
    assert draft.updated_by == user


def test_unpublish_returns_articles_to_draft(db):
    article = ArticleFactory(status="published")
    changed = articles_unpublish(articles=type(article).objects.filter(pk=article.pk))
    article.refresh_from_db()
    assert changed == 1
    assert article.status == "draft"


def test_publishing_twice_changes_nothing_the_second_time(db):
    article = ArticleFactory(status="draft")
    queryset = type(article).objects.filter(pk=article.pk)
    assert articles_publish(articles=queryset) == 1
    assert articles_publish(articles=queryset) == 0
    assert article.history.count() == 2


def test_publish_accepts_an_annotated_distinct_queryset(db):
    from django.db.models import Count

    draft = ClaimFactory(status="draft")
    annotated = Claim.objects.annotate(n=Count("quotes", distinct=True)).distinct()
    assert claims_publish(claims=annotated) == 1
    draft.refresh_from_db()
    assert draft.status == "published"
