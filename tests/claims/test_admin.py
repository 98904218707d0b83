import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from claims.models import Claim, Quote
from core.models import PublicationStatus
from tests.admin_helpers import (
    assert_queries_do_not_grow,
    changelist_url,
    form_data,
    listed,
)
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ClaimProvisionFactory,
    ClaimTopicFactory,
    ExpertFactory,
    NameVariantFactory,
    OutletFactory,
    ProvisionFactory,
    QuoteFactory,
    TopicFactory,
    TreatyFactory,
    UserFactory,
)

REPEATED_BODY = "Talks resumed.\n\nTalks resumed, officials said.\n\nNothing else."
SECOND_TALKS = (16, 29)  # offsets of the second "Talks resumed" in REPEATED_BODY


def make_claims(count):
    for _ in range(count):
        claim = ClaimFactory()
        ClaimTopicFactory(claim=claim)
        ClaimProvisionFactory(claim=claim)
        QuoteFactory(claim=claim)


def make_provisions(count):
    """Points inside paragraphs inside articles: the deepest labels the changelist prints."""
    for _ in range(count):
        article = ProvisionFactory()
        paragraph = ProvisionFactory(
            treaty=article.treaty, parent=article, address=f"{article.address}__para_1"
        )
        ProvisionFactory(
            treaty=article.treaty, parent=paragraph, address=f"{paragraph.address}__point_a"
        )


@pytest.fixture
def claim(db):
    speaker = ExpertFactory(display_name="Andrei Lankov")
    NameVariantFactory(expert=speaker, name="Андрей Ланьков")
    return ClaimFactory(speaker=speaker, summary="Beijing will tolerate the pact.")


@pytest.fixture
def quote(claim):
    return QuoteFactory(claim=claim, article=ArticleFactory(title="Putin and Kim sign a pact"))


@pytest.fixture
def provision(db):
    return ProvisionFactory(
        treaty=TreatyFactory(short_name="RU–DPRK Treaty (2024)"),
        number="Article 4",
        address="art_4",
        text_is_official=True,
    )


@pytest.fixture
def objects(quote, provision):
    """One of each model, linked together."""
    ClaimTopicFactory(claim=quote.claim, topic=TopicFactory(parent=TopicFactory()))
    ClaimProvisionFactory(claim=quote.claim, provision=provision)
    return {
        "topic": quote.claim.topics.get(),
        "claim": quote.claim,
        "quote": quote,
        "treaty": provision.treaty,
        "provision": provision,
    }


MODELS = ["topic", "claim", "quote", "treaty", "provision"]


@pytest.mark.parametrize("model", MODELS)
def test_editor_opens_changelist(editor_client, objects, model):
    assert editor_client.get(changelist_url(f"claims.{model}")).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_editor_opens_add_page(editor_client, model):
    assert editor_client.get(reverse(f"admin:claims_{model}_add")).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_editor_opens_change_page(editor_client, objects, model):
    url = reverse(f"admin:claims_{model}_change", args=[objects[model].pk])

    assert editor_client.get(url).status_code == 200


def test_staff_without_permissions_is_refused_the_claim_changelist(client, db):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(changelist_url("claims.claim")).status_code == 403


def test_editor_autocompletes_topics_for_the_claim_topic_inline(editor_client, objects):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "claims",
            "model_name": "claimtopic",
            "field_name": "topic",
            "term": objects["topic"].title,
        },
    )

    assert [r["text"] for r in response.json()["results"]] == [objects["topic"].title]


def test_topic_search_matches_question(editor_client):
    topic = TopicFactory(question="Will China restrain Pyongyang?")
    TopicFactory()

    assert listed(editor_client, "claims.topic", q="restrain") == {topic}


def test_topic_filter_by_parent(editor_client):
    parent = TopicFactory()
    child = TopicFactory(parent=parent)
    TopicFactory(parent=TopicFactory())

    assert listed(editor_client, "claims.topic", parent__id__exact=parent.pk) == {child}


def test_topic_changelist_queries_do_not_grow_with_rows(editor_client):
    def make_topics(count):
        for _ in range(count):
            ClaimTopicFactory(topic=TopicFactory(parent=TopicFactory()))

    assert_queries_do_not_grow(editor_client, "claims.topic", make_topics)


def test_claim_search_matches_summary(editor_client, claim):
    ClaimFactory(summary="Sanctions will bite.")

    assert listed(editor_client, "claims.claim", q="tolerate") == {claim}


def test_claim_search_matches_speaker_name_variant(editor_client, claim):
    ClaimFactory()

    assert listed(editor_client, "claims.claim", q="Ланьков") == {claim}


def test_claim_filter_by_status(editor_client, claim):
    draft = ClaimFactory(status=PublicationStatus.DRAFT)

    assert listed(editor_client, "claims.claim", status__exact="draft") == {draft}


def test_claim_filter_by_kind(editor_client, claim):
    prediction = ClaimFactory(kind=Claim.Kind.PREDICTION)

    assert listed(editor_client, "claims.claim", kind__exact="prediction") == {prediction}


def test_claim_filter_by_speaker(editor_client, claim):
    ClaimFactory()

    assert listed(editor_client, "claims.claim", speaker__id__exact=claim.speaker_id) == {claim}


def test_claim_filter_by_topic(editor_client, claim):
    link = ClaimTopicFactory()

    assert listed(editor_client, "claims.claim", topics__id__exact=link.topic_id) == {link.claim}


def test_claim_date_hierarchy_narrows_to_a_year(editor_client, claim):
    older = ClaimFactory(made_on=datetime.date(2019, 3, 1))

    assert listed(editor_client, "claims.claim", made_on__year=2019) == {older}


def test_claim_changelist_lists_topics_and_counts_quotes(editor_client, quote):
    ClaimTopicFactory(claim=quote.claim, topic=TopicFactory(title="China's leverage"))
    QuoteFactory(claim=quote.claim)

    response = editor_client.get(changelist_url("claims.claim"))

    (row,) = response.context["cl"].result_list
    assert row.quote_count == 2
    assertContains(response, "China&#x27;s leverage")


def test_claim_changelist_queries_do_not_grow_with_rows(editor_client):
    assert_queries_do_not_grow(editor_client, "claims.claim", make_claims)


def test_claim_changelist_query_count(editor_client, django_assert_num_queries):
    make_claims(5)
    editor_client.get(changelist_url("claims.claim"))

    # session, user, user and group permissions, speaker and topic filters, filtered and
    # total counts, rows, topics prefetch, date hierarchy range and days
    with django_assert_num_queries(12):
        editor_client.get(changelist_url("claims.claim"))


def test_claim_page_adds_a_topic_with_stance(editor_client, claim):
    topic = TopicFactory()
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(editor_client.get(url))
    data |= {
        "topic_links-TOTAL_FORMS": "1",
        "topic_links-0-topic": topic.pk,
        "topic_links-0-stance": "yes",
    }

    assert editor_client.post(url, data).status_code == 302
    assert claim.topic_links.get().stance == "yes"


def test_claim_page_anchors_a_new_quote_in_the_chosen_article(editor_client, claim):
    article = ArticleFactory(body=REPEATED_BODY)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(editor_client.get(url))
    data |= {
        "quotes-TOTAL_FORMS": "1",
        "quotes-0-article": article.pk,
        "quotes-0-text": "Talks resumed",
        "quotes-0-occurrence": "2",
    }

    editor_client.post(url, data)

    quote = claim.quotes.get()
    assert (quote.start, quote.end) == SECOND_TALKS


def test_quote_add_rejects_text_missing_from_the_article(editor_client, claim):
    article = ArticleFactory(title="Putin and Kim sign a pact")

    response = editor_client.post(
        reverse("admin:claims_quote_add"),
        {"claim": claim.pk, "article": article.pk, "text": "Words nobody wrote"},
    )

    assert response.context["adminform"].form.errors["text"] == [
        "This text is not found in the body of “Putin and Kim sign a pact”. "
        "A quote must be copied from the article: only quote marks, dashes, "
        "spaces and line breaks may differ."
    ]
    assert not Quote.objects.exists()


def test_quote_add_stores_the_chosen_occurrence(editor_client, claim):
    article = ArticleFactory(body=REPEATED_BODY)

    editor_client.post(
        reverse("admin:claims_quote_add"),
        {"claim": claim.pk, "article": article.pk, "text": "Talks resumed", "occurrence": "2"},
    )

    quote = Quote.objects.get()
    assert (quote.start, quote.end) == SECOND_TALKS


def test_quote_add_rejects_an_occurrence_beyond_the_repeats(editor_client, claim):
    article = ArticleFactory(body=REPEATED_BODY)

    response = editor_client.post(
        reverse("admin:claims_quote_add"),
        {"claim": claim.pk, "article": article.pk, "text": "Talks resumed", "occurrence": "3"},
    )

    assert "only 2 time(s)" in response.context["adminform"].form.errors["text"][0]
    assert not Quote.objects.exists()


def test_quote_search_matches_text(editor_client, quote):
    QuoteFactory(article=ArticleFactory(body="Sanctions will bite."), text="Sanctions will bite")

    assert listed(editor_client, "claims.quote", q="leverage") == {quote}


def test_quote_filter_by_speaker(editor_client, quote):
    QuoteFactory()

    assert listed(
        editor_client, "claims.quote", claim__speaker__id__exact=quote.claim.speaker_id
    ) == {quote}


def test_quote_filter_by_outlet(editor_client, quote):
    other = QuoteFactory(article=ArticleFactory(outlet=OutletFactory()))

    assert listed(
        editor_client, "claims.quote", article__outlet__id__exact=other.article.outlet_id
    ) == {other}


def test_quote_changelist_queries_do_not_grow_with_rows(editor_client):
    assert_queries_do_not_grow(
        editor_client, "claims.quote", lambda n: QuoteFactory.create_batch(n)
    )


def test_treaty_page_adds_a_provision_addressed_from_its_number(editor_client, provision):
    treaty = provision.treaty
    url = reverse("admin:claims_treaty_change", args=[treaty.pk])
    data = form_data(editor_client.get(url))
    data |= {
        "provisions-TOTAL_FORMS": "2",
        "provisions-1-number": "Article 5",
        "provisions-1-order": "5",
    }

    assert editor_client.post(url, data).status_code == 302
    assert treaty.provisions.filter(address="art_5").exists()


def test_treaty_search_matches_short_name(editor_client, provision):
    TreatyFactory(short_name="New START")

    assert listed(editor_client, "claims.treaty", q="DPRK") == {provision.treaty}


def test_treaty_changelist_queries_do_not_grow_with_rows(editor_client):
    assert_queries_do_not_grow(editor_client, "claims.treaty", make_provisions)


def test_provision_search_matches_address(editor_client, provision):
    ProvisionFactory(address="art_9")

    assert listed(editor_client, "claims.provision", q="art_4") == {provision}


def test_provision_filter_by_treaty(editor_client, provision):
    ProvisionFactory()

    assert listed(editor_client, "claims.provision", treaty__id__exact=provision.treaty_id) == {
        provision
    }


def test_provision_filter_by_official_wording(editor_client, provision):
    ProvisionFactory(text_is_official=False)

    assert listed(editor_client, "claims.provision", text_is_official__exact="1") == {provision}


def test_provision_changelist_shows_citation_label(editor_client, provision):
    response = editor_client.get(changelist_url("claims.provision"))

    assertContains(response, "RU–DPRK Treaty (2024), Art. 4")


def test_provision_changelist_queries_do_not_grow_with_rows(editor_client):
    assert_queries_do_not_grow(editor_client, "claims.provision", make_provisions)
