"""The claims app's reads: one QuerySet per model, each method named for what it selects.

The models come from the app registry (`_model`) where a read follows a relation, since
claims/models.py imports this module.
"""

from django.apps import apps
from django.db import models
from django.db.models import Case, Count, Exists, IntegerField, Max, Min, OuterRef, Q, When

from core.models import PublishableQuerySet, public_q
from experts.models import affiliations_prefetch


def _model(name):
    return apps.get_model("claims", name)


def shown_quote_q(prefix=""):
    """Quotes a reader sees beside a claim, through `prefix` (e.g. "quotes__"): anchored (not
    orphaned by a body edit) in a public article."""
    return Q(**{f"{prefix}orphaned": False}) & public_q(f"{prefix}article__")


class TopicQuerySet(models.QuerySet):
    def with_counts(self):
        """Each topic with `experts_count` and `claims_count`: its own published claims."""
        published = public_q("claim_links__claim__")
        return self.annotate(
            experts_count=Count("claim_links__claim__speaker", filter=published, distinct=True),
            claims_count=Count("claim_links__claim", filter=published, distinct=True),
        )

    def in_tree_order(self):
        """The topics as a list, each parent followed by its sub-topics, with `depth` set.

        One query whatever the depth; a topic whose parent is not in the queryset starts a
        tree of its own.
        """
        topics = list(self)
        present = {topic.pk for topic in topics}
        roots = [topic for topic in topics if topic.parent_id not in present]
        return _walk_tree(roots, topics)

    def subtree(self, topic):
        """`topic` and every topic below it, in tree order (`depth` 0 for `topic`)."""
        return _walk_tree([topic], [t for t in self if t.pk != topic.pk])


def _walk_tree(roots, topics):
    """`roots` and their descendants among `topics`, depth first, each with `depth` set."""
    children = {}
    for topic in topics:
        children.setdefault(topic.parent_id, []).append(topic)
    ordered, seen = [], set()
    stack = [(root, 0) for root in reversed(roots)]
    while stack:
        topic, depth = stack.pop()
        if topic.pk in seen:  # a cycle saved around clean() must not loop forever
            continue
        seen.add(topic.pk)
        topic.depth = depth
        ordered.append(topic)
        for child in reversed(children.get(topic.pk, [])):
            child.parent = topic  # so a sub-topic names its parent without a query
            stack.append((child, depth + 1))
    return ordered


class ClaimQuerySet(PublishableQuerySet):
    def with_card_data(self, *, user=None):
        """Everything a claim card shows, in a fixed number of queries.

        The speaker with their affiliations (for the role at the time), topics with stance,
        cited provisions with their treaty, and the quotes a reader may see with their outlet
        (never an orphaned one: its text is no longer in the article).
        """
        quotes = _model("Quote").objects
        quotes = quotes.anchored() if user is not None and user.is_staff else quotes.shown()
        quotes = quotes.select_related("article__outlet").order_by("article__published_on", "start")
        return self.select_related("speaker").prefetch_related(
            affiliations_prefetch("speaker__affiliations"),
            models.Prefetch(
                "topic_links",
                queryset=_model("ClaimTopic")
                .objects.select_related("topic")
                .order_by("topic__title"),
            ),
            models.Prefetch(
                "provision_links",
                queryset=_model("ClaimProvision")
                .objects.select_related("provision__treaty", "provision__parent__parent")
                .order_by("provision__treaty__slug", "provision__order"),
            ),
            models.Prefetch("quotes", queryset=quotes),
        )

    def about(self, topic):
        """Claims tagged with `topic`."""
        return self.filter(topic_links__topic=topic)

    def by(self, expert):
        """Claims made by `expert`."""
        return self.filter(speaker=expert)

    def predictions(self):
        """Claims that are predictions (they carry a due date and an outcome)."""
        return self.filter(kind=self.model.Kind.PREDICTION)

    def with_first_topic(self):
        """Each claim with `topic_title` and `topic_slug` of its first topic A–Z (None when
        untagged), for summaries that colour or group claims by one topic."""
        first = (
            _model("ClaimTopic").objects.filter(claim=OuterRef("pk")).order_by("topic__title", "pk")
        )
        return self.annotate(
            topic_title=models.Subquery(first.values("topic__title")[:1]),
            topic_slug=models.Subquery(first.values("topic__slug")[:1]),
        )

    def about_any(self, topics):
        """Claims tagged with at least one of `topics` (topics or ids), each claim once."""
        return self.filter(
            Exists(_model("ClaimTopic").objects.filter(claim=OuterRef("pk"), topic__in=topics))
        )

    def citing_through(self, *, treaty=None, provision=None, relation=None):
        """Claims with one provision link that matches all of `treaty`, `provision` and
        `relation` (those given), each claim once."""
        links = _model("ClaimProvision").objects.filter(claim=OuterRef("pk"))
        if treaty is not None:
            links = links.filter(provision__treaty=treaty)
        if provision is not None:
            links = links.filter(provision=provision)
        if relation:
            links = links.filter(relation=relation)
        return self.filter(Exists(links))

    def quoted_in(self, articles):
        """Claims with an anchored quote in one of `articles` (an Article queryset), each once."""
        quotes = (
            _model("Quote").objects.anchored().filter(claim=OuterRef("pk"), article__in=articles)
        )
        return self.filter(Exists(quotes))

    def matching(self, text):
        """Claims whose summary or one of whose public quotes contains `text` (any case)."""
        quotes = _model("Quote").objects.public().filter(claim=OuterRef("pk"), text__icontains=text)
        return self.filter(Q(summary__icontains=text) | Exists(quotes))

    def answering(self, topic, stance):
        """Claims whose answer to `topic`'s question is `stance`."""
        return self.filter(
            Exists(
                _model("ClaimTopic").objects.filter(
                    claim=OuterRef("pk"), topic=topic, stance=stance
                )
            )
        )

    def at_a_glance(self):
        """{experts, claims, outlets, first, last}: the summary line of a list of claims.

        Outlets are those of the published articles quoting the claims. Two queries: counting
        them in the same aggregate joined every claim to its quotes and articles, which on a
        topic with half a million claims took 2.4 times as long as these two together.
        """
        from articles.models import Outlet

        summary = self.order_by().aggregate(
            experts=Count("speaker", distinct=True),
            claims=Count("pk", distinct=True),
            first=Min("made_on"),
            last=Max("made_on"),
        )
        quoting = (
            _model("Quote")
            .objects.shown()
            .filter(article__outlet=OuterRef("pk"), claim__in=self.values("pk"))
        )
        summary["outlets"] = Outlet.objects.filter(Exists(quoting)).count()
        return summary

    def stance_counts(self, topic):
        """{stance: (claims, experts)} for these claims' answers to `topic`'s question.

        "" counts the claims that touch the topic without answering it.
        """
        rows = (
            _model("ClaimTopic")
            .objects.filter(claim__in=self, topic=topic)
            .values("stance")
            .annotate(claims=Count("claim"), experts=Count("claim__speaker", distinct=True))
            .order_by("stance")
        )
        return {row["stance"]: (row["claims"], row["experts"]) for row in rows}

    def citing(self, provision):
        """Claims citing `provision`, each with its `relation` to it, in the order of relations:
        interprets, invokes, disputes."""
        relation = _model("ClaimProvision").objects.filter(
            claim=OuterRef("pk"), provision=provision
        )
        return (
            self.filter(Exists(relation))
            .annotate(relation=models.Subquery(relation.values("relation")[:1]))
            .annotate(
                relation_order=Case(
                    *(
                        When(relation=value, then=position)
                        for position, value in enumerate(_model("ClaimProvision").Relation.values)
                    ),
                    default=len(_model("ClaimProvision").Relation.values),
                    output_field=IntegerField(),
                )
            )
        )

    def relation_counts(self, provision):
        """{relation: number of these claims} for the ways they cite `provision`."""
        rows = (
            _model("ClaimProvision")
            .objects.filter(claim__in=self, provision=provision)
            .values("relation")
            .annotate(claims=Count("claim"))
            .order_by("relation")
        )
        return {row["relation"]: row["claims"] for row in rows}


class QuoteQuerySet(models.QuerySet):
    def public(self):
        """Quotes a reader may see anywhere: shown, and their claim public as well."""
        return self.shown().filter(public_q("claim__"))

    def shown(self):
        """Quotes a reader sees on a claim they may see: anchored, in a public article."""
        return self.filter(shown_quote_q())

    def anchored(self):
        """Quotes whose text is where their offsets say: not orphaned by a body edit."""
        return self.filter(orphaned=False)

    def orphans(self):
        """Quotes whose text left the article body in an edit, waiting for an editor."""
        return self.filter(orphaned=True)

    def with_speakers(self):
        """Each quote's claim and speaker, with the speaker's affiliations (role at the time)."""
        return self.select_related("claim__speaker").prefetch_related(
            affiliations_prefetch("claim__speaker__affiliations")
        )


class TreatyQuerySet(models.QuerySet):
    def with_counts(self):
        """Each treaty with `provisions_count` and `claims_count` (published claims citing it)."""
        return self.annotate(
            provisions_count=Count("provisions", distinct=True),
            claims_count=Count(
                "provisions__claim_links__claim",
                filter=public_q("provisions__claim_links__claim__"),
                distinct=True,
            ),
        )


class ProvisionQuerySet(models.QuerySet):
    def with_claim_counts(self):
        """Each provision with `claims_count`: the published claims citing it."""
        return self.annotate(
            claims_count=Count(
                "claim_links",
                filter=public_q("claim_links__claim__"),
            )
        )

    def for_citation(self):
        """With the treaty and two levels of parents, so `citation_label` runs no query."""
        return self.select_related("treaty", "parent__parent")
