"""Site-wide pages: home, search, robots.txt, the sitemap and the error pages."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from claims import search as kb_search
from config.models import PublicationStatus
from config.urls import urlpatterns as site_urlpatterns
from config.views import SEARCH_PREVIEW
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

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
IN_REVIEW = PublicationStatus.IN_REVIEW
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def boom(request):
    raise RuntimeError("a bug in a view")


# This module doubles as a URLconf (see test_handler500...) with one view that fails.
urlpatterns = [*site_urlpatterns, path("boom/", boom)]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def jsonld_blocks(response):
    html = response.content.decode()
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


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
    assert (listed[topic.pk].expert_count, listed[topic.pk].claim_count) == (2, 3)
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


# --- Search -----------------------------------------------------------------------------------


def search(client, q, **params):
    return client.get(reverse("search"), {"q": q, **params})


def test_search_without_a_query_explains_what_can_be_searched(client):
    TopicFactory(title="Sanctions")

    response = client.get(reverse("search"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Type a name, a few words of a quote" in content
    assert "Sanctions" in content


def test_search_blank_query_is_treated_as_empty(client):
    ArticleFactory(title="Anything at all")

    response = search(client, "   ")

    assert "groups" not in response.context
    assert "Anything at all" not in response.content.decode()


def test_search_finds_articles_by_body_ignoring_case(client):
    article = ArticleFactory(body="Pyongyang ships shells by rail.")

    content = search(client, "PYONGYANG SHIPS").content.decode()

    assert f'href="{article.get_absolute_url()}"' in content
    assert "<mark>Pyongyang ships</mark>" in content


def test_search_finds_articles_by_title_and_standfirst(client):
    by_title = ArticleFactory(title="Kremlin and Pyongyang sign")
    by_standfirst = ArticleFactory(standfirst="Why the Kremlin needs shells")

    response = search(client, "kremlin")

    (articles,) = [g for g in response.context["groups"] if g["name"] == "articles"]
    assert set(articles["page"]) == {by_title, by_standfirst}


def test_search_finds_claims_by_summary(client):
    claim = ClaimFactory(summary="Beijing holds the leverage.")

    content = search(client, "leverage").content.decode()

    assert f'href="{claim.get_absolute_url()}"' in content


def test_search_finds_claims_by_quote_and_links_the_passage(client):
    article = ArticleFactory(body="He said: the green light comes from Beijing. Then he left.")
    quote = QuoteFactory(
        article=article, text="the green light comes from Beijing", claim__summary="Xi decides."
    )

    content = search(client, "green light").content.decode()

    assert f'href="{quote.claim.get_absolute_url()}"' in content
    assert f'href="{article.get_absolute_url()}#quote-{quote.pk}"' in content


def test_search_finds_experts_by_name_variant(client):
    expert = ClaimFactory(speaker__display_name="Oleksandr Musienko").speaker
    NameVariantFactory(expert=expert, name="Alexander Musienko")

    content = search(client, "alexander").content.decode()

    assert f'href="{expert.get_absolute_url()}">Oleksandr Musienko</a>' in content
    assert "also written as Alexander Musienko" in content


def test_search_finds_provisions_topics_and_treaties(client):
    provision = ProvisionFactory(heading="Mutual military assistance")
    topic = TopicFactory(title="Military exercises")
    treaty = TreatyFactory(short_name="Military pact (1961)")

    content = search(client, "military").content.decode()

    for obj in (provision, topic, treaty):
        assert f'href="{obj.get_absolute_url()}"' in content


def test_search_never_shows_drafts(editor_client):
    ArticleFactory(title="Secret shells story", status=DRAFT)
    ClaimFactory(summary="Secret shells claim", status=IN_REVIEW)
    ClaimFactory(speaker__display_name="Secret Shells Expert", status=DRAFT)

    response = search(editor_client, "secret shells")

    assert response.context["total"] == 0
    assert "Secret shells story" not in response.content.decode()


def test_search_hides_quotes_from_draft_articles(client):
    draft = ArticleFactory(status=DRAFT, body="Only the draft says: shells by rail.")
    quote = QuoteFactory(article=draft, text="shells by rail", claim__summary="Trains.")

    content = search(client, "shells by rail").content.decode()

    assert f"#quote-{quote.pk}" not in content


def test_search_without_results_suggests_topics_and_experts(client):
    topic = TopicFactory(title="China's role")
    expert = ClaimFactory().speaker

    content = search(client, "zzzz-no-such-thing").content.decode()

    assert "Nothing matches “zzzz-no-such-thing”" in content
    assert f'href="{topic.get_absolute_url()}"' in content
    assert f'href="{expert.get_absolute_url()}"' in content


def test_search_counts_each_group(client):
    for n in range(3):
        ClaimFactory(summary=f"Shells claim {n}")
    ArticleFactory(title="Shells article")

    content = search(client, "shells").content.decode()

    assert '<a href="#results-claims">Claims and quotes (3)</a>' in content
    assert '<a href="#results-articles">Articles (1)</a>' in content


def test_search_caps_a_group_and_links_to_all_of_it(client):
    for n in range(SEARCH_PREVIEW + 2):
        ClaimFactory(summary=f"Shells claim {n}")

    response = search(client, "shells")

    (claims,) = [g for g in response.context["groups"] if g["name"] == "claims"]
    assert claims["count"] == SEARCH_PREVIEW + 2
    assert len(claims["page"]) == SEARCH_PREVIEW
    assert "/search/?q=shells&amp;type=claims" in response.content.decode()


def test_search_one_group_is_paginated_and_keeps_the_query(client):
    for n in range(25):
        ClaimFactory(summary=f"Shells claim {n}")

    response = search(client, "shells", type="claims", page=2)

    (claims,) = response.context["groups"]
    assert claims["page"].number == 2
    assert len(claims["page"]) == 5
    assert 'href="?q=shells&amp;type=claims&amp;page=1"' in response.content.decode()


def test_search_shows_the_query_in_the_header_box(client):
    content = search(client, "Musienko").content.decode()

    assert 'id="site-search-q" type="search" name="q" value="Musienko"' in content


def test_search_escapes_the_query(client):
    content = search(client, "<script>alert(1)</script>").content.decode()

    assert "<script>alert(1)</script>" not in content


def test_search_pages_are_not_indexed(client):
    assert '<meta name="robots" content="noindex, follow">' in search(client, "x").content.decode()


def test_search_function_matches_nothing_for_an_empty_query():
    ArticleFactory()

    assert all(not found.exists() for found in kb_search.search("  ").values())


def test_excerpt_centres_on_the_match_and_keeps_its_case():
    body = "word " * 50 + "China has Leverage here. " + "more " * 50

    before, match, after = kb_search.excerpt(body, "leverage")

    assert match == "Leverage"
    assert before.startswith("…") and before.endswith("China has ")
    assert after.startswith(" here.") and after.endswith("…")


def build_search_data(size):
    for n in range(size):
        article = ArticleFactory(title=f"Zephyr story {n}", body=f"The zephyr blew {n} times.")
        claim = ClaimFactory(summary=f"Zephyr claim {n}")
        AffiliationFactory(expert=claim.speaker)
        NameVariantFactory(expert=claim.speaker, name=f"Zephyr Variant {n}")
        QuoteFactory(claim=claim, article=article, text=f"zephyr blew {n} times")
        TopicFactory(title=f"Zephyr topic {n}")
        ProvisionFactory(heading=f"Zephyr clause {n}")
        TreatyFactory(short_name=f"Zephyr treaty {n}")


def test_search_runs_the_same_queries_for_few_and_many_matches(client):
    url = reverse("search") + "?q=zephyr"
    build_search_data(2)
    few = count_queries(client, url)
    build_search_data(20)
    many = count_queries(client, url)

    assert few == many


def test_search_query_count(client, django_assert_num_queries):
    build_search_data(3)

    # Per group a count and a page: experts (+ name variants), claims (+ affiliations and
    # quotes), articles, topics, provisions, treaties.
    with django_assert_num_queries(15):
        search(client, "zephyr")


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
