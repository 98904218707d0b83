"""/api/v1/claims/ (also as JSON-LD), /quotes/, /topics/, /treaties/ and /provisions/."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Language
from claims.models import Claim, ClaimProvision
from core.models import DatePrecision, PublicationStatus
from tests.factories import (
    AffiliationFactory,
    ArticleFactory,
    ClaimFactory,
    ClaimProvisionFactory,
    ClaimTopicFactory,
    ExpertFactory,
    OrganizationFactory,
    OutletFactory,
    ProvisionFactory,
    QuoteFactory,
    TopicFactory,
    TreatyFactory,
)

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
CLAIMS = reverse("api:claim-list")
QUOTES = reverse("api:quote-list")
TOPICS = reverse("api:topic-list")
TREATIES = reverse("api:treaty-list")
PROVISIONS = reverse("api:provision-list")


def detail(basename, obj):
    return reverse(f"api:{basename}-detail", kwargs={"pk": obj.pk})


def absolute(path):
    return f"http://testserver{path}"


def rows(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response):
    return [row["id"] for row in rows(response)]


def errors(response):
    assert response.status_code == 400, response.content
    return response.json()["errors"]


def not_found(response):
    """The `errors` of a 404 for a filter value that names nothing."""
    assert response.status_code == 404, response.content
    return response.json()["errors"]


def query_count(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return len(queries)


def full_claim(**fields):
    """A published claim with a speaker in a role, a topic, a cited provision and a quote."""
    if "speaker" not in fields:
        fields["speaker"] = AffiliationFactory().expert
    claim = ClaimFactory(**fields)
    ClaimTopicFactory(claim=claim)
    ClaimProvisionFactory(claim=claim)
    QuoteFactory(claim=claim)
    return claim


def full_claims(count):
    for _ in range(count):
        full_claim()


# /api/v1/claims/: content


def test_claim_item_has_its_fields(client):
    claim = full_claim(summary="China can stop it.", made_precision=DatePrecision.MONTH)

    [row] = rows(client.get(CLAIMS))

    assert set(row) == {
        "id",
        "url",
        "html_url",
        "summary",
        "kind",
        "made_on",
        "made_precision",
        "speaker",
        "topics",
        "provisions",
        "quotes",
        "prediction",
        "correction",
        "created",
        "updated",
    }
    assert row["id"] == claim.pk
    assert row["url"] == absolute(detail("claim", claim))
    assert row["html_url"] == absolute(claim.get_absolute_url())
    assert (row["summary"], row["kind"]) == ("China can stop it.", "assessment")
    assert (row["made_on"], row["made_precision"]) == ("2024-06-20", "month")


def test_claim_speaker_carries_the_role_held_when_the_claim_was_made(client):
    expert = ExpertFactory(display_name="Oleksandr Musienko", slug="oleksandr-musienko")
    centre = OrganizationFactory(name="Center for Military Legal Research", slug="cmlr")
    AffiliationFactory(
        expert=expert,
        organization=centre,
        role_title="Head",
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2024, 12, 31),
    )
    AffiliationFactory(expert=expert, role_title="Adviser", start_date=datetime.date(2025, 1, 1))
    full_claim(speaker=expert, made_on=datetime.date(2024, 6, 20))

    [row] = rows(client.get(CLAIMS))

    assert row["speaker"] == {
        "id": expert.pk,
        "slug": "oleksandr-musienko",
        "name": "Oleksandr Musienko",
        "url": absolute(detail("expert", expert)),
        "html_url": absolute(expert.get_absolute_url()),
        "role": {
            "title": "Head",
            "organization": {
                "slug": "cmlr",
                "name": "Center for Military Legal Research",
                "url": absolute(detail("organization", centre)),
            },
        },
    }


def test_claim_speaker_role_is_null_when_no_affiliation_covers_the_date(client):
    full_claim(speaker=ExpertFactory())

    [row] = rows(client.get(CLAIMS))

    assert row["speaker"]["role"] is None


def test_claim_topics_carry_slug_title_and_stance(client):
    claim = ClaimFactory()
    link = ClaimTopicFactory(claim=claim, topic__slug="china-role", topic__title="China's role")
    ClaimTopicFactory(claim=claim, topic__slug="sanctions", topic__title="Sanctions", stance="")

    [row] = rows(client.get(CLAIMS))

    assert row["topics"] == [
        {
            "slug": "china-role",
            "title": "China's role",
            "stance": "no",
            "url": absolute(detail("topic", link.topic)),
        },
        {
            "slug": "sanctions",
            "title": "Sanctions",
            "stance": None,
            "url": row["topics"][1]["url"],
        },
    ]


def test_claim_provisions_carry_citation_and_relation(client):
    treaty = TreatyFactory(slug="ru-dprk-2024", short_name="RU–DPRK Treaty (2024)")
    provision = ProvisionFactory(treaty=treaty, number="Article 4", address="art_4")
    ClaimProvisionFactory(
        provision=provision, relation=ClaimProvision.Relation.INVOKES, note="Troops."
    )

    [row] = rows(client.get(CLAIMS))

    assert row["provisions"] == [
        {
            "treaty": "ru-dprk-2024",
            "address": "art_4",
            "citation_label": "RU–DPRK Treaty (2024), Art. 4",
            "relation": "invokes",
            "note": "Troops.",
            "url": absolute(detail("provision", provision)),
            "html_url": absolute(provision.get_absolute_url()),
        }
    ]


def test_claim_quotes_carry_article_outlet_and_a_link_to_the_passage(client):
    outlet = OutletFactory(slug="24-channel", name="24 Channel")
    article = ArticleFactory(outlet=outlet, title="Why China", published_on="2024-06-21")
    quote = QuoteFactory(article=article)

    [row] = rows(client.get(CLAIMS))

    assert row["quotes"] == [
        {
            "id": quote.pk,
            "text": "China has the leverage to stop it",
            "article": {
                "id": article.pk,
                "slug": article.slug,
                "title": "Why China",
                "url": absolute(detail("article", article)),
                "html_url": absolute(article.get_absolute_url()),
            },
            "outlet": {
                "slug": "24-channel",
                "name": "24 Channel",
                "url": absolute(detail("outlet", outlet)),
            },
            "published_on": "2024-06-21",
            "html_url": absolute(f"{article.get_absolute_url()}#quote-{quote.pk}"),
        }
    ]


def test_claim_leaves_out_quotes_in_unpublished_articles(client):
    claim = ClaimFactory()
    QuoteFactory(claim=claim, article__status=DRAFT)

    [row] = rows(client.get(CLAIMS))

    assert row["quotes"] == []


def test_prediction_carries_its_due_date_and_outcome(client):
    ClaimFactory(
        kind=Claim.Kind.PREDICTION,
        due_on=datetime.date(2025, 1, 1),
        outcome=Claim.Outcome.DID_NOT,
        outcome_note="Troops were sent.",
        outcome_source_url="https://example.org/report",
    )

    [row] = rows(client.get(CLAIMS))

    assert row["prediction"] == {
        "due_on": "2025-01-01",
        "outcome": "did_not",
        "outcome_note": "Troops were sent.",
        "outcome_source_url": "https://example.org/report",
    }


def test_prediction_without_a_recorded_outcome_is_pending(client):
    ClaimFactory(kind=Claim.Kind.PREDICTION)

    [row] = rows(client.get(CLAIMS))

    assert row["prediction"] == {
        "due_on": None,
        "outcome": "pending",
        "outcome_note": "",
        "outcome_source_url": None,
    }


def test_claim_that_is_not_a_prediction_has_no_prediction_block(client):
    ClaimFactory(kind=Claim.Kind.ASSESSMENT)

    [row] = rows(client.get(CLAIMS))

    assert row["prediction"] is None


def test_claim_list_leaves_out_drafts_and_claims_in_review(client):
    published = ClaimFactory()
    ClaimFactory(status=DRAFT)
    ClaimFactory(status=PublicationStatus.IN_REVIEW)

    assert ids(client.get(CLAIMS)) == [published.pk]


def test_claim_detail_is_the_list_item(client):
    claim = full_claim()
    [row] = rows(client.get(CLAIMS))

    response = client.get(detail("claim", claim))

    assert response.json() == row


def test_draft_claim_detail_is_404(client):
    draft = ClaimFactory(status=DRAFT)

    response = client.get(detail("claim", draft))

    assert response.status_code == 404
    assert "detail" in response.json()


# /api/v1/claims/: filters


def test_topic_filter_includes_claims_on_sub_topics(client):
    parent = TopicFactory(slug="china-role")
    child = TopicFactory(parent=parent)
    on_parent = ClaimTopicFactory(topic=parent).claim
    on_child = ClaimTopicFactory(topic=child).claim
    ClaimTopicFactory()

    response = client.get(CLAIMS, {"topic": "china-role"})

    assert sorted(ids(response)) == sorted([on_parent.pk, on_child.pk])


def test_topic_filter_lists_a_claim_on_two_sub_topics_once(client):
    parent = TopicFactory(slug="china-role")
    claim = ClaimTopicFactory(topic=TopicFactory(parent=parent)).claim
    ClaimTopicFactory(claim=claim, topic=TopicFactory(parent=parent))

    assert ids(client.get(CLAIMS, {"topic": "china-role"})) == [claim.pk]


def test_unknown_topic_is_a_404_naming_the_parameter(client):
    response = client.get(CLAIMS, {"topic": "no-such-topic"})

    assert not_found(response) == {"topic": ["No topic has the slug “no-such-topic”."]}


def test_expert_filter_keeps_the_expert_s_claims(client):
    expert = ExpertFactory(slug="oleksandr-musienko")
    theirs = ClaimFactory(speaker=expert)
    ClaimFactory()

    assert ids(client.get(CLAIMS, {"expert": "oleksandr-musienko"})) == [theirs.pk]


def test_expert_without_published_claims_is_unknown(client):
    ClaimFactory(speaker__slug="hidden", status=DRAFT)

    assert "expert" in not_found(client.get(CLAIMS, {"expert": "hidden"}))


def test_treaty_filter_keeps_claims_citing_any_of_its_provisions(client):
    treaty = TreatyFactory(slug="ru-dprk-2024")
    first = ClaimProvisionFactory(provision__treaty=treaty).claim
    second = ClaimProvisionFactory(provision__treaty=treaty).claim
    ClaimProvisionFactory()

    response = client.get(CLAIMS, {"treaty": "ru-dprk-2024"})

    assert sorted(ids(response)) == sorted([first.pk, second.pk])


def test_treaty_filter_lists_a_claim_citing_two_of_its_provisions_once(client):
    treaty = TreatyFactory(slug="ru-dprk-2024")
    claim = ClaimProvisionFactory(provision__treaty=treaty).claim
    ClaimProvisionFactory(claim=claim, provision__treaty=treaty)

    assert ids(client.get(CLAIMS, {"treaty": "ru-dprk-2024"})) == [claim.pk]


def test_provision_filter_keeps_claims_citing_that_provision(client):
    art_4 = ProvisionFactory(treaty__slug="ru-dprk-2024", address="art_4")
    citing = ClaimProvisionFactory(provision=art_4).claim
    ClaimProvisionFactory(provision__treaty=art_4.treaty, provision__address="art_5")

    assert ids(client.get(CLAIMS, {"provision": "ru-dprk-2024/art_4"})) == [citing.pk]


@pytest.mark.parametrize("value", ["art_4", "ru-dprk-2024/", "/art_4", "ru-dprk-2024"])
def test_malformed_provision_is_a_400(client, value):
    ProvisionFactory(treaty__slug="ru-dprk-2024", address="art_4")

    [problem] = errors(client.get(CLAIMS, {"provision": value}))["provision"]

    assert "ru-dprk-2024/art_4" in problem


def test_unknown_provision_is_a_404(client):
    ProvisionFactory(treaty__slug="ru-dprk-2024", address="art_4")

    response = client.get(CLAIMS, {"provision": "ru-dprk-2024/art_99"})

    assert not_found(response) == {
        "provision": ["No provision has the address “ru-dprk-2024/art_99”."]
    }


def test_relation_filter_keeps_claims_citing_in_that_way(client):
    disputing = ClaimProvisionFactory(relation=ClaimProvision.Relation.DISPUTES).claim
    ClaimProvisionFactory(relation=ClaimProvision.Relation.INVOKES)

    assert ids(client.get(CLAIMS, {"relation": "disputes"})) == [disputing.pk]


def test_relation_and_provision_must_match_the_same_citation(client):
    art_4 = ProvisionFactory(treaty__slug="ru-dprk-2024", address="art_4")
    # Disputes art_4: matches. Invokes art_4 but disputes another provision: does not.
    match = ClaimProvisionFactory(provision=art_4, relation="disputes").claim
    mixed = ClaimProvisionFactory(provision=art_4, relation="invokes").claim
    ClaimProvisionFactory(claim=mixed, relation="disputes")

    response = client.get(CLAIMS, {"provision": "ru-dprk-2024/art_4", "relation": "disputes"})

    assert ids(response) == [match.pk]


def test_relation_and_treaty_must_match_the_same_citation(client):
    treaty = TreatyFactory(slug="ru-dprk-2024")
    match = ClaimProvisionFactory(provision__treaty=treaty, relation="interprets").claim
    mixed = ClaimProvisionFactory(provision__treaty=treaty, relation="invokes").claim
    ClaimProvisionFactory(claim=mixed, relation="interprets")

    response = client.get(CLAIMS, {"treaty": "ru-dprk-2024", "relation": "interprets"})

    assert ids(response) == [match.pk]


def test_unknown_relation_is_a_400(client):
    assert "relation" in errors(client.get(CLAIMS, {"relation": "supports"}))


def test_kind_filter(client):
    prediction = ClaimFactory(kind=Claim.Kind.PREDICTION)
    ClaimFactory(kind=Claim.Kind.ASSESSMENT)

    assert ids(client.get(CLAIMS, {"kind": "prediction"})) == [prediction.pk]


def test_unknown_kind_is_a_400(client):
    assert "kind" in errors(client.get(CLAIMS, {"kind": "rumour"}))


def test_language_filter_keeps_claims_quoted_in_that_language(client):
    ukrainian = QuoteFactory(article__language=Language.UKRAINIAN).claim
    QuoteFactory(article__language=Language.ENGLISH)

    assert ids(client.get(CLAIMS, {"language": "uk"})) == [ukrainian.pk]


def test_language_filter_ignores_unpublished_articles(client):
    QuoteFactory(article__language=Language.UKRAINIAN, article__status=DRAFT)

    assert ids(client.get(CLAIMS, {"language": "uk"})) == []


def test_outlet_filter_keeps_claims_quoted_by_the_outlet(client):
    quoted = QuoteFactory(article__outlet__slug="24-channel").claim
    QuoteFactory()

    assert ids(client.get(CLAIMS, {"outlet": "24-channel"})) == [quoted.pk]


def test_unknown_outlet_is_a_404(client):
    assert "outlet" in not_found(client.get(CLAIMS, {"outlet": "nowhere"}))


def test_made_after_and_made_before_include_their_dates(client):
    ClaimFactory(made_on=datetime.date(2024, 5, 31))
    june = [ClaimFactory(made_on=datetime.date(2024, 6, day)).pk for day in (1, 30)]
    ClaimFactory(made_on=datetime.date(2024, 7, 1))

    response = client.get(CLAIMS, {"made_after": "2024-06-01", "made_before": "2024-06-30"})

    assert sorted(ids(response)) == june


def test_bad_date_is_a_400(client):
    assert "made_after" in errors(client.get(CLAIMS, {"made_after": "June 2024"}))


def test_article_filter_keeps_claims_quoted_in_the_article(client):
    article = ArticleFactory(slug="why-china")
    quoted = QuoteFactory(article=article).claim
    QuoteFactory()

    assert ids(client.get(CLAIMS, {"article": "why-china"})) == [quoted.pk]


def test_unpublished_article_is_unknown_to_the_article_filter(client):
    QuoteFactory(article__slug="draft", article__status=DRAFT)

    assert "article" in not_found(client.get(CLAIMS, {"article": "draft"}))


def test_q_matches_the_summary_in_any_case(client):
    match = ClaimFactory(summary="China has LEVERAGE.")
    ClaimFactory(summary="Sanctions bite.")

    assert ids(client.get(CLAIMS, {"q": "leverage"})) == [match.pk]


def test_q_matches_quote_text(client):
    match = QuoteFactory(claim__summary="Beijing can act.").claim
    ClaimFactory(summary="Sanctions bite.")

    assert ids(client.get(CLAIMS, {"q": "THE LEVERAGE"})) == [match.pk]


def test_q_ignores_quotes_in_unpublished_articles(client):
    QuoteFactory(claim__summary="Beijing can act.", article__status=DRAFT)

    assert ids(client.get(CLAIMS, {"q": "leverage"})) == []


def test_unknown_parameter_is_a_400(client):
    assert "speaker" in errors(client.get(CLAIMS, {"speaker": "x"}))


# /api/v1/claims/: the partners' one-request examples, on the demo data


def test_one_request_gives_every_claim_citing_article_4_with_speaker_topics_quotes(client, demo):
    expected = Claim.objects.published().filter(
        provision_links__provision__treaty__slug="ru-dprk-2024",
        provision_links__provision__address="art_4",
    )

    response = client.get(CLAIMS, {"provision": "ru-dprk-2024/art_4", "page_size": 100})

    found = rows(response)
    assert response.json()["next"] is None
    assert sorted(row["id"] for row in found) == sorted(expected.values_list("pk", flat=True))
    assert len(found) == 4
    for row in found:
        assert row["speaker"]["name"] and row["topics"] and row["quotes"]
        assert ("ru-dprk-2024", "art_4") in {(p["treaty"], p["address"]) for p in row["provisions"]}


def test_one_request_gives_everything_musienko_said_about_china_s_role(client, demo):
    response = client.get(
        CLAIMS, {"expert": "oleksandr-musienko", "topic": "china-role", "page_size": 100}
    )

    found = rows(response)
    assert response.json()["next"] is None
    assert len(found) == 4
    for row in found:
        assert row["speaker"]["slug"] == "oleksandr-musienko"
        assert "china-role" in {topic["slug"] for topic in row["topics"]}
        assert row["quotes"]


# /api/v1/claims/: ordering and pages


def test_claims_come_newest_first_by_default(client):
    first, second, third = (ClaimFactory() for _ in range(3))

    assert ids(client.get(CLAIMS)) == [third.pk, second.pk, first.pk]


def test_claims_can_be_ordered_by_date_made(client):
    late = ClaimFactory(made_on=datetime.date(2024, 7, 1))
    early = ClaimFactory(made_on=datetime.date(2023, 9, 1))

    assert ids(client.get(CLAIMS, {"ordering": "made_on"})) == [early.pk, late.pk]


def test_claims_cannot_be_ordered_by_other_fields(client):
    assert "ordering" in errors(client.get(CLAIMS, {"ordering": "summary"}))


def test_claim_cursor_neither_skips_nor_repeats_when_a_claim_arrives_between_pages(client):
    claims = [ClaimFactory(made_on=datetime.date(2024, 6, 1)) for _ in range(5)]
    first_page = client.get(CLAIMS, {"page_size": 2})
    seen = ids(first_page)

    ClaimFactory(made_on=datetime.date(2024, 6, 1))  # same day as the rest
    following = first_page.json()["next"]
    while following:
        response = client.get(following)
        seen += ids(response)
        following = response.json()["next"]

    assert sorted(seen) == sorted(claim.pk for claim in claims)


def test_claim_list_runs_as_many_queries_for_50_claims_as_for_5(client):
    full_claims(5)
    client.get(CLAIMS, {"page_size": 5})  # warm per-process caches
    at_five = query_count(client, CLAIMS, {"page_size": 5})

    full_claims(45)

    assert query_count(client, CLAIMS, {"page_size": 50}) == at_five


def test_claim_list_query_count(client, django_assert_num_queries):
    full_claims(3)
    client.get(CLAIMS)

    # Freshness aggregate, claims, then affiliations, topics, provisions, quotes.
    with django_assert_num_queries(6):
        client.get(CLAIMS)


def test_filtered_claim_list_runs_as_many_queries_for_50_claims_as_for_5(client):
    topic = TopicFactory(slug="china-role")

    def make(count):
        for _ in range(count):
            ClaimTopicFactory(claim=full_claim(), topic=topic)

    params = {"topic": "china-role", "q": "china", "language": "en"}
    make(5)
    client.get(CLAIMS, params | {"page_size": 5})
    at_five = query_count(client, CLAIMS, params | {"page_size": 5})

    make(45)

    assert query_count(client, CLAIMS, params | {"page_size": 50}) == at_five


# /api/v1/claims/<id>/?format=jsonld


def jsonld(client, claim, **headers):
    response = client.get(detail("claim", claim), {"format": "jsonld"}, **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/ld+json"
    return response.json()


def test_claim_as_json_ld_is_a_schema_org_claim(client):
    claim = full_claim(summary="China can stop it.")
    quote = claim.quotes.get()

    data = jsonld(client, claim)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Claim"
    assert data["text"] == "China can stop it."
    assert data["datePublished"] == "2024-06-20"
    assert data["author"]["@type"] == "Person"
    assert data["author"]["name"] == claim.speaker.display_name
    assert data["appearance"] == [
        {
            "@type": "NewsArticle",
            "headline": quote.article.title,
            "url": absolute(quote.article.get_absolute_url()),
            "datePublished": "2024-06-20",
            "publisher": {"@type": "Organization", "name": quote.article.outlet.name},
            "sameAs": quote.article.source_url,
        }
    ]


def test_claim_as_json_ld_is_the_public_page_s_structured_data(client):
    claim = ClaimFactory(kind=Claim.Kind.PREDICTION, outcome=Claim.Outcome.CAME_TRUE)
    QuoteFactory(claim=claim)
    page = client.get(claim.get_absolute_url()).content.decode()
    [block] = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)

    assert jsonld(client, claim) == json.loads(block)


def test_json_ld_is_also_chosen_by_the_accept_header(client):
    claim = full_claim()

    response = client.get(detail("claim", claim), headers={"accept": "application/ld+json"})

    assert response["Content-Type"] == "application/ld+json"
    assert response.json()["@type"] == "Claim"


def test_judged_prediction_as_json_ld_carries_a_claim_review(client):
    claim = ClaimFactory(
        kind=Claim.Kind.PREDICTION,
        outcome=Claim.Outcome.CAME_TRUE,
        outcome_note="It happened.",
        outcome_source_url="https://example.org/report",
    )
    url = absolute(claim.get_absolute_url())

    review = jsonld(client, claim)["review"]

    assert review["@type"] == "ClaimReview"
    assert review["itemReviewed"] == {"@type": "Claim", "@id": url}
    assert review["claimReviewed"] == claim.summary
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Came true",
        "ratingExplanation": "It happened.",
    }
    assert review["citation"] == "https://example.org/report"


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": Claim.Kind.PREDICTION, "outcome": Claim.Outcome.PENDING},
        {"kind": Claim.Kind.PREDICTION, "outcome": ""},
        {"kind": Claim.Kind.ASSESSMENT},
    ],
)
def test_claim_without_a_verdict_has_no_claim_review(client, fields):
    claim = ClaimFactory(**fields)

    assert "review" not in jsonld(client, claim)


def test_json_ld_has_an_etag_of_its_own_and_answers_304(client):
    claim = full_claim()
    as_json = client.get(detail("claim", claim))
    as_jsonld = client.get(detail("claim", claim), {"format": "jsonld"})

    again = client.get(
        detail("claim", claim), {"format": "jsonld"}, headers={"if-none-match": as_jsonld["ETag"]}
    )

    assert as_jsonld["ETag"] != as_json["ETag"]
    assert again.status_code == 304


def test_draft_claim_as_json_ld_is_404(client):
    draft = ClaimFactory(status=DRAFT)

    response = client.get(detail("claim", draft), {"format": "jsonld"})

    assert response.status_code == 404


def test_claim_list_has_no_json_ld_format(client):
    ClaimFactory()

    response = client.get(CLAIMS, {"format": "jsonld"})

    assert "format" in errors(response)


# /api/v1/quotes/


def test_quote_item_has_its_fields(client):
    quote = QuoteFactory(claim__speaker__slug="musienko", claim__speaker__display_name="O. M.")
    claim, article = quote.claim, quote.article

    [row] = rows(client.get(QUOTES))

    assert row == {
        "id": quote.pk,
        "url": absolute(detail("quote", quote)),
        "html_url": absolute(f"{article.get_absolute_url()}#quote-{quote.pk}"),
        "text": "China has the leverage to stop it",
        "start": quote.start,
        "end": quote.end,
        "claim": {
            "id": claim.pk,
            "summary": claim.summary,
            "url": absolute(detail("claim", claim)),
            "html_url": absolute(claim.get_absolute_url()),
        },
        "speaker": {
            "id": claim.speaker.pk,
            "slug": "musienko",
            "name": "O. M.",
            "url": absolute(detail("expert", claim.speaker)),
            "html_url": absolute(claim.speaker.get_absolute_url()),
        },
        "article": {
            "id": article.pk,
            "slug": article.slug,
            "title": article.title,
            "url": absolute(detail("article", article)),
            "html_url": absolute(article.get_absolute_url()),
        },
        "outlet": {
            "slug": article.outlet.slug,
            "name": article.outlet.name,
            "url": absolute(detail("outlet", article.outlet)),
        },
        "published_on": "2024-06-20",
        "created": row["created"],
        "updated": row["updated"],
    }


def test_quote_offsets_span_the_text_in_the_article_body(client):
    quote = QuoteFactory()

    [row] = rows(client.get(QUOTES))

    assert quote.article.body[row["start"] : row["end"]] == row["text"]


@pytest.mark.parametrize("hidden", [{"claim__status": DRAFT}, {"article__status": DRAFT}])
def test_quote_list_leaves_out_quotes_of_unpublished_claims_or_articles(client, hidden):
    public = QuoteFactory()
    QuoteFactory(**hidden)

    assert ids(client.get(QUOTES)) == [public.pk]


@pytest.mark.parametrize("hidden", [{"claim__status": DRAFT}, {"article__status": DRAFT}])
def test_unpublished_quote_detail_is_404(client, hidden):
    quote = QuoteFactory(**hidden)

    assert client.get(detail("quote", quote)).status_code == 404


def test_quotes_filter_by_article(client):
    quote = QuoteFactory(article__slug="why-china")
    QuoteFactory()

    assert ids(client.get(QUOTES, {"article": "why-china"})) == [quote.pk]


def test_quotes_filter_by_expert(client):
    quote = QuoteFactory(claim__speaker__slug="musienko")
    QuoteFactory()

    assert ids(client.get(QUOTES, {"expert": "musienko"})) == [quote.pk]


def test_quotes_filter_by_claim(client):
    quote = QuoteFactory()
    QuoteFactory()

    assert ids(client.get(QUOTES, {"claim": quote.claim_id})) == [quote.pk]


@pytest.mark.parametrize("value", ["twelve", "0", "-3", "9223372036854775808"])
def test_quotes_claim_filter_refuses_a_value_that_is_not_an_id(client, value):
    assert "claim" in errors(client.get(QUOTES, {"claim": value}))


def test_quotes_claim_filter_with_an_unknown_id_is_a_404(client):
    assert "claim" in not_found(client.get(QUOTES, {"claim": "999999"}))


def test_quotes_claim_filter_treats_a_draft_claim_as_unknown(client):
    draft = ClaimFactory(status=DRAFT)

    assert "claim" in not_found(client.get(QUOTES, {"claim": draft.pk}))


def test_quotes_come_newest_first(client):
    first, second = QuoteFactory(), QuoteFactory()

    assert ids(client.get(QUOTES)) == [second.pk, first.pk]


def test_quote_cursor_neither_skips_nor_repeats_when_a_quote_arrives_between_pages(client):
    quotes = [QuoteFactory() for _ in range(5)]
    first_page = client.get(QUOTES, {"page_size": 2})
    seen = ids(first_page)

    QuoteFactory()
    following = first_page.json()["next"]
    while following:
        response = client.get(following)
        seen += ids(response)
        following = response.json()["next"]

    assert sorted(seen) == sorted(quote.pk for quote in quotes)


def test_quote_list_runs_as_many_queries_for_50_quotes_as_for_5(client):
    for _ in range(5):
        QuoteFactory()
    client.get(QUOTES, {"page_size": 5})
    at_five = query_count(client, QUOTES, {"page_size": 5})

    for _ in range(45):
        QuoteFactory()

    assert query_count(client, QUOTES, {"page_size": 50}) == at_five


def test_quote_list_query_count(client, django_assert_num_queries):
    QuoteFactory()
    client.get(QUOTES)

    # Freshness aggregate, then the quotes with claim, speaker, article and outlet joined.
    with django_assert_num_queries(2):
        client.get(QUOTES)


# /api/v1/topics/


def test_topic_item_has_its_fields_and_counts(client):
    parent = TopicFactory(slug="china-role", title="China's role", question="Will China act?")
    child = TopicFactory(slug="exercises", parent=parent)
    expert = ExpertFactory()
    for _ in range(2):
        ClaimTopicFactory(topic=parent, claim__speaker=expert)
    ClaimTopicFactory(topic=parent, claim__status=DRAFT)

    [row] = rows(client.get(TOPICS, {"q": "China's role"}))

    assert row == {
        "id": parent.pk,
        "url": absolute(detail("topic", parent)),
        "html_url": absolute(parent.get_absolute_url()),
        "slug": "china-role",
        "title": "China's role",
        "question": "Will China act?",
        "description": "",
        "parent": None,
        "children": [child.slug],
        "claim_count": 2,
        "expert_count": 1,
        "claims_url": absolute(f"{CLAIMS}?topic=china-role"),
    }


def test_sub_topic_names_its_parent(client):
    child = TopicFactory(parent=TopicFactory(slug="china-role"))

    assert client.get(detail("topic", child)).json()["parent"] == "china-role"


def test_topics_filter_by_parent(client):
    parent = TopicFactory(slug="china-role")
    child = TopicFactory(parent=parent)
    TopicFactory()

    assert ids(client.get(TOPICS, {"parent": "china-role"})) == [child.pk]


def test_topics_q_matches_the_question(client):
    match = TopicFactory(question="Will sanctions bite?")
    TopicFactory(question="Will China act?")

    assert ids(client.get(TOPICS, {"q": "SANCTIONS"})) == [match.pk]


def test_topics_come_in_title_order(client):
    second, first = TopicFactory(title="Sanctions"), TopicFactory(title="Arms supplies")

    assert ids(client.get(TOPICS)) == [first.pk, second.pk]


def test_unknown_parent_topic_is_a_404(client):
    assert "parent" in not_found(client.get(TOPICS, {"parent": "nothing"}))


def test_topic_list_runs_as_many_queries_for_50_topics_as_for_5(client):
    def make(count):
        for _ in range(count):
            ClaimTopicFactory(topic=TopicFactory(parent=TopicFactory()))

    make(5)
    client.get(TOPICS, {"page_size": 5})
    at_five = query_count(client, TOPICS, {"page_size": 5})

    make(45)

    assert query_count(client, TOPICS, {"page_size": 50}) == at_five


def test_topic_list_query_count(client, django_assert_num_queries):
    TopicFactory(parent=TopicFactory())
    client.get(TOPICS)

    # Freshness aggregate, count for the page, topics with counts, sub-topics.
    with django_assert_num_queries(4):
        client.get(TOPICS)


# /api/v1/treaties/


def test_treaty_item_has_its_fields_and_counts(client):
    treaty = TreatyFactory(
        slug="ru-dprk-2024",
        title="Treaty on Comprehensive Strategic Partnership",
        short_name="RU–DPRK Treaty (2024)",
        parties="Russian Federation\nDPRK\n",
        signed_on=datetime.date(2024, 6, 19),
        in_force_on=datetime.date(2024, 12, 4),
        source_url="",
    )
    cited = ProvisionFactory(treaty=treaty)
    ProvisionFactory(treaty=treaty)
    ClaimProvisionFactory(provision=cited)
    ClaimProvisionFactory(provision=cited, claim__status=DRAFT)

    [row] = rows(client.get(TREATIES))

    assert row == {
        "id": treaty.pk,
        "url": absolute(detail("treaty", treaty)),
        "html_url": absolute(treaty.get_absolute_url()),
        "slug": "ru-dprk-2024",
        "title": "Treaty on Comprehensive Strategic Partnership",
        "short_name": "RU–DPRK Treaty (2024)",
        "parties": ["Russian Federation", "DPRK"],
        "signed_on": "2024-06-19",
        "in_force_on": "2024-12-04",
        "source_url": None,
        "provision_count": 2,
        "claim_count": 1,
        "provisions_url": absolute(f"{PROVISIONS}?treaty=ru-dprk-2024"),
        "claims_url": absolute(f"{CLAIMS}?treaty=ru-dprk-2024"),
    }


def test_treaties_come_latest_signed_first_and_undated_last(client):
    undated = TreatyFactory(signed_on=None)
    old = TreatyFactory(signed_on=datetime.date(1961, 7, 11))
    new = TreatyFactory(signed_on=datetime.date(2024, 6, 19))

    assert ids(client.get(TREATIES)) == [new.pk, old.pk, undated.pk]


def test_treaties_q_matches_a_party(client):
    match = TreatyFactory(parties="People's Republic of China\nDPRK")
    TreatyFactory(parties="NATO member states")

    assert ids(client.get(TREATIES, {"q": "china"})) == [match.pk]


def test_treaty_list_runs_as_many_queries_for_50_treaties_as_for_5(client):
    def make(count):
        for _ in range(count):
            ClaimProvisionFactory()

    make(5)
    client.get(TREATIES, {"page_size": 5})
    at_five = query_count(client, TREATIES, {"page_size": 5})

    make(45)

    assert query_count(client, TREATIES, {"page_size": 50}) == at_five


def test_treaty_list_query_count(client, django_assert_num_queries):
    ClaimProvisionFactory()
    client.get(TREATIES)

    # Freshness aggregate, count for the page, treaties with counts.
    with django_assert_num_queries(3):
        client.get(TREATIES)


# /api/v1/provisions/


def test_provision_item_has_its_fields(client):
    treaty = TreatyFactory(slug="ru-dprk-2024", short_name="RU–DPRK Treaty (2024)")
    article = ProvisionFactory(treaty=treaty, number="Article 4", address="art_4", order=4)
    paragraph = ProvisionFactory(
        treaty=treaty,
        parent=article,
        number="Paragraph 1",
        address="art_4__para_1",
        heading="Assistance",
        text="Military assistance.",
        order=5,
    )
    ClaimProvisionFactory(provision=paragraph)
    ClaimProvisionFactory(provision=paragraph, claim__status=DRAFT)

    response = client.get(detail("provision", paragraph))

    assert response.json() == {
        "id": paragraph.pk,
        "url": absolute(detail("provision", paragraph)),
        "html_url": absolute(paragraph.get_absolute_url()),
        "treaty": {
            "id": treaty.pk,
            "slug": "ru-dprk-2024",
            "short_name": "RU–DPRK Treaty (2024)",
            "url": absolute(detail("treaty", treaty)),
            "html_url": absolute(treaty.get_absolute_url()),
        },
        "address": "art_4__para_1",
        "number": "Paragraph 1",
        "citation_label": "RU–DPRK Treaty (2024), Art. 4, para. 1",
        "heading": "Assistance",
        "text": "Military assistance.",
        "text_is_official": False,
        "parent": "art_4",
        "order": 5,
        "claim_count": 1,
        "claims_url": absolute(f"{CLAIMS}?provision=ru-dprk-2024/art_4__para_1"),
    }


def test_provision_claims_url_lists_the_claims_citing_it(client):
    citing = ClaimProvisionFactory().claim
    ClaimProvisionFactory()

    claims_url = client.get(detail("provision", citing.provisions.get())).json()["claims_url"]

    assert ids(client.get(claims_url)) == [citing.pk]


def test_provisions_filter_by_treaty(client):
    provision = ProvisionFactory(treaty__slug="ru-dprk-2024")
    ProvisionFactory()

    assert ids(client.get(PROVISIONS, {"treaty": "ru-dprk-2024"})) == [provision.pk]


def test_unknown_treaty_is_a_404_for_provisions(client):
    assert not_found(client.get(PROVISIONS, {"treaty": "nothing"})) == {
        "treaty": ["No treaty has the slug “nothing”."]
    }


def test_provisions_q_matches_the_heading(client):
    match = ProvisionFactory(heading="Military assistance in war")
    ProvisionFactory(heading="Media cooperation")

    assert ids(client.get(PROVISIONS, {"q": "military"})) == [match.pk]


def test_provisions_come_in_reading_order_within_their_treaty(client):
    treaty = TreatyFactory()
    second = ProvisionFactory(treaty=treaty, order=2)
    first = ProvisionFactory(treaty=treaty, order=1)

    assert ids(client.get(PROVISIONS)) == [first.pk, second.pk]


def test_provision_list_runs_as_many_queries_for_50_provisions_as_for_5(client):
    def make(count):
        for _ in range(count):
            parent = ProvisionFactory()
            ClaimProvisionFactory(provision__treaty=parent.treaty, provision__parent=parent)

    make(3)
    client.get(PROVISIONS, {"page_size": 5})
    at_five = query_count(client, PROVISIONS, {"page_size": 5})

    make(25)

    assert query_count(client, PROVISIONS, {"page_size": 50}) == at_five


def test_provision_list_query_count(client, django_assert_num_queries):
    ProvisionFactory()
    client.get(PROVISIONS)

    # Freshness aggregate, count for the page, provisions with treaty, parents and counts.
    with django_assert_num_queries(3):
        client.get(PROVISIONS)
