import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from claims.models import Claim, ClaimProvision, Quote, Topic
from claims.views import CLAIMS_PER_PAGE
from core.models import PublicationStatus
from core.public import PER_PAGE
from tests.factories import (
    AffiliationFactory,
    ArticleFactory,
    ClaimFactory,
    ClaimProvisionFactory,
    ClaimTopicFactory,
    ExpertFactory,
    OrganizationFactory,
    ProvisionFactory,
    QuoteFactory,
    TopicFactory,
    TreatyFactory,
)
from tests.helpers import assert_queries_do_not_grow, published_claim_on

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT


def structured_data(response):
    blocks = re.findall(
        r'<script type="application/ld\+json"[^>]*>(.*?)</script>', response.content.decode(), re.S
    )
    assert len(blocks) == 1
    return json.loads(blocks[0])


def claims_on(topic):
    """A maker of `count` more claims on `topic`, two per expert, of mixed kinds and stances."""

    def make(count):
        stances = ["yes", "no", "mixed", "unclear", ""]
        speaker = None
        for i in range(count):
            if i % 2 == 0:
                speaker = AffiliationFactory().expert
            kind = {"kind": Claim.Kind.PREDICTION, "due_on": datetime.date(2025, 1, 1)}
            published_claim_on(
                topic,
                stance=stances[i % len(stances)],
                speaker=speaker,
                **(kind if i % 3 == 0 else {}),
            )

    return make


@pytest.fixture
def topic():
    return TopicFactory(title="China's role", slug="china-role", question="Will China act?")


# Topic list


def test_topic_list_shows_every_topic_with_its_question(client):
    TopicFactory(title="Sanctions", question="Will sanctions bite?")
    TopicFactory(title="Arms supplies", question="Will shells keep coming?")

    response = client.get(reverse("claims:topics"))

    assertContains(response, "Sanctions")
    assertContains(response, "Will shells keep coming?")


def test_topic_list_places_sub_topics_right_after_their_parent(client):
    parent = TopicFactory(title="China's role")
    TopicFactory(title="Arms supplies")
    TopicFactory(title="Zz exercises", parent=parent)

    response = client.get(reverse("claims:topics"))

    titles = [topic.title for topic in response.context["page_obj"]]
    assert titles == ["Arms supplies", "China's role", "Zz exercises"]
    assertContains(response, 'class="topic-list__item topic-list__item--depth-1"')


def test_topic_list_counts_published_claims_and_their_experts(client, topic):
    expert = ExpertFactory()
    published_claim_on(topic, speaker=expert)
    published_claim_on(topic, speaker=expert)
    published_claim_on(topic)
    published_claim_on(topic, status=DRAFT)

    response = client.get(reverse("claims:topics"))

    assertContains(response, "2 experts")
    assertContains(response, "3 claims")


def test_topic_list_links_each_topic_to_its_page(client, topic):
    response = client.get(reverse("claims:topics"))

    assertContains(response, f'href="{topic.get_absolute_url()}"')


def test_topic_list_queries_do_not_grow_with_topics(client):
    def make(count):
        for _ in range(count):
            published_claim_on(TopicFactory())

    assert_queries_do_not_grow(client, reverse("claims:topics"), make)


def test_topic_list_runs_one_query(client, django_assert_num_queries):
    published_claim_on(TopicFactory())

    with django_assert_num_queries(1):
        client.get(reverse("claims:topics"))


# Topic page: the demo showcase


def test_china_role_page_shows_each_demo_expert_once(client, demo):
    response = client.get(reverse("claims:topic", kwargs={"slug": "china-role"}))

    content = response.content.decode()
    for slug in ["oleksandr-musienko", "volodymyr-fesenko", "oleksandr-kovalenko"]:
        assert content.count(f'class="byline__name" href="/experts/{slug}/"') == 1, slug


def test_china_role_page_links_every_quote_to_its_passage(client, demo):
    topic = Topic.objects.get(slug="china-role")
    quotes = Quote.objects.public().filter(claim__topics__in=[topic, *topic.children.all()])
    assert quotes.count() >= 3

    response = client.get(reverse("claims:topic", kwargs={"slug": "china-role"}))

    for quote in quotes:
        assertContains(response, f'href="{quote.article.get_absolute_url()}#quote-{quote.pk}"')


def test_china_role_page_asks_the_question_under_the_eyebrow(client, demo):
    response = client.get(reverse("claims:topic", kwargs={"slug": "china-role"}))

    assertContains(response, '<p class="eyebrow">What experts say about</p>', html=True)
    assertContains(response, "<h1>China&#x27;s role</h1>", html=True)
    assertContains(response, "Will China let the Russia–DPRK alliance grow?")


# Topic page


def test_topic_page_unknown_slug_is_404(client):
    response = client.get(reverse("claims:topic", kwargs={"slug": "nothing-here"}))

    assert response.status_code == 404


def test_topic_page_groups_an_experts_claims_under_one_heading(client, topic):
    expert = AffiliationFactory(expert__display_name="Volodymyr Fesenko").expert
    first = published_claim_on(topic, speaker=expert, summary="China will stay cautious.")
    second = published_claim_on(topic, speaker=expert, summary="China will not join drills.")

    response = client.get(topic.get_absolute_url())

    [group] = response.context["groups"]
    assert group["expert"] == expert
    assert [item["claim"] for item in group["items"]] == [first, second]
    assertContains(response, "Volodymyr Fesenko</a>", count=1)


def test_topic_page_shows_the_role_at_the_time_of_the_claim(client, topic):
    expert = ExpertFactory()
    AffiliationFactory(
        expert=expert,
        role_title="Researcher",
        organization=OrganizationFactory(name="Old Institute"),
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2019, 12, 31),
    )
    AffiliationFactory(expert=expert, role_title="Director", start_date=datetime.date(2020, 1, 1))
    published_claim_on(topic, speaker=expert, made_on=datetime.date(2015, 5, 1))

    response = client.get(topic.get_absolute_url())

    assertContains(response, "Researcher, Old Institute")
    assertNotContains(response, "Director")


def test_topic_page_gives_a_claim_made_in_an_earlier_role_its_own_byline(client, topic):
    expert = ExpertFactory()
    AffiliationFactory(
        expert=expert,
        role_title="Researcher",
        organization=OrganizationFactory(name="Old Institute"),
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2019, 12, 31),
    )
    AffiliationFactory(
        expert=expert,
        role_title="Director",
        organization=OrganizationFactory(name="New Centre"),
        start_date=datetime.date(2020, 1, 1),
    )
    published_claim_on(topic, speaker=expert, made_on=datetime.date(2024, 6, 1))
    published_claim_on(topic, speaker=expert, made_on=datetime.date(2015, 5, 1))

    response = client.get(topic.get_absolute_url())

    assertContains(response, "Director, New Centre", count=1)
    assertContains(response, "Researcher, Old Institute", count=1)
    assertContains(response, 'class="claim-card__speaker"', count=1)


def test_topic_page_hides_draft_claims(client, topic):
    published_claim_on(topic, summary="Published view.")
    published_claim_on(topic, summary="Draft view.", status=DRAFT)

    response = client.get(topic.get_absolute_url())

    assertContains(response, "Published view.")
    assertNotContains(response, "Draft view.")


def test_topic_page_hides_quotes_from_unpublished_articles(client, topic):
    claim = published_claim_on(topic)
    QuoteFactory(claim=claim, article=ArticleFactory(status=DRAFT), text="Nobody knows")

    response = client.get(topic.get_absolute_url())

    assertContains(response, "China has the leverage to stop it")
    assertNotContains(response, "Nobody knows")


def test_topic_page_includes_sub_topic_claims_with_their_sub_topic(client, topic):
    exercises = TopicFactory(title="Trilateral exercises", parent=topic)
    published_claim_on(exercises, summary="China will not join the drills.")

    response = client.get(topic.get_absolute_url())

    assertContains(response, "China will not join the drills.")
    assertContains(response, f'On the sub-topic <a href="{exercises.get_absolute_url()}">')


def test_topic_page_links_its_sub_topics(client, topic):
    exercises = TopicFactory(title="Trilateral exercises", parent=topic)

    response = client.get(topic.get_absolute_url())

    assertContains(response, f'<a href="{exercises.get_absolute_url()}">Trilateral exercises</a>')


def test_topic_page_shows_only_this_topics_stance_on_each_card(client, topic):
    claim = published_claim_on(topic, stance="no")
    ClaimTopicFactory(claim=claim, topic=TopicFactory(), stance="yes")

    response = client.get(topic.get_absolute_url())

    assertContains(response, 'class="stance stance--no"')
    assertNotContains(response, 'class="stance stance--yes"')


def test_topic_page_at_a_glance_counts_experts_claims_and_outlets(client, topic):
    expert = ExpertFactory()
    published_claim_on(topic, speaker=expert, made_on=datetime.date(2023, 9, 1))
    published_claim_on(topic, speaker=expert, made_on=datetime.date(2024, 6, 1))
    published_claim_on(topic)

    response = client.get(topic.get_absolute_url())

    line = re.sub(r"\s+", " ", response.content.decode())
    assert "2 experts · 3 claims · 3 outlets" in line
    assert (
        '<time datetime="2023-09">Sep 2023</time> – <time datetime="2024-06">Jun 2024</time>'
        in (line)
    )


def test_topic_page_charts_the_stance_split_with_labels_and_counts(client, topic):
    published_claim_on(topic, stance="no")
    published_claim_on(topic, stance="no")
    published_claim_on(topic, stance="yes")

    response = client.get(topic.get_absolute_url())

    rows = {row["stance"]: row for row in response.context["stances"]}
    assert (rows["no"]["claims"], rows["no"]["width"]) == (2, 100)
    assert (rows["yes"]["claims"], rows["yes"]["width"]) == (1, 50)
    assertContains(response, '<rect class="stance--no" width="100" height="10"/>', html=True)
    assertContains(response, "2 claims, 2 experts")


def test_topic_page_shows_a_predictions_due_date_and_outcome(client, topic):
    published_claim_on(
        topic,
        kind=Claim.Kind.PREDICTION,
        due_on=datetime.date(2025, 3, 1),
        outcome=Claim.Outcome.DID_NOT,
    )

    response = client.get(topic.get_absolute_url())

    assertContains(response, '<time datetime="2025-03-01">1 March 2025</time>', html=True)
    assertContains(response, "Did not come true")


def test_topic_page_shows_cited_provisions_with_their_relation(client, topic):
    claim = published_claim_on(topic)
    link = claim.provision_links.get()

    response = client.get(topic.get_absolute_url())

    assertContains(response, f'href="{link.provision.get_absolute_url()}"')
    assertContains(response, "(Interprets)")


def test_topic_page_filters_by_expert(client, topic):
    kept = published_claim_on(topic, summary="Kept claim.")
    published_claim_on(topic, summary="Other expert's claim.")

    response = client.get(topic.get_absolute_url(), {"expert": kept.speaker.slug})

    assertContains(response, "Kept claim.")
    assertNotContains(response, "Other expert&#x27;s claim.")


def test_topic_page_filters_by_kind(client, topic):
    published_claim_on(topic, summary="A forecast.", kind=Claim.Kind.PREDICTION)
    published_claim_on(topic, summary="An assessment.")

    response = client.get(topic.get_absolute_url(), {"kind": "prediction"})

    assertContains(response, "A forecast.")
    assertNotContains(response, "An assessment.")


def test_topic_page_filters_by_stance_on_its_question(client, topic):
    published_claim_on(topic, summary="Says yes.", stance="yes")
    published_claim_on(topic, summary="Says no.", stance="no")

    response = client.get(topic.get_absolute_url(), {"stance": "yes"})

    assertContains(response, "Says yes.")
    assertNotContains(response, "Says no.")


def test_topic_page_ignores_invalid_filters_and_says_so(client, topic):
    published_claim_on(topic, summary="Still listed.")

    response = client.get(
        topic.get_absolute_url(), {"expert": "nobody", "kind": "rumour", "stance": "maybe"}
    )

    assert response.status_code == 200
    assertContains(response, "Still listed.")
    assertContains(response, "Some filters were not understood and are ignored")


def test_topic_page_filter_keeps_the_other_filters_in_pagination_links(client, topic):
    claims_on(topic)(2 * (PER_PAGE + 1))

    response = client.get(topic.get_absolute_url(), {"kind": "assessment"})

    assertContains(response, "?kind=assessment&amp;page=2")


def test_topic_page_pages_claims_and_keeps_each_experts_claims_together(client, topic):
    claims_on(topic)(2 * (CLAIMS_PER_PAGE // 2 + 1))  # two claims each, one page and a bit

    first = client.get(topic.get_absolute_url())
    second = client.get(topic.get_absolute_url(), {"page": 2})

    first_items = sum(len(group["items"]) for group in first.context["groups"])
    second_items = sum(len(group["items"]) for group in second.context["groups"])
    first_experts = [group["expert"] for group in first.context["groups"]]
    assert first_items == CLAIMS_PER_PAGE
    assert second_items == 2 * (CLAIMS_PER_PAGE // 2 + 1) - CLAIMS_PER_PAGE
    assert len(first_experts) == len(set(first_experts))


def test_topic_page_offers_its_feed(client, topic):
    response = client.get(topic.get_absolute_url())

    assertContains(response, f'href="{reverse("claims:topic_feed", kwargs={"slug": topic.slug})}"')


def test_topic_page_queries_do_not_grow_with_claims(client, topic):
    assert_queries_do_not_grow(client, topic.get_absolute_url(), claims_on(topic))


def test_topic_page_runs_twelve_queries(client, topic, django_assert_num_queries):
    claims_on(topic)(5)

    # topic, sub-topics, at a glance (claims, then outlets), stance counts, the filter's
    # expert choices, claim count, the page and its 4 card prefetches (roles, topics,
    # provisions, quotes)
    with django_assert_num_queries(12):
        client.get(topic.get_absolute_url())


# Claim page


@pytest.fixture
def claim(topic):
    speaker = AffiliationFactory(
        expert__display_name="Oleksandr Musienko",
        role_title="Head",
        organization__name="Center for Military Legal Research",
    ).expert
    return published_claim_on(
        topic, speaker=speaker, summary="China has the leverage to stop the alliance."
    )


def test_claim_page_shows_summary_and_speaker_with_role(client, claim):
    response = client.get(claim.get_absolute_url())

    assertContains(response, "<h1", count=1)
    assertContains(response, "China has the leverage to stop the alliance.")
    assertContains(response, "Head, Center for Military Legal Research")
    assertContains(response, f'href="{claim.speaker.get_absolute_url()}"')


def test_claim_page_shows_every_quote_across_articles(client, claim):
    other = QuoteFactory(claim=claim, text="Nobody knows what comes next.")

    response = client.get(claim.get_absolute_url())

    for quote in claim.quotes.all():
        assertContains(response, f'href="{quote.get_absolute_url()}"')
    assertContains(response, other.article.outlet.name)


def test_claim_page_hides_quotes_in_unpublished_articles(client, claim):
    QuoteFactory(claim=claim, article=ArticleFactory(status=DRAFT), text="Nobody knows")

    response = client.get(claim.get_absolute_url())

    assertNotContains(response, "Nobody knows")


def test_claim_page_lists_topics_with_stance(client, claim, topic):
    response = client.get(claim.get_absolute_url())

    assertContains(response, f'<a href="{topic.get_absolute_url()}">China&#x27;s role</a>')
    assertContains(response, 'class="stance stance--no"')


def test_claim_page_lists_provisions_with_relation(client, claim):
    link = claim.provision_links.get()
    link.relation = ClaimProvision.Relation.DISPUTES
    link.save()

    response = client.get(claim.get_absolute_url())

    assertContains(response, link.provision.citation_label)
    assertContains(response, "(Disputes)")


def test_claim_page_shows_other_experts_on_the_same_topics(client, claim, topic):
    other = published_claim_on(topic, summary="Another expert's view.")
    published_claim_on(topic, speaker=claim.speaker, summary="Same speaker again.")
    published_claim_on(topic, summary="A draft view.", status=DRAFT)
    published_claim_on(TopicFactory(), summary="Off topic.")

    response = client.get(claim.get_absolute_url())

    assert list(response.context["others"]) == [other]


def test_claim_page_bounds_the_other_experts_list(client, claim, topic):
    for _ in range(8):
        published_claim_on(topic)

    response = client.get(claim.get_absolute_url())

    assertContains(response, 'class="claim-card"', count=5)


def test_claim_page_says_when_it_was_last_updated(client, claim):
    response = client.get(claim.get_absolute_url())

    assertContains(response, "Last updated")
    assertContains(response, f'datetime="{timezone.localtime(claim.updated):%Y-%m-%d}')


def test_claim_page_structured_data_is_a_schema_org_claim(client, claim):
    article = claim.quotes.get().article

    data = structured_data(client.get(claim.get_absolute_url()))

    assert data["@type"] == "Claim"
    assert data["text"] == claim.summary
    assert data["author"] == data["author"] | {"@type": "Person", "name": "Oleksandr Musienko"}
    assert data["datePublished"] == "2024-06-20"
    assert [a["url"] for a in data["appearance"]] == [
        f"http://testserver{article.get_absolute_url()}"
    ]
    assert data["appearance"][0]["@type"] == "NewsArticle"


def test_draft_claim_is_404_for_readers(client):
    draft = ClaimFactory(status=DRAFT)

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 404


def test_draft_claim_is_previewed_by_staff_with_a_banner(editor_client):
    draft = ClaimFactory(status=DRAFT, summary="Not yet checked.")

    response = editor_client.get(draft.get_absolute_url())

    assertContains(response, "Not yet checked.")
    assertContains(response, 'class="preview-banner"')


def test_published_claim_has_no_preview_banner(editor_client, claim):
    response = editor_client.get(claim.get_absolute_url())

    assertNotContains(response, 'class="preview-banner"')


def test_claim_page_queries_do_not_grow_with_quotes_and_other_claims(client, claim, topic):
    def make(count):
        for _ in range(count):
            QuoteFactory(claim=claim)
            published_claim_on(topic)

    assert_queries_do_not_grow(client, claim.get_absolute_url(), make)


def test_claim_page_runs_ten_queries(client, claim, topic, django_assert_num_queries):
    published_claim_on(topic)

    with django_assert_num_queries(10):
        client.get(claim.get_absolute_url())


# Treaty list


def test_treaty_list_shows_parties_and_dates(client):
    treaty = TreatyFactory(
        short_name="RU–DPRK Treaty (2024)", in_force_on=datetime.date(2024, 12, 4)
    )

    response = client.get(reverse("claims:treaties"))

    assertContains(response, f'<a href="{treaty.get_absolute_url()}">RU–DPRK Treaty (2024)</a>')
    assertContains(response, "Russian Federation; Democratic People&#x27;s Republic of Korea")
    assertContains(response, '<time datetime="2024-06-19">19 June 2024</time>', html=True)
    assertContains(response, '<time datetime="2024-12-04">4 December 2024</time>', html=True)


def test_treaty_list_counts_published_claims_citing_each_treaty(client):
    provision = ProvisionFactory()
    ClaimProvisionFactory(provision=provision)
    ClaimProvisionFactory(provision=provision, claim__status=DRAFT)

    response = client.get(reverse("claims:treaties"))

    assertContains(response, "discussed in 1 claim<")


def test_treaty_list_queries_do_not_grow(client, django_assert_num_queries):
    def make(count):
        for _ in range(count):
            ClaimProvisionFactory()

    assert_queries_do_not_grow(client, reverse("claims:treaties"), make)
    with django_assert_num_queries(2):
        client.get(reverse("claims:treaties"))


# Treaty page


@pytest.fixture
def treaty():
    return TreatyFactory(slug="ru-dprk-2024", short_name="RU–DPRK Treaty (2024)")


def test_treaty_page_unknown_slug_is_404(client):
    response = client.get(reverse("claims:treaty", kwargs={"slug": "nothing-here"}))

    assert response.status_code == 404


def test_treaty_page_lists_provisions_in_order(client, treaty):
    ProvisionFactory(treaty=treaty, number="Article 5", address="art_5", order=5)
    ProvisionFactory(treaty=treaty, number="Article 4", address="art_4", order=4)

    response = client.get(treaty.get_absolute_url())

    content = response.content.decode()
    assert content.index('href="/treaties/ru-dprk-2024/art_4/"') < content.index(
        'href="/treaties/ru-dprk-2024/art_5/"'
    )


def test_treaty_page_bars_show_published_claims_per_provision(client, treaty):
    art_4 = ProvisionFactory(treaty=treaty, address="art_4")
    art_5 = ProvisionFactory(treaty=treaty, address="art_5")
    for _ in range(2):
        ClaimProvisionFactory(provision=art_4)
    ClaimProvisionFactory(provision=art_5)
    ClaimProvisionFactory(provision=art_5, claim__status=DRAFT)

    response = client.get(treaty.get_absolute_url())

    widths = {p.address: (p.claims_count, p.bar_width) for p in response.context["page_obj"]}
    assert widths == {"art_4": (2, 100), "art_5": (1, 50)}
    assertContains(response, '<rect width="50" height="10"/>', html=True)


def test_treaty_page_links_its_source(client):
    treaty = TreatyFactory(source_url="https://treaties.example.org/ru-dprk")

    response = client.get(treaty.get_absolute_url())

    assertContains(response, 'href="https://treaties.example.org/ru-dprk"')


def test_treaty_page_queries_do_not_grow(client, treaty, django_assert_num_queries):
    def make(count):
        for _ in range(count):
            article = ProvisionFactory(treaty=treaty)
            paragraph = ProvisionFactory(
                treaty=treaty, parent=article, address=f"{article.address}__para_1"
            )
            ClaimProvisionFactory(provision=paragraph)

    assert_queries_do_not_grow(client, treaty.get_absolute_url(), make)
    with django_assert_num_queries(4):
        client.get(treaty.get_absolute_url())


# Provision page


@pytest.fixture
def art_4(treaty):
    return ProvisionFactory(
        treaty=treaty,
        number="Article 4",
        address="art_4",
        heading="Military assistance in war",
        text="Each party helps the other at war.",
    )


def provision_url(provision):
    return reverse(
        "claims:provision", kwargs={"slug": provision.treaty.slug, "address": provision.address}
    )


def test_provision_page_shows_label_heading_and_summary_text(client, art_4):
    response = client.get(provision_url(art_4))

    assertContains(response, "<h1>RU–DPRK Treaty (2024), Art. 4</h1>", html=True)
    assertContains(response, "Military assistance in war")
    assertContains(response, "Each party helps the other at war.")
    assertContains(response, "Summary — not the official wording")


def test_provision_page_does_not_call_official_text_a_summary(client, art_4):
    art_4.text_is_official = True
    art_4.save()

    response = client.get(provision_url(art_4))

    assertNotContains(response, "Summary — not the official wording")


def test_provision_page_says_when_no_text_is_on_file(client, art_4):
    art_4.text = ""
    art_4.save()

    response = client.get(provision_url(art_4))

    assertContains(response, "Official text not on file")
    assertNotContains(response, "Summary — not the official wording")


def test_provision_page_unknown_address_is_404(client, art_4):
    response = client.get(
        reverse("claims:provision", kwargs={"slug": art_4.treaty.slug, "address": "art_99"})
    )

    assert response.status_code == 404


def test_provision_page_address_of_another_treaty_is_404(client, art_4):
    other = TreatyFactory()

    response = client.get(
        reverse("claims:provision", kwargs={"slug": other.slug, "address": "art_4"})
    )

    assert response.status_code == 404


def test_provision_page_lists_sub_provisions(client, art_4):
    ProvisionFactory(
        treaty=art_4.treaty, parent=art_4, number="Paragraph 1", address="art_4__para_1"
    )

    response = client.get(provision_url(art_4))

    assertContains(response, 'href="/treaties/ru-dprk-2024/art_4__para_1/"')


def test_provision_page_groups_claims_by_relation_in_order(client, art_4):
    for relation, summary in [
        ("disputes", "Disputing view."),
        ("interprets", "Interpreting view."),
        ("invokes", "Invoking view."),
    ]:
        ClaimProvisionFactory(provision=art_4, relation=relation, claim__summary=summary)

    response = client.get(provision_url(art_4))

    content = response.content.decode()
    positions = [
        content.index(text)
        for text in [
            'id="relation-interprets"',
            "Interpreting view.",
            'id="relation-invokes"',
            "Invoking view.",
            'id="relation-disputes"',
            "Disputing view.",
        ]
    ]
    assert positions == sorted(positions)


def test_provision_page_hides_draft_claims(client, art_4):
    ClaimProvisionFactory(provision=art_4, claim__summary="Published reading.")
    ClaimProvisionFactory(provision=art_4, claim__summary="Draft reading.", claim__status=DRAFT)

    response = client.get(provision_url(art_4))

    assertContains(response, "Published reading.")
    assertNotContains(response, "Draft reading.")


def test_provision_page_queries_do_not_grow(client, art_4, django_assert_num_queries):
    def make(count):
        for i in range(count):
            link = ClaimProvisionFactory(
                provision=art_4, relation=ClaimProvision.Relation.values[i % 3]
            )
            QuoteFactory(claim=link.claim)
            ClaimTopicFactory(claim=link.claim)
            AffiliationFactory(expert=link.claim.speaker)

    assert_queries_do_not_grow(client, provision_url(art_4), make)
    with django_assert_num_queries(9):
        client.get(provision_url(art_4))
