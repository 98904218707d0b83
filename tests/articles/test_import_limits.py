"""Bounded imports: an admin upload over its item or byte limit is refused whole, a page the
HTML parser would cut is refused, and a body over ARTICLE_BODY_MAX_CHARS is refused on every
path that writes one, each with the limit named. Nothing is silently cut."""

import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles.imports.html import read_html_page
from articles.imports.items import ItemError
from articles.imports.text import clean_page
from articles.models import Article, Language
from articles.services import article_import, article_update_body
from core.models import PublicationStatus
from tests.admin_helpers import form_data
from tests.factories import ArticleFactory, OutletFactory

pytestmark = pytest.mark.django_db

PARAGRAPH = (
    "Update {n}: officials in Pyongyang and Moscow met again on day {n} of the talks and said "
    "the treaty's fourth article would be read narrowly, according to two people familiar "
    "with the discussions."
)


def ninjs_items(count, *, paragraphs=3, start=0):
    """A ninjs file of `count` distinct wire items, as a partner's feed dump would hold them."""
    items = [
        {
            "uri": f"urn:newsml:wire.example.org:20240620:item-{n}",
            "type": "text",
            "language": "en",
            "versioncreated": "2024-06-20T09:40:00+03:00",
            "copyrightholder": "Wire Example",
            "headline": f"Treaty talks, update {n}",
            "body_html": "".join(
                f"<p>{PARAGRAPH.format(n=n * 1000 + p)}</p>" for p in range(paragraphs)
            ),
        }
        for n in range(start, start + count)
    ]
    return json.dumps(items).encode()


def upload(client, *files):
    return client.post(
        reverse("admin:articles_article_import"),
        {"files": [SimpleUploadedFile(name, data) for name, data in files]},
    )


def live_blog(paragraphs, *, unclosed=False):
    """A saved live-blog page; with `unclosed`, each post's <div> is never closed, as some
    CMS templates write them, so every post nests inside the one before."""
    close = "" if unclosed else "</div>"
    posts = "".join(
        f'<div class="post"><p>{PARAGRAPH.format(n=n)}</p>{close}' for n in range(paragraphs)
    )
    return (
        '<!doctype html><html lang="en"><head><title>Live: treaty talks</title>'
        '<link rel="canonical" href="https://wire.example.org/live/treaty">'
        '<meta property="og:site_name" content="Wire Example"></head>'
        f"<body><nav>Home | World</nav><article><h1>Live: treaty talks</h1>{posts}"
        "</article><footer>© Wire Example</footer></body></html>"
    ).encode()


# --- items and bytes per admin upload -------------------------------------------------------


def test_admin_upload_over_the_item_limit_is_refused_whole_naming_the_limit(editor_client):
    response = upload(editor_client, ("feed.json", ninjs_items(501)))

    assert response.status_code == 200
    assert (
        "These files hold 501 articles, over the limit of 500 for one upload "
        "(ARTICLE_IMPORT_MAX_ITEMS); nothing was imported." in response.content.decode()
    )
    assert not Article.objects.exists()


def test_admin_upload_counts_items_across_its_files(editor_client, settings):
    settings.ARTICLE_IMPORT_MAX_ITEMS = 4

    # Four items in all, at the limit: both files are imported.
    upload(editor_client, ("a.json", ninjs_items(3)), ("b.json", ninjs_items(1, start=3)))

    assert Article.objects.count() == 4


def test_admin_upload_one_item_over_the_limit_across_files_imports_nothing(editor_client, settings):
    settings.ARTICLE_IMPORT_MAX_ITEMS = 4

    response = upload(
        editor_client, ("a.json", ninjs_items(3)), ("b.json", ninjs_items(2, start=3))
    )

    assert "ARTICLE_IMPORT_MAX_ITEMS" in response.content.decode()
    assert not Article.objects.exists()


def test_admin_upload_over_the_byte_limit_is_refused_whole_naming_the_limit(editor_client):
    # Two feed dumps of about 3 MB each: each under the file limit, together over 5 MB.
    first = ninjs_items(60, paragraphs=250)
    second = ninjs_items(61, paragraphs=250, start=60)
    assert len(first) < 5_000_000 < len(first) + len(second)

    response = upload(editor_client, ("a.json", first), ("b.json", second))

    content = response.content.decode()
    assert f"These files come to {len(first) + len(second):,} bytes" in content
    assert "over the limit of 5,000,000 bytes for one upload" in content
    assert "ARTICLE_IMPORT_MAX_REQUEST_BYTES" in content
    assert not Article.objects.exists()


def test_refused_upload_keeps_the_choices_made_on_the_form(editor_client):
    outlet = OutletFactory()

    response = editor_client.post(
        reverse("admin:articles_article_import"),
        {
            "files": [SimpleUploadedFile("feed.json", ninjs_items(501))],
            "outlet": outlet.pk,
            "language": "uk",
        },
    )

    form = response.context["form"]
    assert form.errors["files"]
    assert (form["outlet"].value(), form["language"].value()) == (str(outlet.pk), "uk")


def test_command_has_no_item_limit(tmp_path, settings):
    settings.ARTICLE_IMPORT_MAX_ITEMS = 2
    path = tmp_path / "feed.json"
    path.write_bytes(ninjs_items(3))

    call_command("import_articles", str(path), stdout=StringIO())

    assert Article.objects.count() == 3


# --- pages the HTML parser would cut --------------------------------------------------------


def test_page_whose_unclosed_tags_nest_past_the_parser_limit_is_refused_naming_it():
    with pytest.raises(ItemError, match="nests its HTML elements more than 256 deep"):
        read_html_page(live_blog(400, unclosed=True))


def test_admin_upload_of_a_page_the_parser_would_cut_writes_nothing(editor_client):
    response = upload(editor_client, ("live.html", live_blog(400, unclosed=True)))

    assert "more than 256 deep" in response.content.decode()
    assert not Article.objects.exists()


def test_large_live_blog_page_is_imported_whole():
    # About 0.9 MB of HTML, 3,000 posts: every post is in the body, the last one included.
    item = read_html_page(live_blog(3000))

    posts = {PARAGRAPH.format(n=n) for n in range(3000)}
    assert posts <= set(item.body.split("\n\n"))


def test_page_nested_just_under_the_parser_limit_is_imported_whole():
    item = read_html_page(live_blog(240, unclosed=True))

    posts = {PARAGRAPH.format(n=n) for n in range(240)}
    assert posts <= set(item.body.split("\n\n"))


# --- ARTICLE_BODY_MAX_CHARS on every path that writes a body --------------------------------


def over_limit_body(limit):
    paragraphs, n = [], 0
    while sum(map(len, paragraphs)) + 2 * len(paragraphs) <= limit:
        paragraphs.append(PARAGRAPH.format(n=n))
        n += 1
    return "\n\n".join(paragraphs)


def test_admin_article_form_refuses_a_body_over_the_limit_and_keeps_what_was_typed(
    editor_client,
):
    article = ArticleFactory(status=PublicationStatus.DRAFT)
    before = article.body
    url = reverse("admin:articles_article_change", args=[article.pk])
    body = over_limit_body(1_000_000)
    data = form_data(editor_client.get(url)) | {"body": body, "title": "Typed title"}

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["body"] == [
        f"The body has {len(body):,} characters, over the limit of 1,000,000 "
        "(ARTICLE_BODY_MAX_CHARS)."
    ]
    assert response.context["adminform"].form["title"].value() == "Typed title"
    article.refresh_from_db()
    assert (article.title, article.body) != ("Typed title", body)
    assert article.body == before


def test_admin_article_add_form_refuses_a_body_over_the_limit(editor_client, settings):
    settings.ARTICLE_BODY_MAX_CHARS = 10_000
    outlet = OutletFactory()
    url = reverse("admin:articles_article_add")
    data = form_data(editor_client.get(url)) | {
        "title": "Talks resume",
        "slug": "talks-resume",
        "outlet": outlet.pk,
        "published_on": "2024-06-21",
        "language": Language.ENGLISH,
        "body": over_limit_body(10_000),
    }

    response = editor_client.post(url, data)

    assert "over the limit of 10,000 (ARTICLE_BODY_MAX_CHARS)" in response.content.decode()
    assert not Article.objects.filter(slug="talks-resume").exists()


def test_update_body_service_refuses_a_body_over_the_limit(settings):
    settings.ARTICLE_BODY_MAX_CHARS = 10_000
    article = ArticleFactory()
    before = article.body

    with pytest.raises(ValidationError, match="ARTICLE_BODY_MAX_CHARS"):
        article_update_body(article=article, body=over_limit_body(10_000))

    article.refresh_from_db()
    assert article.body == before


def test_article_import_service_refuses_a_body_over_the_limit(settings):
    settings.ARTICLE_BODY_MAX_CHARS = 10_000
    page = clean_page("Treaty talks\n\n" + over_limit_body(10_000))

    with pytest.raises(ValidationError, match="over the limit of 10,000"):
        article_import(page=page, outlet=OutletFactory(), language="en", published_on="2024-06-20")

    assert not Article.objects.exists()


def test_body_at_the_limit_is_saved(settings):
    settings.ARTICLE_BODY_MAX_CHARS = 10_000
    article = ArticleFactory()
    body = ("Talks. " * 2000)[:10_000].strip()

    article_update_body(article=article, body=body)

    article.refresh_from_db()
    assert article.body == body
