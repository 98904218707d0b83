"""How fast is search on a big corpus? A benchmark, not a test.

    DATABASE_URL=postgres://…/kb_corpus .venv/bin/python benchmarks/search.py [--repeats 5]
    DATABASE_URL=… .venv/bin/python benchmarks/search.py --explain 'China'

Runs on the database DATABASE_URL names as it is (PostgreSQL only; fill it first with
`manage.py generate_corpus --articles 100000 --claims 1000000`), writing nothing. Twenty
representative queries — rare and common words, phrases, names in Latin and Cyrillic spellings
and misspelled, Ukrainian and Russian word forms, an English plural, an exclusion, an OR, a name
with topic words — each go through:

- `claims.search.search()`: the whole result page (parsing, the tsquery, facets and total, the
  ranked page, snippets, loading the records), `--repeats` times after one warm-up run, with
  the facet cache off (PUBLIC_CACHE_SECONDS=0: what a new search costs); and again with it on
  (the "cached" column: the next page of the same search, facets read from the cache);
- the bare search statement: the same SELECT … WHERE … ORDER BY rank LIMIT 20 that search()
  runs, built from the engine's where() and rank(), through a raw cursor, without facets,
  snippets or records — what the ranked page costs in the database alone;
- an ILIKE scan: the public claims (summary or a quote), articles (title, standfirst, body) and
  experts (name or a name variant) holding every word (`%word%`, a phrase as its words in a
  row, `-word` excluded, `or` either), all matches counted as a result page's total needs —
  the search a site without a full-text index would run; once per query (`--ilike-repeats`).

It prints each query's median and 95th percentile, its ratios to the bare statement and to the
ILIKE scan, then the overall percentiles and the sizes of the search table and its indexes.
Compare runs on one machine; the figures depend on the cache as much as on the code.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "0")  # no query log growing through thousands of queries

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from claims.corpus import PREFIX  # noqa: E402
from claims.models import SearchEntry  # noqa: E402
from claims.search.engines import engine  # noqa: E402
from claims.search.results import PER_PAGE, parse, search  # noqa: E402
from core.models import PUBLIC_STATUSES  # noqa: E402
from experts.models import Expert  # noqa: E402

SIZES_SQL = """
SELECT c.relname, pg_relation_size(c.oid), pg_size_pretty(pg_relation_size(c.oid))
FROM pg_class c
WHERE c.relname IN ('claims_searchentry', 'search_entry_document', 'search_entry_name_keys',
                    'search_entry_public_kind', 'claims_searchentry_topics')
ORDER BY pg_relation_size(c.oid) DESC
"""
TOTALS_SQL = """
SELECT pg_size_pretty(pg_table_size('claims_searchentry')),
       pg_size_pretty(pg_indexes_size('claims_searchentry')),
       pg_size_pretty(pg_total_relation_size('claims_searchentry')),
       pg_size_pretty(pg_database_size(current_database()))
"""


def refuse(message):
    print(f"benchmarks/search.py: {message}", file=sys.stderr)
    sys.exit(2)


def prolific_expert():
    """The generated expert with the most claims, whose spellings the name queries use."""
    expert = (
        Expert.objects.filter(slug__startswith=PREFIX)
        .with_claim_counts()
        .order_by("-claim_count", "pk")
        .prefetch_related("name_variants")
        .first()
    )
    if expert is None:
        return None, []
    return expert, [variant.name for variant in expert.name_variants.all()]


def misspelled(word):
    """`word` with its last vowel changed, the kind of slip a reader makes."""
    vowels = "aeiouy"
    for position in range(len(word) - 1, 0, -1):
        if word[position] in vowels:
            other = "a" if word[position] != "a" else "o"
            return word[:position] + other + word[position + 1 :]
    return word + "e"


def queries():
    """(label, query text): twenty queries a reader of this corpus would type."""
    expert, variants = prolific_expert()
    if expert is not None:
        cyrillic = [n for n in variants if any("а" <= c.lower() <= "я" for c in n)]
        latin = [n for n in variants if n not in cyrillic and "." not in n]
        surname = expert.display_name.split()[-1]
        latin_variant = latin[0] if latin else expert.display_name
        cyrillic_variant = cyrillic[-1] if cyrillic else expert.display_name
    else:  # the demo data alone
        surname, latin_variant, cyrillic_variant = "Musienko", "Alexander Musienko", "Мусієнко"
    return [
        ("rare word", "Hamhung"),
        ("common word", "China"),
        ("phrase", '"military cooperation"'),
        ("name, another Latin spelling", latin_variant),
        ("name, Cyrillic", cyrillic_variant),
        ("misspelled name", misspelled(surname)),
        ("name + topic words", f"{surname} sanctions"),
        ("demo name + topic words", "Musiienko China leverage"),
        ("Ukrainian word", "прикордонну"),
        ("Ukrainian phrase", '"військову співпрацю"'),
        ("Russian inflected word", "договором"),
        ("Russian inflected word 2", "санкций"),
        ("English plural", "missiles"),
        ("exclusion", "sanctions -China"),
        ("OR", "Rason or Dandong"),
        ("several words", "North Korean workers"),
        ("provision words", "Article 4 treaty"),
        ("topic words", "artillery shells"),
        ("stop word + word", "the Kremlin"),
        ("no match", "zeppelin"),
    ]


def timed(function, repeats):
    function()  # warm-up: plans, caches
    durations = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        durations.append(time.perf_counter() - started)
    return durations


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def bare_statement(text):
    """(sql, params) of the ranked page search() runs for `text`, or None if none is run."""
    query = parse(text)
    searcher = engine()
    if not query.searchable or not searcher.prepare(query):
        return None
    where, where_params = searcher.where(query)
    rank, rank_params = searcher.rank(query)
    sql = (
        f"SELECT e.id, e.kind, e.object_id, {rank} AS rank FROM claims_searchentry e "
        f"WHERE e.public AND {where} ORDER BY rank DESC, e.id LIMIT %s OFFSET %s"
    )
    return sql, [*rank_params, *where_params, PER_PAGE, 0]


def like_pattern(words):
    escaped = " ".join(words).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def ilike_statement(text):
    """(sql, params) counting the public records an ILIKE scan finds for `text`."""
    query = parse(text)
    if not query.searchable:
        return None
    sources = {
        "claim": (
            f"claims_claim c WHERE c.status IN ({', '.join(['%s'] * len(PUBLIC_STATUSES))})",
            "(c.summary ILIKE %s OR EXISTS (SELECT 1 FROM claims_quote q "
            "WHERE q.claim_id = c.id AND q.text ILIKE %s))",
            2,
        ),
        "article": (
            f"articles_article c WHERE c.status IN ({', '.join(['%s'] * len(PUBLIC_STATUSES))})",
            "(c.title ILIKE %s OR c.standfirst ILIKE %s OR c.body ILIKE %s)",
            3,
        ),
        "expert": (
            "experts_expert c WHERE TRUE",
            "(c.display_name ILIKE %s OR EXISTS (SELECT 1 FROM experts_namevariant v "
            "WHERE v.expert_id = c.id AND v.name ILIKE %s))",
            2,
        ),
    }
    selects, params = [], []
    for source, condition, repeats in sources.values():
        clauses, clause_params = [], []
        for clause in query.clauses:
            alternatives = []
            for term in clause:
                sql = f"NOT {condition}" if term.negated else condition
                alternatives.append(sql)
                clause_params.extend([like_pattern(term.words)] * repeats)
            clauses.append("(" + " OR ".join(alternatives) + ")")
        selects.append(f"SELECT c.id FROM {source} AND " + " AND ".join(clauses))
        if "status IN" in source:
            params.extend(PUBLIC_STATUSES)
        params.extend(clause_params)
    return "SELECT count(*) FROM (" + " UNION ALL ".join(selects) + ") AS found", [
        str(p) for p in params
    ]


def run_sql(statement):
    sql, params = statement
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def explain(text, slowest=2):
    """Each statement search() runs for `text` with its time, then the plans of the slowest."""
    with override_settings(PUBLIC_CACHE_SECONDS=0), CaptureQueriesContext(connection) as captured:
        search(text)
    statements = [(float(q["time"]), q["sql"]) for q in captured.captured_queries]
    print(f"search({text!r}) ran {len(statements)} statements:")
    for seconds, sql in statements:
        print(f"  {seconds * 1000:9.1f} ms  {' '.join(sql.split())[:110]}")
    with connection.cursor() as cursor:
        for seconds, sql in sorted(statements, reverse=True)[:slowest]:
            print(f"\nEXPLAIN (ANALYZE, BUFFERS) of the {seconds * 1000:.0f} ms statement:")
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            print("\n".join(row[0] for row in cursor.fetchall()))


def sizes():
    with connection.cursor() as cursor:
        cursor.execute(SIZES_SQL)
        relations = cursor.fetchall()
        cursor.execute(TOTALS_SQL)
        table, indexes, total, database = cursor.fetchone()
    print("\nSizes")
    for name, _, pretty in relations:
        print(f"  {name:<28} {pretty:>10}")
    print(f"  {'table with TOAST':<28} {table:>10}")
    print(f"  {'all its indexes':<28} {indexes:>10}")
    print(f"  {'table + indexes':<28} {total:>10}")
    print(f"  {'whole database':<28} {database:>10}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per query (5)")
    parser.add_argument(
        "--ilike-repeats", type=int, default=1, help="timed ILIKE scans per query (1)"
    )
    parser.add_argument(
        "--explain",
        metavar="QUERY",
        help="time each statement search() runs for QUERY, EXPLAIN ANALYZE the slowest, stop",
    )
    options = parser.parse_args()

    if connection.vendor != "postgresql":
        refuse(
            "the search benchmark measures PostgreSQL's full-text search; set DATABASE_URL "
            "to a PostgreSQL database filled by `manage.py generate_corpus`."
        )
    if not SearchEntry.objects.exists():
        refuse(
            "the search index is empty; fill the database first (`manage.py generate_corpus "
            "--articles 100000 --claims 1000000`, or `manage.py reindex_search`)."
        )
    if options.explain:
        explain(options.explain)
        return

    entries = SearchEntry.objects.count()
    public = SearchEntry.objects.filter(public=True).count()
    print(f"{connection.settings_dict['NAME']}: {entries:,} search entries ({public:,} public)")
    print(
        f"{options.repeats} timed runs per query after a warm-up; ILIKE ×{options.ilike_repeats}\n"
    )
    header = (
        f"{'query':<30} {'hits':>8} {'p50 ms':>8} {'p95 ms':>8} {'cached':>7} {'bare ms':>8} "
        f"{'×bare':>6} {'ILIKE ms':>9} {'×ILIKE':>7}  text"
    )
    print(header)
    all_search, all_cached, all_bare, ratios_bare, ratios_ilike = [], [], [], [], []
    for label, text in queries():
        with override_settings(PUBLIC_CACHE_SECONDS=0):
            results = search(text)
            durations = timed(lambda text=text: search(text), options.repeats)
        cached = timed(lambda text=text: search(text), options.repeats)
        statement = bare_statement(text)
        bare = timed(lambda s=statement: run_sql(s), options.repeats) if statement else [0.0]
        like = ilike_statement(text)
        ilike = timed(lambda s=like: run_sql(s), options.ilike_repeats) if like else [0.0]
        p50, p95 = statistics.median(durations), percentile(durations, 0.95)
        bare50, ilike50 = statistics.median(bare), statistics.median(ilike)
        all_search.extend(durations)
        all_cached.extend(cached)
        all_bare.extend(bare)
        to_bare = p50 / bare50 if bare50 else float("nan")
        to_ilike = p50 / ilike50 if ilike50 else float("nan")
        if bare50:
            ratios_bare.append(to_bare)
        if ilike50:
            ratios_ilike.append(to_ilike)
        print(
            f"{label:<30} {results.total:>8} {p50 * 1000:>8.1f} {p95 * 1000:>8.1f} "
            f"{statistics.median(cached) * 1000:>7.1f} {bare50 * 1000:>8.1f} {to_bare:>6.1f} "
            f"{ilike50 * 1000:>9.0f} {to_ilike:>7.3f}  {text}"
        )
    print(
        f"\nsearch(): p50 {statistics.median(all_search) * 1000:.1f} ms, "
        f"p95 {percentile(all_search, 0.95) * 1000:.1f} ms over {len(all_search)} runs; "
        f"bare statement p50 {statistics.median(all_bare) * 1000:.1f} ms, "
        f"p95 {percentile(all_bare, 0.95) * 1000:.1f} ms"
    )
    print(
        f"search() with the facet cache warm: p50 {statistics.median(all_cached) * 1000:.1f} ms, "
        f"p95 {percentile(all_cached, 0.95) * 1000:.1f} ms"
    )
    print(
        f"median ratio to the bare statement {statistics.median(ratios_bare):.1f}×, "
        f"to the ILIKE scan {statistics.median(ratios_ilike):.3f}×"
    )
    sizes()


if __name__ == "__main__":
    main()
