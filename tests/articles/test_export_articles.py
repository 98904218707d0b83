import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Language, Outlet
from claims.models import Claim, Quote
from core.models import DatePrecision, PublicationStatus
from tests.factories import ArticleFactory, OutletFactory, QuoteFactory

FIELDS = [
    "title",
    "slug",
    "body",
    "byline",
    "standfirst",
    "source_url",
    "language",
    "published_on",
    "published_precision",
    "outlet__name",
    "outlet__slug",
    "outlet__home_url",
    "outlet__country",
]


def export(*args):
    out = StringIO()
    call_command("export_articles", "--format", "ninjs", *args, stdout=out)
    return out.getvalue()


def exported_items(*args):
    return json.loads(export(*args))


def articles_as_rows():
    return list(Article.objects.order_by("title").values(*FIELDS))


@pytest.mark.django_db
def test_export_writes_published_articles_only():
    published = ArticleFactory()
    ArticleFactory(status=PublicationStatus.DRAFT)

    assert [item["headlines"][0]["value"] for item in exported_items()] == [published.title]


@pytest.mark.django_db
def test_export_is_ninjs_2_by_default():
    ArticleFactory()

    [item] = exported_items()

    assert item["standard"] == {"name": "ninjs", "version": "2.1"}


@pytest.mark.django_db
def test_export_writes_ninjs_1_on_request():
    article = ArticleFactory()

    [item] = exported_items("--ninjs-version", "1")

    assert (item["$standard"]["version"], item["headline"], item["body_text"]) == (
        "1.4",
        article.title,
        article.body,
    )


@pytest.mark.django_db
def test_export_carries_the_articles_public_quotes_as_an_extension():
    quote = QuoteFactory()
    QuoteFactory(article=quote.article, claim__status=PublicationStatus.DRAFT)

    [item] = exported_items()

    assert [
        (q["text"], q["claim"]["summary"], q["speaker"]["slug"]) for q in item["kb:quotes"]
    ] == [(quote.text, quote.claim.summary, quote.claim.speaker.slug)]


@pytest.mark.django_db
def test_export_to_a_directory_writes_one_file_per_article(tmp_path):
    first, second = ArticleFactory(), ArticleFactory()

    export("--output", f"{tmp_path}/")

    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [f"{first.slug}.json", f"{second.slug}.json"]
    )


@pytest.mark.django_db
def test_export_to_a_file_writes_an_array(tmp_path):
    ArticleFactory()
    path = tmp_path / "export.json"

    export("--output", str(path))

    assert len(json.loads(path.read_text(encoding="utf-8"))) == 1


@pytest.mark.django_db
def test_export_runs_as_many_queries_for_ten_articles_as_for_two():
    def queries():
        with CaptureQueriesContext(connection) as captured:
            export()
        return len(captured)

    for _ in range(2):
        QuoteFactory()
    at_two = queries()
    for _ in range(8):
        QuoteFactory()

    assert queries() == at_two


@pytest.fixture
def newsroom(db):
    """Published articles of two outlets: English and Ukrainian, dated to the day and month."""
    wire = OutletFactory(name="Wire Example", slug="wire", home_url="https://wire.example.org/")
    novyny = OutletFactory(
        name="Новини", slug="novyny", home_url="https://novyny.example.ua/", country="UA"
    )
    QuoteFactory(article=ArticleFactory(outlet=wire, title="China holds the key"))
    ArticleFactory(
        outlet=novyny,
        title="Чи може Китай зупинити союз",
        slug="chy-mozhe-kytai",
        language=Language.UKRAINIAN,
        byline="",
        standfirst="",
        body="«Китай має важелі», — сказав експерт.\n\nДругий абзац.\nЗ рядком.",
        source_url="",
        published_on=datetime.date(2024, 6, 1),
        published_precision=DatePrecision.MONTH,
    )


def empty_the_database():
    Quote.objects.all().delete()
    Claim.objects.all().delete()
    Article.objects.all().delete()
    Outlet.objects.all().delete()


@pytest.mark.parametrize("version", ["1", "2"])
def test_importing_an_export_into_an_empty_database_reproduces_the_articles(
    newsroom, tmp_path, version
):
    before = articles_as_rows()
    export("--ninjs-version", version, "--output", f"{tmp_path}/")
    empty_the_database()

    call_command("import_articles", str(tmp_path), stdout=StringIO())

    assert articles_as_rows() == before


@pytest.mark.django_db(transaction=True)
def test_flushed_database_gets_the_articles_back_from_an_export_file(newsroom, tmp_path):
    # Flushing truncates every table, which PostgreSQL refuses inside a test's transaction.
    before = articles_as_rows()
    path = tmp_path / "export.json"
    export("--output", str(path))
    call_command("flush", interactive=False, verbosity=0)

    call_command("import_articles", str(path), stdout=StringIO())

    assert articles_as_rows() == before


def test_importing_an_export_into_the_same_database_changes_nothing(newsroom, tmp_path):
    before = list(Article.objects.order_by("pk").values())
    export("--output", f"{tmp_path}/")
    out = StringIO()

    call_command("import_articles", str(tmp_path), stdout=out)

    assert "Summary: created 0, updated 0, unchanged 2, failed 0" in out.getvalue()
    assert list(Article.objects.order_by("pk").values()) == before


@pytest.mark.django_db
def test_exported_uri_is_the_articles_own_uri_else_its_address_else_its_slug():
    ArticleFactory(external_uri="urn:wire:1", source_url="https://a.example.org/1")
    ArticleFactory(source_url="https://a.example.org/2")
    ArticleFactory(slug="no-address", source_url="")

    assert sorted(item["uri"] for item in exported_items()) == [
        "https://a.example.org/2",
        "urn:newsroom-kb:article:no-address",
        "urn:wire:1",
    ]
