import datetime
import html
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from core.models import PublicationStatus
from tests.factories import ClaimFactory, ClaimTopicFactory, ExpertFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic():
    return TopicFactory(title="China's role", slug="china-role")


def feed_url(topic):
    return reverse("claims:topic_feed", kwargs={"slug": topic.slug})


def feed_items(client, topic):
    response = client.get(feed_url(topic))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).findall("./channel/item")


def claim_on(topic, **fields):
    claim = ClaimFactory(**fields)
    ClaimTopicFactory(claim=claim, topic=topic)
    return claim


def test_feed_lists_only_published_claims_on_the_topic(client, topic):
    published = claim_on(topic)
    claim_on(topic, status=PublicationStatus.DRAFT)
    claim_on(topic, status=PublicationStatus.IN_REVIEW)
    claim_on(TopicFactory())

    items = feed_items(client, topic)

    assert [item.findtext("link") for item in items] == [
        f"http://testserver{published.get_absolute_url()}"
    ]


def test_feed_item_title_names_the_speaker_then_the_summary(client, topic):
    claim_on(
        topic,
        speaker=ExpertFactory(display_name="Volodymyr Fesenko"),
        summary="China will stay cautious.",
    )

    [item] = feed_items(client, topic)

    assert item.findtext("title") == "Volodymyr Fesenko: China will stay cautious."


def test_feed_item_is_dated_by_when_the_claim_was_made(client, topic):
    claim_on(topic, made_on=datetime.date(2023, 9, 14))

    [item] = feed_items(client, topic)

    assert item.findtext("pubDate").startswith("Thu, 14 Sep 2023")


def test_feed_lists_newest_claims_first(client, topic):
    older = claim_on(topic, made_on=datetime.date(2023, 9, 1))
    newer = claim_on(topic, made_on=datetime.date(2024, 6, 1))

    links = [item.findtext("link") for item in feed_items(client, topic)]

    assert links == [
        f"http://testserver{newer.get_absolute_url()}",
        f"http://testserver{older.get_absolute_url()}",
    ]


def test_feed_includes_claims_on_sub_topics(client, topic):
    claim_on(TopicFactory(parent=topic), summary="China will not join the drills.")

    [item] = feed_items(client, topic)

    assert item.findtext("title").endswith("China will not join the drills.")


def test_feed_channel_links_to_the_topic_page(client, topic):
    response = client.get(feed_url(topic))

    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("link") == f"http://testserver{topic.get_absolute_url()}"
    assert channel.findtext("title") == "What experts say about China's role"


def test_feed_of_unknown_topic_is_404(client):
    response = client.get(reverse("claims:topic_feed", kwargs={"slug": "nothing-here"}))

    assert response.status_code == 404


def test_feed_queries_do_not_grow_with_claims(client, topic, django_assert_num_queries):
    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(feed_url(topic))
        return len(queries)

    for _ in range(5):
        claim_on(topic)
    at_five = count()
    for _ in range(45):
        claim_on(topic)

    assert count() == at_five
    with django_assert_num_queries(4):
        client.get(feed_url(topic))


# Each field escaped once (issue 12): plain-text elements carry the text itself, written with
# the RSS Best Practices Profile's hexadecimal references; the description is HTML, escaped
# once as HTML and sent as CDATA rather than escaped a second time as XML.

MARKED_UP = "China's <b>leverage</b> & more"
AS_PLAIN_TEXT = "China's &#x3C;b&#x3E;leverage&#x3C;/b&#x3E; &#x26; more"


def test_feed_item_title_reads_back_as_the_text_escaped_once(client, topic):
    claim_on(topic, speaker=ExpertFactory(display_name="Kim & Co"), summary=MARKED_UP)

    response = client.get(feed_url(topic))

    [item] = ET.fromstring(response.content).findall("./channel/item")
    assert item.findtext("title") == f"Kim & Co: {MARKED_UP}"
    assert f"<title>Kim &#x26; Co: {AS_PLAIN_TEXT}</title>" in response.content.decode()


def test_feed_channel_description_reads_back_as_the_question_escaped_once(client):
    topic = TopicFactory(question=MARKED_UP)

    response = client.get(feed_url(topic))

    assert ET.fromstring(response.content).find("channel").findtext("description") == MARKED_UP
    assert f"<description>{AS_PLAIN_TEXT}</description>" in response.content.decode()


def test_feed_item_description_is_the_summary_as_html_escaped_once(client, topic):
    claim_on(topic, summary=MARKED_UP)

    response = client.get(feed_url(topic))

    [item] = ET.fromstring(response.content).findall("./channel/item")
    assert html.unescape(item.findtext("description")) == MARKED_UP
    assert f"<description><![CDATA[{escape(MARKED_UP)}]]></description>" in (
        response.content.decode()
    )
