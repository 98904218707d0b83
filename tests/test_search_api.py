"""/api/v1/search/ and the `q` filter of the article, claim, expert and provision lists."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from articles.models import Language
from claims.models import Provision, Quote
from claims.search import results as kb_search
from core.api.keys import PartnerKey
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

pytestmark = pytest.mark.django_db

SEARCH = reverse("api:search")
ARTICLES = reverse("api:article-list")
CLAIMS = reverse("api:claim-list")
EXPERTS = reverse("api:expert-list")
PROVISIONS = reverse("api:provision-list")
DRAFT = PublicationStatus.DRAFT
PARTNER = "https://partner.example.org"


def search(client, q=None, **params):
    if q is not None:
        params["q"] = q
    response = client.get(SEARCH, params)
    assert response.status_code == 200, response.content
    return response.json()


def refused(client, params):
    """The `errors` of a 400 answer to /api/v1/search/ with `params`."""
    response = client.get(SEARCH, params)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["detail"] == "The request has invalid parameters; see `errors`."
    return body["errors"]


def not_found(client, params):
    """The `errors` of a 404 answer to /api/v1/search/ for a filter that names nothing."""
    response = client.get(SEARCH, params)
    assert response.status_code == 404, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()["errors"]


def found(body):
    return [(row["type"], row["id"]) for row in body["results"]]


def counts(body, facet):
    return {value["value"]: value["count"] for value in body["facets"][facet]}


def listed(client, url, q):
    response = client.get(url, {"q": q})
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- The answer ------------------------------------------------------------------------------


def test_musiienko_china_leverage_finds_the_expert_and_the_quote_passage(client, demo):
    quote = Quote.objects.get(
        claim__summary__startswith="China has the leverage",
        claim__speaker__slug="oleksandr-musienko",
    )

    body = search(client, "Musiienko China leverage")

    by_type = {row["type"]: row for row in body["results"][:2]}
    expert, claim = by_type["expert"], by_type["claim"]
    assert expert["url"] == "http://testserver/experts/oleksandr-musienko/"
    assert expert["api_url"] == f"http://testserver/api/v1/experts/{expert['id']}/"
    assert claim["id"] == quote.claim_id
    assert claim["url"] == (f"http://testserver{quote.article.get_absolute_url()}#quote-{quote.pk}")
    assert claim["api_url"] == f"http://testserver/api/v1/claims/{quote.claim_id}/"
    assert claim["title"] == quote.claim.summary
    assert "<mark>" in claim["snippet"]
    assert body["query"] == "Musiienko China leverage"
    assert body["truncated"] is False and body["message"] is None


def test_mutual_assistance_finds_the_provisions_and_the_topic(client, demo):
    body = search(client, '"mutual assistance"')

    provisions = Provision.objects.filter(heading__icontains="mutual")
    assert {("provision", p.pk) for p in provisions} <= set(found(body))
    topics = [row for row in body["results"] if row["type"] == "topic"]
    assert [row["url"] for row in topics] == ["http://testserver/topics/mutual-assistance/"]


def test_a_hit_has_a_plain_title_and_an_escaped_snippet(client):
    article = ArticleFactory(
        title="Shells & <b>bold</b> claims",
        standfirst="",
        body='Trains carry "shells" & more shells.',
    )

    (row,) = search(client, "shells")["results"]

    assert row == {
        "type": "article",
        "id": article.pk,
        "rank": row["rank"],
        "title": "Shells & <b>bold</b> claims",
        "snippet": row["snippet"],
        "url": f"http://testserver{article.get_absolute_url()}",
        "api_url": f"http://testserver/api/v1/articles/{article.pk}/",
    }
    assert isinstance(row["rank"], float)
    assert "&quot;<mark>shells</mark>&quot; &amp; more <mark>shells</mark>" in row["snippet"]


def test_every_type_links_its_page_and_api_record(client):
    expert = ClaimFactory(speaker__display_name="Zephyr Ng").speaker
    objects = {
        "expert": expert,
        "claim": ClaimFactory(summary="Zephyr claim"),
        "article": ArticleFactory(title="Zephyr story"),
        "provision": ProvisionFactory(heading="Zephyr clause"),
        "topic": TopicFactory(title="Zephyr topic"),
        "treaty": TreatyFactory(short_name="Zephyr treaty"),
    }

    rows = {(row["type"], row["id"]): row for row in search(client, "zephyr")["results"]}

    for kind, obj in objects.items():
        row = rows[kind, obj.pk]
        assert row["url"] == f"http://testserver{obj.get_absolute_url()}"
        assert row["api_url"] == (
            f"http://testserver{reverse(f'api:{kind}-detail', kwargs={'pk': obj.pk})}"
        )


# --- Facets and filters ------------------------------------------------------------------------


def test_facets_count_by_type_topic_outlet_language_and_year(client):
    topic = TopicFactory(slug="sanctions", title="Sanctions")
    outlet = OutletFactory(slug="24-channel", name="24 Channel")
    ArticleFactory(title="Shells now", outlet=outlet, language=Language.UKRAINIAN, topics=[topic])
    ArticleFactory(title="Shells then", published_on=datetime.date(2023, 1, 5))
    ClaimTopicFactory(topic=topic, claim__summary="Shells claim")

    body = search(client, "shells")

    assert body["count"] == 3
    assert counts(body, "type") == {"claim": 1, "article": 2}
    assert counts(body, "topic") == {"sanctions": 2}
    assert counts(body, "outlet")["24-channel"] == 1
    assert counts(body, "language") == {"uk": 1, "en": 1}
    assert list(counts(body, "year")) == ["2024", "2023"]
    assert body["facets"]["topic"][0] == {
        "value": "sanctions",
        "label": "Sanctions",
        "count": 2,
        "selected": False,
    }


def test_type_narrows_the_hits_but_not_the_type_counts(client):
    claims = {ClaimFactory(summary=f"Shells claim {n}").pk for n in range(2)}
    ArticleFactory(title="Shells article")

    body = search(client, "shells", type="claim")

    assert {id for _, id in found(body)} == claims
    assert body["count"] == 2
    assert counts(body, "type") == {"claim": 2, "article": 1}
    assert [v["selected"] for v in body["facets"]["type"] if v["value"] == "claim"] == [True]


@pytest.mark.parametrize(
    "params",
    [
        {"topic": "sanctions"},
        {"outlet": "kyiv-post"},
        {"language": "uk"},
        {"year": "2023"},
    ],
)
def test_a_facet_value_sent_back_filters_the_hits(client, params):
    topic = TopicFactory(slug="sanctions")
    match = ArticleFactory(
        title="Shells wanted",
        topics=[topic],
        outlet=OutletFactory(slug="kyiv-post"),
        language=Language.UKRAINIAN,
        published_on=datetime.date(2023, 3, 1),
    )
    ArticleFactory(title="Shells other")

    body = search(client, "shells", **params)

    assert found(body) == [("article", match.pk)]
    assert body["count"] == 1
    ((name, value),) = params.items()
    assert [v["value"] for v in body["facets"][name] if v["selected"]] == [value]


# --- Pages -------------------------------------------------------------------------------------


def test_pages_link_each_other_and_keep_the_filters(client):
    topic = TopicFactory(slug="sanctions")
    for n in range(25):
        ClaimTopicFactory(topic=topic, claim__summary=f"Shells claim {n}")

    first = search(client, "shells", type="claim", topic="sanctions")
    assert first["count"] == 25 and len(first["results"]) == kb_search.PER_PAGE
    assert first["previous"] is None
    next_url = urlsplit(first["next"])
    assert next_url.path == SEARCH
    assert parse_qs(next_url.query) == {
        "q": ["shells"],
        "type": ["claim"],
        "topic": ["sanctions"],
        "page": ["2"],
    }

    second = client.get(first["next"]).json()
    assert len(second["results"]) == 5 and second["next"] is None
    assert parse_qs(urlsplit(second["previous"]).query)["page"] == ["1"]
    assert not set(found(first)) & set(found(second))


def test_a_page_past_the_end_is_a_404(client):
    ClaimFactory(summary="Shells claim")

    response = client.get(SEARCH, {"q": "shells", "page": 2})

    assert response.status_code == 404
    assert response.json()["detail"]


# --- Refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize("params", [{}, {"q": ""}])
def test_a_missing_or_empty_q_is_a_400(client, params):
    assert list(refused(client, params)) == ["q"]


@pytest.mark.parametrize("q", ["   ", "\u200b\u2060"])
def test_a_q_of_spaces_or_invisible_characters_finds_nothing_and_says_why(client, q):
    response = client.get(SEARCH, {"q": q})

    assert response.status_code == 200, response.content
    assert response.json()["results"] == []
    assert (
        response.json()["message"] == "Nothing to search for: the query has no visible characters."
    )


def test_an_empty_filter_counts_as_not_sent(client):
    ClaimFactory(summary="Artillery shells from Pyongyang.")

    response = client.get(SEARCH, {"q": "shells", "type": "", "topic": "", "year": "", "page": ""})

    assert response.status_code == 200, response.content
    assert response.json()["count"] == 1


@pytest.mark.parametrize(
    "name, value",
    [
        ("type", "claims"),
        ("topic", "not a slug"),
        ("outlet", "not a slug"),
        ("language", "klingon"),
        ("year", "1899"),
        ("year", "twenty"),
        ("page", "0"),
        ("page", "x"),
        ("page", str(kb_search.MAX_PAGE + 1)),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_it(client, name, value):
    assert list(refused(client, {"q": "shells", name: value})) == [name]


@pytest.mark.parametrize("name", ["topic", "outlet"])
def test_an_unknown_slug_is_a_404_naming_it(client, name):
    assert list(not_found(client, {"q": "shells", name: "no-such-slug"})) == [name]


def test_an_unknown_topic_slug_is_named_in_the_error(client):
    errors = not_found(client, {"q": "shells", "topic": "nope"})

    assert errors == {"topic": ["No topic has the slug “nope”."]}


def test_an_unknown_parameter_is_a_400(client):
    errors = refused(client, {"q": "shells", "kind": "claim"})

    assert list(errors) == ["kind"]
    assert "Known parameters:" in errors["kind"][0]


@pytest.mark.parametrize(
    "typed, message",
    [
        ("the of and", "Only very common words"),
        ("-china", "Nothing to search for"),
        ("🚀🚀", "Nothing to search for"),
    ],
)
def test_a_query_with_nothing_to_search_gets_a_message_and_no_hits(client, typed, message):
    ClaimFactory(summary="China and the rockets.")

    body = search(client, typed)

    assert body["count"] == 0 and body["results"] == []
    assert body["message"].startswith(message)


def test_a_long_query_is_cut_and_says_so(client):
    body = search(client, "shells " * 40)

    assert body["truncated"] is True
    assert len(body["query"]) <= kb_search.MAX_QUERY_CHARS


# --- Published data only -----------------------------------------------------------------------


def test_drafts_are_never_found_or_counted(client):
    published = ClaimFactory(summary="Secret shells, published.")
    ClaimFactory(summary="Secret shells claim", status=DRAFT)
    ArticleFactory(title="Secret shells story", status=DRAFT)
    ClaimFactory(speaker__display_name="Secret Shells", summary="Other words.", status=DRAFT)

    body = search(client, "secret shells")

    assert found(body) == [("claim", published.pk)]
    assert counts(body, "type") == {"claim": 1}


# --- Like every endpoint: read-only, keys, throttling, CORS, caching --------------------------


def test_writes_are_refused(client):
    assert client.post(SEARCH, {"q": "shells"}).status_code == 405


def test_an_unknown_api_key_is_a_401(client):
    response = client.get(SEARCH, {"q": "shells"}, headers={"authorization": "Api-Key nope.x"})

    assert response.status_code == 401


def test_a_partner_key_reads_privately_cached(client):
    _, key = PartnerKey.objects.create_key(name="Desk", contact="desk@partner.example.org")

    response = client.get(SEARCH, {"q": "shells"}, headers={"authorization": f"Api-Key {key}"})

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_anonymous_answers_are_publicly_cacheable(client):
    response = client.get(SEARCH, {"q": "shells"})

    assert "public" in response["Cache-Control"]
    assert "Accept" in response["Vary"]


def test_anonymous_requests_beyond_the_rate_are_throttled(client):
    cache.clear()
    rates = {"anon": "2/min", "partner": "5/min"}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        statuses = [client.get(SEARCH, {"q": "shells"}).status_code for _ in range(3)]
    cache.clear()

    assert statuses == [200, 200, 429]


@override_settings(CORS_ALLOWED_ORIGINS=[PARTNER])
def test_a_partner_origin_may_read_it_from_a_browser(client):
    response = client.get(SEARCH, {"q": "shells"}, headers={"origin": PARTNER})

    assert response["Access-Control-Allow-Origin"] == PARTNER


# --- Queries ---------------------------------------------------------------------------------


def build_search_data(extra):
    """One record of every kind named "zephyr", and `extra` articles mentioning it in passing."""
    topic = TopicFactory(title="Zephyr topic")
    article = ArticleFactory(title="Zephyr story", body="The zephyr blew twice.", topics=[topic])
    claim = ClaimFactory(summary="Zephyr claim", speaker__display_name="Zephyr Ng")
    ClaimTopicFactory(claim=claim, topic=topic)
    AffiliationFactory(expert=claim.speaker)
    QuoteFactory(claim=claim, article=article, text="zephyr blew twice")
    ProvisionFactory(heading="Zephyr clause")
    TreatyFactory(short_name="Zephyr treaty")
    filler = " ".join(["The weather report for the coast."] * 10)
    for n in range(extra):
        ArticleFactory(title=f"Weather {n}", standfirst="", body=f"{filler} A zephyr. {filler}")


# Facets, their outlet and topic labels, the ranked page, the snippets, one query per type of
# hit (a claim's quotes in one more) and the topic and outlet slugs; PostgreSQL first turns the
# words into its queries.
SEARCH_QUERIES = 14


@pytest.mark.parametrize("extra", [2, 40])
def test_the_endpoint_runs_a_fixed_number_of_queries(client, django_assert_num_queries, extra):
    build_search_data(extra)
    expected = SEARCH_QUERIES + (1 if connection.vendor == "postgresql" else 0)

    with django_assert_num_queries(expected):
        body = search(client, "zephyr")

    assert {row["type"] for row in body["results"]} == {
        "expert",
        "claim",
        "article",
        "provision",
        "topic",
        "treaty",
    }


# --- `q` on the lists ------------------------------------------------------------------------


def test_articles_q_takes_phrases_and_exclusions(client):
    together = ArticleFactory(body="They promised mutual assistance at once.")
    apart = ArticleFactory(body="Assistance that is mutual came later, said Washington.")

    assert listed(client, ARTICLES, '"mutual assistance"') == [together.pk]
    assert listed(client, ARTICLES, "mutual -washington") == [together.pk]
    assert set(listed(client, ARTICLES, "mutual assistance")) == {together.pk, apart.pk}


def test_articles_q_never_lists_drafts(client):
    ArticleFactory(title="Secret shells", status=DRAFT)

    assert listed(client, ARTICLES, "secret shells") == []


def test_claims_q_matches_the_quotes_and_the_speakers_names(client):
    by_quote = QuoteFactory(claim__summary="Beijing can act.").claim
    expert = ExpertFactory(display_name="Oleksandr Musienko")
    NameVariantFactory(expert=expert, name="Олександр Мусієнко")
    by_speaker = ClaimFactory(speaker=expert, summary="The West must answer.")
    ClaimFactory(summary="Sanctions bite.")

    assert listed(client, CLAIMS, "leverage") == [by_quote.pk]
    assert listed(client, CLAIMS, "Мусієнко") == [by_speaker.pk]


def test_experts_q_matches_any_spelling(client):
    expert = ClaimFactory(speaker__display_name="Oleksandr Musienko").speaker
    NameVariantFactory(expert=expert, name="Олександр Мусієнко")
    ClaimFactory(speaker__display_name="Volodymyr Fesenko")

    for spelling in ("Musiienko", "мусієнко", "Oleksandr Musienko"):
        assert listed(client, EXPERTS, spelling) == [expert.pk], spelling


def test_experts_q_does_not_reveal_experts_without_published_claims(client):
    ClaimFactory(speaker__display_name="Hidden Person", status=DRAFT)

    assert listed(client, EXPERTS, "Hidden Person") == []


def test_provisions_q_takes_a_phrase(client):
    match = ProvisionFactory(heading="Mutual assistance", text="Help at once.")
    ProvisionFactory(heading="Assistance", text="Mutual consultations.")

    assert listed(client, PROVISIONS, '"mutual assistance"') == [match.pk]


@pytest.mark.parametrize("url", [ARTICLES, CLAIMS, EXPERTS, PROVISIONS])
@pytest.mark.parametrize("q", ["the of", "-treaty", "🚀"])
def test_a_q_with_nothing_to_search_lists_nothing(client, url, q):
    QuoteFactory()
    ProvisionFactory()

    assert listed(client, url, q) == []


@pytest.mark.parametrize("url", [ARTICLES, CLAIMS, EXPERTS, PROVISIONS])
def test_q_documents_its_syntax_in_the_schema(client, url):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()

    (q,) = [p for p in schema["paths"][url]["get"]["parameters"] if p["name"] == "q"]
    assert '`"a phrase"`' in q["description"]
    assert "`-word`" in q["description"]


@pytest.mark.django_db
def test_the_api_root_lists_the_search_endpoint(client):
    from django.urls import reverse

    root = client.get(reverse("api:api-root")).json()

    assert root["search"] == "http://testserver" + reverse("api:search")
    assert "claims" in root
