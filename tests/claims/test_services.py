import datetime

import pytest
from django.core.exceptions import ValidationError

from claims.models import Claim, ClaimProvision, Quote
from claims.services import claim_create, quote_create
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EditorFactory,
    ExpertFactory,
    ProvisionFactory,
    TopicFactory,
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
    # The service checks the user may edit the (published) claim: an editor may.
    user = EditorFactory()
    quote = quote_create(
        claim=ClaimFactory(),
        article=ArticleFactory(),
        text="China has the leverage to stop it",
        user=user,
    )
    assert quote.updated_by == user
    assert quote.history.get().history_type == "+"
