"""The search itself: ranked hits, facets and pages, as the page and the API show them.

`search()` serves the /search/ page and /api/v1/search/: ranked hits of every kind with
highlighted snippets and links, facet counts and a page of results. `matching()` gives the
API's `q` filters the same engine. The engines (PostgreSQL full-text search with trigram name
matching, SQLite FTS5, a slow fallback) live in engines.py; the entries they search are kept in
step with the records by index.py.

Only records a reader may see are ever returned: entries carry a `public` flag written from
the record's status, and the hits are loaded through each model's public QuerySet as well, so a
stale flag can hide a record but never show one.
"""

import hashlib
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from articles.models import Language, Outlet
from claims.models import Claim, Provision, Quote, SearchEntry, Topic, Treaty
from experts.models import Expert

from .engines import MARK_END, MARK_START, engine, fold
from .query import MAX_QUERY_CHARS, MAX_TERMS, ParsedQuery, parse

logger = logging.getLogger(__name__)
Kind = SearchEntry.Kind
PER_PAGE = 20
MAX_PAGE = 50
FACETS = ("kind", "topic", "outlet", "language", "year")

__all__ = [
    "MAX_PAGE",
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "PER_PAGE",
    "Hit",
    "SearchResults",
    "Kind",
    "matching",
    "parse",
    "search",
    "suggestions",
]


@dataclass
class Hit:
    kind: str
    object: object
    rank: float
    title_html: str
    snippet_html: str
    url: str

    @property
    def kind_label(self):
        return Kind(self.kind).label.rstrip("s") if self.kind != Kind.TREATY else "Treaty"


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResults:
    query: ParsedQuery
    filters: dict
    hits: list = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = PER_PAGE
    facets: dict = field(default_factory=dict)
    message: str = ""
    engine: str = ""

    @property
    def pages(self):
        return min(MAX_PAGE, max(1, -(-self.total // self.per_page)))

    @property
    def has_next(self):
        return self.page < self.pages

    @property
    def has_previous(self):
        return self.page > 1


def marked_html(text):
    """`text` escaped, with the engine's match markers turned into <mark> elements."""
    parts = []
    rest = text or ""
    while MARK_START in rest:
        before, _, rest = rest.partition(MARK_START)
        inside, _, rest = rest.partition(MARK_END)
        parts.append(conditional_escape(before))
        parts.append(format_html("<mark>{}</mark>", inside))
    parts.append(conditional_escape(rest.replace(MARK_END, "")))
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every piece is escaped


def marked_words(text):
    words = []
    rest = text or ""
    while MARK_START in rest:
        _, _, rest = rest.partition(MARK_START)
        inside, _, rest = rest.partition(MARK_END)
        words.append(fold(inside))
    return [w for w in words if w]


def _message(query):
    if query.stop_words_only:
        return "Only very common words were typed; add a more specific word."
    if not query.text:
        return ""
    if not query.searchable and query.terms:
        return "Nothing to search for: add a word (a leading minus only excludes a word)."
    if not query.searchable:
        return "Nothing to search for: type a word or a name."
    return ""


def _filters_sql(filters, *, with_kind=True):
    sql, params = [], []
    if with_kind and filters.get("kind"):
        sql.append("e.kind = %s")
        params.append(filters["kind"])
    if filters.get("language"):
        # Only articles and claims (through their quotes) are in a reader's language; the
        # language of other entries only picks their stemming.
        sql.append("e.language = %s AND e.kind IN ('article', 'claim')")
        params.append(filters["language"])
    if filters.get("year"):
        sql.append("e.year = %s")
        params.append(int(filters["year"]))
    if filters.get("outlet"):
        sql.append("e.outlet_id = %s")
        params.append(int(filters["outlet"]))
    if filters.get("topic"):
        sql.append(
            "EXISTS (SELECT 1 FROM claims_searchentry_topics t "
            "WHERE t.searchentry_id = e.id AND t.topic_id = %s)"
        )
        params.append(int(filters["topic"]))
    return "".join(f" AND {s}" for s in sql), params


def search(text, *, filters=None, page=1, per_page=PER_PAGE, with_facets=True):
    """Ranked public hits for `text`, page `page` (1-based, at most MAX_PAGE), with facets.

    `filters` may hold kind (a SearchEntry.Kind), topic, outlet (ids), language and year;
    the caller validates them. Never raises for anything typed.
    """
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    query = parse(text)
    results = SearchResults(query=query, filters=filters, page=page, per_page=per_page)
    results.message = _message(query)
    if not query.text or results.message:
        return results
    searcher = engine()
    results.engine = searcher.name
    if not searcher.prepare(query):
        results.message = "Nothing to search for: add a word."
        return results
    where, where_params = searcher.where(query)
    rank, rank_params = searcher.rank(query)
    page = max(1, min(int(page), MAX_PAGE))
    results.page = page

    if with_facets:
        results.facets, results.total = _cached_facets(query, where, where_params, filters)
    filter_sql, filter_params = _filters_sql(filters)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.id, e.kind, e.object_id, {rank} AS rank FROM claims_searchentry e "
            f"WHERE e.public AND {where}{filter_sql} ORDER BY rank DESC, e.id LIMIT %s OFFSET %s",
            rank_params + where_params + filter_params + [per_page, (page - 1) * per_page],
        )
        rows = cursor.fetchall()
    if not with_facets:
        results.total = (page - 1) * per_page + len(rows)
    snippets = searcher.snippets(query, [row[0] for row in rows])
    results.hits = _hits(rows, snippets)
    return results


def _cached_facets(query, where, where_params, filters):
    """_facets(), kept in the cache for the next page of the same search until the public
    generation changes (core/cache.py: every publish or edit of public data) or
    PUBLIC_CACHE_SECONDS pass."""
    from core.cache import public_generation

    seconds = settings.PUBLIC_CACHE_SECONDS
    generation = public_generation() if seconds else None
    if generation is None:
        return _facets(where, where_params, filters)
    fingerprint = json.dumps([query.text, sorted(filters.items())], default=str)
    key = f"search-facets:{generation}:{hashlib.sha256(fingerprint.encode()).hexdigest()}"
    try:
        found = cache.get(key)
    except Exception:
        found = None
    if found is None:
        found = _facets(where, where_params, filters)
        try:
            cache.set(key, found, seconds)
        except Exception:
            logger.warning("Search facets not cached: the cache is unreachable.", exc_info=True)
    return found


def _facets(where, where_params, filters):
    """({facet: [FacetValue]}, total) in one query over the matching public entries.

    The kind counts (the page's tabs) ignore the chosen kind; the other facets count within it.
    """
    filter_sql, filter_params = _filters_sql(filters, with_kind=False)
    kind = filters.get("kind")
    in_kind = " AND kind = %s" if kind else ""
    kind_params = [kind] if kind else []
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    sql = (
        f"WITH r AS {materialized}(SELECT e.id, e.kind, e.language, e.year, e.outlet_id "
        f"FROM claims_searchentry e WHERE e.public AND {where}{filter_sql}) "
        "SELECT 'kind', kind, COUNT(*) FROM r GROUP BY kind "
        "UNION ALL SELECT 'language', language, COUNT(*) FROM r "
        f"WHERE language <> '' AND kind IN ('article', 'claim'){in_kind} GROUP BY language "
        "UNION ALL SELECT 'year', CAST(year AS TEXT), COUNT(*) FROM r "
        f"WHERE year IS NOT NULL{in_kind} GROUP BY year "
        "UNION ALL SELECT 'outlet', CAST(outlet_id AS TEXT), COUNT(*) FROM r "
        f"WHERE outlet_id IS NOT NULL{in_kind} GROUP BY outlet_id "
        "UNION ALL SELECT 'topic', CAST(t.topic_id AS TEXT), COUNT(*) FROM r "
        f"JOIN claims_searchentry_topics t ON t.searchentry_id = r.id WHERE 1 = 1{in_kind} "
        "GROUP BY t.topic_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, where_params + filter_params + kind_params * 4)
        rows = cursor.fetchall()
    counts = defaultdict(dict)
    for facet, value, count in rows:
        counts[facet][str(value)] = count
    labels = {
        "kind": {k.value: k.label for k in Kind},
        "language": dict(Language.choices),
        "outlet": dict(
            Outlet.objects.filter(pk__in=[int(v) for v in counts["outlet"]]).values_list(
                "pk", "name"
            )
        ),
        "topic": dict(
            Topic.objects.filter(pk__in=[int(v) for v in counts["topic"]]).values_list(
                "pk", "title"
            )
        ),
    }
    facets = {}
    for facet in FACETS:
        values = []
        for value, count in counts[facet].items():
            key = int(value) if facet in ("outlet", "topic") else value
            label = labels.get(facet, {}).get(key, value)
            values.append(
                FacetValue(value, str(label), count, str(filters.get(facet, "")) == value)
            )
        if facet == "kind":
            order = list(Kind.values)
            values.sort(key=lambda v: order.index(v.value) if v.value in order else 99)
        elif facet == "year":
            values.sort(key=lambda v: v.value, reverse=True)
        else:
            values.sort(key=lambda v: (-v.count, v.label))
        facets[facet] = values
    kind_counts = counts["kind"]
    total = kind_counts.get(kind, 0) if kind else sum(kind_counts.values())
    return facets, total


def _hits(rows, snippets):
    """Hits for result rows (entry id, kind, object id, rank), loaded through each model's
    public QuerySet in one query per kind present."""
    ids_by_kind = defaultdict(list)
    for _, kind, object_id, _ in rows:
        ids_by_kind[kind].append(object_id)
    loaded = {kind: _load(kind, ids) for kind, ids in ids_by_kind.items()}
    hits = []
    for entry_id, kind, object_id, rank in rows:
        obj = loaded[kind].get(object_id)
        if obj is None:
            continue
        title, passage = snippets.get(entry_id, ("", ""))
        hits.append(
            Hit(
                kind=kind,
                object=obj,
                rank=float(rank or 0),
                title_html=marked_html(title.split("\n")[0] if title else str(obj)),
                snippet_html=marked_html(passage),
                url=_url(kind, obj, marked_words(passage) + marked_words(title)),
            )
        )
    return hits


def _load(kind, ids):
    if kind == Kind.EXPERT:
        records = Expert.objects.public().filter(pk__in=ids)
    elif kind == Kind.CLAIM:
        records = (
            Claim.objects.published()
            .filter(pk__in=ids)
            .select_related("speaker")
            .prefetch_related(
                _public_quotes_prefetch(),
            )
        )
    elif kind == Kind.ARTICLE:
        from articles.models import Article

        records = Article.objects.published().filter(pk__in=ids).select_related("outlet")
    elif kind == Kind.PROVISION:
        records = Provision.objects.filter(pk__in=ids).for_citation()
    elif kind == Kind.TOPIC:
        records = Topic.objects.filter(pk__in=ids)
    else:
        records = Treaty.objects.filter(pk__in=ids)
    return {obj.pk: obj for obj in records}


def _public_quotes_prefetch():
    from django.db.models import Prefetch

    return Prefetch(
        "quotes",
        # Only what the passage link needs: an article's body can be long.
        queryset=Quote.objects.public()
        .select_related("article")
        .only("pk", "claim_id", "text", "start", "article__slug", "article__published_on")
        .order_by("article__published_on", "start"),
        to_attr="search_quotes",
    )


def _url(kind, obj, words):
    """The public page of a hit; for a claim whose quote matched, the passage in its article."""
    if kind == Kind.CLAIM and words:
        for quote in obj.search_quotes:
            text = fold(quote.text)
            if any(word in text for word in words):
                return f"{quote.article.get_absolute_url()}#quote-{quote.pk}"
    return obj.get_absolute_url()


def matching(kind, text):
    """For `queryset.filter(pk__in=matching(kind, q))`: the ids of `kind` records that the
    engine matches for `text` (public or not: the caller's QuerySet decides who sees what).
    None when `text` has nothing to search for; the caller then returns no rows.
    """
    query = parse(text)
    searcher = engine()
    if not query.searchable or not searcher.prepare(query):
        return None
    where, params = searcher.where(query)
    return RawSQL(
        f"SELECT e.object_id FROM claims_searchentry e WHERE e.kind = %s AND {where}",
        [kind, *params],
    )


def suggestions(text, *, limit=5):
    """Expert names and topics close to `text`, for a search that found nothing.

    PostgreSQL ranks experts by trigram similarity of name keys and topics by word similarity
    of their titles; SQLite suggests experts sharing a name-key word and topics sharing a word.
    """
    from experts.names import name_key

    query = parse(text)
    key = name_key(query.text)
    experts, topics = [], []
    if not query.text:
        return {"experts": experts, "topics": topics}
    public_experts = Expert.objects.public()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT object_id FROM claims_searchentry WHERE kind = 'expert' AND public "
                "AND word_similarity(%s, name_keys) > 0.3 "
                "ORDER BY word_similarity(%s, name_keys) DESC, object_id LIMIT %s",
                [key, key, limit],
            )
            expert_ids = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                "SELECT id FROM claims_topic WHERE word_similarity(%s, lower(title)) > 0.3 "
                "ORDER BY word_similarity(%s, lower(title)) DESC, id LIMIT %s",
                [query.text.lower(), query.text.lower(), limit],
            )
            topic_ids = [row[0] for row in cursor.fetchall()]
        by_pk = public_experts.in_bulk(expert_ids)
        experts = [by_pk[pk] for pk in expert_ids if pk in by_pk]
        topics_by_pk = Topic.objects.in_bulk(topic_ids)
        topics = [topics_by_pk[pk] for pk in topic_ids]
    else:
        experts = list(public_experts.named_like(query.text).order_by("display_name")[:limit])
        words = {w for term in query.terms for w in term.words if len(w) >= 4}
        if words:
            from django.db.models import Q

            any_word = Q()
            for word in words:
                any_word |= Q(title__icontains=word[:5])
            topics = list(Topic.objects.filter(any_word).order_by("title")[:limit])
    return {"experts": experts, "topics": topics}
