import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from core.models import PublicationStatus
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ClaimTopicFactory,
    ExpertFactory,
    QuoteFactory,
)

pytestmark = pytest.mark.django_db


def feed_url(expert):
    return reverse("experts:feed", args=[expert.slug])


def items(response):
    assert response.status_code == 200
    return ET.fromstring(response.content).findall("./channel/item")


def test_feed_lists_published_claims_newest_first(client):
    expert = ExpertFactory()
    ClaimFactory(speaker=expert, summary="Older claim.", made_on=datetime.date(2023, 9, 1))
    ClaimFactory(speaker=expert, summary="Newer claim.", made_on=datetime.date(2024, 6, 1))
    titles = [item.findtext("title") for item in items(client.get(feed_url(expert)))]
    assert titles == ["Newer claim.", "Older claim."]


def test_feed_leaves_out_unpublished_claims_and_other_experts(client):
    expert = ExpertFactory()
    ClaimFactory(speaker=expert, summary="Published claim.")
    ClaimFactory(speaker=expert, summary="Draft claim.", status=PublicationStatus.DRAFT)
    ClaimFactory(speaker=expert, summary="Claim in review.", status=PublicationStatus.IN_REVIEW)
    ClaimFactory(summary="Someone else's claim.")
    titles = [item.findtext("title") for item in items(client.get(feed_url(expert)))]
    assert titles == ["Published claim."]


def test_feed_items_link_to_the_claim_page(client):
    claim = ClaimFactory()
    (item,) = items(client.get(feed_url(claim.speaker)))
    assert item.findtext("link") == f"http://testserver{claim.get_absolute_url()}"


def test_feed_channel_names_the_expert_and_links_the_profile(client):
    expert = ClaimFactory(speaker__display_name="Oleksandr Musienko").speaker
    channel = ET.fromstring(client.get(feed_url(expert)).content).find("channel")
    assert channel.findtext("title") == "Claims by Oleksandr Musienko"
    assert channel.findtext("link") == f"http://testserver{expert.get_absolute_url()}"


def test_feed_item_carries_date_author_and_topics(client):
    claim = ClaimFactory(made_on=datetime.date(2024, 6, 19))
    ClaimTopicFactory(claim=claim, topic__title="China's role")
    (item,) = items(client.get(feed_url(claim.speaker)))
    assert "19 Jun 2024" in item.findtext("pubDate")
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == (
        claim.speaker.display_name
    )
    assert [c.text for c in item.findall("category")] == ["China's role"]


def test_feed_description_quotes_the_published_source_only(client):
    claim = ClaimFactory()
    QuoteFactory(claim=claim, article__outlet__name="24 Channel")
    QuoteFactory(
        claim=claim,
        article__outlet__name="Hidden Outlet",
        article__status=PublicationStatus.DRAFT,
    )
    (item,) = items(client.get(feed_url(claim.speaker)))
    description = item.findtext("description")
    assert "China has the leverage to stop it" in description
    assert "24 Channel" in description
    assert "Hidden Outlet" not in description


def test_feed_description_escapes_markup_from_the_source(client):
    article = ArticleFactory(body="He wrote <img src=x onerror=alert(1)> today.")
    quote = QuoteFactory(article=article, text="<img src=x onerror=alert(1)>")
    (item,) = items(client.get(feed_url(quote.claim.speaker)))
    description = item.findtext("description")
    assert "<img" not in description
    assert "&lt;img src=x onerror=alert(1)&gt;" in description


def test_feed_of_unknown_expert_is_404(client):
    assert client.get(reverse("experts:feed", args=["nobody"])).status_code == 404


def test_feed_of_expert_without_published_claims_is_404(client):
    expert = ExpertFactory()
    ClaimFactory(speaker=expert, status=PublicationStatus.DRAFT)
    assert client.get(feed_url(expert)).status_code == 404


def test_feed_runs_the_same_queries_for_5_and_50_claims(client):
    expert = ExpertFactory()

    def add(count):
        for _ in range(count):
            claim = ClaimFactory(speaker=expert)
            ClaimTopicFactory(claim=claim)
            QuoteFactory(claim=claim)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(feed_url(expert)).status_code == 200
        return len(queries)

    add(5)
    few = count()
    add(45)
    assert count() == few


def test_feed_query_count(client, django_assert_num_queries):
    claim = ClaimFactory()
    QuoteFactory(claim=claim)
    with django_assert_num_queries(4):  # expert, claims with speaker, quotes, topics
        client.get(feed_url(claim.speaker))


# Each field escaped once (issue 12; see core/feeds.py).

MARKED_UP = "China's <b>leverage</b> & more"


def test_feed_item_title_reads_back_as_the_summary_escaped_once(client):
    claim = ClaimFactory(summary=MARKED_UP)

    response = client.get(feed_url(claim.speaker))

    (item,) = items(response)
    assert item.findtext("title") == MARKED_UP
    assert (
        "<title>China's &#x3C;b&#x3E;leverage&#x3C;/b&#x3E; &#x26; more</title>"
        in response.content.decode()
    )


def test_feed_item_description_is_html_escaped_once_in_cdata(client):
    claim = ClaimFactory(summary=MARKED_UP)

    response = client.get(feed_url(claim.speaker))

    (item,) = items(response)
    assert f"<p>{escape(MARKED_UP)} (" in item.findtext("description")
    assert f"<description><![CDATA[<p>{escape(MARKED_UP)} (" in response.content.decode()
