"""HTTP caching of the API (core.api.caching): ETag, Last-Modified, 304, Cache-Control, Vary.

Most tests run against a small viewset defined here (outlets with their articles as the
embedded rows), so the behaviour of the base class is tested apart from any one resource;
the last ones check real endpoints.
"""

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.http import http_date
from rest_framework import routers, serializers

from articles.models import Article, Outlet
from claims.models import Topic
from core.api.caching import freshness
from core.api.keys import PartnerKey
from core.api.views import ReadOnlyViewSet
from core.models import PublicationStatus
from tests.factories import ArticleFactory, OutletFactory, TopicFactory

pytestmark = pytest.mark.django_db

STAMP = datetime.datetime(2025, 3, 1, 12, 0, tzinfo=datetime.UTC)


class OutletSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["id", "slug", "name"]


class OutletViewSet(ReadOnlyViewSet):
    queryset = Outlet.objects.all()
    serializer_class = OutletSerializer
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]
    freshness_fields = ("updated", "articles__updated")


router = routers.SimpleRouter()
router.register("outlets", OutletViewSet, basename="outlet")
urlpatterns = [path("api/", include((router.urls, "test"), namespace="test"))]

local_urls = pytest.mark.urls(__name__)
LIST = "/api/outlets/"


def detail(outlet):
    return f"/api/outlets/{outlet.pk}/"


@pytest.fixture(autouse=True)
def fresh_cache():
    """Throttle counters from other tests must not spill into these."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def outlets():
    return [OutletFactory(), OutletFactory()]


def stamp(obj, when):
    """Set `updated` without auto_now moving it to the present."""
    type(obj).objects.filter(pk=obj.pk).update(updated=when)


# The validators ------------------------------------------------------------------------------


@local_urls
def test_a_list_has_an_etag_and_a_last_modified(client, outlets):
    for outlet in outlets:
        stamp(outlet, STAMP)

    response = client.get(LIST)

    assert response.status_code == 200
    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"] == http_date(STAMP.timestamp())


@local_urls
def test_last_modified_is_the_newest_stamp_of_the_rows_and_their_embedded_rows(client, outlets):
    stamp(outlets[0], STAMP)
    stamp(outlets[1], STAMP)
    article = ArticleFactory(outlet=outlets[1])
    stamp(article, STAMP + datetime.timedelta(days=1))

    response = client.get(LIST)

    assert response["Last-Modified"] == http_date((STAMP + datetime.timedelta(days=1)).timestamp())


@local_urls
def test_a_detail_has_an_etag_and_a_last_modified(client, outlets):
    stamp(outlets[0], STAMP)

    response = client.get(detail(outlets[0]))

    assert response.status_code == 200
    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"] == http_date(STAMP.timestamp())


@local_urls
def test_an_empty_list_has_an_etag_but_no_last_modified(client):
    response = client.get(LIST)

    assert response.status_code == 200
    assert response.json()["results"] == []
    assert response.has_header("ETag")
    assert not response.has_header("Last-Modified")


# Conditional requests ------------------------------------------------------------------------


@local_urls
def test_a_matching_if_none_match_gets_a_304_without_a_body(client, outlets):
    etag = client.get(LIST)["ETag"]

    response = client.get(LIST, headers={"if-none-match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


@local_urls
def test_a_304_does_not_serialize_the_rows(client, outlets):
    etag = client.get(LIST)["ETag"]

    with mock.patch.object(OutletViewSet, "get_serializer") as get_serializer:
        response = client.get(LIST, headers={"if-none-match": etag})

    assert response.status_code == 304
    get_serializer.assert_not_called()


@local_urls
def test_a_list_304_costs_one_query(client, outlets, django_assert_num_queries):
    etag = client.get(LIST)["ETag"]

    with django_assert_num_queries(1):
        assert client.get(LIST, headers={"if-none-match": etag}).status_code == 304


@local_urls
def test_the_validators_cost_one_query_on_a_200(client, outlets):
    with CaptureQueriesContext(connection) as queries:
        client.get(LIST)

    freshness_queries = [q for q in queries if "UNION ALL" in q["sql"]]
    assert len(freshness_queries) == 1


@local_urls
def test_a_detail_304_costs_one_query_and_no_serialization(
    client, outlets, django_assert_num_queries
):
    etag = client.get(detail(outlets[0]))["ETag"]

    with (
        mock.patch.object(OutletViewSet, "get_serializer") as get_serializer,
        django_assert_num_queries(1),
    ):
        response = client.get(detail(outlets[0]), headers={"if-none-match": etag})

    assert response.status_code == 304
    get_serializer.assert_not_called()


@local_urls
def test_a_head_request_with_a_matching_etag_gets_a_304(client, outlets):
    etag = client.get(LIST)["ETag"]

    assert client.head(LIST, headers={"if-none-match": etag}).status_code == 304


@local_urls
def test_if_modified_since_the_newest_stamp_gets_a_304(client, outlets):
    for outlet in outlets:
        stamp(outlet, STAMP)

    response = client.get(LIST, headers={"if-modified-since": http_date(STAMP.timestamp())})

    assert response.status_code == 304


@local_urls
def test_if_modified_since_before_the_newest_stamp_gets_a_200(client, outlets):
    for outlet in outlets:
        stamp(outlet, STAMP)
    earlier = STAMP - datetime.timedelta(minutes=1)

    response = client.get(LIST, headers={"if-modified-since": http_date(earlier.timestamp())})

    assert response.status_code == 200


@local_urls
def test_a_failed_if_match_is_a_412_with_a_json_detail(client, outlets):
    response = client.get(LIST, headers={"if-match": 'W/"something-else"'})

    assert response.status_code == 412
    assert "detail" in response.json()


# What changes the validators -----------------------------------------------------------------


@local_urls
def test_editing_a_row_changes_the_etag(client, outlets):
    before = client.get(LIST)["ETag"]

    outlets[0].name = "Renamed"
    outlets[0].save()

    assert client.get(LIST)["ETag"] != before


@local_urls
def test_a_stale_if_none_match_gets_a_200_with_the_new_rows(client, outlets):
    stale = client.get(LIST)["ETag"]
    outlets[0].name = "Renamed"
    outlets[0].save()

    response = client.get(LIST, headers={"if-none-match": stale})

    assert response.status_code == 200
    assert "Renamed" in [row["name"] for row in response.json()["results"]]
    assert response["ETag"] != stale


@local_urls
def test_a_new_row_changes_the_etag(client, outlets):
    before = client.get(LIST)["ETag"]

    OutletFactory()

    assert client.get(LIST)["ETag"] != before


@local_urls
def test_a_deleted_row_changes_the_etag_even_if_it_was_not_the_newest(client, outlets):
    stamp(outlets[0], STAMP)
    before = client.get(LIST)["ETag"]

    outlets[0].delete()

    assert client.get(LIST)["ETag"] != before


@local_urls
def test_editing_an_embedded_row_changes_the_etag(client, outlets):
    article = ArticleFactory(outlet=outlets[0])
    before = client.get(LIST)["ETag"]

    article.title = "A corrected headline"
    article.save()

    assert client.get(LIST)["ETag"] != before


@local_urls
def test_deleting_an_embedded_row_changes_the_etag(client, outlets):
    older = ArticleFactory(outlet=outlets[0])
    ArticleFactory(outlet=outlets[0])
    stamp(older, STAMP)
    before = client.get(LIST)["ETag"]

    older.delete()

    assert client.get(LIST)["ETag"] != before


@local_urls
def test_editing_an_embedded_row_changes_the_detail_etag(client, outlets):
    article = ArticleFactory(outlet=outlets[0])
    before = client.get(detail(outlets[0]))["ETag"]

    article.title = "A corrected headline"
    article.save()

    assert client.get(detail(outlets[0]))["ETag"] != before


@local_urls
def test_editing_another_row_leaves_a_detail_etag_alone(client, outlets):
    before = client.get(detail(outlets[0]))["ETag"]

    outlets[1].name = "Renamed"
    outlets[1].save()

    assert client.get(detail(outlets[0]))["ETag"] == before


@local_urls
def test_each_page_has_its_own_etag(client, outlets):
    first = client.get(LIST, {"page_size": 1})
    second = client.get(LIST, {"page_size": 1, "page": 2})

    assert first.status_code == second.status_code == 200
    assert first["ETag"] != second["ETag"]


@local_urls
def test_the_etag_of_one_page_does_not_validate_another(client, outlets):
    etag = client.get(LIST, {"page_size": 1})["ETag"]

    response = client.get(LIST, {"page_size": 1, "page": 2}, headers={"if-none-match": etag})

    assert response.status_code == 200


@local_urls
def test_each_ordering_has_its_own_etag(client, outlets):
    assert client.get(LIST)["ETag"] != client.get(LIST, {"ordering": "-name"})["ETag"]


@local_urls
def test_the_browsable_page_and_the_json_have_different_etags(client, outlets):
    json = client.get(LIST, headers={"accept": "application/json"})
    html = client.get(LIST, headers={"accept": "text/html"})

    assert html.status_code == 200
    assert json["ETag"] != html["ETag"]


# Cache-Control and Vary ----------------------------------------------------------------------


@local_urls
def test_an_anonymous_response_may_be_cached_publicly_for_a_short_while(client, outlets, settings):
    settings.API_CACHE_MAX_AGE = 30

    response = client.get(LIST)

    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=30"}


@local_urls
def test_a_response_to_a_key_is_private(client, outlets):
    _, key = PartnerKey.objects.create_key(name="Partner", contact="desk@partner.example.org")

    response = client.get(LIST, headers={"authorization": f"Api-Key {key}"})

    assert response.status_code == 200
    assert set(response["Cache-Control"].split(", ")) == {"private", "max-age=60"}


@local_urls
def test_a_304_repeats_cache_control_and_vary(client, outlets):
    etag = client.get(LIST)["ETag"]

    response = client.get(LIST, headers={"if-none-match": etag})

    assert "public" in response["Cache-Control"]
    assert {"Accept", "Authorization", "Origin"} <= set(response["Vary"].split(", "))


@local_urls
def test_responses_vary_on_accept_authorization_and_origin(client, outlets):
    vary = client.get(LIST)["Vary"]

    assert {"Accept", "Authorization", "Origin"} <= {name.strip() for name in vary.split(",")}


@local_urls
def test_an_error_is_not_marked_cacheable(client, outlets):
    response = client.get(LIST, {"no_such_filter": "1"})

    assert response.status_code == 400
    assert not response.has_header("Cache-Control")
    assert not response.has_header("ETag")


# Details that do not exist -------------------------------------------------------------------


@local_urls
def test_a_missing_detail_is_a_json_404(client, outlets):
    response = client.get("/api/outlets/999999/")

    assert response.status_code == 404
    assert "detail" in response.json()
    assert not response.has_header("ETag")


@local_urls
def test_a_malformed_id_is_a_json_404(client, outlets):
    response = client.get("/api/outlets/not-a-number/")

    assert response.status_code == 404
    assert "detail" in response.json()


# freshness() ---------------------------------------------------------------------------------


def test_freshness_counts_and_dates_each_path(outlets):
    ArticleFactory(outlet=outlets[0])
    ArticleFactory(outlet=outlets[0])
    stamp(outlets[0], STAMP)
    stamp(outlets[1], STAMP - datetime.timedelta(days=1))
    Article.objects.update(updated=STAMP + datetime.timedelta(hours=1))

    fresh = freshness(Outlet.objects.all(), ("updated", "articles__updated"))

    assert fresh.stamps == ((STAMP, 2), (STAMP + datetime.timedelta(hours=1), 2))
    assert fresh.count == 2
    assert fresh.last_modified == STAMP + datetime.timedelta(hours=1)


def test_freshness_of_no_rows_is_zero_counts():
    fresh = freshness(Outlet.objects.none(), ("updated", "articles__updated"))

    assert fresh.stamps == ((None, 0), (None, 0))
    assert fresh.last_modified is None


def test_freshness_covers_only_the_filtered_rows(outlets):
    stamp(outlets[0], STAMP)
    stamp(outlets[1], STAMP + datetime.timedelta(days=1))

    fresh = freshness(Outlet.objects.filter(pk=outlets[0].pk), ("updated",))

    assert fresh.stamps == ((STAMP, 1),)


def test_freshness_takes_the_newest_of_a_row_and_its_to_one_relations(outlets):
    article = ArticleFactory(outlet=outlets[0])
    stamp(article, STAMP)
    stamp(outlets[0], STAMP + datetime.timedelta(hours=2))

    fresh = freshness(Article.objects.all(), ("updated", "outlet__updated"))

    assert fresh.stamps == ((STAMP + datetime.timedelta(hours=2), 1),)


def test_a_missing_to_one_relation_does_not_hide_the_rows_own_stamp():
    parent = TopicFactory()
    child = TopicFactory(parent=parent)
    stamp(parent, STAMP - datetime.timedelta(days=1))
    stamp(child, STAMP)

    fresh = freshness(Topic.objects.filter(parent=None), ("updated", "parent__updated"))

    assert fresh.stamps == ((STAMP - datetime.timedelta(days=1), 1),)


def test_a_to_many_group_without_rows_has_no_stamp_and_a_zero_count(outlets):
    paths = ("updated", "articles__updated", "articles__outlet__updated")

    fresh = freshness(Outlet.objects.filter(pk=outlets[0].pk), paths)

    assert fresh.stamps[1] == (None, 0)


def test_freshness_refuses_a_path_that_is_not_a_field():
    with pytest.raises(ImproperlyConfigured, match="articles__edited"):
        freshness(Outlet.objects.all(), ("updated", "articles__edited"))


def test_freshness_refuses_a_path_that_is_not_a_timestamp():
    with pytest.raises(ImproperlyConfigured, match="DateTimeField"):
        freshness(Outlet.objects.all(), ("updated", "articles__title"))


# Real endpoints ------------------------------------------------------------------------------


def test_the_outlets_endpoint_answers_a_matching_etag_with_a_304(client, outlets):
    url = reverse("api:outlet-list")
    etag = client.get(url)["ETag"]

    assert client.get(url, headers={"if-none-match": etag}).status_code == 304


def test_an_outlet_detail_answers_a_matching_etag_with_a_304(client, outlets):
    ArticleFactory(outlet=outlets[0])  # the API shows outlets with a published article
    url = reverse("api:outlet-detail", kwargs={"pk": outlets[0].pk})
    etag = client.get(url)["ETag"]

    assert client.get(url, headers={"if-none-match": etag}).status_code == 304


def test_publishing_an_article_changes_the_articles_etag(client, outlets):
    url = reverse("api:article-list")
    ArticleFactory(outlet=outlets[0])
    draft = ArticleFactory(outlet=outlets[0], status=PublicationStatus.DRAFT)
    stale = client.get(url)["ETag"]

    draft.status = PublicationStatus.PUBLISHED
    draft.save()
    response = client.get(url, headers={"if-none-match": stale})

    assert response.status_code == 200
    assert draft.slug in [row["slug"] for row in response.json()["results"]]


def test_editing_a_draft_leaves_the_articles_etag_alone(client, outlets):
    url = reverse("api:article-list")
    ArticleFactory(outlet=outlets[0])
    draft = ArticleFactory(outlet=outlets[0], status=PublicationStatus.DRAFT)
    etag = client.get(url)["ETag"]

    draft.title = "Still a draft"
    draft.updated = timezone.now()
    draft.save()

    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
