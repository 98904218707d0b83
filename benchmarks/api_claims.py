"""How fast is the claims API next to Django doing nothing, and next to Datasette? A benchmark.

    .venv/bin/pip install -q --require-hashes -r requirements-bench.lock   # adds Datasette
    .venv/bin/python benchmarks/api_claims.py [--claims 2000] [--seconds 5] [--concurrency 4]

Builds a throwaway SQLite file with `--claims` published claims by 20 experts (each with an
affiliation), every claim on two topics with a stance, every third citing a treaty provision,
each quoted once in one of 20 articles from 2 outlets. Then serves that one file twice over
loopback HTTP, each server in its own process:

- Django (the project's local settings with DEBUG off, on Django's threaded WSGI server — the
  one `runserver` uses — without the autoreloader), answering
  `/api/v1/claims/?page_size=50` and a constant-response view behind the same middleware;
- Datasette (`datasette serve -i`, immutable mode, its usual way to publish a file), answering
  the same 50 claims as JSON in two ways:
  * `datasette table`: the claims table's own JSON (`/bench/claims_claim.json`), published rows,
    newest first, 50 per page, with the speaker's name joined by Datasette's foreign-key labels
    — a flat row per claim, the way Datasette serves any table;
  * `datasette nested`: a canned SQL query returning the API's shape in one statement — each
    claim with its speaker (name, slug, role at the time), topics (slug, title, stance), cited
    provisions (treaty, address, relation) and published quotes (text, article, outlet, date),
    nested with SQLite's JSON functions. It lacks the API's absolute `url`/`html_url` links,
    the pagination envelope, HTTP caching and throttling.

A few threads (`--concurrency`) each request one URL over a kept-alive connection for
`--seconds`; the script prints requests per second and each rate divided by the constant
view's and by the API's. It checks that every answer is a 200 and that both Datasette URLs
return the API's first page of claims (the same ids in the same order). A measurement to
compare runs on one machine, not a test with a threshold.
"""

import argparse
import datetime
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EXPERTS = 20
ARTICLES = 20
PAGE_SIZE = 50
HOST = "127.0.0.1"
DATABASE_NAME = "bench"  # Datasette names a database after its file: bench.sqlite3 → /bench/
API_URL = f"/api/v1/claims/?page_size={PAGE_SIZE}"
CONSTANT_URL = "/__constant__/"

# The page's 50 claims are picked first, so the nested columns are built for those rows only.
NESTED_CLAIMS_SQL = """
with page as (
  select id from claims_claim
  where status in ('published', 'corrected')
  order by created desc, id desc
  limit 50
)
select
  c.id,
  c.summary,
  c.kind,
  c.made_on,
  c.made_precision,
  c.created,
  c.updated,
  json_object(
    'id', e.id,
    'slug', e.slug,
    'name', e.display_name,
    'role', json((
      select json_object('title', a.role_title, 'organization', o.name)
      from experts_affiliation a join experts_organization o on o.id = a.organization_id
      where a.expert_id = e.id
        and (a.start_date is null or a.start_date <= c.made_on)
        and (a.end_date is null or a.end_date >= c.made_on)
      order by a.start_date desc
      limit 1
    ))
  ) as speaker,
  (
    select json_group_array(json_object('slug', t.slug, 'title', t.title, 'stance', ct.stance))
    from claims_claimtopic ct join claims_topic t on t.id = ct.topic_id
    where ct.claim_id = c.id
  ) as topics,
  (
    select json_group_array(json_object(
      'treaty', tr.slug, 'address', p.address, 'number', p.number, 'relation', cp.relation
    ))
    from claims_claimprovision cp
      join claims_provision p on p.id = cp.provision_id
      join claims_treaty tr on tr.id = p.treaty_id
    where cp.claim_id = c.id
  ) as provisions,
  (
    select json_group_array(json_object(
      'id', q.id, 'text', q.text, 'article', ar.title, 'article_slug', ar.slug,
      'outlet', ou.name, 'published_on', ar.published_on
    ))
    from claims_quote q
      join articles_article ar on ar.id = q.article_id
      join articles_outlet ou on ou.id = ar.outlet_id
    where q.claim_id = c.id and ar.status in ('published', 'corrected')
  ) as quotes
from page
  join claims_claim c on c.id = page.id
  join experts_expert e on e.id = c.speaker_id
order by c.created desc, c.id desc
"""

DATASETTE_TABLE_URL = f"/{DATABASE_NAME}/claims_claim.json?" + urlencode(
    {
        "status__in": "published,corrected",
        "_sort_desc": "created",
        "_size": PAGE_SIZE,
        "_labels": "on",
        "_shape": "objects",
        "_nocount": 1,  # the API's cursor pages do not count either
    }
)
# `_json` makes Datasette send the JSON the query built as JSON, not as strings.
DATASETTE_NESTED_URL = f"/{DATABASE_NAME}/claims_page.json?" + urlencode(
    [("_shape", "objects")]
    + [("_json", column) for column in ("speaker", "topics", "provisions", "quotes")]
)


# --- Django server mode: `api_claims.py --serve PORT`, started by the benchmark itself -------


def constant(request):
    from django.http import HttpResponse

    return HttpResponse(b'{"detail": "A constant response."}', content_type="application/json")


def serve_django(port):
    """Serve the site plus the constant view on Django's threaded WSGI server until killed."""
    import socketserver
    import warnings

    import django

    django.setup()
    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
    from django.core.wsgi import get_wsgi_application
    from django.test.utils import override_settings
    from django.urls import include, path

    global urlpatterns
    # The site's own URLs plus the baseline, so every request goes through the same middleware.
    urlpatterns = [
        path(CONSTANT_URL.strip("/") + "/", constant),
        path("", include("config.urls")),
    ]
    override_settings(ROOT_URLCONF=__name__).enable()
    # Static files are not collected for the benchmark and not requested.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

    class RequestHandler(WSGIRequestHandler):
        # Without it each kept-alive response waits ~40 ms for the client's delayed ACK
        # (Nagle's algorithm meets the separate writes of headers and body).
        disable_nagle_algorithm = True

        def log_message(self, format, *args):
            pass  # no line per request

    # What `runserver` runs (django.core.servers.basehttp.run), with the handler above.
    server_class = type("WSGIServer", (socketserver.ThreadingMixIn, WSGIServer), {})
    server = server_class((HOST, port), RequestHandler)
    server.daemon_threads = True
    server.set_app(get_wsgi_application())
    server.serve_forever()


# --- The data -----------------------------------------------------------------------------


def build(claim_count):
    """`claim_count` published claims with speakers, topics, provisions and quotes."""
    from articles.models import Article, Language, Outlet
    from claims.models import (
        Claim,
        ClaimProvision,
        ClaimTopic,
        Provision,
        Quote,
        Stance,
        Topic,
        Treaty,
        locate,
    )
    from core.models import DatePrecision, PublicationStatus
    from experts.models import Affiliation, Expert, Organization

    published = PublicationStatus.PUBLISHED
    outlets = Outlet.objects.bulk_create(
        Outlet(name=f"Benchmark Outlet {n}", slug=f"benchmark-outlet-{n}") for n in range(2)
    )
    organization = Organization.objects.create(name="Benchmark Institute", slug="benchmark")
    experts = Expert.objects.bulk_create(
        Expert(display_name=f"Benchmark Expert {n:02d}", slug=f"benchmark-expert-{n:02d}")
        for n in range(EXPERTS)
    )
    Affiliation.objects.bulk_create(
        Affiliation(expert=expert, organization=organization, role_title="Analyst")
        for expert in experts
    )
    topics = Topic.objects.bulk_create(
        Topic(title=f"Benchmark topic {n}", slug=f"benchmark-topic-{n}", question="Does it?")
        for n in range(4)
    )
    treaty = Treaty.objects.create(
        title="Benchmark treaty",
        short_name="Benchmark Treaty",
        slug="benchmark-treaty",
        parties="A\nB",
    )
    provisions = Provision.objects.bulk_create(
        Provision(treaty=treaty, number=f"Article {n}", address=f"art_{n}", order=n)
        for n in range(1, 6)
    )

    sentences = [
        f"Leverage point {n:05d} decides what China does next." for n in range(claim_count)
    ]
    articles = Article.objects.bulk_create(
        Article(
            title=f"Benchmark article {a}",
            slug=f"benchmark-article-{a}",
            outlet=outlets[a % len(outlets)],
            published_on=datetime.date(2024, 6, 1) - datetime.timedelta(days=7 * a),
            published_precision=DatePrecision.DAY,
            language=Language.ENGLISH,
            body="\n\n".join(
                f"An expert said: “{sentence}” Then more context."
                for sentence in sentences[a::ARTICLES]
            ),
            status=published,
        )
        for a in range(ARTICLES)
    )
    kinds = [Claim.Kind.ASSESSMENT, Claim.Kind.FACTUAL, Claim.Kind.RECOMMENDATION]
    stances = list(Stance)
    claims = Claim.objects.bulk_create(
        Claim(
            speaker=experts[n % EXPERTS],
            summary=f"Claim {n:05d}: China's leverage matters.",
            kind=kinds[n % len(kinds)],
            made_on=articles[n % ARTICLES].published_on,
            status=published,
        )
        for n in range(claim_count)
    )
    ClaimTopic.objects.bulk_create(
        ClaimTopic(claim=claim, topic=topics[(n + k) % len(topics)], stance=stances[n % 4])
        for n, claim in enumerate(claims)
        for k in range(2)
    )
    ClaimProvision.objects.bulk_create(
        ClaimProvision(
            claim=claim,
            provision=provisions[n % len(provisions)],
            relation=ClaimProvision.Relation.INTERPRETS,
        )
        for n, claim in enumerate(claims)
        if n % 3 == 0
    )
    quotes = []
    for n, claim in enumerate(claims):
        article = articles[n % ARTICLES]
        start, end = locate(article.body, sentences[n])
        quotes.append(Quote(claim=claim, article=article, text=sentences[n], start=start, end=end))
    Quote.objects.bulk_create(quotes)


# --- Servers and the client ---------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def get(port, url):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", url)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_until_up(process, port, url, name):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{name} exited with {process.returncode} before answering.")
        try:
            status, _ = get(port, url)
        except OSError:
            time.sleep(0.2)
            continue
        if status == 200:
            return
        sys.exit(f"{name} answered {url} with {status}.")
    sys.exit(f"{name} did not answer {url} within a minute.")


def hammer(port, url, seconds, concurrency):
    """Requests per second for GET `url` from `concurrency` threads, keep-alive, for `seconds`."""
    counts = [0] * concurrency
    failures = []
    start = threading.Barrier(concurrency + 1)

    def client(index):
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        start.wait()
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            connection.request("GET", url)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                failures.append(response.status)
                break
            counts[index] += 1
            if response.will_close:
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if failures:
        sys.exit(f"GET {url} answered {failures[0]} under load.")
    return sum(counts) / elapsed


def claim_ids(body, key):
    data = json.loads(body)
    rows = data[key] if isinstance(data, dict) else data
    return [row["id"] for row in rows]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=2000, help="published claims (2000)")
    parser.add_argument("--seconds", type=float, default=5.0, help="time per URL (5)")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (4)")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve:
        return serve_django(options.serve)
    if shutil.which("datasette", path=Path(sys.executable).parent) is None:
        sys.exit(
            "Datasette is missing: .venv/bin/pip install -q --require-hashes "
            "-r requirements-bench.lock"
        )

    workdir = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    database = workdir / f"{DATABASE_NAME}.sqlite3"
    # The local settings with debug off, on the benchmark's file, without the anonymous
    # throttle (it would answer 429 after a second); read by this process and the server.
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

        print(f"Building {database} with {options.claims} claims…", flush=True)
        call_command("migrate", verbosity=0)
        build(options.claims)
        from django.db import connection

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
        django_port, datasette_port = free_port(), free_port()
        django_server = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(django_port)], cwd=ROOT
        )
        servers.append(django_server)
        datasette_server = subprocess.Popen(
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
                # Facet suggestions are for people browsing, not for JSON clients.
                "--setting",
                "suggest_facets",
                "off",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        servers.append(datasette_server)
        wait_until_up(django_server, django_port, CONSTANT_URL, "Django")
        wait_until_up(datasette_server, datasette_port, DATASETTE_TABLE_URL, "Datasette")

        # The same first page of claims, whoever serves it.
        _, api_body = get(django_port, API_URL)
        expected = claim_ids(api_body, "results")
        for url in (DATASETTE_TABLE_URL, DATASETTE_NESTED_URL):
            status, body = get(datasette_port, url)
            if status != 200 or claim_ids(body, "rows") != expected:
                sys.exit(f"Datasette's {url} does not answer the API's first page of claims.")

        runs = [
            ("constant view", django_port, CONSTANT_URL),
            ("claims API", django_port, API_URL),
            ("datasette table", datasette_port, DATASETTE_TABLE_URL),
            ("datasette nested", datasette_port, DATASETTE_NESTED_URL),
        ]
        results = []
        for name, port, url in runs:
            _, body = get(port, url)  # warm up
            rate = hammer(port, url, options.seconds, options.concurrency)
            results.append((name, url, len(body), rate))
    finally:
        for server in servers:
            server.terminate()
            server.wait()
        shutil.rmtree(workdir, ignore_errors=True)

    constant_rate, api_rate = results[0][3], results[1][3]
    print(
        f"\nSQLite, {options.claims} claims, {PAGE_SIZE} per page; loopback HTTP, "
        f"{options.concurrency} client threads, {options.seconds:g} s per URL\n"
    )
    print(f"{'':<17} {'bytes':>7} {'req/s':>9} {'vs constant':>12} {'vs API':>8}  url")
    for name, url, size, rate in results:
        print(
            f"{name:<17} {size:>7} {rate:>9.1f} {rate / constant_rate:>12.3f} "
            f"{rate / api_rate:>8.2f}  {url}"
        )


if __name__ == "__main__":
    main()
