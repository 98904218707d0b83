import datetime

from articles.imports.text import clean_page
from articles.services import article_create, article_import
from tests.factories import ArticleFactory, OutletFactory


def create(title, **fields):
    return article_create(
        title=title,
        outlet=OutletFactory(),
        language="en",
        published_on=datetime.date(2024, 6, 20),
        body="Text.",
        **fields,
    )


def test_create_makes_a_slug_from_the_title(db):
    assert create("Risks for China").slug == "risks-for-china"


def test_create_transliterates_a_cyrillic_title(db):
    assert create("Ризики для Китаю").slug == "ryzyky-dlya-kytayu"


def test_create_numbers_a_slug_already_taken(db):
    ArticleFactory(slug="risks-for-china")
    assert create("Risks for China").slug == "risks-for-china-2"


def test_create_keeps_a_slug_given(db):
    assert create("Risks for China", slug="risks").slug == "risks"


def test_import_of_a_page_gets_the_same_unique_slug(db):
    ArticleFactory(slug="risks-for-china")
    article = article_import(
        page=clean_page("Risks for China\n\nThe story."),
        outlet=OutletFactory(),
        language="en",
        published_on=datetime.date(2024, 6, 20),
    )
    assert article.slug == "risks-for-china-2"
