import datetime
import json
from pathlib import Path

import pytest

from articles.imports.html import html_to_text, sanitize_html
from articles.imports.items import ItemError
from articles.imports.ninjs import article_to_ninjs, detect_version, parse_item, parse_json
from core.models import DatePrecision
from tests.factories import ArticleFactory, ClaimFactory, QuoteFactory, TopicFactory

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_item(name):
    [item] = parse_json((FIXTURES / name).read_bytes())
    return item


def minimal(**fields):
    return {"uri": "urn:test:1", "headline": "A headline", "body_text": "A body.", **fields}


# --- ninjs 1.x ------------------------------------------------------------------------------


def test_version_1_item_is_read_as_version_1():
    assert fixture_item("ninjs1_article.json").version == "1"


def test_version_1_headline_byline_and_standfirst():
    item = fixture_item("ninjs1_article.json")

    assert (item.headline, item.byline, item.standfirst) == (
        "Beijing could stop the Russia–DPRK alliance, analysts say",
        "Maria Kovalenko",
        "Experts on what the new treaty means for China.",
    )


def test_version_1_body_html_becomes_paragraphs_without_script_or_caption():
    assert fixture_item("ninjs1_article.json").body == (
        "Putin and Kim signed a treaty in Pyongyang on Wednesday.\n\n"
        "“China has the leverage to stop it,” said the expert.\nHe did not say how.\n\n"
        "Nobody knows what comes next."
    )


def test_version_1_identity_source_and_outlet():
    item = fixture_item("ninjs1_article.json")

    assert (item.uri, item.source_url, item.outlet_name, item.language, item.located) == (
        "urn:newsml:wire.example.org:20240620:treaty-china",
        "https://wire.example.org/2024/06/20/treaty-china",
        "Wire Example",
        "en-GB",
        "Kyiv",
    )


def test_version_1_published_date_is_firstcreated():
    assert fixture_item("ninjs1_article.json").published_on == datetime.date(2024, 6, 20)


def test_version_1_subjects_are_read():
    assert fixture_item("ninjs1_article.json").subjects == (
        ("Russia–DPRK treaty", "russia-dprk-treaty"),
    )


def test_version_1_body_text_is_kept_verbatim():
    item = parse_item(minimal(body_text="First line\r\nsecond line\n\nNext paragraph  "))

    assert item.body == "First line\nsecond line\n\nNext paragraph"


# --- ninjs 2.x ------------------------------------------------------------------------------


def test_version_2_item_is_read_as_version_2():
    assert fixture_item("ninjs2_article.json").version == "2"


def test_version_2_main_headline_is_taken_over_other_roles():
    assert fixture_item("ninjs2_article.json").headline == (
        "Чи може Китай зупинити союз Росії та КНДР"
    )


def test_version_2_html_body_becomes_paragraphs():
    assert fixture_item("ninjs2_article.json").body == (
        "Путін і Кім підписали договір.\n\n«Китай має важелі, щоб це зупинити», — сказав експерт."
    )


def test_version_2_by_descriptions_and_altids():
    item = fixture_item("ninjs2_article.json")

    assert (item.byline, item.standfirst, item.source_url, item.outlet_name) == (
        "Олена Петренко",
        "Що кажуть експерти.",
        "https://novyny.example.ua/dogovir",
        "Новини Приклад",
    )


def test_version_2_published_date_falls_back_to_versioncreated():
    assert fixture_item("ninjs2_article.json").published_on == datetime.date(2024, 6, 21)


def test_version_2_plain_body_is_preferred_to_html():
    item = parse_item(
        {
            "uri": "urn:test:2",
            "headlines": [{"value": "Headline"}],
            "bodies": [
                {"contenttype": "text/html", "value": "<p>Marked up</p>"},
                {"contenttype": "text/plain", "value": "Plain text"},
            ],
        }
    )

    assert item.body == "Plain text"


def test_version_is_told_by_shape_without_a_declared_standard():
    assert detect_version({"uri": "u", "headlines": [], "bodies": []}) == "2"


def test_declared_standard_version_wins_over_shape():
    assert detect_version({"uri": "u", "standard": {"version": "1.4"}, "bodies": []}) == "1"


# --- dates ----------------------------------------------------------------------------------


def test_published_date_is_the_day_in_the_items_own_offset():
    item = parse_item(minimal(firstcreated="2024-06-20T23:30:00-05:00"))

    assert item.published_on == datetime.date(2024, 6, 20)


def test_unparseable_date_names_the_property():
    with pytest.raises(ItemError, match="versioncreated “yesterday” is not an ISO 8601"):
        parse_item(minimal(versioncreated="yesterday"))


# --- what is refused ------------------------------------------------------------------------


def test_file_that_is_not_json_is_refused_with_line_and_column():
    with pytest.raises(ItemError, match=r"not valid JSON: .*\(line 2, column 1\)"):
        parse_json((FIXTURES / "bad" / "broken.json").read_bytes())


def test_item_without_headline_is_refused():
    with pytest.raises(ItemError, match="no headline"):
        parse_json((FIXTURES / "bad" / "no_headline.json").read_bytes())


def test_item_without_uri_is_refused():
    with pytest.raises(ItemError, match="no uri"):
        parse_item({"headline": "H", "body_text": "B"})


def test_item_without_body_is_refused():
    with pytest.raises(ItemError, match="no body text"):
        parse_item({"uri": "u", "headline": "H", "body_html": "<script>x()</script>"})


def test_picture_item_is_refused():
    with pytest.raises(ItemError, match="a picture item"):
        parse_item(minimal(type="picture"))


def test_wrongly_typed_property_is_refused():
    with pytest.raises(ItemError, match="`byline` must be a string, not list"):
        parse_item(minimal(byline=["A", "B"]))


def test_error_in_second_item_of_a_file_names_the_item():
    data = json.dumps([minimal(), {"uri": "u2", "body_text": "B"}])

    with pytest.raises(ItemError, match="item 2: no headline"):
        parse_json(data)


def test_empty_list_is_refused():
    with pytest.raises(ItemError, match="no news item"):
        parse_json(b"[]")


def test_file_that_is_not_utf8_is_refused():
    with pytest.raises(ItemError, match="not UTF-8"):
        parse_json(json.dumps(minimal(headline="café"), ensure_ascii=False).encode("latin-1"))


# --- HTML to text ---------------------------------------------------------------------------


def test_html_to_text_keeps_line_breaks_and_list_items_as_lines():
    html = "<p>One<br/>two</p><ul><li>first</li><li>second</li></ul>"

    assert html_to_text(html) == "One\ntwo\n\nfirst\nsecond"


def test_html_to_text_collapses_spaces_but_keeps_no_break_spaces():
    assert html_to_text("<p>  a \n b&nbsp;c  </p>") == "a b\xa0c"


def test_sanitize_html_drops_scripts_and_attributes():
    assert sanitize_html('<p onclick="x()">Hi<script>alert(1)</script></p>') == "<p>Hi</p>"


# --- writing --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_version_2_export_carries_public_quotes_with_claim_and_speaker():
    quote = QuoteFactory(claim=ClaimFactory(summary="China can stop it."))

    item = article_to_ninjs(quote.article, quotes=[quote])

    [exported] = item["kb:quotes"]
    assert exported["text"] == "China has the leverage to stop it"
    assert (exported["start"], exported["end"]) == (quote.start, quote.end)
    assert exported["claim"]["summary"] == "China can stop it."
    assert exported["speaker"]["name"] == quote.claim.speaker.display_name


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["1", "2"])
def test_exported_item_reads_back_as_the_same_article(version):
    article = ArticleFactory(
        title="Чи може Китай", language="uk", published_precision=DatePrecision.MONTH
    )
    article.topics.add(TopicFactory())

    item = parse_item(json.loads(json.dumps(article_to_ninjs(article, version=version))))

    assert (item.version, item.headline, item.body, item.byline, item.standfirst) == (
        version,
        article.title,
        article.body,
        article.byline,
        article.standfirst,
    )
    assert (item.published_on, item.published_precision, item.source_url, item.language) == (
        article.published_on,
        "month",
        article.source_url,
        "uk",
    )


def test_a_1_7_item_with_extensible_headline_and_body_names_is_read():
    """ninjs 1.5+ names extra properties `<name>_<role>[_<format>]`: `headline_main`,
    `body_richtext`, `description_summary_html` (as in the IPTC's 1.6–1.8 examples)."""
    item = {
        "$standard": {"name": "ninjs", "version": "1.7"},
        "uri": "urn:newsml:wire.example.org:20240619:treaty",
        "type": "text",
        "language": "en",
        "firstcreated": "2024-06-19T12:00:00+03:00",
        "headline_main": "Russia and North Korea sign a mutual defence treaty",
        "headline_short": "Moscow, Pyongyang sign pact",
        "description_summary_html": "<p>The pact binds both to aid each other.</p>",
        "body_richtext": "<p>Vladimir Putin and Kim Jong Un signed the treaty in Pyongyang.</p>"
        "<p>China has not commented.</p>",
    }

    parsed = parse_item(item)

    assert parsed.headline == "Russia and North Korea sign a mutual defence treaty"
    assert parsed.body == (
        "Vladimir Putin and Kim Jong Un signed the treaty in Pyongyang.\n\nChina has not commented."
    )
    assert parsed.standfirst == "The pact binds both to aid each other."


def test_a_2_1_item_carrying_its_text_only_as_a_description_is_read():
    item = {
        "$standard": {"name": "ninjs", "version": "2.1"},
        "uri": "urn:newsml:ntb.example.no:20240620:kina",
        "type": "text",
        "language": "uk",
        "headlines": [{"role": "main", "value": "Китай мовчить про договір"}],
        "descriptions": [
            {"role": "text", "contenttype": "text/plain", "value": "Пекін не коментує договір."}
        ],
    }

    parsed = parse_item(item)

    assert (parsed.headline, parsed.body, parsed.standfirst) == (
        "Китай мовчить про договір",
        "Пекін не коментує договір.",
        "",
    )
