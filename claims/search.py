"""Plain search across the public knowledge base: a case-insensitive substring match.

Each group is one QuerySet function returning public records only, so the full-text search
issue can replace the lookups here without touching the search page or its template.
"""

from django.db.models import Exists, OuterRef, Prefetch, Q

from articles.models import Article
from claims.models import Claim, Provision, Quote, Topic, Treaty
from experts.models import Affiliation, Expert

EXCERPT_CHARS = 90


def normalize_query(text):
    """The query as searched: surrounding and repeated spaces removed."""
    return " ".join((text or "").split())


def articles(text):
    """Published articles whose title, standfirst or body contains `text`."""
    return (
        Article.objects.published()
        .filter(Q(title__icontains=text) | Q(standfirst__icontains=text) | Q(body__icontains=text))
        .select_related("outlet")
    )


def claims(text):
    """Published claims whose summary, or one of whose public quotes, contains `text`.

    Each claim carries `matching_quotes`: its public quotes containing `text`, for linking
    straight to the passage in the article.
    """
    quote_matches = Quote.objects.public().filter(text__icontains=text)
    return (
        Claim.objects.published()
        .filter(Q(summary__icontains=text) | Exists(quote_matches.filter(claim=OuterRef("pk"))))
        .select_related("speaker")
        .prefetch_related(
            Prefetch(
                "speaker__affiliations",
                queryset=Affiliation.objects.select_related("organization"),
            ),
            Prefetch(
                "quotes",
                queryset=quote_matches.select_related("article__outlet").order_by(
                    "article__published_on", "start"
                ),
                to_attr="matching_quotes",
            ),
        )
    )


def experts(text):
    """Public experts whose display name or one of whose name variants contains `text`."""
    return Expert.objects.public().matching(text).prefetch_related("name_variants")


def topics(text):
    """Topics whose title, question or description contains `text`."""
    return Topic.objects.filter(
        Q(title__icontains=text) | Q(question__icontains=text) | Q(description__icontains=text)
    )


def provisions(text):
    """Treaty provisions whose number, heading or text contains `text`."""
    return Provision.objects.filter(
        Q(number__icontains=text) | Q(heading__icontains=text) | Q(text__icontains=text)
    ).select_related("treaty", "parent__parent")


def treaties(text):
    """Treaties whose title or short name contains `text`."""
    return Treaty.objects.filter(Q(title__icontains=text) | Q(short_name__icontains=text))


# Display order on the search page: people and what they said first, then sources and context.
GROUPS = {
    "experts": experts,
    "claims": claims,
    "articles": articles,
    "topics": topics,
    "provisions": provisions,
    "treaties": treaties,
}


def search(text):
    """{group name: QuerySet of public matches} for every group, in display order.

    An empty query matches nothing rather than everything.
    """
    text = normalize_query(text)
    if not text:
        return {name: select("").none() for name, select in GROUPS.items()}
    return {name: select(text) for name, select in GROUPS.items()}


def excerpt(body, text, *, chars=EXCERPT_CHARS):
    """(before, match, after): the first case-insensitive match of `text` in `body` in context.

    Returned in pieces so a template can mark the match without trusting stored text as HTML.
    Gives ("", "", start of body) when the match is elsewhere (the title, say).
    """
    folded = body.casefold()
    position = folded.find(text.casefold()) if text else -1
    # casefold can change a string's length (ß → ss), which would shift the offsets.
    if position == -1 or len(folded) != len(body):
        return "", "", _shorten(body, chars * 2)
    end = position + len(text.casefold())
    start = max(0, position - chars)
    before = body[start:position]
    if start > 0:
        before = "…" + before.split(" ", 1)[-1] if " " in before else "…" + before
    after = body[end : end + chars]
    if end + chars < len(body):
        after = (after.rsplit(" ", 1)[0] if " " in after else after) + "…"
    return before, body[position:end], after


def _shorten(value, chars):
    if len(value) <= chars:
        return value
    return value[:chars].rsplit(" ", 1)[0] + "…"
