"""Site-wide pages: home, search, robots.txt, the sitemap and the error pages."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from django.urls import path, reverse

from config.urls import urlpatterns as site_urlpatterns
from core.models import PublicationStatus
from tests.factories import (
    AffiliationFactory,
    ArticleFactory,
    ClaimFactory,
    ClaimTopicFactory,
    ExpertFactory,
    NameVariantFactory,
    OutletFactory,
    ProvisionFactory,
    QuoteFactory,
    TopicFactory,
    TreatyFactory,
)
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
IN_REVIEW = PublicationStatus.IN_REVIEW
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def boom(request):
    raise RuntimeError("a bug in a view")


# This module doubles as a URLconf (see test_handler500...) with one view that fails.
urlpatterns = [*site_urlpatterns, path("boom/", boom)]


def jsonld_blocks(response):
    html = response.content.decode()
    blocks = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


# --- Home -------------------------------------------------------------------------------------


def test_home_lists_the_latest_published_articles_with_links(client):
    article = ArticleFactory(title="Beijing weighs the treaty")

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert f'href="{article.get_absolute_url()}"' in response.content.decode()
    assert "Beijing weighs the treaty" in response.content.decode()


def test_home_hides_draft_and_in_review_articles(client):
    ArticleFactory(title="Unfinished draft story", status=DRAFT)
    ArticleFactory(title="Story waiting for review", status=IN_REVIEW)

    content = client.get(reverse("home")).content.decode()

    assert "Unfinished draft story" not in content
    assert "Story waiting for review" not in content


def test_home_hides_draft_articles_from_staff_too(editor_client):
    ArticleFactory(title="Unfinished draft story", status=DRAFT)

    assert "Unfinished draft story" not in editor_client.get(reverse("home")).content.decode()


def test_home_topics_count_experts_and_published_claims(client):
    topic = TopicFactory(title="China's role")
    first, second = ExpertFactory(), ExpertFactory()
    ClaimTopicFactory(topic=topic, claim=ClaimFactory(speaker=first))
    ClaimTopicFactory(topic=topic, claim=ClaimFactory(speaker=first))
    ClaimTopicFactory(topic=topic, claim=ClaimFactory(speaker=second))
    ClaimTopicFactory(topic=topic, claim=ClaimFactory(status=DRAFT))

    response = client.get(reverse("home"))

    listed = {t.pk: t for t in response.context["topics"]}
    assert (listed[topic.pk].experts_count, listed[topic.pk].claims_count) == (2, 3)
    assert "2 experts" in response.content.decode()
    assert "3 claims" in response.content.decode()


def test_home_links_each_topic(client):
    topic = TopicFactory(title="Arms supplies")

    content = client.get(reverse("home")).content.decode()

    assert f'href="{topic.get_absolute_url()}">Arms supplies</a>' in content


def test_home_lists_recently_quoted_experts_latest_first(client):
    earlier = ClaimFactory(made_on="2023-09-01").speaker
    later = ClaimFactory(made_on="2024-06-01").speaker

    response = client.get(reverse("home"))

    assert list(response.context["experts"]) == [later, earlier]
    assert f'href="{later.get_absolute_url()}"' in response.content.decode()


def test_home_leaves_out_experts_with_only_unpublished_claims(client):
    hidden = ClaimFactory(status=DRAFT).speaker

    response = client.get(reverse("home"))

    assert hidden not in response.context["experts"]
    assert hidden.display_name not in response.content.decode()


def test_home_shows_an_experts_role_when_last_quoted(client):
    claim = ClaimFactory(made_on="2024-06-01")
    AffiliationFactory(expert=claim.speaker, role_title="Head of research")

    assert "Head of research" in client.get(reverse("home")).content.decode()


def test_home_has_a_labelled_search_box(client):
    content = client.get(reverse("home")).content.decode()

    assert '<label class="big-search__label" for="home-search-q">' in content
    assert f'action="{reverse("search")}"' in content
    assert 'id="home-search-q" type="search" name="q"' in content


def test_home_offers_search_to_search_engines_in_jsonld(client):
    (website,) = jsonld_blocks(client.get(reverse("home")))

    assert website["@type"] == "WebSite"
    target = website["potentialAction"]["target"]["urlTemplate"]
    assert target == "http://testserver/search/?q={search_term_string}"


def test_home_without_content_shows_empty_states(client):
    content = client.get(reverse("home")).content.decode()

    assert "No published articles yet." in content
    assert "No expert has been quoted yet." in content


def build_home_data(size):
    for _ in range(size):
        topic = TopicFactory(parent=TopicFactory())
        claim = ClaimTopicFactory(topic=topic).claim
        AffiliationFactory(expert=claim.speaker)
        QuoteFactory(claim=claim)


def test_home_runs_the_same_queries_for_few_and_many_records(client):
    build_home_data(3)
    few = count_queries(client, reverse("home"))
    build_home_data(30)
    many = count_queries(client, reverse("home"))

    assert few == many


def test_home_query_count(client, django_assert_num_queries):
    build_home_data(5)

    # Articles, topics with counts, experts, their affiliations.
    with django_assert_num_queries(4):
        client.get(reverse("home"))


# --- Search: see tests/test_search_page.py ---------------------------------------------------


def build_search_data(size):
    """`size` records of every kind, for the sitemap's query count."""
    for n in range(size):
        article = ArticleFactory(title=f"Zephyr story {n}", body=f"The zephyr blew {n} times.")
        claim = ClaimFactory(summary=f"Zephyr claim {n}")
        AffiliationFactory(expert=claim.speaker)
        NameVariantFactory(expert=claim.speaker, name=f"Zephyr Variant {n}")
        QuoteFactory(claim=claim, article=article, text=f"zephyr blew {n} times")
        TopicFactory(title=f"Zephyr topic {n}")
        ProvisionFactory(heading=f"Zephyr clause {n}")
        TreatyFactory(short_name=f"Zephyr treaty {n}")


# --- robots.txt and the sitemap ---------------------------------------------------------------


def test_robots_txt_allows_all_but_the_admin_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def sitemap_locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {loc.text for loc in root.findall("sm:url/sm:loc", SITEMAP_NS)}


def absolute(obj):
    return f"http://testserver{obj.get_absolute_url()}"


def test_sitemap_lists_every_kind_of_public_page(client):
    quote = QuoteFactory()
    topic = ClaimTopicFactory(claim=quote.claim).topic
    provision = ProvisionFactory()

    locations = sitemap_locations(client)

    for obj in (
        quote.article,
        quote.article.outlet,
        quote.claim,
        quote.claim.speaker,
        topic,
        provision,
        provision.treaty,
    ):
        assert absolute(obj) in locations


def test_sitemap_leaves_out_draft_articles_and_claims(client):
    article = ArticleFactory(status=DRAFT)
    claim = ClaimFactory(status=IN_REVIEW)

    locations = sitemap_locations(client)

    assert absolute(article) not in locations
    assert absolute(claim) not in locations


def test_sitemap_leaves_out_experts_and_outlets_with_nothing_published(client):
    expert = ClaimFactory(status=DRAFT).speaker
    outlet = ArticleFactory(status=DRAFT).outlet
    empty_outlet = OutletFactory()

    locations = sitemap_locations(client)

    assert absolute(expert) not in locations
    assert absolute(outlet) not in locations
    assert absolute(empty_outlet) not in locations


def test_sitemap_runs_the_same_queries_for_few_and_many_records(client):
    build_search_data(2)
    few = count_queries(client, "/sitemap.xml")
    build_search_data(20)
    many = count_queries(client, "/sitemap.xml")

    assert few == many


# --- Error pages ------------------------------------------------------------------------------


def test_unknown_url_gives_the_sites_404_page(client, settings):
    settings.DEBUG = False
    TopicFactory()

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    content = response.content.decode()
    assert "We could not find that page" in content
    assert f'href="{reverse("claims:topics")}"' in content
    assert 'id="not-found-q" type="search" name="q"' in content


def test_404_page_is_not_indexed(client, settings):
    settings.DEBUG = False

    content = client.get("/no-such-page/").content.decode()

    assert '<meta name="robots" content="noindex">' in content


def test_500_page_renders_without_a_request():
    html = render_to_string("500.html")

    assert "Something went wrong on our side" in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert 'action="/search/"' in html


@pytest.mark.urls("tests.test_site")
def test_handler500_serves_the_sites_500_page(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
