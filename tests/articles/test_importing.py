import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from articles.imports.items import parse_partial_date
from articles.imports.text import clean_page
from articles.models import Article
from core.models import DatePrecision, PublicationStatus
from tests.factories import ArticleFactory, OutletFactory, QuoteFactory

SEEDS = settings.BASE_DIR / "demo" / "seeds"
SEED_24 = SEEDS / "000_b0add6af65230c12.txt"
SEED_RBC = SEEDS / "001_290b26497d8ee592.txt"


def seed(path):
    return clean_page(path.read_text(encoding="utf-8"))


def body_lines(page):
    return page.body.split("\n")


# --- the two seed pages -------------------------------------------------------------------


def test_seed_24_channel_title():
    assert seed(SEED_24).title == (
        "There are risks: why China does not benefit from the Russia-DPRK alliance"
    )


def test_seed_rbc_title():
    assert seed(SEED_RBC).title == (
        "What country may be potential obstacle to North Korea-Russia alliance: Expert insights"
    )


def test_seed_24_channel_header_chrome_is_gone():
    page = seed(SEED_24)
    assert not page.body.startswith("Home")
    assert "by alex" not in body_lines(page)
    assert "Victoria Grabovskaya" not in page.body


def test_seed_24_channel_body_starts_with_the_story():
    assert seed(SEED_24).body.startswith("Vladimir Putin during the visit North Korea signed")


def test_seed_24_channel_trailing_chrome_is_gone():
    page = seed(SEED_24)
    assert "You may also like" not in page.body
    assert "Leave a Comment" not in page.body


def test_seed_24_channel_byline_is_found_in_the_glued_title():
    assert seed(SEED_24).byline == "Victoria Grabovskaya"


def test_seed_24_channel_keeps_quote_verbatim():
    assert (
        "“If China needs to prevent the alliance between Russia and North Korea, it has the "
        "leverage to do so." in seed(SEED_24).body
    )


def test_seed_24_channel_keeps_translation_slips():
    assert "Probably not very much I’m happy that such strategic alliances" in seed(SEED_24).body


def test_seed_24_channel_keeps_bullets_as_lines():
    lines = body_lines(seed(SEED_24))
    assert lines[-2].startswith("• providing mutual assistance")
    assert lines[-1].startswith("• Russia “does not exclude the possibility”")


def test_seed_rbc_language_switcher_and_caption_are_gone():
    page = seed(SEED_RBC)
    assert "ua en ru" not in page.body
    assert "(Photo: Getty Images)" not in page.body


def test_seed_rbc_body_starts_with_the_story():
    assert seed(SEED_RBC).body.startswith("Russia may attempt to improve relations")


def test_seed_rbc_has_no_byline():
    assert seed(SEED_RBC).byline == ""


def test_seed_rbc_keeps_last_paragraph():
    assert seed(SEED_RBC).body.endswith("can be found in RBC-Ukraine article.")


def test_seed_bodies_have_one_blank_line_between_paragraphs_and_no_trailing_spaces():
    for path in (SEED_24, SEED_RBC):
        body = seed(path).body
        assert "\n\n\n" not in body
        assert all(line == line.rstrip() for line in body.split("\n"))


# --- one rule at a time ---------------------------------------------------------------------

STORY = "The story begins here."


def test_breadcrumb_is_removed():
    page = clean_page(f"Home » World » Big news\n\nBig news\n\n{STORY}")
    assert (page.title, page.body) == ("Big news", STORY)


def test_breadcrumb_leaf_is_the_title_when_no_other_headline():
    page = clean_page(f"Home » Big news\n\n{STORY}")
    assert (page.title, page.body) == ("Big news", STORY)


def test_language_switcher_is_removed():
    page = clean_page(f"UA | EN | RU\n\nBig news\n\n{STORY}")
    assert (page.title, page.body) == ("Big news", STORY)


def test_uploader_line_is_removed_without_becoming_the_byline():
    page = clean_page(f"Big news\n\nby alex\n\n{STORY}")
    assert (page.body, page.byline) == (STORY, "")


def test_by_line_with_a_person_name_becomes_the_byline():
    page = clean_page(f"Big news\n\nBy Anna Smith\n\n{STORY}")
    assert (page.body, page.byline) == (STORY, "Anna Smith")


def test_exact_title_repeat_is_removed():
    page = clean_page(f"Big news today\n\nBig news today\n\n{STORY}")
    assert page.body == STORY


def test_title_repeat_with_glued_byline_is_removed_and_gives_the_byline():
    page = clean_page(f"Big news today\n\nBig news today Anna Smith\n\n{STORY}")
    assert (page.body, page.byline) == (STORY, "Anna Smith")


def test_reworded_title_repeat_with_glued_byline_gives_the_byline():
    page = clean_page(
        "Why China stays away from the deal\n\n"
        "Why China stays away from the new deal Anna Smith\n\n"
        f"{STORY}"
    )
    assert (page.body, page.byline) == (STORY, "Anna Smith")


def test_title_repeat_with_glued_photo_caption_is_removed():
    page = clean_page(
        f"Big news today\n\nBig news today The leader of China, Xi Jinping (Photo: AP)\n\n{STORY}"
    )
    assert (page.body, page.byline) == (STORY, "")


def test_trailing_markers_cut_everything_after():
    page = clean_page(f"Big news\n\n{STORY}\n\nYou may also like\n\nOther story\n\nLeave a Reply")
    assert page.body == STORY


def test_chrome_like_lines_inside_the_story_are_kept():
    text = f"Big news\n\n{STORY}\n\nby alex\n\nHome » World"
    assert clean_page(text).body == f"{STORY}\n\nby alex\n\nHome » World"


def test_newlines_are_lf_and_paragraphs_have_one_blank_line():
    page = clean_page("Big news\r\n\r\nFirst.  \r\n\r\n\r\n\r\nSecond.\r\n")
    assert page.body == "First.\n\nSecond."


def test_bullet_lines_lose_their_indent_and_stay_lines():
    page = clean_page(f"Big news\n\n{STORY}\n\n  • one;\n\t• two.")
    assert page.body == f"{STORY}\n\n• one;\n• two."


def test_inner_spacing_and_quote_marks_are_kept():
    page = clean_page("Big news\n\n“It is ‘so’,”  he said — twice.")
    assert page.body == "“It is ‘so’,”  he said — twice."


def test_page_starting_with_a_sentence_has_no_title():
    page = clean_page("This is a sentence, not a headline.\n\nAnother one.")
    assert page.title == ""


def test_removed_blocks_are_reported_with_their_rule():
    page = clean_page(f"ua en\n\nBig news\n\n{STORY}\n\nLeave a Comment")
    assert page.removed == (
        ("language switcher", "ua en"),
        ("trailing site text", "Leave a Comment"),
    )


# --- dates ----------------------------------------------------------------------------------


def test_month_date_gets_month_precision_and_day_one():
    assert parse_partial_date("2024-06") == (datetime.date(2024, 6, 1), DatePrecision.MONTH)


def test_year_date_gets_year_precision():
    assert parse_partial_date("2024") == (datetime.date(2024, 1, 1), DatePrecision.YEAR)


def test_full_date_gets_day_precision():
    assert parse_partial_date("2024-06-20") == (datetime.date(2024, 6, 20), DatePrecision.DAY)


@pytest.mark.parametrize("value", ["June 2024", "2024-13", "2024-02-30", ""])
def test_bad_date_is_refused(value):
    with pytest.raises(ValueError):
        parse_partial_date(value)


# --- the import_article command -------------------------------------------------------------


@pytest.fixture
def outlet(db):
    return OutletFactory(slug="24-channel", name="24 Channel")


def run_import(*args, **options):
    out = StringIO()
    call_command("import_article", *args, stdout=out, **options)
    return out.getvalue()


def import_seed(**options):
    defaults = {"outlet": "24-channel", "language": "en", "published": "2024-06"}
    return run_import(str(SEED_24), **(defaults | options))


def test_import_creates_a_draft_article(outlet):
    import_seed()
    article = Article.objects.get()
    assert (article.title, article.status, article.outlet) == (
        "There are risks: why China does not benefit from the Russia-DPRK alliance",
        PublicationStatus.DRAFT,
        outlet,
    )


def test_import_stores_the_cleaned_body(outlet):
    import_seed()
    assert Article.objects.get().body == seed(SEED_24).body


def test_import_sets_month_precision(outlet):
    import_seed()
    article = Article.objects.get()
    assert (article.published_on, article.published_precision) == (
        datetime.date(2024, 6, 1),
        DatePrecision.MONTH,
    )


def test_import_uses_given_slug_source_url_and_byline(outlet):
    import_seed(slug="china-risks", source_url="https://24tv.ua/x", byline="V. G.")
    article = Article.objects.get()
    assert (article.slug, article.source_url, article.byline) == (
        "china-risks",
        "https://24tv.ua/x",
        "V. G.",
    )


def test_import_defaults_slug_from_title_and_byline_from_page(outlet):
    import_seed()
    article = Article.objects.get()
    assert (article.slug, article.byline) == (
        "there-are-risks-why-china-does-not-benefit-from-the-russia-dprk-alliance",
        "Victoria Grabovskaya",
    )


def test_import_prints_what_it_created_and_removed(outlet):
    output = import_seed()
    assert "Created draft article" in output
    assert "[uploader] by alex" in output


def test_import_of_missing_file_fails(outlet):
    with pytest.raises(CommandError, match="No such file"):
        run_import("/nonexistent/page.txt", outlet="24-channel", language="en", published="2024")
    assert not Article.objects.exists()


def test_import_with_unknown_outlet_fails(outlet):
    with pytest.raises(CommandError, match="No outlet has the slug “nope”"):
        import_seed(outlet="nope")
    assert not Article.objects.exists()


def test_import_with_bad_date_fails(outlet):
    with pytest.raises(CommandError, match="--published"):
        import_seed(published="June 2024")
    assert not Article.objects.exists()


def test_a_slug_another_story_holds_gets_a_suffix(outlet):
    ArticleFactory(slug="china-risks")

    import_seed(slug="china-risks")

    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "china-risks",
        "china-risks-2",
    ]


def test_importing_the_same_page_again_updates_its_article_instead_of_duplicating(outlet):
    import_seed(source_url="https://24tv.ua/x")
    article = Article.objects.get()
    quote = QuoteFactory(article=article, text=article.body.split("\n\n")[1][:60].strip())

    output = import_seed(source_url="https://24tv.ua/x", byline="V. Grabovska")

    assert Article.objects.count() == 1
    assert f"Updated article #{article.pk}" in output
    assert "(byline)" in output
    quote.refresh_from_db()
    assert not quote.orphaned


def test_a_known_source_url_updates_that_article_and_reports_its_quotes(outlet, tmp_path):
    import_seed(source_url="https://24tv.ua/x")
    article = Article.objects.get()
    QuoteFactory(article=article, text=article.body.split("\n\n")[1][:60].strip())
    shorter = tmp_path / "page.txt"
    shorter.write_text(
        f"{article.title}\n\nThe story was rewritten from scratch by the desk.\n",
        encoding="utf-8",
    )

    output = run_import(
        str(shorter),
        outlet="24-channel",
        language="en",
        published="2024-06",
        source_url="https://24tv.ua/x",
    )

    assert Article.objects.count() == 1
    assert "(body)" in output
    assert "quotes: 1 orphaned" in output


def test_the_same_title_outlet_and_date_is_the_same_story_without_an_address(outlet):
    import_seed()
    import_seed()

    assert Article.objects.count() == 1


def test_import_of_page_with_nothing_left_fails(outlet, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("ua en ru\n\nBig news\n\nYou may also like\n\nOther story\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing of the page is left"):
        run_import(str(path), outlet="24-channel", language="en", published="2024")
    assert not Article.objects.exists()


def test_by_line_that_is_a_title_is_not_taken_for_an_uploader():
    page = clean_page(f"By the sea\n\n{STORY}")
    assert (page.title, page.body) == ("By the sea", STORY)


def test_acronym_before_glued_name_stays_out_of_the_byline():
    page = clean_page(
        f"Kim and Putin sign a pact\n\nKim and Putin signed a pact in DPRK Anna Smith\n\n{STORY}"
    )
    assert page.byline == "Anna Smith"


def test_caption_glued_after_exact_title_gives_no_byline():
    page = clean_page(
        f"Big news today\n\nBig news today The leader of China, Xi Jinping\n\n{STORY}"
    )
    assert (page.body, page.byline) == (STORY, "")
