import datetime
import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles.imports.files import ImportFailed, Outcome, articles_import_file
from articles.imports.html import read_html_page
from articles.models import Article, Language, Outlet
from claims.models import Quote
from core.models import PublicationStatus
from tests.factories import (
    ArticleFactory,
    EditorFactory,
    OutletFactory,
    QuoteFactory,
    TopicFactory,
    UserFactory,
)

FIXTURES = Path(__file__).parent / "fixtures"
NINJS_1 = FIXTURES / "ninjs1_article.json"
NINJS_2 = FIXTURES / "ninjs2_article.json"
PAGE = FIXTURES / "page_with_chrome.html"
BAD = FIXTURES / "bad"


def run(*paths, **options):
    """import_articles' (stdout, stderr); raises CommandError when a file failed."""
    out, err = StringIO(), StringIO()
    call_command("import_articles", *map(str, paths), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def run_failing(*paths, **options):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_articles", *map(str, paths), stdout=out, stderr=err, **options)
    return str(raised.value), out.getvalue() + err.getvalue()


def ninjs_file(tmp_path, name="item.json", **changes):
    """A copy of the ninjs 1.x fixture with `changes` applied."""
    item = json.loads(NINJS_1.read_text(encoding="utf-8"))
    item.update(changes)
    path = tmp_path / name
    path.write_text(json.dumps(item, ensure_ascii=False), encoding="utf-8")
    return path


# --- ninjs ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_ninjs_1_file_creates_a_draft_article():
    run(NINJS_1)

    article = Article.objects.get()
    assert (article.title, article.status, article.language) == (
        "Beijing could stop the Russia–DPRK alliance, analysts say",
        PublicationStatus.DRAFT,
        Language.ENGLISH,
    )
    assert article.body.startswith("Putin and Kim signed a treaty in Pyongyang on Wednesday.\n\n")


@pytest.mark.django_db
def test_ninjs_1_file_records_uri_source_url_byline_and_date():
    run(NINJS_1)

    article = Article.objects.get()
    assert (article.external_uri, article.source_url, article.byline, article.published_on) == (
        "urn:newsml:wire.example.org:20240620:treaty-china",
        "https://wire.example.org/2024/06/20/treaty-china",
        "Maria Kovalenko",
        datetime.date(2024, 6, 20),
    )


@pytest.mark.django_db
def test_ninjs_1_copyright_holder_becomes_a_new_outlet_with_the_items_domain():
    run(NINJS_1)

    outlet = Article.objects.get().outlet
    assert (outlet.name, outlet.slug, outlet.home_url) == (
        "Wire Example",
        "wire-example",
        "https://wire.example.org/",
    )


@pytest.mark.django_db
def test_ninjs_2_file_creates_a_ukrainian_draft_with_a_transliterated_slug():
    run(NINJS_2)

    article = Article.objects.get()
    assert (article.title, article.language, article.status) == (
        "Чи може Китай зупинити союз Росії та КНДР",
        Language.UKRAINIAN,
        PublicationStatus.DRAFT,
    )
    assert article.slug == "chy-mozhe-kytay-zupynyty-soyuz-rosiyi-ta-kndr"


@pytest.mark.django_db
def test_ninjs_2_body_and_standfirst_are_plain_text():
    run(NINJS_2)

    article = Article.objects.get()
    assert (article.standfirst, article.body) == (
        "Що кажуть експерти.",
        "Путін і Кім підписали договір.\n\n«Китай має важелі, щоб це зупинити», — сказав експерт.",
    )


@pytest.mark.django_db
def test_ninjs_subjects_file_the_article_under_existing_topics_only():
    topic = TopicFactory(slug="russia-dprk-treaty")

    run(NINJS_1)

    assert list(Article.objects.get().topics.all()) == [topic]


@pytest.mark.django_db
def test_outlet_is_matched_by_name_whatever_the_case():
    outlet = OutletFactory(name="WIRE EXAMPLE")

    run(NINJS_1)

    assert (Article.objects.get().outlet, Outlet.objects.count()) == (outlet, 1)


@pytest.mark.django_db
def test_outlet_is_matched_by_the_domain_of_the_source_url(tmp_path):
    outlet = OutletFactory(name="The Wire", home_url="https://www.wire.example.org/")

    run(NINJS_1)

    assert (Article.objects.get().outlet, Outlet.objects.count()) == (outlet, 1)


@pytest.mark.django_db
def test_outlet_option_files_new_articles_under_that_outlet():
    outlet = OutletFactory(slug="chosen")

    run(NINJS_1, outlet="chosen")

    assert (Article.objects.get().outlet, Outlet.objects.count()) == (outlet, 1)


@pytest.mark.django_db
def test_ua_is_read_as_ukrainian(tmp_path):
    run(ninjs_file(tmp_path, language="ua"))

    assert Article.objects.get().language == Language.UKRAINIAN


@pytest.mark.django_db
def test_language_option_fills_a_file_without_language(tmp_path):
    item = ninjs_file(tmp_path, language="")

    run(item, language="ru")

    assert Article.objects.get().language == Language.RUSSIAN


@pytest.mark.django_db
def test_published_option_fills_a_file_without_date(tmp_path):
    item = ninjs_file(tmp_path, firstcreated=None, versioncreated=None)

    run(item, published="2024-06")

    article = Article.objects.get()
    assert (article.published_on, article.published_precision) == (
        datetime.date(2024, 6, 1),
        "month",
    )


@pytest.mark.django_db
def test_user_option_is_recorded_as_the_author_of_the_change():
    # --user imports with that user's rights, so the user must be allowed to add articles.
    user = EditorFactory(username="importer")

    run(NINJS_1, user="importer")

    assert Article.objects.get().history.get().history_user == user


# --- saved web pages ------------------------------------------------------------------------


def test_saved_page_keeps_the_story_and_leaves_the_site_chrome_out():
    item = read_html_page(PAGE.read_bytes())

    assert item.body == (
        "Putin and Kim signed a treaty in Pyongyang on Wednesday, promising each other mutual "
        "assistance in case of aggression.\n\n"
        "“China has the leverage to stop it,” said Oleksandr Musiienko, a military analyst in "
        "Kyiv. He added that Beijing is wary of being drawn into a conflict it does not "
        "control.\n\n"
        "Other analysts were less sure. Nobody knows what comes next, one diplomat said, and the "
        "treaty's fourth article leaves much open to interpretation."
    )


def test_saved_page_title_byline_date_and_address_come_from_its_metadata():
    item = read_html_page(PAGE.read_bytes())

    assert (item.headline, item.byline, item.published_on, item.source_url, item.language) == (
        "China holds the key, experts say",
        "Olena Petrenko",
        datetime.date(2024, 6, 21),
        "https://www.daily-example.org/news/2024/06/china-key",
        "en",
    )


def test_saved_page_without_a_stated_date_gets_none_rather_than_a_guess():
    html = "".join(
        line
        for line in PAGE.read_text(encoding="utf-8").splitlines(keepends=True)
        if "article:published_time" not in line
    )

    assert read_html_page(html).published_on is None


def test_saved_page_address_falls_back_to_the_saved_from_note():
    html = PAGE.read_text(encoding="utf-8").replace('property="og:url"', 'property="x-removed"')

    assert read_html_page(html).source_url == (
        "https://www.daily-example.org/news/2024/06/china-key"
    )


@pytest.mark.django_db
def test_saved_page_becomes_a_draft_under_its_site_name():
    run(PAGE)

    article = Article.objects.get()
    assert (article.title, article.outlet.name, article.status, article.external_uri) == (
        "China holds the key, experts say",
        "The Daily Example",
        PublicationStatus.DRAFT,
        "",
    )


@pytest.mark.django_db
def test_saved_page_imported_again_is_matched_by_its_address():
    run(PAGE)

    out, _ = run(PAGE)

    assert Article.objects.count() == 1
    assert "Summary: created 0, updated 0, unchanged 1, failed 0" in out


# --- batches --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_directory_is_walked_for_json_and_html_files(tmp_path):
    shutil.copy(NINJS_1, tmp_path / "one.json")
    (tmp_path / "sub").mkdir()
    shutil.copy(PAGE, tmp_path / "sub" / "page.html")
    (tmp_path / "notes.txt").write_text("not an article")

    out, _ = run(tmp_path)

    assert Article.objects.count() == 2
    assert "Summary: created 2, updated 0, unchanged 0, failed 0" in out


@pytest.mark.django_db
def test_progress_line_per_file_names_the_file_and_its_outcome():
    out, _ = run(NINJS_1, NINJS_2)

    assert f"] 1/2 {NINJS_1}: created" in out
    assert f"] 2/2 {NINJS_2}: created" in out


@pytest.mark.django_db
def test_file_with_several_items_imports_each():
    data = json.dumps(
        [
            {"uri": "urn:a", "headline": "A", "body_text": "First.", "language": "en"},
            {"uri": "urn:b", "headline": "B", "body_text": "Second.", "language": "en"},
        ]
    ).encode()

    results = articles_import_file(data=data, name="two.json", options=_defaults())

    assert [result.outcome for result in results] == [Outcome.CREATED, Outcome.CREATED]


def _defaults():
    from articles.imports.files import ImportOptions

    return ImportOptions(
        outlet=OutletFactory(), published_on=datetime.date(2024, 6, 20), language="en"
    )


# --- importing again ------------------------------------------------------------------------


@pytest.mark.django_db
def test_unchanged_item_imported_again_is_reported_unchanged_and_writes_nothing():
    run(NINJS_1)
    article = Article.objects.get()

    out, _ = run(NINJS_1)

    assert "Summary: created 0, updated 0, unchanged 1, failed 0" in out
    assert article.history.count() == 1


@pytest.mark.django_db
def test_changed_headline_updates_the_same_article(tmp_path):
    run(NINJS_1)

    out, _ = run(ninjs_file(tmp_path, headline="A better headline"))

    assert list(Article.objects.values_list("title", flat=True)) == ["A better headline"]
    assert "updated (title)" in out


@pytest.mark.django_db
def test_a_new_version_date_does_not_change_the_published_date(tmp_path):
    """ninjs `versioncreated` dates the version: an update of the story keeps its date."""
    item = json.loads(NINJS_1.read_text(encoding="utf-8"))
    first = ninjs_file(
        tmp_path, "first.json", firstcreated=None, versioncreated="2024-06-21T10:00:00+03:00"
    )
    run(first)
    assert Article.objects.get().published_on == datetime.date(2024, 6, 21)

    update = ninjs_file(
        tmp_path,
        "update.json",
        firstcreated=None,
        versioncreated="2024-06-24T18:30:00+03:00",
        headline=item["headline"] + " (updated)",
    )
    run(update)

    assert Article.objects.get().published_on == datetime.date(2024, 6, 21)


@pytest.mark.django_db
def test_a_corrected_firstcreated_changes_the_published_date(tmp_path):
    run(NINJS_1)

    run(ninjs_file(tmp_path, firstcreated="2024-06-19T09:00:00+03:00"))

    assert Article.objects.get().published_on == datetime.date(2024, 6, 19)


@pytest.mark.django_db
def test_a_wire_item_of_a_story_imported_from_page_text_updates_that_article(tmp_path):
    """Same headline, date and outlet, no uri or address known here: the same story."""
    item = json.loads(NINJS_1.read_text(encoding="utf-8"))
    from_text = ArticleFactory(
        title=item["headline"],
        published_on=datetime.date(2024, 6, 20),
        outlet=OutletFactory(name="Wire Example"),
        source_url="",
        external_uri="",
    )

    out, _ = run(NINJS_1)

    assert list(Article.objects.all()) == [from_text]
    from_text.refresh_from_db()
    assert from_text.source_url == "https://wire.example.org/2024/06/20/treaty-china"
    assert "updated" in out


@pytest.mark.django_db
def test_update_keeps_the_articles_status(tmp_path):
    run(NINJS_1)
    Article.objects.update(status=PublicationStatus.PUBLISHED)

    run(ninjs_file(tmp_path, headline="A better headline"))

    assert Article.objects.get().status == PublicationStatus.PUBLISHED


@pytest.mark.django_db
def test_item_is_matched_by_source_url_when_the_article_has_no_uri(tmp_path):
    article = ArticleFactory(source_url="https://wire.example.org/2024/06/20/treaty-china")

    run(NINJS_1)

    article.refresh_from_db()
    assert (Article.objects.count(), article.external_uri) == (
        1,
        "urn:newsml:wire.example.org:20240620:treaty-china",
    )


@pytest.mark.django_db
def test_changed_body_moves_a_quote_with_its_text(tmp_path):
    run(NINJS_1)
    quote = QuoteFactory(article=Article.objects.get(), text="China has the leverage to stop it")
    body = "<p>A new opening paragraph.</p>" + json.loads(NINJS_1.read_text())["body_html"]

    run(ninjs_file(tmp_path, body_html=body))

    quote.refresh_from_db()
    assert Article.objects.get().body[quote.start : quote.end] == quote.text
    assert not quote.orphaned


@pytest.mark.django_db
def test_changed_body_without_the_quoted_text_orphans_the_quote_and_keeps_it(tmp_path):
    run(NINJS_1)
    quote = QuoteFactory(article=Article.objects.get(), text="China has the leverage to stop it")

    out, _ = run(ninjs_file(tmp_path, body_html="<p>Entirely rewritten.</p>"))

    quote.refresh_from_db()
    assert (quote.orphaned, quote.text, Quote.objects.count()) == (
        True,
        "China has the leverage to stop it",
        1,
    )
    assert "updated (body)" in out
    assert (
        "    quotes: 1 orphaned; to repair: /admin/claims/quote/?orphaned=yes&article__id__exact="
        f"{quote.article_id}\n" in out
    )


@pytest.mark.django_db
def test_a_reimport_reports_the_quotes_that_followed_their_text(tmp_path):
    run(NINJS_1)
    article = Article.objects.get()
    QuoteFactory(article=article, text="China has the leverage to stop it")
    body = "<p>A new opening paragraph.</p>" + json.loads(NINJS_1.read_text())["body_html"]

    out, _ = run(ninjs_file(tmp_path, body_html=body))

    assert "    quotes: 1 followed their text\n" in out


# --- bad files ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("broken.json", "not valid JSON: Expecting ',' delimiter (line 2, column 1)"),
        ("no_headline.json", "no headline"),
        ("unknown_language.json", "unknown language code “de” (known: en, ru, ua, uk)"),
    ],
)
def test_bad_file_writes_nothing_and_fails_naming_the_file_and_reason(name, reason):
    message, output = run_failing(BAD / name)

    assert (Article.objects.count(), Outlet.objects.count()) == (0, 0)
    assert message == "1 of 1 file(s) failed."
    assert f"{BAD / name}: {reason}" in output


@pytest.mark.django_db
def test_saved_page_without_any_address_fails(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "".join(
            line
            for line in PAGE.read_text(encoding="utf-8").splitlines(keepends=True)
            if "og:url" not in line and "saved from" not in line
        ),
        encoding="utf-8",
    )

    _, output = run_failing(path)

    assert f"{path}: the page gives no address" in output
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_body_over_the_size_limit_fails(settings):
    settings.ARTICLE_BODY_MAX_CHARS = 100

    _, output = run_failing(NINJS_1)

    assert "over the limit of 100 (ARTICLE_BODY_MAX_CHARS)" in output
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_file_over_the_byte_limit_fails_unread(settings):
    settings.ARTICLE_IMPORT_MAX_BYTES = 100

    _, output = run_failing(NINJS_1)

    assert "larger than the limit of 100 bytes" in output


@pytest.mark.django_db
def test_file_of_another_kind_fails(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Just notes.")

    _, output = run_failing(path)

    assert f"{path}: not a .json (ninjs) or .html (saved web page) file." in output


@pytest.mark.django_db
def test_item_without_language_or_option_fails(tmp_path):
    _, output = run_failing(ninjs_file(tmp_path, language=""))

    assert "no language given" in output


@pytest.mark.django_db
def test_failing_file_leaves_the_good_files_imported_and_the_summary_counts_both():
    message, output = run_failing(NINJS_1, BAD / "no_headline.json")

    assert Article.objects.count() == 1
    assert "Summary: created 1, updated 0, unchanged 0, failed 1" in output
    assert message == "1 of 2 file(s) failed."


@pytest.mark.django_db
def test_second_item_failing_leaves_nothing_of_the_file_not_even_its_outlet():
    data = json.dumps(
        [
            {"uri": "urn:a", "headline": "A", "body_text": "First.", "language": "en",
             "versioncreated": "2024-06-20T00:00:00Z", "copyrightholder": "New Outlet"},
            {"uri": "urn:b", "headline": "B", "body_text": "Second.", "language": "xx",
             "versioncreated": "2024-06-20T00:00:00Z", "copyrightholder": "New Outlet"},
        ]
    ).encode()  # fmt: skip

    with pytest.raises(ImportFailed, match="item 2: unknown language code “xx”"):
        articles_import_file(data=data, name="two.json")

    assert (Article.objects.count(), Outlet.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_invalid_article_in_a_file_of_several_names_the_item_and_field():
    data = json.dumps(
        [
            {"uri": "urn:a", "headline": "A", "body_text": "First.", "language": "en"},
            {"uri": "urn:b", "headline": "B" * 301, "body_text": "Second.", "language": "en"},
        ]
    ).encode()

    with pytest.raises(ImportFailed, match=r"item 2: title: Ensure this value has at most 300"):
        articles_import_file(data=data, name="two.json", options=_defaults())

    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_missing_path_is_a_usage_error():
    with pytest.raises(CommandError, match="No such file or directory: /nowhere"):
        run("/nowhere")


@pytest.mark.django_db
def test_unknown_outlet_option_is_a_usage_error():
    with pytest.raises(CommandError, match="No outlet has the slug “nope”"):
        run(NINJS_1, outlet="nope")


# --- the admin's upload page ----------------------------------------------------------------


def upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes())


@pytest.mark.django_db
def test_upload_page_is_linked_from_the_article_list(editor_client):
    response = editor_client.get(reverse("admin:articles_article_changelist"))

    assertContains(response, reverse("admin:articles_article_import"))


@pytest.mark.django_db
def test_upload_page_is_refused_to_staff_who_may_not_add_articles(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("admin:articles_article_import"))

    assert response.status_code == 403


@pytest.mark.django_db
def test_upload_imports_the_files_as_drafts_by_the_uploader(editor_client, editor):
    response = editor_client.post(
        reverse("admin:articles_article_import"),
        {"files": [upload(NINJS_1), upload(PAGE)]},
    )

    assert response.status_code == 200
    assert Article.objects.filter(status=PublicationStatus.DRAFT).count() == 2
    assert set(Article.objects.values_list("updated_by", flat=True)) == {editor.pk}


@pytest.mark.django_db
def test_upload_shows_the_summary_and_each_failed_file_with_its_reason(editor_client):
    response = editor_client.post(
        reverse("admin:articles_article_import"),
        {"files": [upload(NINJS_1), upload(BAD / "unknown_language.json")]},
    )

    assertContains(response, "created 1")
    assertContains(response, "failed 1")
    assertContains(response, "unknown_language.json")
    assertContains(response, "unknown language code “de”")


@pytest.mark.django_db
def test_upload_without_files_is_a_form_error(editor_client):
    response = editor_client.post(reverse("admin:articles_article_import"), {})

    assert response.status_code == 200
    assert response.context["form"].errors["files"]
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_upload_uses_the_chosen_outlet_for_new_articles(editor_client):
    outlet = OutletFactory()

    editor_client.post(
        reverse("admin:articles_article_import"),
        {"files": [upload(NINJS_2)], "outlet": outlet.pk},
    )

    assert Article.objects.get().outlet == outlet
