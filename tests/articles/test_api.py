"""/api/v1/articles/ and /api/v1/outlets/."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.api.views import OutletViewSet
from articles.models import Article, Language, Outlet
from claims.api.articles import ArticleViewSet
from core.models import DatePrecision, PublicationStatus
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ExpertFactory,
    OutletFactory,
    QuoteFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

ARTICLES = reverse("api:article-list")
OUTLETS = reverse("api:outlet-list")


def article_url(article):
    return reverse("api:article-detail", kwargs={"pk": article.pk})


def outlet_url(outlet):
    return reverse("api:outlet-detail", kwargs={"pk": outlet.pk})


def slugs(response):
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def errors(response):
    assert response.status_code == 400, response.content
    return response.json()["errors"]


def not_found(response):
    """The `errors` of a 404 for a filter value that names nothing."""
    assert response.status_code == 404, response.content
    return response.json()["errors"]


def all_pages(client, url, params):
    """Every row's slug, following `next` links."""
    found = []
    response = client.get(url, params)
    while True:
        found += slugs(response)
        following = response.json()["next"]
        if following is None:
            return found
        response = client.get(following)


def query_count(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(queries)


# /api/v1/articles/: content


def test_article_list_item_has_the_summary_fields_and_no_body(client):
    ArticleFactory()
    [row] = client.get(ARTICLES).json()["results"]
    assert set(row) == {
        "id",
        "slug",
        "url",
        "html_url",
        "title",
        "outlet",
        "byline",
        "source_url",
        "published_on",
        "published_precision",
        "language",
        "standfirst",
        "topics",
        "translations",
        "quote_count",
        "claims_url",
        "quotes_url",
        "correction",
    }


def test_article_list_item_shows_the_article(client):
    article = ArticleFactory(
        title="China’s leverage",
        byline="V. Reporter",
        source_url="https://news.example.org/leverage",
        published_on=datetime.date(2024, 6, 1),
        published_precision=DatePrecision.MONTH,
        language=Language.UKRAINIAN,
        standfirst="What Beijing can do.",
    )
    [row] = client.get(ARTICLES).json()["results"]
    assert row["id"] == article.pk
    assert row["slug"] == article.slug
    assert row["title"] == "China’s leverage"
    assert row["byline"] == "V. Reporter"
    assert row["source_url"] == "https://news.example.org/leverage"
    assert row["published_on"] == "2024-06-01"
    assert row["published_precision"] == "month"
    assert row["language"] == "uk"
    assert row["standfirst"] == "What Beijing can do."


def test_article_without_a_source_url_has_null(client):
    ArticleFactory(source_url="")
    [row] = client.get(ARTICLES).json()["results"]
    assert row["source_url"] is None


def test_article_links_its_api_detail_and_public_page(client):
    article = ArticleFactory()
    [row] = client.get(ARTICLES).json()["results"]
    assert row["url"] == f"http://testserver{article_url(article)}"
    assert row["html_url"] == f"http://testserver{article.get_absolute_url()}"


def test_article_nests_its_outlet_summary(client):
    outlet = OutletFactory(name="24 Channel", slug="24-channel")
    ArticleFactory(outlet=outlet)
    [row] = client.get(ARTICLES).json()["results"]
    assert row["outlet"] == {
        "slug": "24-channel",
        "name": "24 Channel",
        "url": f"http://testserver{outlet_url(outlet)}",
    }


def test_article_nests_its_topics(client):
    ArticleFactory(topics=[TopicFactory(slug="china-role", title="China's role")])
    [row] = client.get(ARTICLES).json()["results"]
    assert row["topics"] == [{"slug": "china-role", "title": "China's role"}]


def test_article_links_its_claims_and_quotes_lists(client):
    ArticleFactory(slug="the-story")
    [row] = client.get(ARTICLES).json()["results"]
    assert row["claims_url"] == "http://testserver/api/v1/claims/?article=the-story"
    assert row["quotes_url"] == "http://testserver/api/v1/quotes/?article=the-story"


def test_quote_count_counts_only_quotes_of_published_claims(client):
    article = ArticleFactory()
    QuoteFactory(article=article)
    QuoteFactory(article=article, claim=ClaimFactory(status=PublicationStatus.DRAFT))
    [row] = client.get(ARTICLES).json()["results"]
    assert row["quote_count"] == 1


def test_original_lists_its_published_translations(client):
    original = ArticleFactory(slug="original", language=Language.ENGLISH)
    translation = ArticleFactory(
        slug="translation", language=Language.UKRAINIAN, translation_of=original
    )
    response = client.get(article_url(original))
    assert response.json()["translations"] == [
        {
            "slug": "translation",
            "language": "uk",
            "url": f"http://testserver{article_url(translation)}",
        }
    ]


def test_translation_lists_its_original_and_siblings_but_not_itself(client):
    original = ArticleFactory(slug="original", language=Language.ENGLISH)
    translation = ArticleFactory(
        slug="translation", language=Language.UKRAINIAN, translation_of=original
    )
    ArticleFactory(slug="sibling", language=Language.RUSSIAN, translation_of=original)
    response = client.get(article_url(translation))
    assert [t["slug"] for t in response.json()["translations"]] == ["original", "sibling"]


def test_unpublished_versions_are_not_listed_as_translations(client):
    original = ArticleFactory(slug="original", status=PublicationStatus.DRAFT)
    translation = ArticleFactory(slug="translation", translation_of=original)
    ArticleFactory(slug="sibling", translation_of=original, status=PublicationStatus.IN_REVIEW)
    assert client.get(article_url(translation)).json()["translations"] == []


def test_article_detail_includes_the_body(client):
    article = ArticleFactory(body="First paragraph.\n\nSecond paragraph.")
    response = client.get(article_url(article))
    assert response.status_code == 200
    assert response.json()["body"] == "First paragraph.\n\nSecond paragraph."


def test_article_list_has_no_count_under_cursor_pagination(client):
    ArticleFactory()
    assert set(client.get(ARTICLES).json()) == {"next", "previous", "results"}


# /api/v1/articles/: drafts


@pytest.mark.parametrize("status", [PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW])
def test_unpublished_article_is_absent_from_the_list(client, status):
    ArticleFactory(slug="public")
    ArticleFactory(slug="hidden", status=status)
    assert slugs(client.get(ARTICLES)) == ["public"]


@pytest.mark.parametrize("status", [PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW])
def test_unpublished_article_detail_is_404(client, status):
    article = ArticleFactory(status=status)
    response = client.get(article_url(article))
    assert response.status_code == 404
    assert "detail" in response.json()


def test_article_detail_with_a_non_integer_id_is_404(client):
    response = client.get(reverse("api:article-detail", kwargs={"pk": "abc"}))
    assert response.status_code == 404


# /api/v1/articles/: filters


def test_outlet_filter_keeps_the_outlets_articles(client):
    outlet = OutletFactory(slug="24-channel")
    ArticleFactory(slug="in-outlet", outlet=outlet)
    ArticleFactory(slug="elsewhere")
    assert slugs(client.get(ARTICLES, {"outlet": "24-channel"})) == ["in-outlet"]


def test_outlet_filter_with_an_unknown_slug_is_404(client):
    assert "outlet" in not_found(client.get(ARTICLES, {"outlet": "no-such-outlet"}))


def test_language_filter_keeps_articles_in_the_language(client):
    ArticleFactory(slug="ukrainian", language=Language.UKRAINIAN)
    ArticleFactory(slug="english", language=Language.ENGLISH)
    assert slugs(client.get(ARTICLES, {"language": "uk"})) == ["ukrainian"]


def test_language_filter_with_an_unknown_language_is_400(client):
    assert "language" in errors(client.get(ARTICLES, {"language": "klingon"}))


def test_topic_filter_includes_sub_topics(client):
    topic = TopicFactory(slug="china-role")
    sub_topic = TopicFactory(parent=topic)
    ArticleFactory(slug="on-topic", topics=[topic], published_on=datetime.date(2024, 6, 2))
    ArticleFactory(slug="on-sub-topic", topics=[sub_topic], published_on=datetime.date(2024, 6, 1))
    ArticleFactory(slug="off-topic", topics=[TopicFactory()])
    assert slugs(client.get(ARTICLES, {"topic": "china-role"})) == ["on-topic", "on-sub-topic"]


def test_topic_filter_does_not_include_parent_topics(client):
    topic = TopicFactory()
    TopicFactory(slug="sub", parent=topic)
    ArticleFactory(topics=[topic])
    assert slugs(client.get(ARTICLES, {"topic": "sub"})) == []


def test_topic_filter_lists_an_article_filed_under_two_sub_topics_once(client):
    topic = TopicFactory(slug="china-role")
    ArticleFactory(slug="story", topics=[TopicFactory(parent=topic), TopicFactory(parent=topic)])
    assert slugs(client.get(ARTICLES, {"topic": "china-role"})) == ["story"]


def test_topic_filter_with_an_unknown_slug_is_404(client):
    assert "topic" in not_found(client.get(ARTICLES, {"topic": "no-such-topic"}))


def test_expert_filter_keeps_articles_quoting_the_expert(client):
    expert = ExpertFactory(slug="musienko")
    QuoteFactory(claim=ClaimFactory(speaker=expert), article=ArticleFactory(slug="quoting"))
    QuoteFactory(article=ArticleFactory(slug="quoting-someone-else"))
    assert slugs(client.get(ARTICLES, {"expert": "musienko"})) == ["quoting"]


def test_expert_filter_ignores_quotes_of_unpublished_claims(client):
    expert = ExpertFactory(slug="musienko")
    ClaimFactory(speaker=expert)  # a published claim makes the expert public
    draft = ClaimFactory(speaker=expert, status=PublicationStatus.DRAFT)
    QuoteFactory(claim=draft, article=ArticleFactory())
    assert slugs(client.get(ARTICLES, {"expert": "musienko"})) == []


def test_expert_filter_with_an_unknown_slug_is_404(client):
    assert "expert" in not_found(client.get(ARTICLES, {"expert": "nobody"}))


def test_expert_filter_with_an_expert_without_published_claims_is_404(client):
    ClaimFactory(speaker=ExpertFactory(slug="unpublished"), status=PublicationStatus.DRAFT)
    assert "expert" in not_found(client.get(ARTICLES, {"expert": "unpublished"}))


def test_published_after_keeps_articles_from_that_day_on(client):
    ArticleFactory(slug="on-the-day", published_on=datetime.date(2024, 6, 19))
    ArticleFactory(slug="before", published_on=datetime.date(2024, 6, 18))
    assert slugs(client.get(ARTICLES, {"published_after": "2024-06-19"})) == ["on-the-day"]


def test_published_before_keeps_articles_up_to_that_day(client):
    ArticleFactory(slug="on-the-day", published_on=datetime.date(2024, 6, 19))
    ArticleFactory(slug="after", published_on=datetime.date(2024, 6, 20))
    assert slugs(client.get(ARTICLES, {"published_before": "2024-06-19"})) == ["on-the-day"]


@pytest.mark.parametrize("parameter", ["published_after", "published_before"])
def test_a_bad_date_is_400_naming_the_parameter(client, parameter):
    assert list(errors(client.get(ARTICLES, {parameter: "2024-13-01"}))) == [parameter]


@pytest.mark.parametrize(
    "field, text",
    [("title", "Beijing's Leverage"), ("standfirst", "beijing's leverage"), ("body", "BEIJING")],
)
def test_q_finds_text_in_title_standfirst_or_body_ignoring_case(client, field, text):
    ArticleFactory(slug="match", **{field: "What Beijing's leverage means."})
    ArticleFactory(slug="other")
    assert slugs(client.get(ARTICLES, {"q": text})) == ["match"]


def test_q_without_a_match_gives_an_empty_list(client):
    ArticleFactory()
    assert slugs(client.get(ARTICLES, {"q": "Antarctica"})) == []


def test_filters_combine(client):
    outlet = OutletFactory(slug="24-channel")
    ArticleFactory(slug="both", outlet=outlet, language=Language.UKRAINIAN)
    ArticleFactory(slug="outlet-only", outlet=outlet, language=Language.ENGLISH)
    ArticleFactory(slug="language-only", language=Language.UKRAINIAN)
    response = client.get(ARTICLES, {"outlet": "24-channel", "language": "uk"})
    assert slugs(response) == ["both"]


def test_every_bad_parameter_is_reported_at_once(client):
    response = client.get(ARTICLES, {"topic": "no-such-topic", "published_after": "June"})
    assert set(errors(response)) == {"topic", "published_after"}


def test_an_unknown_parameter_is_400_naming_it(client):
    response = client.get(ARTICLES, {"author": "someone"})
    assert list(errors(response)) == ["author"]
    assert response.json()["detail"]


# /api/v1/articles/: ordering and pagination


def test_articles_are_newest_first_by_default(client):
    ArticleFactory(slug="older", published_on=datetime.date(2023, 9, 1))
    ArticleFactory(slug="newer", published_on=datetime.date(2024, 6, 20))
    assert slugs(client.get(ARTICLES)) == ["newer", "older"]


def test_articles_of_the_same_day_are_latest_added_first(client):
    ArticleFactory(slug="first")
    ArticleFactory(slug="second")
    assert slugs(client.get(ARTICLES)) == ["second", "first"]


@pytest.mark.parametrize(
    "ordering, expected",
    [
        ("published_on", ["older", "newer"]),
        ("-published_on", ["newer", "older"]),
        ("created", ["newer", "older"]),
        ("-id", ["older", "newer"]),
    ],
)
def test_articles_order_by_an_allowed_field(client, ordering, expected):
    ArticleFactory(slug="newer", published_on=datetime.date(2024, 6, 20))
    ArticleFactory(slug="older", published_on=datetime.date(2023, 9, 1))
    assert slugs(client.get(ARTICLES, {"ordering": ordering})) == expected


def test_ordering_by_a_field_not_allowed_is_400(client):
    assert list(errors(client.get(ARTICLES, {"ordering": "title"}))) == ["ordering"]


def test_page_size_sets_the_number_of_articles(client):
    ArticleFactory.create_batch(3)
    assert len(slugs(client.get(ARTICLES, {"page_size": 2}))) == 2


def test_page_size_over_100_is_400(client):
    assert list(errors(client.get(ARTICLES, {"page_size": 101}))) == ["page_size"]


def test_a_non_integer_page_size_is_400(client):
    assert list(errors(client.get(ARTICLES, {"page_size": "ten"}))) == ["page_size"]


def test_cursor_pages_go_through_every_article_once(client):
    for day in range(1, 8):
        ArticleFactory(slug=f"day-{day}", published_on=datetime.date(2024, 6, day))
    found = all_pages(client, ARTICLES, {"page_size": 3})
    assert found == [f"day-{day}" for day in range(7, 0, -1)]


def test_cursor_pages_tie_on_the_date_without_losing_articles(client):
    ArticleFactory.create_batch(7, published_on=datetime.date(2024, 6, 1))
    found = all_pages(client, ARTICLES, {"page_size": 3})
    assert sorted(found) == sorted(Article.objects.values_list("slug", flat=True))
    assert len(found) == 7


def test_cursor_is_stable_when_a_new_article_arrives_between_pages(client):
    for day in range(1, 7):
        ArticleFactory(slug=f"day-{day}", published_on=datetime.date(2024, 6, day))
    first = client.get(ARTICLES, {"page_size": 3}).json()
    ArticleFactory(slug="breaking", published_on=datetime.date(2024, 6, 30))
    second = client.get(first["next"]).json()
    seen = [row["slug"] for row in first["results"] + second["results"]]
    assert seen == ["day-6", "day-5", "day-4", "day-3", "day-2", "day-1"]


def test_cursor_is_stable_when_an_older_article_arrives_between_pages(client):
    for day in range(1, 7):
        ArticleFactory(slug=f"day-{day:02}", published_on=datetime.date(2024, 6, day * 2))
    first = client.get(ARTICLES, {"page_size": 3}).json()
    ArticleFactory(slug="late-import", published_on=datetime.date(2024, 6, 5))
    rest = all_pages(client, first["next"], {})
    seen = [row["slug"] for row in first["results"]] + rest
    assert seen == ["day-06", "day-05", "day-04", "day-03", "late-import", "day-02", "day-01"]


def test_cursor_keeps_the_filters_and_page_size(client):
    ArticleFactory.create_batch(3, language=Language.UKRAINIAN)
    following = client.get(ARTICLES, {"language": "uk", "page_size": 2}).json()["next"]
    query = parse_qs(urlsplit(following).query)
    assert query["language"] == ["uk"]
    assert query["page_size"] == ["2"]


# /api/v1/articles/: queries


def articles_with_everything(pairs):
    """`pairs` days, each with an original and its translation, filed and quoted."""
    topic = TopicFactory()
    for day in range(pairs):
        published_on = datetime.date(2024, 1, 1) + datetime.timedelta(days=day)
        original = ArticleFactory(published_on=published_on, topics=[topic, TopicFactory()])
        translation = ArticleFactory(
            published_on=published_on, language=Language.UKRAINIAN, translation_of=original
        )
        QuoteFactory(article=original)
        QuoteFactory(article=translation)


def test_article_list_runs_the_same_queries_whatever_the_page_size(client):
    articles_with_everything(30)
    small = query_count(client, ARTICLES, {"page_size": 5})
    large = query_count(client, ARTICLES, {"page_size": 50})
    assert small == large


def test_article_list_runs_five_queries(client, django_assert_num_queries):
    articles_with_everything(3)
    # The ETag's aggregates; articles with outlet, original and quote count; topics;
    # translations; the originals' translations.
    with django_assert_num_queries(5):
        assert client.get(ARTICLES, {"page_size": 5}).status_code == 200


def test_article_freshness_fields_are_lookups_the_database_understands():
    Article.objects.aggregate(*(Max(path) for path in ArticleViewSet.freshness_fields))


# /api/v1/outlets/


def public_outlet(**fields):
    """An outlet readers see: one with a published article (OutletQuerySet.public)."""
    outlet = OutletFactory(**fields)
    ArticleFactory(outlet=outlet)
    return outlet


@pytest.mark.parametrize(
    "status", [PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.WITHDRAWN]
)
def test_outlet_without_a_published_article_is_not_listed(client, status):
    ArticleFactory(outlet=OutletFactory(slug="unused"), status=status)

    assert slugs(client.get(OUTLETS)) == []


def test_outlet_without_a_published_article_is_a_404(client):
    outlet = OutletFactory()

    assert client.get(outlet_url(outlet)).status_code == 404


def test_outlet_is_listed_once_an_article_of_it_is_published(client, editor):
    from articles.services import article_publish

    article = ArticleFactory(outlet=OutletFactory(slug="new"), status=PublicationStatus.IN_REVIEW)
    article_publish(article=article, user=editor)

    assert slugs(client.get(OUTLETS)) == ["new"]


def test_outlet_list_item_shows_the_outlet(client):
    outlet = public_outlet(
        name="24 Channel",
        slug="24-channel",
        home_url="https://24tv.ua/",
        country="UA",
        language=Language.UKRAINIAN,
    )
    [row] = client.get(OUTLETS).json()["results"]
    assert row == {
        "id": outlet.pk,
        "slug": "24-channel",
        "name": "24 Channel",
        "url": f"http://testserver{outlet_url(outlet)}",
        "html_url": f"http://testserver{outlet.get_absolute_url()}",
        "home_url": "https://24tv.ua/",
        "country": "UA",
        "language": "uk",
        "article_count": 1,
        "articles_url": "http://testserver/api/v1/articles/?outlet=24-channel",
    }


def test_outlet_without_a_home_url_has_null(client):
    public_outlet(home_url="")
    [row] = client.get(OUTLETS).json()["results"]
    assert row["home_url"] is None


def test_outlet_article_count_counts_published_articles_only(client):
    outlet = OutletFactory()
    ArticleFactory.create_batch(2, outlet=outlet)
    ArticleFactory(outlet=outlet, status=PublicationStatus.DRAFT)
    [row] = client.get(OUTLETS).json()["results"]
    assert row["article_count"] == 2


def test_outlet_detail_shows_the_outlet(client):
    outlet = public_outlet(slug="24-channel")
    response = client.get(outlet_url(outlet))
    assert response.status_code == 200
    assert response.json()["slug"] == "24-channel"


def test_outlet_detail_of_a_missing_id_is_404(client):
    response = client.get(reverse("api:outlet-detail", kwargs={"pk": 999}))
    assert response.status_code == 404


def test_outlet_list_is_page_numbered(client):
    [public_outlet() for _ in range(3)]
    body = client.get(OUTLETS, {"page_size": 2}).json()
    assert body["count"] == 3
    assert parse_qs(urlsplit(body["next"]).query)["page"] == ["2"]


def test_country_filter_keeps_the_countrys_outlets(client):
    public_outlet(slug="ukrainian", country="UA")
    public_outlet(slug="polish", country="PL")
    assert slugs(client.get(OUTLETS, {"country": "UA"})) == ["ukrainian"]


@pytest.mark.parametrize("country", ["Ukraine", "ua", "U1"])
def test_country_filter_with_a_malformed_code_is_400(client, country):
    assert list(errors(client.get(OUTLETS, {"country": country}))) == ["country"]


def test_outlet_language_filter_keeps_outlets_in_the_language(client):
    public_outlet(slug="ukrainian", language=Language.UKRAINIAN)
    public_outlet(slug="english", language=Language.ENGLISH)
    assert slugs(client.get(OUTLETS, {"language": "uk"})) == ["ukrainian"]


def test_outlet_language_filter_with_an_unknown_language_is_400(client):
    assert list(errors(client.get(OUTLETS, {"language": "xx"}))) == ["language"]


def test_outlet_q_finds_text_in_the_name_ignoring_case(client):
    public_outlet(slug="channel", name="24 Channel")
    public_outlet(slug="rbc", name="RBC-Ukraine")
    assert slugs(client.get(OUTLETS, {"q": "CHANNEL"})) == ["channel"]
    assert slugs(client.get(OUTLETS, {"q": "Reuters"})) == []


def test_outlet_list_rejects_an_unknown_parameter(client):
    assert list(errors(client.get(OUTLETS, {"topic": "x"}))) == ["topic"]


def test_outlets_are_by_name_by_default(client):
    public_outlet(slug="b", name="Beta")
    public_outlet(slug="a", name="Alpha")
    assert slugs(client.get(OUTLETS)) == ["a", "b"]


def test_outlets_order_by_name_descending(client):
    public_outlet(slug="a", name="Alpha")
    public_outlet(slug="b", name="Beta")
    assert slugs(client.get(OUTLETS, {"ordering": "-name"})) == ["b", "a"]


def test_outlet_ordering_by_a_field_not_allowed_is_400(client):
    assert list(errors(client.get(OUTLETS, {"ordering": "country"}))) == ["ordering"]


def test_outlet_page_size_over_100_is_400(client):
    assert list(errors(client.get(OUTLETS, {"page_size": 500}))) == ["page_size"]


def test_outlet_list_runs_the_same_queries_whatever_the_page_size(client):
    for outlet in OutletFactory.create_batch(60):
        ArticleFactory(outlet=outlet)
    assert query_count(client, OUTLETS, {"page_size": 5}) == query_count(
        client, OUTLETS, {"page_size": 50}
    )


def test_outlet_list_runs_three_queries(client, django_assert_num_queries):
    ArticleFactory.create_batch(3)
    with django_assert_num_queries(3):  # the ETag's aggregates, the count and the page
        assert client.get(OUTLETS).status_code == 200


def test_outlet_freshness_fields_are_lookups_the_database_understands():
    Outlet.objects.aggregate(*(Max(path) for path in OutletViewSet.freshness_fields))
