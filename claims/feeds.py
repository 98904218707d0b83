"""RSS feeds of new published claims."""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from claims.models import Claim, Topic
from core.feeds import ProfileRssFeed

FEED_LENGTH = 50


class TopicClaimsFeed(Feed):
    """The newest published claims on a topic and its sub-topics, as on the topic page."""

    feed_type = ProfileRssFeed

    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, topic):
        return _("What experts say about %(topic)s") % {"topic": topic.title}

    def link(self, topic):
        return topic.get_absolute_url()

    def description(self, topic):
        return topic.question

    def items(self, topic):
        tree = Topic.objects.subtree(topic)
        return (
            Claim.objects.published()
            .about_any([t.pk for t in tree])
            .select_related("speaker")
            .prefetch_related("topics")
            .order_by("-made_on", "-created", "-id")[:FEED_LENGTH]
        )

    def item_title(self, claim):
        return f"{claim.speaker.display_name}: {claim.summary}"

    def item_description(self, claim):
        # Feed readers show an RSS description as HTML: the summary is text, so escape it.
        return escape(claim.summary)

    def item_link(self, claim):
        return claim.get_absolute_url()

    def item_pubdate(self, claim):
        """The day the claim was made; the time of day is not known, so midnight local time."""
        return timezone.make_aware(datetime.datetime.combine(claim.made_on, datetime.time.min))

    def item_updateddate(self, claim):
        return claim.updated

    def item_author_name(self, claim):
        return claim.speaker.display_name

    def item_categories(self, claim):
        return [topic.title for topic in claim.topics.all()]
