"""RSS of an expert's published claims, newest first."""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import Claim, ClaimTopic, Quote
from core.feeds import ProfileRssFeed
from experts.models import Expert
from experts.views import redirect_merged

FEED_LENGTH = 50


class ExpertClaimsFeed(Feed):
    feed_type = ProfileRssFeed
    description_template = "experts/feed_claim.html"

    def __call__(self, request, slug):
        try:
            return super().__call__(request, slug=slug)
        except Http404:
            # A merged expert's feed moves with its profile, for readers' subscriptions.
            return redirect_merged(request, Expert.objects.public(), slug, url_name="experts:feed")

    def get_object(self, request, slug):
        return get_object_or_404(Expert.objects.public(), slug=slug)

    def title(self, expert):
        return _("Claims by %(name)s") % {"name": expert.display_name}

    def link(self, expert):
        return expert.get_absolute_url()

    def description(self, expert):
        return _("New published claims by %(name)s, each with its quotes and sources.") % {
            "name": expert.display_name
        }

    def items(self, expert):
        return (
            Claim.objects.published()
            .by(expert)
            .select_related("speaker")
            .prefetch_related(
                Prefetch(
                    "quotes",
                    queryset=Quote.objects.public()
                    .select_related("article__outlet")
                    .order_by("article__published_on", "start"),
                ),
                Prefetch("topic_links", queryset=ClaimTopic.objects.select_related("topic")),
            )
            .order_by("-made_on", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, claim):
        return claim.summary

    def item_link(self, claim):
        return claim.get_absolute_url()

    def item_pubdate(self, claim):
        return timezone.make_aware(datetime.datetime.combine(claim.made_on, datetime.time()))

    def item_author_name(self, claim):
        return claim.speaker.display_name

    def item_categories(self, claim):
        return [link.topic.title for link in claim.topic_links.all()]
