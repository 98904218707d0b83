import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim
from core.models import PublicationStatus
from experts.models import Expert
from tests.factories import (
    AffiliationFactory,
    ArticleFactory,
    ClaimFactory,
    ClaimProvisionFactory,
    ClaimTopicFactory,
    ExpertFactory,
    NameVariantFactory,
    QuoteFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def structured_data(response):
    match = re.search(
        r'<script type="application/ld\+json"[^>]*>(.*?)</script>', response.content.decode(), re.S
    )
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def public_expert(**fields):
    """An expert with one published claim, so with a public profile."""
    expert = ExpertFactory(**fields)
    ClaimFactory(speaker=expert)
    return expert


def quoted_claims(expert, count):
    """`count` published claims by `expert`, each with a topic, provision and quote."""
    sentences = [f"Claim sentence {i} about China." for i in range(count)]
    article = ArticleFactory(body=" ".join(sentences))
    for i, sentence in enumerate(sentences):
        claim = ClaimFactory(
            speaker=expert, made_on=datetime.date(2023, 1, 1) + datetime.timedelta(i)
        )
        ClaimTopicFactory(claim=claim)
        ClaimProvisionFactory(claim=claim)
        QuoteFactory(claim=claim, article=article, text=sentence)


# /experts/


def test_list_shows_public_experts_only(client):
    public_expert(display_name="Quoted Expert")
    ExpertFactory(display_name="Silent Expert")
    ClaimFactory(speaker__display_name="Drafted Expert", status=PublicationStatus.DRAFT)
    content = client.get(reverse("experts:list")).content.decode()
    assert "Quoted Expert" in content
    assert "Silent Expert" not in content
    assert "Drafted Expert" not in content


def test_list_groups_experts_under_their_initial(client):
    public_expert(display_name="Anna Able")
    public_expert(display_name="Boris Baker")
    public_expert(display_name="Bella Brown")
    content = client.get(reverse("experts:list")).content.decode()
    headings = re.findall(r'<h2 id="initial-\d+" class="az-group__letter">(.)</h2>', content)
    assert headings == ["A", "B"]
    b_section = content.split('class="az-group__letter">B</h2>')[1]
    assert "Bella Brown" in b_section
    assert "Boris Baker" in b_section
    assert content.index("Bella Brown") < content.index("Boris Baker")


def test_list_links_each_expert_to_the_profile(client):
    expert = public_expert(display_name="Anna Able")
    content = client.get(reverse("experts:list")).content.decode()
    assert f'href="{expert.get_absolute_url()}">Anna Able</a>' in content


def test_list_shows_name_variants(client):
    expert = public_expert(display_name="Oleksandr Musienko")
    NameVariantFactory(expert=expert, name="Alexander Musienko")
    NameVariantFactory(expert=expert, name="Олександр Мусієнко")
    content = client.get(reverse("experts:list")).content.decode()
    assert "also written as" in content
    assert "Alexander Musienko" in content
    assert "Олександр Мусієнко" in content


def test_list_counts_published_claims(client):
    expert = public_expert(display_name="Anna Able")
    ClaimFactory(speaker=expert)
    ClaimFactory(speaker=expert, status=PublicationStatus.DRAFT)
    content = client.get(reverse("experts:list")).content.decode()
    assert "2 claims" in content


def test_list_filter_matches_display_name_case_insensitively(client):
    public_expert(display_name="Oleksandr Musienko")
    public_expert(display_name="Volodymyr Fesenko")
    content = client.get(reverse("experts:list"), {"q": "musIENKO"}).content.decode()
    assert "Oleksandr Musienko" in content
    assert "Volodymyr Fesenko" not in content


def test_list_filter_matches_name_variants(client):
    expert = public_expert(display_name="Oleksandr Musienko")
    NameVariantFactory(expert=expert, name="Олександр Мусієнко")
    NameVariantFactory(expert=expert, name="Alexander Musienko")
    public_expert(display_name="Volodymyr Fesenko")
    for query in ("Мусієнко", "alexander"):
        content = client.get(reverse("experts:list"), {"q": query}).content.decode()
        assert content.count(">Oleksandr Musienko</a>") == 1, query
        assert "Volodymyr Fesenko" not in content


def test_list_filter_with_no_match_suggests_where_to_go(client):
    public_expert(display_name="Oleksandr Musienko")
    content = client.get(reverse("experts:list"), {"q": "zzz"}).content.decode()
    assert "No expert’s name or spelling matches “zzz”" in content
    assert 'class="empty-state"' in content


def test_list_letter_filter_shows_only_that_initial(client):
    public_expert(display_name="Anna Able")
    public_expert(display_name="Boris Baker")
    content = client.get(reverse("experts:list"), {"letter": "B"}).content.decode()
    assert "Boris Baker" in content
    assert "Anna Able" not in content
    assert '<a href="?letter=A">A</a>' in content


def test_list_paginates_and_keeps_the_query(client):
    for i in range(21):
        public_expert(display_name=f"Musienko {i:02}")
    response = client.get(reverse("experts:list"), {"q": "musienko"})
    assert len(response.context["page_obj"]) == 20
    assert "?q=musienko&amp;page=2" in response.content.decode()


def test_list_runs_the_same_queries_for_5_and_50_experts(client):
    for _ in range(5):
        NameVariantFactory(expert=public_expert())
    few = query_count(client, reverse("experts:list"))
    for _ in range(45):
        expert = public_expert()
        NameVariantFactory(expert=expert)
        AffiliationFactory(expert=expert)
    assert query_count(client, reverse("experts:list")) == few


def test_list_query_count(client, django_assert_num_queries):
    public_expert()
    # count, page, name variants, affiliations, initials for the A–Z index
    with django_assert_num_queries(5):
        client.get(reverse("experts:list"))


# /experts/<slug>/


def test_demo_profile_lists_musienko_name_variants(client, demo):
    content = client.get(reverse("experts:detail", args=["oleksandr-musienko"])).content.decode()
    assert "also written as" in content
    for variant in ("Alexander Musienko", "Oleksandr Musiienko", "Олександр Мусієнко"):
        assert variant in content


def test_demo_profile_lists_claims_by_topic(client, demo):
    content = client.get(reverse("experts:detail", args=["oleksandr-musienko"])).content.decode()
    expert = Expert.objects.get(slug="oleksandr-musienko")
    for claim in Claim.objects.filter(speaker=expert):
        assert f'id="claim-{claim.pk}"' in content
    assert '<h3><a href="/topics/china-role/">China&#x27;s role</a></h3>' in content


def test_profile_shows_bio_country_and_wikidata_link(client):
    expert = public_expert(bio="Heads a legal research centre.", country="UA", wikidata_id="Q42")
    content = client.get(expert.get_absolute_url()).content.decode()
    assert "Heads a legal research centre." in content
    assert "<dd>UA</dd>" in content
    assert 'href="https://www.wikidata.org/wiki/Q42"' in content


def test_profile_without_wikidata_has_no_wikidata_link(client):
    expert = public_expert(wikidata_id="")
    assert b"wikidata.org" not in client.get(expert.get_absolute_url()).content


def test_profile_lists_affiliations_over_time(client):
    expert = public_expert()
    AffiliationFactory(
        expert=expert,
        role_title="Adviser",
        organization__name="Old Ministry",
        start_date=datetime.date(2015, 3, 1),
        end_date=datetime.date(2019, 5, 1),
    )
    AffiliationFactory(
        expert=expert,
        role_title="Head",
        organization__name="Legal Centre",
        start_date=datetime.date(2020, 1, 1),
    )
    content = client.get(expert.get_absolute_url()).content.decode()
    roles = content.split('id="roles"')[1]
    assert "<strong>Head</strong>, Legal Centre" in roles
    assert "since January 2020" in roles
    assert "<strong>Adviser</strong>, Old Ministry" in roles
    assert "March 2015 – May 2019" in roles
    assert roles.index("Legal Centre") < roles.index("Old Ministry")


def test_profile_shows_first_and_last_quoted_dates(client):
    expert = ExpertFactory()
    early = ArticleFactory(published_on=datetime.date(2023, 9, 5))
    late = ArticleFactory(published_on=datetime.date(2024, 6, 20))
    QuoteFactory(article=early, claim=ClaimFactory(speaker=expert))
    QuoteFactory(article=late, claim=ClaimFactory(speaker=expert))
    content = client.get(expert.get_absolute_url()).content.decode()
    first = content.split("First quoted</dt>")[1]
    last = content.split("Last quoted</dt>")[1]
    assert first.startswith('<dd><time datetime="2023-09-05">5 September 2023</time>')
    assert last.startswith('<dd><time datetime="2024-06-20">20 June 2024</time>')


def test_profile_hides_draft_claims_from_anonymous(client):
    expert = public_expert()
    ClaimFactory(speaker=expert, summary="A draft thought.", status=PublicationStatus.DRAFT)
    assert b"A draft thought." not in client.get(expert.get_absolute_url()).content


def test_profile_claim_cards_leave_out_the_speaker(client):
    expert = public_expert(display_name="Anna Able")
    content = client.get(expert.get_absolute_url()).content.decode()
    assert 'class="claim-card__speaker"' not in content


def test_claim_with_several_topics_is_listed_once_under_its_first_topic(client):
    expert = ExpertFactory()
    claim = ClaimFactory(speaker=expert, summary="Two-topic claim.")
    ClaimTopicFactory(claim=claim, topic__title="Beta topic", stance="yes")
    ClaimTopicFactory(claim=claim, topic__title="Alpha topic", stance="no")
    content = client.get(expert.get_absolute_url()).content.decode()
    assert content.count(f'id="claim-{claim.pk}"') == 1
    alpha = content.split(">Alpha topic</a></h3>")[1]
    assert "Two-topic claim." in alpha
    assert ">Beta topic</a></h3>" not in content
    assert "Also about:" in alpha
    assert ">Beta topic</a>" in alpha


def test_claims_without_topic_are_grouped_last(client):
    expert = ExpertFactory()
    ClaimFactory(speaker=expert, summary="Untagged claim.")
    ClaimTopicFactory(claim=ClaimFactory(speaker=expert), topic__title="Zulu topic")
    claims = client.get(expert.get_absolute_url()).content.decode().split('id="claims"')[1]
    assert claims.index("Zulu topic") < claims.index("Other claims")
    assert claims.index("Other claims") < claims.index("Untagged claim.")


def test_profile_claims_are_paginated(client):
    expert = ExpertFactory()
    ClaimFactory.create_batch(21, speaker=expert)
    response = client.get(expert.get_absolute_url(), {"page": 2})
    assert len(response.context["page_obj"]) == 1
    assert b'rel="prev"' in response.content


def test_profile_lists_predictions_with_their_outcome(client):
    expert = public_expert()
    ClaimFactory(
        speaker=expert,
        summary="China will stay out.",
        kind=Claim.Kind.PREDICTION,
        due_on=datetime.date(2025, 1, 1),
        outcome=Claim.Outcome.CAME_TRUE,
    )
    content = client.get(expert.get_absolute_url()).content.decode()
    predictions = content.split('id="predictions"')[1]
    assert "China will stay out." in predictions
    assert '<span class="outcome outcome--came_true">Came true</span>' in predictions
    assert '<time datetime="2025-01-01">' in predictions


def test_profile_lists_published_articles_that_quote_the_expert(client):
    expert = ExpertFactory()
    QuoteFactory(claim=ClaimFactory(speaker=expert), article__title="Public story")
    QuoteFactory(
        claim=ClaimFactory(speaker=expert),
        article__title="Draft story",
        article__status=PublicationStatus.DRAFT,
    )
    ArticleFactory(title="Unrelated story")
    content = client.get(expert.get_absolute_url()).content.decode()
    articles = content.split('id="articles"')[1]
    assert "Public story" in articles
    assert "Draft story" not in articles
    assert "Unrelated story" not in articles


def test_article_quoting_only_a_draft_claim_is_not_listed(client):
    expert = public_expert()
    QuoteFactory(
        claim=ClaimFactory(speaker=expert, status=PublicationStatus.DRAFT),
        article__title="Story with a draft claim",
    )
    assert b"Story with a draft claim" not in client.get(expert.get_absolute_url()).content


def test_timeline_links_each_claim(client):
    expert = ExpertFactory()
    claims = [
        ClaimFactory(speaker=expert, made_on=datetime.date(2023, 9, 1)),
        ClaimFactory(speaker=expert, made_on=datetime.date(2024, 6, 1)),
    ]
    content = client.get(expert.get_absolute_url()).content.decode()
    timeline = content.split('<svg class="timeline"')[1].split("</svg>")[0]
    for claim in claims:
        assert f'<a href="{claim.get_absolute_url()}"><circle' in timeline
    assert 'cx="3.00%"' in timeline
    assert 'cx="97.00%"' in timeline


def test_profile_links_the_feed(client):
    expert = public_expert()
    content = client.get(expert.get_absolute_url()).content.decode()
    assert 'type="application/rss+xml"' in content
    assert reverse("experts:feed", args=[expert.slug]) in content


def test_expert_without_published_claims_is_404_for_anonymous(client):
    expert = ExpertFactory()
    ClaimFactory(speaker=expert, status=PublicationStatus.IN_REVIEW)
    assert client.get(expert.get_absolute_url()).status_code == 404


def test_unknown_expert_is_404(client):
    assert client.get(reverse("experts:detail", args=["nobody"])).status_code == 404


def test_staff_preview_non_public_expert_with_banner(editor_client):
    expert = ExpertFactory(display_name="Not Yet Public")
    ClaimFactory(speaker=expert, summary="Draft claim.", status=PublicationStatus.DRAFT)
    response = editor_client.get(expert.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="preview-banner"' in content
    assert "Draft claim." in content


def test_public_expert_has_no_preview_banner_for_staff(editor_client):
    expert = public_expert()
    assert b"preview-banner" not in editor_client.get(expert.get_absolute_url()).content


def test_json_ld_is_a_person_with_names_affiliation_and_wikidata(client):
    expert = public_expert(display_name="Oleksandr Musienko", bio="Analyst.", wikidata_id="Q42")
    NameVariantFactory(expert=expert, name="Alexander Musienko")
    NameVariantFactory(expert=expert, name="Олександр Мусієнко")
    AffiliationFactory(expert=expert, role_title="Head", organization__name="Legal Centre")
    data = structured_data(client.get(expert.get_absolute_url()))
    assert data["@type"] == "Person"
    assert data["name"] == "Oleksandr Musienko"
    assert data["alternateName"] == ["Alexander Musienko", "Олександр Мусієнко"]
    assert data["description"] == "Analyst."
    assert data["affiliation"] == [{"@type": "Organization", "name": "Legal Centre"}]
    assert data["jobTitle"] == "Head"
    assert data["sameAs"] == ["https://www.wikidata.org/wiki/Q42"]
    assert data["url"] == f"http://testserver{expert.get_absolute_url()}"


def test_json_ld_has_no_same_as_without_wikidata(client):
    expert = public_expert(wikidata_id="")
    assert "sameAs" not in structured_data(client.get(expert.get_absolute_url()))


def test_profile_sets_title_description_and_open_graph(client):
    expert = public_expert(display_name="Anna Able", bio="Studies alliances.")
    content = client.get(expert.get_absolute_url()).content.decode()
    assert "<title>Anna Able ·" in content
    assert '<meta name="description" content="Studies alliances.">' in content
    assert '<meta property="og:type" content="profile">' in content


def test_profile_runs_the_same_queries_for_5_and_50_claims(client):
    expert = ExpertFactory()
    NameVariantFactory(expert=expert)
    AffiliationFactory(expert=expert)
    quoted_claims(expert, 5)
    few = query_count(client, expert.get_absolute_url())
    quoted_claims(expert, 45)
    NameVariantFactory(expert=expert)
    AffiliationFactory(expert=expert, start_date=datetime.date(2010, 1, 1))
    assert query_count(client, expert.get_absolute_url()) == few


def test_profile_query_count(client, django_assert_num_queries):
    expert = ExpertFactory()
    quoted_claims(expert, 3)
    # expert, variants, affiliations, claim count, claim page, 4 card prefetches
    # (speaker roles, topics, provisions, quotes), timeline, predictions, latest articles,
    # first article
    with django_assert_num_queries(13):
        client.get(expert.get_absolute_url())


def test_topic_ordering_is_not_affected_by_other_experts(client):
    expert = public_expert()
    topic = TopicFactory(title="Shared topic")
    ClaimTopicFactory(claim=ClaimFactory(speaker=expert, summary="Mine."), topic=topic)
    ClaimTopicFactory(claim=ClaimFactory(summary="Someone else's."), topic=topic)
    content = client.get(expert.get_absolute_url()).content.decode()
    assert "Mine." in content
    assert "Someone else" not in content


def test_prolific_expert_profile_bounds_timeline_predictions_and_articles(client, monkeypatch):
    """A page for an expert with thousands of claims must stay the size of anyone's: the
    timeline, predictions and articles show the latest few and say so."""
    monkeypatch.setattr("claims.expert_pages.TIMELINE_MAX", 3)
    monkeypatch.setattr("claims.expert_pages.PREDICTIONS_MAX", 2)
    monkeypatch.setattr("claims.expert_pages.ARTICLES_MAX", 2)
    expert = ExpertFactory()
    claims = []
    for day in range(5):
        claim = ClaimFactory(
            speaker=expert,
            kind=Claim.Kind.PREDICTION,
            made_on=datetime.date(2024, 1, 1) + datetime.timedelta(day),
            summary=f"Prediction number {day}.",
        )
        QuoteFactory(
            claim=claim,
            article__title=f"Story {day}",
            article__published_on=datetime.date(2023, 1, 1) + datetime.timedelta(day),
        )
        claims.append(claim)
    content = client.get(expert.get_absolute_url()).content.decode()
    facts = content.split('class="facts"')[1].split("</dl>")[0]
    assert "<dt>Claims</dt><dd>5</dd>" in facts
    # The first quoted date is still the oldest article's, not the oldest one shown.
    first = content.split("First quoted</dt>")[1]
    assert first.startswith('<dd><time datetime="2023-01-01">')

    timeline = content.split('<svg class="timeline"')[1].split("</svg>")[0]
    assert "The latest 3 of 5 claims" in timeline
    shown = [claim for claim in claims if claim.get_absolute_url() in timeline]
    assert shown == claims[2:]
    assert "The latest 3 claims are shown" in content

    predictions = content.split('id="predictions"')[1].split("</section>")[0]
    assert "Prediction number 4." in predictions
    assert "Prediction number 3." in predictions
    assert "Prediction number 2." not in predictions
    assert "The latest 2 predictions are shown" in predictions

    articles = content.split('id="articles"')[1].split("</section>")[0]
    assert "Story 4" in articles and "Story 3" in articles
    assert "Story 2" not in articles
    assert "The latest 2 articles are shown" in articles


def test_profile_without_more_than_the_bounds_says_nothing_is_left_out(client):
    expert = ExpertFactory()
    quoted_claims(expert, 3)
    content = client.get(expert.get_absolute_url()).content.decode()
    assert "3 claims from" in content
    assert "are shown" not in content
