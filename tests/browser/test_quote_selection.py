"""An editor selects a passage of an article's body in the admin and makes it a quote."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from claims.models import Quote
from tests.factories import ArticleFactory, EditorFactory, ExpertFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"  # EditorFactory's
BODY = "Talks resumed.\n\nTalks resumed, officials said.\n\nNothing else."
PHRASE = "Talks resumed"
SECOND = BODY.index(PHRASE, 1)


@pytest.fixture
def base_url(transactional_db, live_server):
    return live_server.url


@pytest.fixture
def editor_page(open_page, base_url):
    """A browser page logged in to the admin as an editor, through the login form."""
    editor = EditorFactory()
    page = open_page(1280)
    page.goto(base_url + reverse("admin:login"))
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(base_url + reverse("admin:index"))
    return page


def select_in_body(page, start, end):
    """Select characters start..end of the body textarea, as a mouse drag would."""
    page.locator("#id_body").evaluate(
        "(body, [start, end]) => { body.focus(); body.setSelectionRange(start, end); }",
        [start, end],
    )


def test_editor_quotes_the_second_of_a_repeated_phrase_for_a_new_claim(editor_page, base_url):
    article = ArticleFactory(body=BODY)
    speaker = ExpertFactory(display_name="Andrei Lankov")
    page = editor_page
    page.goto(base_url + reverse("admin:articles_article_change", args=[article.pk]))

    # The newline before the phrase is selected too, as a careless drag would.
    select_in_body(page, SECOND - 1, SECOND + len(PHRASE))
    button = page.get_by_role("link", name="Create quote from selection")
    expect(button).to_have_attribute("href", re.compile(r"occurrence=2"))
    with page.expect_popup() as opened:
        button.click()
    form = opened.value

    expect(form.locator("#id_text")).to_have_value(PHRASE)
    expect(form.locator("#id_occurrence")).to_have_value("2")
    form.locator(".field-speaker .select2-selection").click()
    form.locator(".select2-search__field").fill("Lank")
    form.get_by_role("option", name="Andrei Lankov").click()
    form.locator("#id_summary").fill("Talks are back on.")
    form.get_by_role("button", name="Save", exact=True).click()

    expect(form.locator(".messagelist")).to_contain_text("was added successfully")
    quote = Quote.objects.get()
    assert (quote.article_id, quote.start, quote.end) == (article.pk, SECOND, SECOND + len(PHRASE))
    assert quote.claim.speaker == speaker


def test_selection_in_an_edited_unsaved_body_is_not_offered(editor_page, base_url):
    article = ArticleFactory(body=BODY)
    page = editor_page
    page.goto(base_url + reverse("admin:articles_article_change", args=[article.pk]))

    page.locator("#id_body").press("End")
    page.locator("#id_body").press_sequentially(" More.")
    select_in_body(page, 0, len(PHRASE))

    button = page.get_by_role("link", name="Create quote from selection")
    expect(button).not_to_have_attribute("href", re.compile(".+"))
    expect(page.locator(".quote-selection-status")).to_contain_text("unsaved changes")
