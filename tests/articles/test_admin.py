import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, Language
from core.models import PublicationStatus
from tests.admin_helpers import (
    changelist_url,
    form_data,
    listed,
)
from tests.factories import (
    ArticleFactory,
    OutletFactory,
    QuoteFactory,
    TopicFactory,
    UserFactory,
)
from tests.helpers import count_queries

REPEATED_BODY = "Talks resumed.\n\nTalks resumed, officials said.\n\nNothing else."


def make_articles(count):
    for _ in range(count):
        article = ArticleFactory(topics=[TopicFactory()])
        QuoteFactory(article=article)


@pytest.fixture
def outlet(db):
    return OutletFactory(
        name="Kyiv Independent", slug="kyiv-independent", language=Language.ENGLISH
    )


@pytest.fixture
def article(outlet):
    return ArticleFactory(outlet=outlet, title="Putin and Kim sign a pact")


def test_admin_index_shows_the_site_name(editor_client):
    response = editor_client.get(reverse("admin:index"))

    assertContains(response, "Newsroom Knowledge Base")
    assertNotContains(response, "Django administration")


@pytest.mark.parametrize("model", ["outlet", "article"])
def test_editor_opens_changelist(editor_client, article, model):
    assert editor_client.get(changelist_url(f"articles.{model}")).status_code == 200


@pytest.mark.parametrize("model", ["outlet", "article"])
def test_editor_opens_add_page(editor_client, model):
    assert editor_client.get(reverse(f"admin:articles_{model}_add")).status_code == 200


def test_editor_opens_outlet_change_page(editor_client, outlet):
    url = reverse("admin:articles_outlet_change", args=[outlet.pk])

    assert editor_client.get(url).status_code == 200


def test_editor_opens_article_change_page_with_quotes(editor_client, article):
    QuoteFactory(article=article)

    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))

    assert response.status_code == 200


def test_staff_without_permissions_is_refused_the_article_changelist(client, db):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(changelist_url("articles.article")).status_code == 403


def test_outlet_search_matches_name(editor_client, outlet):
    other = OutletFactory(name="Meduza")

    assert listed(editor_client, "articles.outlet", q="Kyiv") == {outlet}
    assert other not in listed(editor_client, "articles.outlet", q="Kyiv")


def test_outlet_filter_by_language(editor_client, outlet):
    ukrainian = OutletFactory(language=Language.UKRAINIAN)

    assert listed(editor_client, "articles.outlet", language__exact="uk") == {ukrainian}


def test_outlet_filter_by_country(editor_client, outlet):
    german = OutletFactory(country="DE")

    assert listed(editor_client, "articles.outlet", country="DE") == {german}


def test_article_search_matches_title(editor_client, article):
    ArticleFactory(title="Grain deal collapses")

    assert listed(editor_client, "articles.article", q="Kim sign") == {article}


def test_article_search_matches_outlet_name(editor_client, article):
    ArticleFactory()

    assert listed(editor_client, "articles.article", q="Kyiv Independent") == {article}


def test_article_filter_by_status(editor_client, article):
    draft = ArticleFactory(status=PublicationStatus.DRAFT)

    assert listed(editor_client, "articles.article", status__exact="draft") == {draft}


def test_article_filter_by_outlet(editor_client, article, outlet):
    ArticleFactory()

    assert listed(editor_client, "articles.article", outlet__id__exact=outlet.pk) == {article}


def test_article_filter_by_language(editor_client, article):
    ukrainian = ArticleFactory(language=Language.UKRAINIAN)

    assert listed(editor_client, "articles.article", language__exact="uk") == {ukrainian}


def test_article_filter_by_topic(editor_client, article):
    topic = TopicFactory()
    tagged = ArticleFactory(topics=[topic])

    assert listed(editor_client, "articles.article", topics__id__exact=topic.pk) == {tagged}


def test_article_date_hierarchy_narrows_to_a_year(editor_client, article):
    older = ArticleFactory(published_on="2019-03-01")

    assert listed(editor_client, "articles.article", published_on__year=2019) == {older}


def test_article_changelist_counts_quotes(editor_client, article):
    QuoteFactory.create_batch(2, article=article)

    (row,) = listed(editor_client, "articles.article")

    assert row.quote_count == 2


def test_article_changelist_queries_do_not_grow_with_rows(editor_client):
    url = changelist_url("articles.article")
    make_articles(5)
    editor_client.get(url)  # warm per-process caches
    at_five = count_queries(editor_client, url)

    make_articles(45)

    assert count_queries(editor_client, url) == at_five


def test_article_changelist_query_count(editor_client, django_assert_num_queries):
    make_articles(5)
    editor_client.get(changelist_url("articles.article"))

    # session, user, user and group permissions, outlet and topic filters, filtered and
    # total counts, rows, date hierarchy range and days
    with django_assert_num_queries(11):
        editor_client.get(changelist_url("articles.article"))


def test_outlet_changelist_queries_do_not_grow_with_rows(editor_client):
    url = changelist_url("articles.outlet")
    for _ in range(5):
        ArticleFactory()
    editor_client.get(url)
    at_five = count_queries(editor_client, url)

    for _ in range(45):
        ArticleFactory()

    assert count_queries(editor_client, url) == at_five


def test_publish_actions_are_hidden_from_view_only_users(client, article):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(user)

    response = client.get(changelist_url("articles.article"))

    assert response.status_code == 200
    assert response.context["action_form"] is None


def test_article_with_quotes_cannot_be_deleted(editor_client, article):
    QuoteFactory(article=article)

    editor_client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})

    assert Article.objects.filter(pk=article.pk).exists()


def test_article_delete_page_lists_protecting_quotes(editor_client, article):
    quote = QuoteFactory(article=article)

    response = editor_client.get(reverse("admin:articles_article_delete", args=[article.pk]))

    assertContains(response, "would require deleting the following protected related objects")
    assertContains(response, quote.text)


def test_article_without_quotes_is_deleted(editor_client, article):
    editor_client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})

    assert not Article.objects.filter(pk=article.pk).exists()


def test_quote_inline_anchors_new_quote_in_the_article(editor_client):
    article = ArticleFactory(body=REPEATED_BODY)
    claim = QuoteFactory().claim
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(editor_client.get(url))
    data |= {
        "quotes-TOTAL_FORMS": "1",
        "quotes-0-claim": claim.pk,
        "quotes-0-text": "Talks resumed",
        "quotes-0-occurrence": "2",
    }

    editor_client.post(url, data)

    quote = article.quotes.get()
    assert (quote.start, quote.end) == (16, 29)


def test_article_add_page_saves_new_article_with_its_quote(editor_client, outlet):
    claim = QuoteFactory().claim
    url = reverse("admin:articles_article_add")
    data = form_data(editor_client.get(url))
    data |= {
        "title": "Talks resume",
        "slug": "talks-resume",
        "outlet": outlet.pk,
        "published_on": "2024-06-21",
        "language": Language.ENGLISH,
        "body": REPEATED_BODY.replace("\n", "\r\n"),
        "quotes-TOTAL_FORMS": "1",
        "quotes-0-claim": claim.pk,
        "quotes-0-text": "Talks resumed",
        "quotes-0-occurrence": "2",
    }

    editor_client.post(url, data)

    quote = Article.objects.get(slug="talks-resume").quotes.get()
    assert (quote.start, quote.end) == (16, 29)


def test_quote_inline_reports_text_missing_from_the_article(editor_client, article):
    claim = QuoteFactory().claim
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(editor_client.get(url))
    data |= {
        "quotes-TOTAL_FORMS": "1",
        "quotes-0-claim": claim.pk,
        "quotes-0-text": "Words nobody wrote",
    }

    response = editor_client.post(url, data)

    assertContains(response, "in the body of “Putin and Kim sign a pact”")
    assert not article.quotes.exists()


def test_article_change_page_saves_unchanged_form(editor_client, article):
    QuoteFactory(article=article)
    url = reverse("admin:articles_article_change", args=[article.pk])

    response = editor_client.post(url, form_data(editor_client.get(url)))

    assert response.status_code == 302
