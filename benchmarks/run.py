"""The peer benchmarks in one go: one table of ratios measured in the same run, with goals.

    .venv/bin/pip install -q --require-hashes -r requirements-bench.lock   # Datasette, once
    .venv/bin/python benchmarks/run.py                 # or: make bench
    .venv/bin/python benchmarks/run.py --seconds 10 --profile
    .venv/bin/python benchmarks/run.py --search-database-url postgres://postgres@127.0.0.1:5432/kb_corpus

Every ratio compares two things measured in the same run on the same machine, in alternating
rounds, so the load of the moment cancels out as far as it can; the absolute rates are for
context only.

Over loopback HTTP, on the throwaway SQLite file benchmarks/api_claims.py builds (--claims
published claims with speakers, topics, provisions and quotes) and with its servers — Django
(local settings, DEBUG off, Django's threaded WSGI server) with a constant-response view
behind the same middleware, a second such server with PUBLIC_CACHE_SECONDS=0 (no cached page
fragments, no kept API responses: every request rendered from the database), and Datasette
on the same file — a few client threads (--concurrency) request each URL over kept-alive
connections, --seconds per URL split into --rounds rounds that take every URL in turn:

- the claims API's first page (`/api/v1/claims/?page_size=50`) against Datasette serving the
  same 50 claims (goal: at least 1.0× Datasette's requests per second), both as its canned
  query nesting the API's content and as its flat table JSON, and against the constant view
  (goal ≥ 0.5×); each with the cache on (as deployed) and off;
- a topic page (1000 claims on the topic) against the constant view (goal ≥ 0.3×), with its
  fragments cached (as readers get it) and with the cache off;
- a deep cursor page of the claims API (`next` followed --deep pages) against the first page
  (goal: at most 1.2× its time per request), cache off;
- a 304 (If-None-Match with the page's ETag) against the full 200 of the same URL (goal: at
  most 0.2× its time), cache off — with the cache on, both are answered from it.

Then, in a subprocess on PostgreSQL (the production engine): `claims.search.search()` —
the whole result page: parsing, facets and total, the ranked page, snippets, records —
against the bare ranked SELECT … WHERE … ORDER BY rank LIMIT 20 it runs, through a raw cursor
(goal: at most 2× its time), over benchmarks/search.py's twenty queries (median of the
per-query ratios). The database is --search-database-url, else a throwaway one with the demo
and a small generated corpus (--search-articles, --search-claims) on 127.0.0.1:5432.

With --profile, each missed goal's Django side is profiled (cProfile through the test client,
in this process) and the top entries printed. Exit status 0 whatever the goals: it measures.
"""

import argparse
import cProfile
import http.client
import io
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import api_claims  # noqa: E402
from benchmarks.api_claims import (  # noqa: E402
    API_URL,
    CONSTANT_URL,
    DATABASE_NAME,
    DATASETTE_NESTED_URL,
    DATASETTE_TABLE_URL,
    HOST,
    NESTED_CLAIMS_SQL,
    claim_ids,
    free_port,
    get,
    wait_until_up,
)

TOPIC_URL = "/topics/benchmark-topic-0/"
SEARCH_ARTICLES = 300
SEARCH_CLAIMS = 3000


# --- The client ---------------------------------------------------------------------------


def hammer(port, url, seconds, concurrency, headers=None, expect=200):
    """(requests, seconds) of GET `url` (with `headers`), each answer `expect`ed, from
    `concurrency` threads over kept-alive connections. api_claims.hammer with headers and
    another expected status, so a 304 and its 200 go through the same client."""
    counts = [0] * concurrency
    failures = []
    barrier = threading.Barrier(concurrency + 1)

    def client(index):
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        barrier.wait()
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            connection.request("GET", url, headers=headers or {})
            response = connection.getresponse()
            response.read()
            if response.status != expect:
                failures.append(response.status)
                break
            counts[index] += 1
            if response.will_close:
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if failures:
        sys.exit(f"GET {url} answered {failures[0]}, not {expect}, under load.")
    return sum(counts), elapsed


def response_of(port, url, headers=None):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", url, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def deep_cursor_url(port, pages):
    """The claims API URL reached by following `next` from the first page `pages` times."""
    url = API_URL
    for _ in range(pages):
        status, body = get(port, url)
        following = json.loads(body).get("next") if status == 200 else None
        if not following:
            sys.exit(f"The claims API has fewer than {pages + 1} pages: raise --claims.")
        parts = urlsplit(following)
        url = f"{parts.path}?{parts.query}"
    return url


# --- Search, in a subprocess on PostgreSQL ------------------------------------------------


def measure_search(repeats, profile):
    """Print one JSON line: per query, search() and its bare statement, in milliseconds."""
    from benchmarks import search as search_benchmark

    rows = []
    for label, text in search_benchmark.queries():
        statement = search_benchmark.bare_statement(text)
        if statement is None:
            continue
        found = search_benchmark.search(text)
        whole = search_benchmark.timed(lambda t=text: search_benchmark.search(t), repeats)
        bare = search_benchmark.timed(lambda s=statement: search_benchmark.run_sql(s), repeats)
        rows.append(
            {
                "label": label,
                "text": text,
                "hits": found.total,
                "search_ms": statistics.median(whole) * 1000,
                "bare_ms": statistics.median(bare) * 1000,
            }
        )
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(3):
            for _, text in search_benchmark.queries():
                search_benchmark.search(text)
        profiler.disable()
        print_profile(profiler, "search() over the twenty queries, three times", file=sys.stderr)
    from django.db import connection

    print(json.dumps({"database": connection.settings_dict["NAME"], "queries": rows}))


def run_search_subprocess(options, environment):
    arguments = [sys.executable, __file__, "--measure-search", "--search-repeats", "5"]
    if options.profile:
        arguments.append("--profile")
    result = subprocess.run(
        arguments, cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )
    sys.stderr.write(result.stderr)
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            return json.loads(line)
    sys.exit(f"The search measurement failed ({result.returncode}):\n{result.stdout}")


def search_results(options):
    """The search measurement on --search-database-url, or on a throwaway PostgreSQL database."""
    from benchmarks.load import throwaway_database

    environment = dict(os.environ)
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.local", DEBUG="0")
    environment.pop("REDIS_URL", None)
    if options.search_database_url:
        return run_search_subprocess(
            options, environment | {"DATABASE_URL": options.search_database_url}
        )
    with throwaway_database(
        environment,
        keep=False,
        articles=options.search_articles,
        claims=options.search_claims,
        prefix="kb_bench",
    ) as url:
        return run_search_subprocess(options, environment | {"DATABASE_URL": url})


# --- Profiles -----------------------------------------------------------------------------


def print_profile(profiler, title, file=sys.stdout, top=25):
    for order in ("cumulative", "tottime"):
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text)
        stats.strip_dirs().sort_stats(order).print_stats(top)
        lines = text.getvalue().splitlines()
        start = next((n for n, line in enumerate(lines) if line.strip().startswith("ncalls")), 0)
        print(f"\n--- Profile: {title}, by {order} ---", file=file)
        print("\n".join(lines[start:]), file=file)


def profile_view(url, conditional=None, note="", requests=30):
    """cProfile of `requests` GETs of `url` through Django's test client, in this process;
    with `conditional`, each with If-None-Match the first answer's ETag."""
    from django.test import Client

    client = Client(SERVER_NAME="localhost")
    first = client.get(url)
    headers = {"if-none-match": first["ETag"]} if conditional else {}
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(url, headers=headers)
    profiler.disable()
    print_profile(
        profiler, f"{requests} × GET {url}{' with If-None-Match' if conditional else ''}{note}"
    )


# --- Main ---------------------------------------------------------------------------------


def start_django(port, **environment):
    process = subprocess.Popen(
        [sys.executable, api_claims.__file__, "--serve", str(port)],
        cwd=ROOT,
        env=os.environ | environment,
    )
    return process


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=2000, help="claims in the SQLite file")
    parser.add_argument("--seconds", type=float, default=5.0, help="time per URL (5)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds the time is split in (5)")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (4)")
    parser.add_argument("--deep", type=int, default=30, help="cursor pages to follow (30)")
    parser.add_argument("--search-database-url", help="a PostgreSQL database with a corpus")
    parser.add_argument("--search-articles", type=int, default=SEARCH_ARTICLES)
    parser.add_argument("--search-claims", type=int, default=SEARCH_CLAIMS)
    parser.add_argument("--no-search", action="store_true", help="skip the search comparison")
    parser.add_argument("--profile", action="store_true", help="profile each missed goal")
    parser.add_argument("--measure-search", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--search-repeats", type=int, default=5, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure_search:
        return measure_search(options.search_repeats, options.profile)
    if shutil.which("datasette", path=Path(sys.executable).parent) is None:
        sys.exit(
            "Datasette is missing: .venv/bin/pip install -q --require-hashes "
            "-r requirements-bench.lock"
        )

    # Search first: it needs a database of its own, and this process then keeps SQLite.
    search = None
    if not options.no_search:
        print("Search on PostgreSQL…", flush=True)
        search = search_results(options)

    workdir = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    database = workdir / f"{DATABASE_NAME}.sqlite3"
    # As benchmarks/api_claims.py: local settings, debug off, the anonymous throttle out of
    # the way; read by this process and by the servers.
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DEBUG="0",
        DATABASE_URL=f"sqlite:///{database}",
        API_ANON_THROTTLE_RATE="100000000/min",
    )
    os.environ.pop("REDIS_URL", None)
    servers = []
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        print(f"Building {database} with {options.claims} claims…", flush=True)
        call_command("migrate", verbosity=0)
        api_claims.build(options.claims)
        connection.close()
        metadata = workdir / "metadata.json"
        metadata.write_text(
            json.dumps(
                {
                    "databases": {
                        DATABASE_NAME: {"queries": {"claims_page": {"sql": NESTED_CLAIMS_SQL}}}
                    }
                }
            )
        )

        django_port, uncached_port, datasette_port = free_port(), free_port(), free_port()
        servers.append(start_django(django_port))
        servers.append(start_django(uncached_port, PUBLIC_CACHE_SECONDS="0"))
        servers.append(
            subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "datasette"),
                    "serve",
                    "-i",
                    str(database),
                    "-h",
                    HOST,
                    "-p",
                    str(datasette_port),
                    "-m",
                    str(metadata),
                    "--setting",
                    "sql_time_limit_ms",
                    "10000",
                    "--setting",
                    "suggest_facets",
                    "off",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        wait_until_up(servers[0], django_port, CONSTANT_URL, "Django")
        wait_until_up(servers[1], uncached_port, CONSTANT_URL, "Django (cache off)")
        wait_until_up(servers[2], datasette_port, DATASETTE_TABLE_URL, "Datasette")

        _, api_body = get(django_port, API_URL)
        expected = claim_ids(api_body, "results")
        for url in (DATASETTE_TABLE_URL, DATASETTE_NESTED_URL):
            status, body = get(datasette_port, url)
            if status != 200 or claim_ids(body, "rows") != expected:
                sys.exit(f"Datasette's {url} does not answer the API's first page of claims.")
        deep_url = deep_cursor_url(uncached_port, options.deep)
        # Each server has its own public generation, part of every ETag.
        _, headers, _ = response_of(uncached_port, API_URL)
        etag = headers["ETag"]
        for port, url in ((django_port, TOPIC_URL), (uncached_port, TOPIC_URL)):
            if get(port, url)[0] != 200:
                sys.exit(f"{url} does not answer 200.")

        runs = [
            ("constant view", django_port, CONSTANT_URL, None, 200),
            ("claims API", django_port, API_URL, None, 200),
            ("claims API, cache off", uncached_port, API_URL, None, 200),
            ("datasette nested", datasette_port, DATASETTE_NESTED_URL, None, 200),
            ("datasette table", datasette_port, DATASETTE_TABLE_URL, None, 200),
            ("topic page", django_port, TOPIC_URL, None, 200),
            ("topic page, cache off", uncached_port, TOPIC_URL, None, 200),
            ("deep cursor page, cache off", uncached_port, deep_url, None, 200),
            ("claims API 304, cache off", uncached_port, API_URL, {"If-None-Match": etag}, 304),
        ]
        for _, port, url, headers, _ in runs:
            response_of(port, url, headers)  # warm up
        # Round after round of every URL in turn: a change in the machine's load meets every
        # URL alike instead of spoiling the one measured while it lasted.
        totals = {name: [0, 0.0] for name, *_ in runs}
        for round_ in range(options.rounds):
            print(f"  round {round_ + 1} of {options.rounds}…", flush=True)
            for name, port, url, headers, expect in runs:
                count, elapsed = hammer(
                    port,
                    url,
                    options.seconds / options.rounds,
                    options.concurrency,
                    headers,
                    expect,
                )
                totals[name][0] += count
                totals[name][1] += elapsed
        rates = {name: count / elapsed for name, (count, elapsed) in totals.items()}
    finally:
        for server in servers:
            server.terminate()
            server.wait()

    # (comparison, measured, baseline, ratio, goal text, met, unit of the ratio)
    rows = []

    def rate_goal(label, name, baseline, minimum):
        ratio = rates[name] / rates[baseline]
        rows.append(
            (
                label,
                f"{rates[name]:.0f}/s",
                f"{rates[baseline]:.0f}/s",
                ratio,
                f"≥ {minimum:g}× req/s",
                ratio >= minimum,
            )
        )

    def time_goal(label, name, baseline, maximum):
        ratio = rates[baseline] / rates[name]  # time per request = 1 / rate
        rows.append(
            (
                label,
                f"{1000 / rates[name]:.1f} ms",
                f"{1000 / rates[baseline]:.1f} ms",
                ratio,
                f"≤ {maximum:g}× time",
                ratio <= maximum,
            )
        )

    for api, note in (("claims API", ""), ("claims API, cache off", ", cache off")):
        rate_goal(f"claims API / Datasette nested{note}", api, "datasette nested", 1.0)
        rate_goal(f"claims API / Datasette table{note}", api, "datasette table", 1.0)
        rate_goal(f"claims API / constant view{note}", api, "constant view", 0.5)
    rate_goal("topic page / constant view", "topic page", "constant view", 0.3)
    rate_goal(
        "topic page / constant view, cache off", "topic page, cache off", "constant view", 0.3
    )
    time_goal(
        f"cursor page {options.deep + 1} / first page, cache off",
        "deep cursor page, cache off",
        "claims API, cache off",
        1.2,
    )
    time_goal("304 / 200, cache off", "claims API 304, cache off", "claims API, cache off", 0.2)
    if search:
        ratios = [q["search_ms"] / q["bare_ms"] for q in search["queries"] if q["bare_ms"]]
        ratio = statistics.median(ratios)
        whole = statistics.median(q["search_ms"] for q in search["queries"])
        bare = statistics.median(q["bare_ms"] for q in search["queries"])
        rows.append(
            (
                "search() / its bare SQL (median of 20 queries)",
                f"{whole:.1f} ms",
                f"{bare:.1f} ms",
                ratio,
                "≤ 2× time",
                ratio <= 2.0,
            )
        )

    print(
        f"\nSQLite file with {options.claims} claims, {options.concurrency} client threads, "
        f"{options.seconds:g} s per URL; Django local settings (DEBUG off) on its threaded WSGI "
        f"server; search on PostgreSQL ({search['database'] if search else 'skipped'})\n"
    )
    print(f"{'comparison':<48} {'measured':>10} {'baseline':>10} {'ratio':>7}  {'goal':<14} result")
    for label, measured, baseline, ratio, goal, met in rows:
        print(
            f"{label:<48} {measured:>10} {baseline:>10} {ratio:>6.2f}×  {goal:<14} "
            f"{'MET' if met else 'MISSED'}"
        )
    print(
        "\n“cache off”: the second Django server, PUBLIC_CACHE_SECONDS=0 — no page fragments "
        "and no kept API responses, every request rendered from the database."
    )
    if search:
        print("\nSearch, per query (ms): search() / bare statement")
        for q in search["queries"]:
            print(
                f"  {q['label']:<30} {q['search_ms']:>7.1f} {q['bare_ms']:>7.1f} "
                f"{q['search_ms'] / q['bare_ms']:>6.1f}×  {q['hits']:>6} hits  {q['text']}"
            )

    if options.profile:
        from django.test import override_settings

        missed = [label for label, *_, met in rows if not met]
        profiles = [
            ("claims API /", API_URL, None),
            ("topic page /", TOPIC_URL, None),
            ("cursor page", deep_url, None),
            ("304", API_URL, "etag"),
        ]
        for start, url, conditional in profiles:
            for cache_off in (False, True):
                if not any(
                    label.startswith(start) and label.endswith("cache off") == cache_off
                    for label in missed
                ):
                    continue
                with override_settings(PUBLIC_CACHE_SECONDS=0 if cache_off else 300):
                    profile_view(url, conditional=conditional, note=", cache off" * cache_off)
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
