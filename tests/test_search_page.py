"""The /search/ page: ranked hits of every kind, type tabs, facets, pages and the empty state.

Search entries are written by the models' signals, so the factories' records are searchable
as soon as they are saved; these tests run on SQLite's FTS5 and on PostgreSQL alike.
"""

import datetime
import html
import re

import pytest
from django.db import connection
from django.urls import reverse

from articles.models import Language
from claims.models import Provision, Quote
from claims.search import results as kb_search
from core.models import PublicationStatus
from tests.factories import (
    AffiliationFactory,
    ArticleFactory,
    ClaimFactory,
    ClaimTopicFactory,
    ExpertFactory,
    NameVariantFactory,
    OrganizationFactory,
    OutletFactory,
    ProvisionFactory,
    QuoteFactory,
    TopicFactory,
    TreatyFactory,
)

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
IN_REVIEW = PublicationStatus.IN_REVIEW


def search(client, q, **params):
    response = client.get(reverse("search"), {"q": q, **params})
    assert response.status_code == 200
    return response


def get(client, url):
    """Follow a link as the page gives it (HTML-escaped in an href)."""
    response = client.get(html.unescape(url))
    assert response.status_code == 200
    return response


def hits(response):
    """[(kind, href)] of the hits, in the order shown."""
    return re.findall(
        r'<li class="search-hit search-hit--(\w+)">.*?<h3 class="search-hit__title">'
        r'<a href="([^"]+)">',
        response.content.decode(),
        re.S,
    )


def hit_links(response):
    return [href for _, href in hits(response)]


def tabs(response):
    """{label: (count, href, current)} of the type tabs."""
    nav = re.search(r'<nav class="search-tabs".*?</nav>', response.content.decode(), re.S)
    assert nav, "the page has no type tabs"
    return {
        label: (int(count), href, bool(current))
        for href, current, label, count in re.findall(
            r'<a href="([^"]+)"( aria-current="page")?>([^<]+?) '
            r'<span class="search-tabs__count">(\d+)</span>',
            nav.group(0),
        )
    }


def facet(response, name):
    """{label: (count, href, selected)} of one facet in the sidebar."""
    section = re.search(
        rf'<section class="search-facet" aria-labelledby="facet-{name}-title">.*?</section>',
        response.content.decode(),
        re.S,
    )
    if not section:
        return {}
    return {
        html.unescape(label): (int(count), href, "--selected" in classes)
        for classes, href, label, count in re.findall(
            r'<a class="search-facet__value([^"]*)" href="([^"]+)"[^>]*>'
            r'<span class="search-facet__label">([^<]*)</span> '
            r'<span class="search-facet__count">(\d+)</span>',
            section.group(0),
        )
    }


def pager(response):
    """(previous href, "Page N of M", next href); empty strings for what is absent."""
    content = response.content.decode()
    previous = re.search(r'<a rel="prev" href="([^"]+)"', content)
    current = re.search(r'<span class="pagination__current">([^<]+)</span>', content)
    following = re.search(r'<a rel="next" href="([^"]+)"', content)
    return (
        previous.group(1) if previous else "",
        current.group(1) if current else "",
        following.group(1) if following else "",
    )


def text(response):
    return html.unescape(re.sub(r"<[^>]+>", "", response.content.decode()))


# --- Without a query ---------------------------------------------------------------------------


def test_without_a_query_the_page_explains_what_can_be_searched(client):
    TopicFactory(title="Sanctions")

    response = client.get(reverse("search"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Type a name, a few words of a quote" in content
    assert "Sanctions" in content
    assert 'class="search-hits"' not in content


def test_a_blank_query_is_treated_as_no_query(client):
    ArticleFactory(title="Anything at all")

    content = search(client, "   ").content.decode()

    assert "Type a name, a few words of a quote" in content
    assert "Anything at all" not in content


# --- Hits ----------------------------------------------------------------------------------


def test_hits_of_every_kind_link_to_their_pages_with_the_match_highlighted(client):
    article = ArticleFactory(title="Zephyr over Pyongyang", standfirst="", body="Calm.")
    provision = ProvisionFactory(heading="Zephyr clause")
    topic = TopicFactory(title="Zephyr topic")
    treaty = TreatyFactory(short_name="Zephyr pact")

    response = search(client, "zephyr")

    assert set(hit_links(response)) == {
        o.get_absolute_url() for o in (article, provision, topic, treaty)
    }
    assert "<mark>Zephyr</mark> over Pyongyang" in response.content.decode()


def test_a_claim_found_by_its_quote_links_to_the_passage_in_its_article(client):
    article = ArticleFactory(body="He said: the green light comes from Beijing. Then he left.")
    quote = QuoteFactory(
        article=article, text="the green light comes from Beijing", claim__summary="Xi decides."
    )

    response = search(client, "green light")

    assert ("claim", f"{article.get_absolute_url()}#quote-{quote.pk}") in hits(response)
    assert "the <mark>green</mark> <mark>light</mark> comes" in response.content.decode() or (
        "the <mark>green light</mark> comes" in response.content.decode()
    )


def test_each_hit_says_what_it_is_and_gives_its_context(client):
    organization = OrganizationFactory(name="Center for Military Legal Research")
    expert = ExpertFactory(display_name="Oleksandr Quixote")
    AffiliationFactory(expert=expert, organization=organization, role_title="Head")
    outlet = OutletFactory(name="24 Channel")
    article = ArticleFactory(
        outlet=outlet,
        title="Quixote on the treaty",
        published_on=datetime.date(2024, 6, 1),
        body="Quixote said: “China has the leverage to stop it,” nothing more.",
    )
    QuoteFactory(article=article, claim__speaker=expert, claim__summary="Quixote claim.")
    provision = ProvisionFactory(
        treaty=TreatyFactory(short_name="RU–DPRK Treaty (2024)"),
        number="Article 4",
        address="art_4",
        heading="Quixote assistance",
    )

    content = text(search(client, "quixote"))

    assert "Expert Oleksandr Quixote Head, Center for Military Legal Research" in " ".join(
        content.split()
    )
    assert "Oleksandr Quixote · 20 June 2024" in content
    assert f"24 Channel · {article.published_display}" in content
    assert provision.citation_label in content
    assert "RU–DPRK Treaty (2024), Art. 4" in content


def test_the_query_stays_in_both_search_boxes(client):
    content = search(client, "Musienko").content.decode()

    assert 'id="site-search-q" type="search" name="q" value="Musienko"' in content
    assert 'id="search-page-q" type="search" name="q" value="Musienko"' in content


def test_the_query_is_escaped_everywhere(client):
    content = search(client, '<script>alert(1)</script> "x').content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_the_page_keeps_its_seo_bits(client):
    content = search(client, "leverage", type="claim").content.decode()

    assert '<meta name="robots" content="noindex, follow">' in content
    assert '<link rel="canonical" href="http://testserver/search/">' in content
    assert "<title>Search: leverage · " in content


def test_a_search_form_and_its_sections_are_labelled(client):
    ClaimFactory(summary="Shells by rail.")

    content = search(client, "shells").content.decode()

    assert '<label class="big-search__label" for="search-page-q">' in content
    assert '<nav class="search-tabs" aria-label="Result types">' in content
    assert '<h2 id="search-results-title"' in content
    assert '<h2 id="search-facets-title">Narrow the results</h2>' in content


# --- Tabs and facets -------------------------------------------------------------------------


def test_tabs_show_all_and_each_type_with_its_count(client):
    for n in range(3):
        ClaimFactory(summary=f"Shells claim {n}")
    ArticleFactory(title="Shells article")

    found = tabs(search(client, "shells"))

    assert {label: count for label, (count, _, _) in found.items()} == {
        "All": 4,
        "Claims": 3,
        "Articles": 1,
    }
    assert found["All"][2] is True
    assert html.unescape(found["Claims"][1]) == "/search/?q=shells&type=claim"


def test_a_tab_shows_only_its_type_and_the_counts_stay(client):
    claims = [ClaimFactory(summary=f"Shells claim {n}") for n in range(3)]
    ArticleFactory(title="Shells article")

    response = get(client, tabs(search(client, "shells"))["Claims"][1])

    assert sorted(hit_links(response)) == sorted(c.get_absolute_url() for c in claims)
    found = tabs(response)
    assert {label: count for label, (count, _, _) in found.items()} == {
        "All": 4,
        "Claims": 3,
        "Articles": 1,
    }
    assert found["Claims"][2] is True and found["All"][2] is False


def test_clicking_a_facet_filters_the_hits_and_the_counts_follow(client):
    china = TopicFactory(title="China's role")
    sanctions = TopicFactory(title="Sanctions")
    on_china = [ClaimTopicFactory(topic=china, claim__summary=f"Shells {n}.").claim for n in (1, 2)]
    ClaimTopicFactory(topic=sanctions, claim__summary="Shells and sanctions.")
    ArticleFactory(title="Shells article", topics=[china])

    response = search(client, "shells")
    topics = facet(response, "topic")
    assert {label: count for label, (count, _, _) in topics.items()} == {
        "China's role": 3,
        "Sanctions": 1,
    }

    filtered = get(client, topics["China's role"][1])

    links = hit_links(filtered)
    assert len(links) == 3
    assert {c.get_absolute_url() for c in on_china} <= set(links)
    assert {label: count for label, (count, _, _) in tabs(filtered).items()} == {
        "All": 3,
        "Claims": 2,
        "Articles": 1,
    }
    assert facet(filtered, "topic")["China's role"][2] is True
    assert "Topic: China's role" in text(filtered)


def test_facets_combine_with_the_type_tab(client):
    english = OutletFactory(name="Kyiv Independent")
    ukrainian = OutletFactory(name="24 Channel")
    ArticleFactory(title="Shells in English", outlet=english)
    ArticleFactory(title="Shells in Ukrainian", outlet=ukrainian, language=Language.UKRAINIAN)
    ClaimFactory(summary="Shells claim")

    response = get(client, tabs(search(client, "shells"))["Articles"][1])
    response = get(client, facet(response, "language")["Ukrainian"][1])

    assert tabs(response)["Articles"][0] == 1
    assert tabs(response)["Articles"][2] is True
    assert [kind for kind, _ in hits(response)] == ["article"]
    assert "Shells in Ukrainian" in text(response)
    assert {label: count for label, (count, _, _) in facet(response, "outlet").items()} == {
        "24 Channel": 1
    }


def test_a_chip_removes_its_filter(client):
    topic = TopicFactory(title="Sanctions")
    ClaimTopicFactory(topic=topic, claim__summary="Shells and sanctions.")
    ClaimFactory(summary="Shells elsewhere.")

    filtered = search(client, "shells", topic=topic.pk, year=2024)
    assert len(hits(filtered)) == 1
    content = filtered.content.decode()
    remove = re.search(
        r'<a class="search-chip" href="([^"]+)"><span class="search-chip__facet">Topic:</span>',
        content,
    )

    unfiltered = get(client, remove.group(1))

    assert len(hits(unfiltered)) == 2
    assert "Clear all filters" in content


def test_a_year_facet_lists_years_latest_first(client):
    ArticleFactory(title="Shells then", published_on=datetime.date(2023, 5, 1))
    ArticleFactory(title="Shells now", published_on=datetime.date(2024, 5, 1))

    years = facet(search(client, "shells"), "year")

    assert list(years) == ["2024", "2023"]


# --- Pages -------------------------------------------------------------------------------------


def test_pages_keep_the_query_and_the_filters(client):
    topic = TopicFactory(title="Sanctions")
    for n in range(25):
        ClaimTopicFactory(topic=topic, claim__summary=f"Shells claim {n}")
    ArticleFactory(title="Shells article", topics=[topic])

    first = search(client, "shells", type="claim", topic=topic.pk)
    previous, current, following = pager(first)

    assert len(hits(first)) == 20
    assert (previous, current) == ("", "Page 1 of 2")
    assert html.unescape(following) == f"/search/?q=shells&type=claim&topic={topic.pk}&page=2"

    second = get(client, following)
    previous, current, following = pager(second)
    assert len(hits(second)) == 5
    assert {kind for kind, _ in hits(second)} == {"claim"}
    assert current == "Page 2 of 2" and following == ""
    assert html.unescape(previous) == f"/search/?q=shells&type=claim&topic={topic.pk}&page=1"
    assert not set(hit_links(first)) & set(hit_links(second))


def test_a_page_past_the_end_shows_the_last_page(client):
    for n in range(25):
        ClaimFactory(summary=f"Shells claim {n}")

    response = search(client, "shells", page=7)

    assert pager(response)[1] == "Page 2 of 2"
    assert len(hits(response)) == 5


# --- Invalid filters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, value",
    [
        ("type", "claims"),
        ("type", "<b>x</b>"),
        ("topic", "abc"),
        ("topic", "-3"),
        ("topic", "0"),
        ("topic", "987654"),
        ("topic", "9" * 40),
        ("outlet", "1.5x"),
        ("outlet", "9" * 25),
        ("language", "klingon"),
        ("year", "1899"),
        ("year", "2101"),
        ("year", "twenty"),
        ("page", "0"),
        ("page", "-1"),
        ("page", "x"),
        ("page", "9" * 30),
    ],
)
def test_an_invalid_filter_is_dropped_with_a_notice(client, name, value):
    claim = ClaimFactory(summary="Shells by rail.")

    response = search(client, "shells", **{name: value})

    assert hit_links(response) == [claim.get_absolute_url()]
    notice = re.search(r'<p class="search-notice">(.*?)</p>', response.content.decode(), re.S)
    assert notice, "no notice about the ignored filter"
    assert f"<code>{name}=" in notice.group(1)
    assert "<b>x</b>" not in response.content.decode()


def test_links_leave_out_the_invalid_filter(client):
    ClaimFactory(summary="Shells by rail.")

    response = search(client, "shells", year="abc")

    assert "year=abc" not in " ".join(href for _, (_, href, _) in tabs(response).items())


# --- Nothing found ---------------------------------------------------------------------------


def test_nothing_found_suggests_the_closest_topic(client):
    topic = TopicFactory(title="Sanctions", parent=None)

    response = search(client, "sanctionz")

    content = response.content.decode()
    assert "Nothing matches “sanctionz”" in content
    assert re.search(
        rf'<div class="search-suggest">.*?href="{re.escape(topic.get_absolute_url())}"',
        content,
        re.S,
    )
    assert "Where to start" not in content


def test_nothing_of_one_type_suggests_an_expert_named_like_the_query(client):
    expert = ClaimFactory(speaker__display_name="Volodymyr Fesenko").speaker
    ArticleFactory(title="An unrelated article")

    response = search(client, "Fesenko", type="article")

    content = response.content.decode()
    assert hits(response) == []
    assert "Try removing a filter" in content
    assert re.search(
        rf'<div class="search-suggest">.*?href="{re.escape(expert.get_absolute_url())}"',
        content,
        re.S,
    )


def test_nothing_found_and_nothing_close_offers_topics_and_most_quoted_experts(client):
    topic = TopicFactory(title="China's role")
    expert = ClaimFactory().speaker

    response = search(client, "zzzz-no-such-thing")

    content = response.content.decode()
    assert "Nothing matches “zzzz-no-such-thing”" in content
    assert "Where to start" in content
    assert f'href="{topic.get_absolute_url()}"' in content
    assert f'href="{expert.get_absolute_url()}"' in content


@pytest.mark.parametrize(
    "typed, message",
    [
        ("the of and", "Only very common words were typed"),
        ("-china -sanctions", "Nothing to search for"),
        ("😀🚀", "Nothing to search for"),
    ],
)
def test_a_query_with_nothing_to_search_gets_a_friendly_message(client, typed, message):
    ClaimFactory(summary="China and the sanctions.")
    topic = TopicFactory(title="Sanctions")

    response = search(client, typed)

    content = response.content.decode()
    assert re.search(rf'<p class="search-notice search-notice--message">{message}', content)
    assert hits(response) == []
    assert f'href="{topic.get_absolute_url()}"' in content  # somewhere to go instead


def test_a_long_query_is_cut_and_the_page_says_so(client):
    claim = ClaimFactory(summary="Shells by rail.")
    typed = "shells " + " ".join(f"word{n}" for n in range(20))

    response = search(client, typed)

    notice = (
        f"only its first {kb_search.MAX_QUERY_CHARS} characters and {kb_search.MAX_TERMS} "
        "words or phrases are used"
    )
    assert notice in text(response)
    assert claim.get_absolute_url() not in hit_links(response)  # word0… are required


def test_a_short_query_has_no_truncation_notice(client):
    assert "was shortened" not in text(search(client, "shells"))


# --- Only what readers may see ----------------------------------------------------------------


def test_drafts_are_never_listed_or_counted(editor_client):
    published = ClaimFactory(summary="Secret shells, published.")
    draft_claim = ClaimFactory(summary="Secret shells claim", status=IN_REVIEW)
    draft_article = ArticleFactory(title="Secret shells story", status=DRAFT)
    hidden_expert = ClaimFactory(
        speaker__display_name="Secret Shellsmith", summary="Unrelated words.", status=DRAFT
    ).speaker
    NameVariantFactory(expert=hidden_expert, name="Secret Shells")

    response = search(editor_client, "secret shells")

    links = hit_links(response)
    assert links == [published.get_absolute_url()]
    for hidden in (draft_claim, draft_article, hidden_expert):
        assert hidden.get_absolute_url() not in response.content.decode()
    assert {label: count for label, (count, _, _) in tabs(response).items()} == {
        "All": 1,
        "Claims": 1,
    }


def test_a_quote_in_a_draft_article_does_not_link_its_passage(client):
    draft = ArticleFactory(status=DRAFT, body="Only the draft says: shells by rail.")
    quote = QuoteFactory(article=draft, text="shells by rail", claim__summary="Trains.")

    content = search(client, "shells by rail").content.decode()

    assert f"#quote-{quote.pk}" not in content


# --- The two questions the page must answer (the demo data) ----------------------------------


def test_musiienko_china_leverage_lands_on_the_expert_and_the_quote_passage(client, demo):
    quote = Quote.objects.get(
        claim__summary__startswith="China has the leverage",
        claim__speaker__slug="oleksandr-musienko",
    )

    found = hits(search(client, "Musiienko China leverage"))

    passage = f"{quote.article.get_absolute_url()}#quote-{quote.pk}"
    assert ("claim", passage) in found
    # They are the two best hits.
    assert set(found[:2]) == {("expert", "/experts/oleksandr-musienko/"), ("claim", passage)}


def test_mutual_assistance_lands_on_the_provisions_and_the_topic(client, demo):
    response = search(client, '"mutual assistance"')

    found = hits(response)
    provisions = [href for kind, href in found if kind == "provision"]
    expected = {
        p.get_absolute_url()
        for p in Provision.objects.for_citation().filter(heading__icontains="mutual")
    }
    assert expected and set(provisions) >= expected
    assert ("topic", reverse("claims:topic", kwargs={"slug": "mutual-assistance"})) in found
    # The best hits are the provisions and the topic, not the articles that mention them.
    assert {kind for kind, _ in found[:3]} <= {"provision", "topic", "treaty"}


# --- Queries ---------------------------------------------------------------------------------


def build_search_data(extra):
    """One record of every kind named "zephyr" (an expert with a role, a claim quoted in an
    article …), and `extra` articles that only mention it in passing, so they rank below."""
    topic = TopicFactory(title="Zephyr topic")
    article = ArticleFactory(title="Zephyr story", body="The zephyr blew twice.", topics=[topic])
    claim = ClaimFactory(summary="Zephyr claim", speaker__display_name="Zephyr Ng")
    ClaimTopicFactory(claim=claim, topic=topic)
    AffiliationFactory(expert=claim.speaker)
    NameVariantFactory(expert=claim.speaker, name="Zefir Ng")
    QuoteFactory(claim=claim, article=article, text="zephyr blew twice")
    ProvisionFactory(heading="Zephyr clause")
    TreatyFactory(short_name="Zephyr treaty")
    filler = " ".join(["The weather report for the coast."] * 10)
    for n in range(extra):
        ArticleFactory(
            title=f"Weather {n}",
            standfirst="",
            body=f"{filler} A zephyr came by. {filler}",
            outlet=article.outlet,
        )


# A search page: the facets, their outlet and topic labels, the ranked page, the snippets, one
# query per kind of hit (expert, claim + its quotes, article, provision, topic, treaty) and the
# experts' roles. PostgreSQL first turns the words into its queries.
PAGE_QUERIES = 13


@pytest.mark.parametrize("extra", [2, 40])
def test_the_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, extra):
    build_search_data(extra)
    expected = PAGE_QUERIES + (1 if connection.vendor == "postgresql" else 0)

    with django_assert_num_queries(expected):
        response = search(client, "zephyr")

    assert {kind for kind, _ in hits(response)} == {
        "expert",
        "claim",
        "article",
        "provision",
        "topic",
        "treaty",
    }
