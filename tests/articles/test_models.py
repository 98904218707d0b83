import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from articles.models import Article
from articles.services import article_update_body
from tests.factories import ArticleFactory, OutletFactory, QuoteFactory


def test_outlet_slug_is_unique(db):
    OutletFactory(slug="24-channel")
    with pytest.raises(IntegrityError), transaction.atomic():
        OutletFactory(slug="24-channel")


def test_article_slug_is_unique(db):
    ArticleFactory(slug="risks")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(slug="risks")


def test_article_source_url_is_unique_when_present(db):
    ArticleFactory(source_url="https://24tv.ua/story")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(source_url="https://24tv.ua/story")


def test_articles_without_source_url_may_coexist(db):
    ArticleFactory(source_url="")
    ArticleFactory(source_url="")
    assert Article.objects.filter(source_url="").count() == 2


def test_deleting_an_article_with_quotes_is_refused(db):
    quote = QuoteFactory()
    with pytest.raises(ProtectedError):
        quote.article.delete()
    assert Article.objects.filter(pk=quote.article.pk).exists()


def test_deleting_an_article_without_quotes_is_allowed(db):
    article = ArticleFactory()
    article.delete()
    assert not Article.objects.filter(pk=article.pk).exists()


def test_clean_turns_crlf_into_lf(db):
    article = ArticleFactory.build(body="One.\r\n\r\nTwo.", outlet=OutletFactory())
    article.full_clean()
    assert article.body == "One.\n\nTwo."


def test_body_edit_that_removes_quoted_text_validates(db):
    # Quotes are re-anchored (or orphaned) by article_update_body, not refused by clean().
    quote = QuoteFactory()
    article = quote.article
    article.body = article.body.replace("leverage", "means")
    assert quote.text not in article.body

    article.full_clean()  # raises ValidationError if clean() refused the edit

    quote.refresh_from_db()
    assert not quote.orphaned  # clean() leaves the quotes alone


def test_body_edit_that_keeps_quotes_in_place_is_allowed(db):
    quote = QuoteFactory()
    article = quote.article
    start, end = quote.start, quote.end
    new_body = article.body + "\n\nA new closing paragraph."

    article_update_body(article=article, body=new_body)

    quote.refresh_from_db()
    assert Article.objects.get(pk=article.pk).body == new_body
    assert (quote.start, quote.end, quote.orphaned) == (start, end, False)
    assert new_body[quote.start : quote.end] == quote.text


def test_translation_links_to_the_original(db):
    original = ArticleFactory(language="uk")
    english = ArticleFactory(language="en", translation_of=original)
    assert list(original.translations.all()) == [english]
    assert english.story_root == original


def test_translation_of_a_translation_is_refused(db):
    original = ArticleFactory()
    english = ArticleFactory(translation_of=original)
    russian = ArticleFactory.build(translation_of=english, outlet=original.outlet)
    with pytest.raises(ValidationError) as error:
        russian.full_clean()
    assert "original" in str(error.value.message_dict["translation_of"])


def test_article_cannot_translate_itself(db):
    article = ArticleFactory()
    article.translation_of = article
    with pytest.raises(ValidationError):
        article.full_clean()


def test_published_queryset_excludes_drafts_and_reviews(db):
    published = ArticleFactory(status="published")
    ArticleFactory(status="draft")
    ArticleFactory(status="in_review")
    assert list(Article.objects.published()) == [published]


def test_month_precision_date_displays_without_a_day(db):
    article = ArticleFactory.build(published_precision="month")
    assert article.published_display == "June 2024"
