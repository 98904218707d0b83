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
    return [
        _entry(
            Kind.CLAIM,
            claim.pk,
            **claim_fields(
                status=claim.status,
                summary=claim.summary,
                made_on=claim.made_on,
                speaker=speaker_text(claim.speaker),
                quotes=[
                    (quote.text, quote.article.language, quote.article.outlet_id)
                    for quote in claim.public_quotes
                ],
                topics=[link.topic_id for link in claim.topic_links.all()],
            ),
        )
        for claim in records
    ]


def claim_fields(*, status, summary, made_on, speaker, quotes, topics):
    """A claim entry's fields from the claim's values, for claims() and for the corpus
    generator's bulk writer, which has them in hand.

    `speaker` is speaker_text() of its speaker; `quotes` its public quotes in article order,
    as (text, article language, article outlet id); `topics` its topic ids.
    """
    first = quotes[0] if quotes else None
    return {
        "public": status in PUBLIC_STATUSES,
        # Summaries are the desk's neutral English; quotes keep their article's language.
        "title": summary,
        "title_language": "en",
        "body": "\n\n".join(text for text, _language, _outlet in quotes),
        "language": first[1] if first else "",
        "extra": speaker,
        "year": made_on.year,
        "outlet_id": first[2] if first else None,
        "topics": topics,
    }


def speaker_text(expert):
    """What a claim's entry says of its speaker: every spelling of the name, then the name
    keys, one per line."""
    names, keys = _names(expert)
    return "\n".join(names + keys)


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
