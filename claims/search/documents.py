"""What each kind of record puts into its search entry.

One builder per kind reads a batch of records in a fixed number of queries and returns their
entries: the text by weight (names and title, lead, body, extra), the languages that choose the
stemming, whether a reader may see the record, and its facets (year, outlet, topics).
"""

from collections import defaultdict

from django.db.models import Prefetch

from articles.models import Article
from claims.models import Claim, ClaimTopic, Provision, Quote, SearchEntry, Topic, Treaty
from core.models import PUBLIC_STATUSES
from experts.models import Expert, NameVariant

Kind = SearchEntry.Kind


def _names(expert):
    """Every spelling of `expert`'s name, then their name keys, one per line."""
    names = [expert.display_name, *(v.name for v in expert.name_variants.all())]
    keys = [expert.name_key, *(v.name_key for v in expert.name_variants.all())]
    keys = [k for k in dict.fromkeys(keys) if k]
    return list(dict.fromkeys(names)), keys


def _entry(kind, pk, **fields):
    topics = fields.pop("topics", ())
    return SearchEntry(kind=kind, object_id=pk, **fields), sorted(set(topics))


def articles(ids):
    topic_ids = defaultdict(list)
    for article_id, topic_id in Article.topics.through.objects.filter(
        article_id__in=ids
    ).values_list("article_id", "topic_id"):
        topic_ids[article_id].append(topic_id)
    return [
        _entry(
            Kind.ARTICLE,
            article.pk,
            public=article.status in PUBLIC_STATUSES,
            title=article.title,
            title_language=article.language,
            lead=article.standfirst,
            body=article.body,
            language=article.language,
            extra=article.byline,
            year=article.published_on.year,
            outlet_id=article.outlet_id,
            topics=topic_ids[article.pk],
        )
        for article in Article.objects.filter(pk__in=ids).order_by()
    ]


def claims(ids):
    quotes = (
        Quote.objects.public()
        .select_related("article")
        .only("claim_id", "text", "article__language", "article__outlet_id")
        .order_by("article__published_on", "start")
    )
    variants = NameVariant.objects.only("expert_id", "name", "name_key")
    records = (
        Claim.objects.filter(pk__in=ids)
        .order_by()
        .select_related("speaker")
        .prefetch_related(
            Prefetch("quotes", queryset=quotes, to_attr="public_quotes"),
            Prefetch("speaker__name_variants", queryset=variants),
            Prefetch("topic_links", queryset=ClaimTopic.objects.only("claim_id", "topic_id")),
        )
    )
    entries = []
    for claim in records:
        names, keys = _names(claim.speaker)
        first = claim.public_quotes[0].article if claim.public_quotes else None
        entries.append(
            _entry(
                Kind.CLAIM,
                claim.pk,
                public=claim.status in PUBLIC_STATUSES,
                # Summaries are the desk's neutral English; quotes keep their article's language.
                title=claim.summary,
                title_language="en",
                body="\n\n".join(quote.text for quote in claim.public_quotes),
                language=first.language if first else "",
                extra="\n".join(names + keys),
                year=claim.made_on.year,
                outlet_id=first.outlet_id if first else None,
                topics=[link.topic_id for link in claim.topic_links.all()],
            )
        )
    return entries


def experts(ids):
    public = set(Expert.objects.public().filter(pk__in=ids).values_list("pk", flat=True))
    topic_ids = defaultdict(set)
    for speaker_id, topic_id in ClaimTopic.objects.filter(
        claim__speaker_id__in=ids, claim__status__in=PUBLIC_STATUSES
    ).values_list("claim__speaker_id", "topic_id"):
        topic_ids[speaker_id].add(topic_id)
    records = (
        Expert.objects.filter(pk__in=ids)
        .order_by()
        .prefetch_related(
            Prefetch(
                "name_variants", queryset=NameVariant.objects.only("expert_id", "name", "name_key")
            )
        )
    )
    entries = []
    for expert in records:
        names, keys = _names(expert)
        entries.append(
            _entry(
                Kind.EXPERT,
                expert.pk,
                public=expert.pk in public,
                names="\n".join(names[1:] + keys),
                title=expert.display_name,
                body=expert.bio,
                language="",
                name_keys=" ".join(keys),
                topics=topic_ids[expert.pk],
            )
        )
    return entries


def provisions(ids):
    records = Provision.objects.filter(pk__in=ids).order_by().for_citation()
    return [
        _entry(
            Kind.PROVISION,
            provision.pk,
            public=True,
            title=f"{provision.number} {provision.heading}".strip(),
            title_language="en",
            lead=provision.citation_label,
            body=provision.text,
            language="en",
            extra=f"{provision.treaty.title}\n{provision.treaty.short_name}",
            year=provision.treaty.signed_on.year if provision.treaty.signed_on else None,
        )
        for provision in records
    ]


def topics(ids):
    return [
        _entry(
            Kind.TOPIC,
            topic.pk,
            public=True,
            title=topic.title,
            title_language="en",
            lead=topic.question,
            body=topic.description,
            language="en",
            topics=[topic.pk],
        )
        for topic in Topic.objects.filter(pk__in=ids).order_by()
    ]


def treaties(ids):
    return [
        _entry(
            Kind.TREATY,
            treaty.pk,
            public=True,
            title=f"{treaty.title}\n{treaty.short_name}",
            title_language="en",
            body=treaty.parties,
            language="en",
            year=treaty.signed_on.year if treaty.signed_on else None,
        )
        for treaty in Treaty.objects.filter(pk__in=ids).order_by()
    ]


BUILDERS = {
    Kind.ARTICLE: articles,
    Kind.CLAIM: claims,
    Kind.EXPERT: experts,
    Kind.PROVISION: provisions,
    Kind.TOPIC: topics,
    Kind.TREATY: treaties,
}
MODELS = {
    Kind.ARTICLE: Article,
    Kind.CLAIM: Claim,
    Kind.EXPERT: Expert,
    Kind.PROVISION: Provision,
    Kind.TOPIC: Topic,
    Kind.TREATY: Treaty,
}
