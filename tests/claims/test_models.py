import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from claims.models import Claim, Provision, Quote, address_from_number, locate
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ClaimProvisionFactory,
    ClaimTopicFactory,
    ProvisionFactory,
    QuoteFactory,
    TopicFactory,
    TreatyFactory,
)

REPEATED_BODY = (
    "The West must send a signal. Analysts agree.\n\n"
    "Later he repeated: the West must send a signal. Nobody listened."
)


# Constraints, each violated once.


def test_topic_slug_is_unique(db):
    TopicFactory(slug="china-role")
    with pytest.raises(IntegrityError), transaction.atomic():
        TopicFactory(slug="china-role")


def test_treaty_slug_is_unique(db):
    TreatyFactory(slug="ru-dprk-2024")
    with pytest.raises(IntegrityError), transaction.atomic():
        TreatyFactory(slug="ru-dprk-2024")


def test_provision_address_is_unique_per_treaty(db):
    provision = ProvisionFactory(address="art_4")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProvisionFactory(treaty=provision.treaty, address="art_4")


def test_same_address_in_another_treaty_is_allowed(db):
    ProvisionFactory(address="art_4")
    ProvisionFactory(address="art_4")
    assert Provision.objects.filter(address="art_4").count() == 2


def test_provision_address_cannot_be_empty_in_the_database(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProvisionFactory(address="")


def test_claim_topic_link_is_unique(db):
    link = ClaimTopicFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimTopicFactory(claim=link.claim, topic=link.topic, stance="yes")


def test_claim_provision_link_is_unique(db):
    link = ClaimProvisionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimProvisionFactory(claim=link.claim, provision=link.provision, relation="disputes")


def test_only_predictions_have_an_outcome(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimFactory(kind=Claim.Kind.ASSESSMENT, outcome=Claim.Outcome.CAME_TRUE)


def test_prediction_defaults_to_a_pending_outcome(db):
    claim = ClaimFactory.build(kind=Claim.Kind.PREDICTION, speaker=ClaimFactory().speaker)
    claim.full_clean()
    assert claim.outcome == Claim.Outcome.PENDING


def test_quote_start_must_come_before_end(db):
    quote = QuoteFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.filter(pk=quote.pk).update(end=quote.start, text="")


def test_quote_offsets_must_span_its_text(db):
    quote = QuoteFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.filter(pk=quote.pk).update(end=quote.end + 1)


def test_quote_offsets_must_lie_inside_the_article_body(db):
    quote = QuoteFactory()
    length = len(quote.article.body)
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.filter(pk=quote.pk).update(start=length, end=length + len(quote.text))


def test_database_refuses_quote_text_that_differs_from_the_body(db):
    quote = QuoteFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.filter(pk=quote.pk).update(text="x" * len(quote.text))


def test_database_refuses_a_quote_saved_without_anchoring(db):
    claim = ClaimFactory()
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.create(claim=claim, article=article, text="Putin", start=5, end=10)


def test_deleting_a_provision_cited_by_a_claim_is_refused(db):
    link = ClaimProvisionFactory()
    with pytest.raises(ProtectedError):
        link.provision.delete()


def test_deleting_a_topic_used_by_claims_is_refused(db):
    link = ClaimTopicFactory()
    with pytest.raises(ProtectedError):
        link.topic.delete()


# Quote anchoring: offsets are computed from the text.


def test_quote_offsets_are_computed_from_the_text(db):
    article = ArticleFactory(body="Intro.\n\nIt has the leverage to do so, he said.")
    quote = Quote(claim=ClaimFactory(), article=article, text="has the leverage")
    quote.full_clean()
    assert (quote.start, quote.end) == (11, 27)
    assert article.body[quote.start : quote.end] == "has the leverage"


def test_quote_not_in_the_body_is_rejected_naming_the_article(db):
    article = ArticleFactory(title="There are risks")
    quote = Quote(claim=ClaimFactory(), article=article, text="China will invade")
    with pytest.raises(ValidationError) as error:
        quote.full_clean()
    message = " ".join(error.value.message_dict["text"])
    assert "not found" in message
    assert "There are risks" in message


def test_quote_offsets_count_characters_in_non_ascii_text(db):
    body = "Олександр Мусієнко: «Китай має важелі, щоб це зупинити» — сказав він. 🇺🇦 Кінець."
    article = ArticleFactory(body=body)
    quote = QuoteFactory(article=article, text="Китай має важелі")
    assert quote.start == body.index("Китай")
    assert quote.end - quote.start == len("Китай має важелі")
    quote.refresh_from_db()
    assert article.body[quote.start : quote.end] == "Китай має важелі"


def test_curly_quotes_are_matched_verbatim(db):
    article = ArticleFactory(body="He said “red lines,” and left.")
    quote = QuoteFactory(article=article, text="“red lines,”")
    assert article.body[quote.start : quote.end] == "“red lines,”"


def test_repeated_phrase_takes_the_first_occurrence(db):
    article = ArticleFactory(body=REPEATED_BODY)
    quote = Quote(article=article, text="the West must send a signal")
    quote.anchor()
    assert quote.start == REPEATED_BODY.index("the West must send a signal")


def test_repeated_phrase_after_a_hint_takes_the_next_occurrence(db):
    article = ArticleFactory(body=REPEATED_BODY)
    quote = Quote(article=article, text="West must send a signal")
    quote.anchor(after=10)
    assert quote.start == REPEATED_BODY.rindex("West must send a signal")


def test_repeated_phrase_by_explicit_occurrence(db):
    article = ArticleFactory(body=REPEATED_BODY)
    quote = Quote(article=article, text="must send a signal")
    quote.anchor(occurrence=2)
    assert quote.start == REPEATED_BODY.rindex("must send a signal")


def test_occurrence_beyond_the_repeats_is_rejected(db):
    with pytest.raises(ValidationError) as error:
        locate(REPEATED_BODY, "must send a signal", occurrence=3, where="Signals")
    assert "only 2 time(s)" in str(error.value)


def test_quote_keeps_its_place_when_saved_again(db):
    article = ArticleFactory(body=REPEATED_BODY)
    quote = QuoteFactory(article=article, text="must send a signal")
    quote.anchor(occurrence=2)
    quote.save()
    quote.full_clean()
    assert quote.start == REPEATED_BODY.rindex("must send a signal")


def test_quote_text_is_normalised_before_matching(db):
    article = ArticleFactory(body="First line.\nSecond line.")
    quote = Quote(claim=ClaimFactory(), article=article, text="  First line.\r\nSecond  ")
    quote.full_clean()
    assert quote.text == "First line.\nSecond"


# Provisions and topics.


def test_citation_label_abbreviates_the_number(db):
    provision = ProvisionFactory(
        treaty=TreatyFactory(short_name="RU–DPRK Treaty (2024)"), number="Article 4"
    )
    assert provision.citation_label == "RU–DPRK Treaty (2024), Art. 4"


def test_citation_label_of_a_paragraph_names_its_article(db):
    article_4 = ProvisionFactory(
        treaty=TreatyFactory(short_name="RU–DPRK Treaty (2024)"),
        number="Article 4",
        address="art_4",
    )
    paragraph = ProvisionFactory(
        treaty=article_4.treaty, parent=article_4, number="Paragraph 1", address="art_4__para_1"
    )
    assert paragraph.citation_label == "RU–DPRK Treaty (2024), Art. 4, para. 1"


def test_address_is_filled_in_from_the_number(db):
    treaty = TreatyFactory()
    article_4 = ProvisionFactory(treaty=treaty, number="Article 4", address="art_4")
    paragraph = Provision(treaty=treaty, parent=article_4, number="Paragraph 2", order=2)
    paragraph.full_clean()
    assert paragraph.address == "art_4__para_2"


def test_address_from_roman_numbered_article():
    assert address_from_number("Article II") == "art_ii"


def test_malformed_address_is_rejected(db):
    provision = ProvisionFactory.build(treaty=TreatyFactory(), address="Art 4")
    with pytest.raises(ValidationError) as error:
        provision.full_clean()
    assert "address" in error.value.message_dict


def test_sub_provision_address_must_extend_its_parent(db):
    article_4 = ProvisionFactory(address="art_4")
    stray = Provision(
        treaty=article_4.treaty, parent=article_4, number="Paragraph 1", address="art_5__para_1"
    )
    with pytest.raises(ValidationError) as error:
        stray.full_clean()
    assert "art_4__" in str(error.value.message_dict["address"])


def test_parent_provision_must_be_in_the_same_treaty(db):
    other = ProvisionFactory()
    provision = Provision(treaty=TreatyFactory(), parent=other, number="Paragraph 1")
    with pytest.raises(ValidationError) as error:
        provision.full_clean()
    assert "parent" in error.value.message_dict


def test_topic_cannot_be_its_own_ancestor(db):
    parent = TopicFactory()
    child = TopicFactory(parent=parent)
    parent.parent = child
    with pytest.raises(ValidationError):
        parent.full_clean()


# Querysets.


def test_published_claims_about_a_topic_by_an_expert(db):
    link = ClaimTopicFactory()
    claim, topic = link.claim, link.topic
    ClaimTopicFactory(topic=topic, claim=ClaimFactory(status="draft", speaker=claim.speaker))
    ClaimTopicFactory(topic=topic)
    assert list(Claim.objects.published().about(topic).by(claim.speaker)) == [claim]


def test_public_quotes_need_a_published_claim_and_article(db):
    visible = QuoteFactory()
    QuoteFactory(claim=ClaimFactory(status="draft"))
    QuoteFactory(article=ArticleFactory(status="in_review"))
    assert list(Quote.objects.public()) == [visible]


def test_made_display_respects_precision(db):
    claim = ClaimFactory.build(made_on=datetime.date(2023, 9, 1), made_precision="month")
    assert claim.made_display == "September 2023"


def test_topic_clean_stops_at_an_existing_cycle_above_it(db):
    a = TopicFactory()
    b = TopicFactory(parent=a)
    Topic = type(a)
    Topic.objects.filter(pk=a.pk).update(parent=b)  # a cycle made behind validation's back
    child = TopicFactory.build(parent=Topic.objects.get(pk=b.pk))
    with pytest.raises(ValidationError):
        child.full_clean()


def test_new_provision_goes_after_the_last_one(db):
    treaty = TreatyFactory()
    ProvisionFactory(treaty=treaty, number="Article 1", address="art_1", order=7)
    provision = Provision(treaty=treaty, number="Article 2")
    provision.full_clean()
    assert provision.order == 8


def test_blank_quote_text_gives_one_error(db):
    quote = Quote(claim=ClaimFactory(), article=ArticleFactory(), text="  ")
    with pytest.raises(ValidationError) as error:
        quote.full_clean()
    assert len(error.value.message_dict["text"]) == 1
