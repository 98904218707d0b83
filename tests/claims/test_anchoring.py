"""A pasted quote is found when it differs from the body only in typography, and is stored as
the body's own text; anything else is refused with the closest passage and its differences."""

import pytest
from django.core.exceptions import ValidationError

from claims.anchoring import locate
from claims.services import quote_create
from tests.factories import ArticleFactory, ClaimFactory

# A page as saved by a newsroom: curly quotes, an ellipsis, a non-breaking space, a soft hyphen
# and an em dash, in English, Ukrainian and Russian paragraphs.
BODY = (
    "Skip to main content\n\n"
    "“China won’t sign on\u00a0to the pact… not openly,” said Andrei Lankov — a Kookmin "
    "University professor.\n\n"
    "Олександр Мусієнко наголосив: «Китай не буде від\u00adкрито підтримувати цей договір» — "
    "і додав, що Пекін чекає.\n\n"
    "Владимир Фесенко считает, что «договор — это военный союз двух режимов, а не "
    "декларация».\n\n"
    "Read also: Seoul reacts"
)

TYPOGRAPHIC_VARIANTS = {
    "straight quotes and apostrophe": '"China won\'t sign on to the pact… not openly,"',
    "three dots for the ellipsis": "“China won’t sign on\u00a0to the pact... not openly,”",
    "a plain space for the non-breaking one": "“China won’t sign on to the pact… not openly,”",
    "a line break inside the sentence": "“China won’t sign on\nto the pact… not openly,”",
    "a double space": "“China won’t sign  on\u00a0to the pact… not openly,”",
    "HTML entities": "&ldquo;China won&rsquo;t sign on&nbsp;to the pact&hellip; not openly,&rdquo;",
    "no soft hyphen": "Китай не буде відкрито підтримувати цей договір",
    "straight quotes around Cyrillic": '"Китай не буде від\u00adкрито підтримувати цей договір"',
    "a hyphen for the dash": "договор - это военный союз двух режимов",
    "an en dash for the em dash": "договор – это военный союз двух режимов",
}


@pytest.mark.parametrize("pasted", TYPOGRAPHIC_VARIANTS.values(), ids=TYPOGRAPHIC_VARIANTS)
def test_a_paste_differing_only_in_typography_is_anchored_as_the_body_reads(db, pasted):
    article = ArticleFactory(body=BODY)

    quote = quote_create(claim=ClaimFactory(), article=article, text=pasted)

    assert quote.text == article.body[quote.start : quote.end]
    assert quote.text != pasted.strip()
    assert not quote.orphaned


def test_an_exact_paste_is_stored_unchanged(db):
    article = ArticleFactory(body=BODY)
    text = "«Китай не буде від\u00adкрито підтримувати цей договір»"

    quote = quote_create(claim=ClaimFactory(), article=article, text=text)

    assert quote.text == text
    assert quote.start == BODY.index(text)


def test_the_chosen_occurrence_is_found_across_typography():
    body = "He said “no deal.” Later he said “no deal.” again."

    start, end = locate(body, '"no deal."', occurrence=2)

    assert (start, end) == (33, 43)
    assert body[start:end] == "“no deal.”"


def test_a_changed_word_is_refused_with_the_closest_passage_and_the_difference_marked(db):
    article = ArticleFactory(title="Lankov on the pact", body=BODY)
    pasted = "“China will not sign on to the pact… not openly,”"

    with pytest.raises(ValidationError) as refused:
        quote_create(claim=ClaimFactory(), article=article, text=pasted)

    message = refused.value.message_dict["text"][0]
    assert message.startswith("This text is not found in the body of “Lankov on the pact”.")
    assert (
        "The closest passage in the body reads ““China ⟦won’t⟧ sign on to the pact… not "
        "openly,””; the pasted text reads ““China ⟦will not⟧ sign on to the pact… not openly,”” "
        "(differing words marked ⟦ ⟧)." in message
    )


def test_a_changed_word_in_ukrainian_is_refused_naming_the_passage(db):
    article = ArticleFactory(body=BODY)

    with pytest.raises(ValidationError) as refused:
        quote_create(
            claim=ClaimFactory(),
            article=article,
            text="Китай не буде відкрито засуджувати цей договір",
        )

    message = refused.value.message_dict["text"][0]
    assert (
        "reads “«Китай не буде від\u00adкрито ⟦підтримувати⟧ цей договір»”; the pasted text "
        "reads “Китай не буде відкрито ⟦засуджувати⟧ цей договір”" in message
    )


def test_text_sharing_nothing_with_the_body_is_refused_without_a_passage(db):
    article = ArticleFactory(title="Lankov on the pact", body=BODY)

    with pytest.raises(ValidationError) as refused:
        quote_create(claim=ClaimFactory(), article=article, text="Words nobody wrote")

    assert refused.value.message_dict["text"] == [
        "This text is not found in the body of “Lankov on the pact”. A quote must be copied "
        "from the article: only quote marks, dashes, spaces and line breaks may differ."
    ]
