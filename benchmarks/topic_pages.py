"""How fast are the topic and article pages with a big topic? A benchmark, not a test.

    .venv/bin/python benchmarks/topic_pages.py [--claims 500] [--articles 5] [--seconds 3]

Builds, in a throwaway test database (in-memory SQLite, or a `test_` copy of the database
DATABASE_URL names, dropped at the end), one topic with `--claims` published claims by 20
experts, each claim quoted in one of a few articles, then requests the topic page, an article
page and a Django view returning a constant response through django.test.Client in this
process. It prints each page's requests per second and its ratio to the constant view, so the
numbers say what the pages cost on top of Django's own request handling.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases  # noqa: E402
from django.urls import include, path, reverse  # noqa: E402

from articles.models import Article, Language, Outlet  # noqa: E402
from claims.models import (  # noqa: E402
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
from core.models import DatePrecision, PublicationStatus  # noqa: E402
from experts.models import Affiliation, Expert, NameVariant, Organization  # noqa: E402

EXPERTS = 20
TOPIC_SLUG = "benchmark-topic"


def constant(request):
    return HttpResponse("A constant response.", content_type="text/plain")


# The site's own URLs plus the baseline, so every request goes through the same middleware.
urlpatterns = [
    path("__constant__/", constant, name="constant"),
    path("", include("config.urls")),
]


def build(claim_count, article_count):
    """One topic with `claim_count` published claims quoted across `article_count` articles."""
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
    NameVariant.objects.bulk_create(
        NameVariant(expert=expert, name=f"{expert.display_name} (variant)") for expert in experts
    )
    topic = Topic.objects.create(
        title="Benchmark topic", slug=TOPIC_SLUG, question="Does the page stay fast?"
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

    # Each claim gets its own sentence in one of the articles, quoted verbatim.
    sentences = [
        f"Leverage point {n:04d} decides what China does next." for n in range(claim_count)
    ]
    articles = []
    for a in range(article_count):
        own = sentences[a::article_count]
        articles.append(
            Article(
                title=f"Benchmark article {a}",
                slug=f"benchmark-article-{a}",
                outlet=outlets[a % len(outlets)],
                published_on=datetime.date(2024, 6, 1) - datetime.timedelta(days=30 * a),
                published_precision=DatePrecision.DAY,
                language=Language.ENGLISH,
                standfirst="A long article quoting many experts.",
                body="\n\n".join(
                    f"An expert said: “{sentence}” Then more context." for sentence in own
                ),
                status=published,
            )
        )
    articles = Article.objects.bulk_create(articles)
    for article in articles:
        article.topics.add(topic)

    kinds = list(Claim.Kind)
    stances = list(Stance)
    claims = Claim.objects.bulk_create(
        Claim(
            speaker=experts[n % EXPERTS],
            summary=f"Claim {n:04d}: China's leverage matters.",
            kind=kinds[n % len(kinds)],
            made_on=articles[n % article_count].published_on,
            status=published,
            outcome=Claim.Outcome.PENDING if kinds[n % len(kinds)] == Claim.Kind.PREDICTION else "",
        )
        for n in range(claim_count)
    )
    ClaimTopic.objects.bulk_create(
        ClaimTopic(claim=claim, topic=topic, stance=stances[n % len(stances)])
        for n, claim in enumerate(claims)
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
        article = articles[n % article_count]
        text = sentences[n]
        start, end = locate(article.body, text)
        quotes.append(Quote(claim=claim, article=article, text=text, start=start, end=end))
    Quote.objects.bulk_create(quotes)
    return topic, articles[0]


def measure(client, url, seconds):
    """(status, queries per request, requests per second) for GET `url`."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)  # also warms caches and templates
    # Counted now: the captured list reads the connection's log, which each request resets.
    query_count = len(queries)
    started = time.perf_counter()
    requests = 0
    while (elapsed := time.perf_counter() - started) < seconds:
        client.get(url)
        requests += 1
    return response.status_code, query_count, requests / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=500, help="claims on the topic (500)")
    parser.add_argument("--articles", type=int, default=5, help="articles quoting them (5)")
    parser.add_argument("--seconds", type=float, default=3.0, help="time per page (3)")
    options = parser.parse_args()

    databases = setup_databases(verbosity=0, interactive=False)
    try:
        with override_settings(ROOT_URLCONF=__name__):
            print(f"Building a topic with {options.claims} claims in {options.articles} articles…")
            topic, article = build(options.claims, options.articles)
            pages = [
                ("constant view", reverse("constant")),
                ("topic page", topic.get_absolute_url()),
                ("article page", article.get_absolute_url()),
            ]
            client = Client()
            results = [(name, url, *measure(client, url, options.seconds)) for name, url in pages]
    finally:
        teardown_databases(databases, verbosity=0)

    baseline = results[0][4]
    print(f"\n{connection.vendor}, {options.seconds:g} s per page, django.test.Client in-process\n")
    print(f"{'page':<14} {'status':>6} {'queries':>7} {'req/s':>9} {'vs constant':>18}  url")
    for name, url, status, queries, rate in results:
        ratio = f"{rate / baseline:.4f} (1/{baseline / rate:.0f})"
        print(f"{name:<14} {status:>6} {queries:>7} {rate:>9.1f} {ratio:>18}  {url}")
        if status != 200:
            print(f"  ! {url} answered {status}: the number above measures an error page")


if __name__ == "__main__":
    main()
