"""Quotes follow their text when an article's body is edited, or become orphans (issue 6)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import article_update_body
from claims.models import QUOTE_CONTEXT_LENGTH, Claim, Quote, find_again
from claims.services import quote_create, quote_repair
from tests.factories import ArticleFactory, ClaimFactory, QuoteFactory

BODY = (
    "Putin and Kim signed a treaty.\n\n"
    "“China has the leverage to stop it,” said the expert.\n\n"
    "Nobody knows what comes next."
)
QUOTED = "China has the leverage to stop it"

# The same sentence twice, in different company.
REPEATED = (
    "In Seoul, Lee said: the West must send a signal. Analysts agree.\n\n"
    "In Tokyo, Sato said: the West must send a signal. Nobody listened."
)
PHRASE = "the West must send a signal"


def quote_in(body, text, *, occurrence=None, **article_fields):
    article = ArticleFactory(body=body, **article_fields)
    return quote_create(claim=ClaimFactory(), article=article, text=text, occurrence=occurrence)


def edit(quote, body):
    article = Article.objects.get(pk=quote.article_id)
    result = article_update_body(article=article, body=body)
    quote.refresh_from_db()
    return result


def anchored_text(quote):
    return Article.objects.get(pk=quote.article_id).body[quote.start : quote.end]


# Anchoring keeps a text-quote selector: the exact text and the words around it.


def test_anchoring_keeps_the_words_before_and_after_the_quote(db):
    quote = quote_in(BODY, QUOTED)

    assert quote.prefix == BODY[quote.start - QUOTE_CONTEXT_LENGTH : quote.start]
    assert quote.suffix == BODY[quote.end : quote.end + QUOTE_CONTEXT_LENGTH]


def test_context_is_cut_at_the_edges_of_the_body(db):
    quote = quote_in("Short body.", "Short")

    assert (quote.prefix, quote.suffix) == ("", " body.")


# Moved text.


def test_quote_follows_its_text_when_a_paragraph_is_inserted_before_it(db):
    quote = quote_in(BODY, QUOTED)

    result = edit(quote, "A new opening paragraph.\n\n" + BODY)

    assert quote.start == BODY.index(QUOTED) + len("A new opening paragraph.\n\n")
    assert anchored_text(quote) == QUOTED
    assert result.moved == [quote]


def test_quote_follows_its_text_to_another_paragraph(db):
    quote = quote_in(BODY, QUOTED)
    paragraphs = BODY.split("\n\n")

    edit(quote, "\n\n".join([paragraphs[0], paragraphs[2], paragraphs[1]]))

    assert anchored_text(quote) == QUOTED
    assert not quote.orphaned


def test_context_is_refreshed_when_the_words_around_the_quote_change(db):
    quote = quote_in(BODY, QUOTED)

    edit(quote, BODY.replace("said the expert", "the expert told us"))

    assert quote.suffix.startswith(",” the expert told us")


def test_a_quote_whose_offsets_and_context_stay_is_not_written_again(db):
    quote = quote_in(BODY + "\n\n" + "x" * 100, QUOTED)
    versions = quote.history.count()

    result = edit(quote, BODY + "\n\n" + "y" * 100)

    assert quote.history.count() == versions
    assert result.kept == [quote]


# Duplicated text: the surrounding words choose.


def test_repeated_text_keeps_the_occurrence_with_the_same_surroundings(db):
    quote = quote_in(REPEATED, PHRASE, occurrence=2)

    edit(quote, REPEATED.replace("Analysts agree.", f"Analysts agree. Kim: {PHRASE}, too."))

    assert quote.prefix.endswith("Sato said: ")
    assert anchored_text(quote) == PHRASE


def test_a_copy_of_the_quoted_sentence_pasted_above_does_not_take_the_quote(db):
    quote = quote_in(BODY, QUOTED)
    copy = f"Earlier he wrote that {QUOTED} — in a column.\n\n"

    edit(quote, copy + BODY)

    assert quote.start == len(copy) + BODY.index(QUOTED)


def test_second_occurrence_stays_second_when_text_is_added_before_both(db):
    quote = quote_in(REPEATED, PHRASE, occurrence=2)

    edit(quote, "Update: new reactions below.\n\n" + REPEATED)

    assert quote.prefix.endswith("Sato said: ")
    assert anchored_text(quote) == PHRASE


def test_equal_surroundings_go_to_the_occurrence_nearest_the_old_place():
    body = "x a x a x"
    assert find_again(body, text="a", prefix="x ", suffix=" x", near=7) == 6
    assert find_again(body, text="a", prefix="x ", suffix=" x", near=1) == 2


def test_find_again_counts_overlapping_repeats():
    assert find_again("aaaa", text="aa", prefix="a", suffix="a", near=0) == 1


# Deleted text: orphans, never look-alikes, never deletions.


def test_quote_whose_text_is_deleted_becomes_an_orphan(db):
    quote = quote_in(BODY, QUOTED)
    old = (quote.text, quote.start, quote.end, quote.prefix, quote.suffix)

    result = edit(quote, BODY.replace(f"“{QUOTED},” said the expert.\n\n", ""))

    assert quote.orphaned
    assert quote.orphaned_at is not None
    assert (quote.text, quote.start, quote.end, quote.prefix, quote.suffix) == old
    assert result.orphaned == [quote]


def test_orphan_keeps_the_edited_body_around_its_old_place(db):
    quote = quote_in(BODY, QUOTED)

    edit(quote, BODY.replace(QUOTED, "Beijing could stop it"))

    assert "Beijing could stop it" in quote.orphaned_context


def test_look_alike_text_is_not_taken(db):
    quote = quote_in(BODY, QUOTED)

    edit(quote, BODY.replace(QUOTED, "China has the leverage to stop It"))

    assert quote.orphaned


def test_text_changed_by_one_letter_orphans_the_quote(db):
    quote = quote_in(BODY, QUOTED)

    edit(quote, BODY.replace("leverage", "leverages"))

    assert quote.orphaned


def test_nothing_is_deleted_when_quotes_are_orphaned(db):
    quote = quote_in(BODY, QUOTED)
    QuoteFactory(article=quote.article, text="Nobody knows")

    edit(quote, "Everything was rewritten.")

    assert Quote.objects.filter(article=quote.article_id).count() == 2
    assert Quote.objects.orphans().count() == 2


def test_orphan_whose_text_comes_back_is_anchored_again(db):
    quote = quote_in(BODY, QUOTED)
    edit(quote, "Everything was rewritten.")

    result = edit(quote, "Restored.\n\n" + BODY)

    assert not quote.orphaned
    assert quote.orphaned_at is None
    assert anchored_text(quote) == QUOTED
    assert result.restored == [quote]


def test_orphan_whose_text_is_still_missing_is_left_as_it_was(db):
    quote = quote_in(BODY, QUOTED)
    edit(quote, "Everything was rewritten.")
    orphaned_at = quote.orphaned_at

    result = edit(quote, "Everything was rewritten twice.")

    assert quote.orphaned_at == orphaned_at
    assert result.still_orphaned == [quote]


# Non-ASCII text: offsets count characters.


def test_non_ascii_quote_follows_its_text_counting_characters(db):
    body = "Україна і КНДР.\n\n«Китай має важелі», — сказав Мусієнко.\n\nДалі буде."
    quote = quote_in(body, "Китай має важелі", language="uk")

    edit(quote, "Оновлено 🇺🇦 — ще коментарі.\n\n" + body)

    assert anchored_text(quote) == "Китай має важелі"
    assert quote.start == len("Оновлено 🇺🇦 — ще коментарі.\n\n") + body.index("Китай")


def test_non_ascii_repeated_phrase_is_told_apart_by_its_context(db):
    body = "Ланьков: Пекін мовчить. Потім.\n\nМусієнко: Пекін мовчить. Кінець."
    quote = quote_in(body, "Пекін мовчить", occurrence=2, language="uk")

    edit(quote, body.replace("Потім.", "Потім: Пекін мовчить, кажуть."))

    assert quote.prefix.endswith("Мусієнко: ")
    assert anchored_text(quote) == "Пекін мовчить"


# One transaction.


def test_body_and_quotes_are_saved_together_or_not_at_all(db):
    quote = quote_in(BODY, QUOTED)
    article = Article.objects.get(pk=quote.article_id)
    article.title = ""  # invalid: nothing of the edit may be written

    with pytest.raises(ValidationError):
        article_update_body(article=article, body="Everything was rewritten.")

    quote.refresh_from_db()
    assert Article.objects.get(pk=article.pk).body == BODY
    assert not quote.orphaned


def test_other_changes_of_the_article_are_saved_with_the_body(db):
    quote = quote_in(BODY, QUOTED)
    article = Article.objects.get(pk=quote.article_id)
    article.title = "A new title"

    article_update_body(article=article, body=BODY + "\n\nMore.")

    assert Article.objects.get(pk=article.pk).title == "A new title"


# Repair.


def test_editor_repairs_an_orphan_by_choosing_the_new_passage(db):
    quote = quote_in(BODY, QUOTED)
    edit(quote, BODY.replace(QUOTED, "China could stop it"))

    quote_repair(quote=quote, text="China could stop it")

    quote.refresh_from_db()
    assert not quote.orphaned
    assert quote.text == "China could stop it"
    assert anchored_text(quote) == "China could stop it"


def test_repair_picks_the_chosen_occurrence(db):
    quote = quote_in(BODY, QUOTED)
    edit(quote, REPEATED)

    quote_repair(quote=quote, text=PHRASE, occurrence=2)

    quote.refresh_from_db()
    assert quote.start == REPEATED.rindex(PHRASE)


def test_repair_with_text_missing_from_the_body_is_refused_and_changes_nothing(db):
    quote = quote_in(BODY, QUOTED)
    edit(quote, "Everything was rewritten.")

    with pytest.raises(ValidationError):
        quote_repair(quote=quote, text="Words nobody wrote")

    quote.refresh_from_db()
    assert quote.orphaned
    assert quote.text == QUOTED


def test_saving_an_orphan_again_does_not_re_anchor_it(db):
    quote = quote_in(BODY, QUOTED)
    edit(quote, "Everything was rewritten.")

    quote.full_clean()
    quote.save()

    quote.refresh_from_db()
    assert quote.orphaned


# Hidden from readers.


@pytest.fixture
def orphan(db):
    quote = quote_in(BODY, QUOTED)
    edit(quote, BODY.replace(QUOTED, "Beijing could stop it"))
    return quote


def test_orphans_are_not_public(orphan):
    assert not Quote.objects.public().filter(pk=orphan.pk).exists()


def test_orphan_is_not_highlighted_on_the_article_page(client, orphan):
    response = client.get(orphan.article.get_absolute_url())

    assert f'id="quote-{orphan.pk}"' not in response.content.decode()


def test_orphan_is_not_highlighted_for_staff_either(editor_client, orphan):
    response = editor_client.get(orphan.article.get_absolute_url())

    assert f'id="quote-{orphan.pk}"' not in response.content.decode()


def test_orphan_is_not_shown_on_its_claim_page(client, orphan):
    response = client.get(orphan.claim.get_absolute_url())

    assert QUOTED not in response.content.decode()


def test_orphan_is_not_in_the_api_quote_list(client, orphan):
    response = client.get(reverse("api:quote-list"))

    assert orphan.pk not in [item["id"] for item in response.json()["results"]]


def test_orphan_is_not_embedded_in_the_api_claim(client, orphan):
    response = client.get(reverse("api:claim-detail", kwargs={"pk": orphan.claim_id}))

    assert response.json()["quotes"] == []


def test_orphan_does_not_count_among_the_article_s_quotes(orphan):
    article = Article.objects.with_quote_counts().get(pk=orphan.article_id)

    assert article.quote_count == 0


def test_orphan_does_not_make_its_claim_quoted_in_the_article(orphan):
    articles = Article.objects.filter(pk=orphan.article_id)

    assert not Claim.objects.quoted_in(articles).exists()


def test_orphan_text_is_not_found_by_search(client, orphan):
    response = client.get(reverse("search"), {"q": "leverage to stop"})

    assert orphan.claim.summary not in response.content.decode()


# The database trigger, as left by all migrations.


def test_database_still_refuses_an_anchored_quote_that_does_not_match(db):
    quote = quote_in(BODY, QUOTED)

    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.filter(pk=quote.pk).update(start=quote.start + 1, end=quote.end + 1)


def test_database_accepts_an_orphan_that_no_longer_matches(db):
    quote = quote_in(BODY, QUOTED)
    Article.objects.filter(pk=quote.article_id).update(body="Everything was rewritten.")

    Quote.objects.filter(pk=quote.pk).update(orphaned=True, orphaned_at=timezone.now())

    assert Quote.objects.get(pk=quote.pk).orphaned


def test_database_refuses_to_unorphan_a_quote_that_does_not_match(db):
    quote = quote_in(BODY, QUOTED)
    Article.objects.filter(pk=quote.article_id).update(body="Everything was rewritten.")
    Quote.objects.filter(pk=quote.pk).update(orphaned=True, orphaned_at=timezone.now())

    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.filter(pk=quote.pk).update(orphaned=False, orphaned_at=None)


def test_database_refuses_an_orphan_without_its_date(db):
    quote = quote_in(BODY, QUOTED)

    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.filter(pk=quote.pk).update(orphaned=True)


def test_the_anchor_triggers_exist_after_all_migrations(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'claims_quote'::regclass "
                "AND NOT tgisinternal"
            )
            expected = {"claims_quote_anchor"}
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master "
                "WHERE type = 'trigger' AND tbl_name = 'claims_quote'"
            )
            expected = {"claims_quote_anchor_insert", "claims_quote_anchor_update"}
        assert {row[0] for row in cursor.fetchall()} >= expected


# Look-alike text: the quote's own passage is gone, the same words stand elsewhere.

LOOK_ALIKE = (
    "Оглядач Мусієнко зазначив: «Китай не підтримає цей договір відкрито». Далі він говорив "
    "про санкції.\n\n"
    "Наприкінці ефіру ведучий повторив: «Китай не підтримає цей договір відкрито» — і "
    "попрощався з глядачами."
)
LOOK_ALIKE_QUOTE = "Китай не підтримає цей договір відкрито"


def test_a_deleted_passage_is_orphaned_even_when_its_words_stand_elsewhere(db):
    quote = quote_in(LOOK_ALIKE, LOOK_ALIKE_QUOTE, occurrence=1)
    without_it = LOOK_ALIKE.split("\n\n", 1)[1]

    result = edit(quote, without_it)

    assert result.orphaned == [quote]
    assert quote.orphaned
    assert quote.text == LOOK_ALIKE_QUOTE


def test_a_passage_that_plainly_moved_is_followed_to_its_new_place(db):
    body = (
        "Как отметил политолог Фесенко, «договор закрепляет военный союз двух режимов».\n\n"
        "Пекин пока молчит."
    )
    quote = quote_in(body, "договор закрепляет военный союз двух режимов")
    # The paragraph is rewritten around the quote: no word beside it is the same.
    moved = (
        "Пекин пока молчит.\n\n"
        "Эксперт подчеркнул в эфире: «договор закрепляет военный союз двух режимов», "
        "и это видно по срокам."
    )

    result = edit(quote, moved)

    assert result.moved == [quote]
    assert anchored_text(quote) == "договор закрепляет военный союз двух режимов"


def test_the_lone_copy_of_a_deleted_repeat_does_not_take_the_quote(db):
    quote = quote_in(REPEATED, PHRASE, occurrence=1)
    # Lee's sentence is cut and rewritten; Sato's identical words are another passage.
    edited = REPEATED.replace(
        "In Seoul, Lee said: the West must send a signal. Analysts agree.",
        "In Seoul, Lee declined to comment.",
    )

    result = edit(quote, edited)

    assert result.orphaned == [quote]
    assert edited.count(PHRASE) == 1


def test_find_again_without_the_previous_body_takes_only_text_with_its_context():
    body = "Intro.\n\nAt the close the host repeated: the treaty binds them. Goodbye."

    text = "the treaty binds them"

    assert find_again(body, text=text, prefix="host repeated: ", suffix=". Analysts agree") == 40
    assert find_again(body, text=text, prefix="Lee said: ", suffix=". Analysts agree") is None
