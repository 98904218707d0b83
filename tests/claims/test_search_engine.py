"""The search engines: ranking, syntax, languages, names, facets and publication status.

These run on whichever database the suite runs on (SQLite's FTS5 or PostgreSQL); the tests of
stemming and trigram similarity are PostgreSQL's own.
"""

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from articles.models import Language
from claims.models import SearchEntry
from claims.search import results as search
from claims.search.engines import LikeEngine, engine
from core.models import PublicationStatus
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ClaimTopicFactory,
    ExpertFactory,
    NameVariantFactory,
    OutletFactory,
    ProvisionFactory,
    QuoteFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's own text search"
)

Kind = SearchEntry.Kind


def found(text, **filters):
    return [(hit.kind, hit.object.pk) for hit in search.search(text, filters=filters).hits]


def article(**fields):
    fields.setdefault("title", "Unrelated headline")
    fields.setdefault("standfirst", "")
    fields.setdefault("body", "Nothing to see in this body.")
    return ArticleFactory(**fields)


def test_a_title_match_ranks_above_a_body_match():
    in_body = article(title="Notes from the capital", body="The word sanctions sits in the body.")
    in_title = article(title="Sanctions tighten", body="Nothing else to report.")

    assert found("sanctions") == [("article", in_title.pk), ("article", in_body.pk)]


def test_every_word_must_match():
    both = article(body="Pyongyang and Moscow signed it.")
    article(body="Only Pyongyang here.")

    assert found("pyongyang moscow") == [("article", both.pk)]


def test_a_quoted_phrase_keeps_its_words_together():
    together = article(body="They promised mutual assistance at once.")
    article(body="Assistance that is mutual came later.")

    assert found('"mutual assistance"') == [("article", together.pk)]


def test_a_minus_excludes_a_word():
    kept = article(body="Beijing watched the summit.")
    article(body="Beijing and Washington watched the summit.")

    assert found("beijing -washington") == [("article", kept.pk)]


def test_a_minus_excludes_a_phrase():
    kept = article(body="The summit in Vladivostok ended.")
    article(body="The summit ended with a military parade.")

    assert found('summit -"military parade"') == [("article", kept.pk)]


def test_or_accepts_either_word():
    first = article(body="A word about Vladivostok.")
    second = article(body="A word about Khabarovsk.")
    article(body="A word about Irkutsk.")

    assert set(found("vladivostok or khabarovsk")) == {
        ("article", first.pk),
        ("article", second.pk),
    }


def test_cyrillic_is_matched_whatever_its_case():
    ukrainian = article(body="Україна та Китай обговорили договір.", language=Language.UKRAINIAN)

    assert found("КИТАЙ") == [("article", ukrainian.pk)]
    assert found("китай") == [("article", ukrainian.pk)]


def test_a_snippet_marks_the_match_and_escapes_the_text():
    article(body="The <b>treaty</b> & its annex were signed in Pyongyang.")

    hit = search.search("pyongyang").hits[0]

    assert "<mark>Pyongyang</mark>" in hit.snippet_html
    assert "treaty&lt;/b&gt; &amp; its annex" in hit.snippet_html
    assert "<b>" not in hit.snippet_html


def test_a_claim_found_by_its_quote_links_to_the_passage():
    quote = QuoteFactory(text="China has the leverage to stop it")

    hit = next(h for h in search.search("leverage").hits if h.kind == "claim")

    assert hit.url == f"{quote.article.get_absolute_url()}#quote-{quote.pk}"


def test_a_claim_found_by_its_summary_links_to_the_claim():
    claim = ClaimFactory(summary="Beijing will stay cautious.")

    hit = next(h for h in search.search("cautious").hits if h.kind == "claim")

    assert hit.url == claim.get_absolute_url()


@pytest.mark.parametrize(
    "spelling", ["Musiienko", "Musienko", "Alexander Musienko", "Мусієнко", "Oleksandr Musiyenko"]
)
def test_transliterations_find_the_expert(spelling):
    ExpertFactory(display_name="Oleksandr Kovalenko")
    expert = ExpertFactory(display_name="Oleksandr Musiienko", bio="Military lawyer.")
    NameVariantFactory(expert=expert, name="Олександр Мусієнко")
    ClaimFactory(speaker=expert)

    experts = [pk for kind, pk in found(spelling) if kind == "expert"]
    assert experts == [expert.pk]


def test_a_name_and_topic_words_find_the_expert_and_the_claim():
    expert = ExpertFactory(display_name="Oleksandr Musienko", bio="Military lawyer.")
    claim = ClaimFactory(speaker=expert, summary="China has leverage over the alliance.")
    ClaimFactory(speaker=expert, summary="The West should send a signal.")

    hits = found("Musiienko China leverage")

    assert ("expert", expert.pk) in hits
    assert [h for h in hits if h[0] == "claim"] == [("claim", claim.pk)]


@postgres_only
def test_english_plurals_are_stemmed():
    singular = article(body="The treaty was ratified.")

    assert found("treaties") == [("article", singular.pk)]


@postgres_only
def test_russian_case_endings_are_stemmed():
    russian = article(body="Россия подписала договор с КНДР.", language=Language.RUSSIAN)

    assert found("договора") == [("article", russian.pk)]
    assert found("договором") == [("article", russian.pk)]


@postgres_only
def test_ukrainian_is_not_stemmed_but_still_found():
    ukrainian = article(body="Договір про всеосяжне партнерство.", language=Language.UKRAINIAN)

    assert found("договір") == [("article", ukrainian.pk)]
    assert found("договору") == []


@postgres_only
def test_a_misspelled_name_finds_the_expert_by_trigram_similarity():
    expert = ExpertFactory(display_name="Volodymyr Fesenko")
    ClaimFactory(speaker=expert)

    assert ("expert", expert.pk) in found("Fesenkko")


def test_facets_count_the_matches_by_kind_outlet_language_year_and_topic():
    topic = TopicFactory(title="Sanctions policy")
    kyiv = OutletFactory(name="Kyiv Daily")
    london = OutletFactory(name="London Post")
    first = article(body="Sanctions now.", outlet=kyiv, language=Language.UKRAINIAN)
    first.topics.add(topic)
    article(body="Sanctions later.", outlet=kyiv, published_on=datetime.date(2023, 1, 2))
    article(body="Sanctions elsewhere.", outlet=london)
    ClaimTopicFactory(claim=ClaimFactory(summary="Sanctions will fail."), topic=topic)

    facets = search.search("sanctions").facets

    def counts(name):
        return {value.label: value.count for value in facets[name]}

    assert counts("kind") == {"Claims": 1, "Articles": 3, "Topics": 1}
    assert counts("outlet") == {"Kyiv Daily": 2, "London Post": 1}
    assert counts("language") == {"Ukrainian": 1, "English": 2}
    assert counts("year") == {"2024": 3, "2023": 1}
    assert counts("topic") == {"Sanctions policy": 3}


def test_filtering_by_a_facet_narrows_the_results_and_the_total():
    kyiv = OutletFactory(name="Kyiv Daily")
    kept = article(body="Sanctions now.", outlet=kyiv)
    article(body="Sanctions elsewhere.")

    results = search.search("sanctions", filters={"outlet": kyiv.pk})

    assert [(h.kind, h.object.pk) for h in results.hits] == [("article", kept.pk)]
    assert results.total == 1


def test_kind_counts_ignore_the_chosen_kind_so_the_tabs_stay_complete():
    article(body="Sanctions now.")
    ClaimFactory(summary="Sanctions will fail.")

    results = search.search("sanctions", filters={"kind": Kind.CLAIM})

    assert {v.value: v.count for v in results.facets["kind"]} == {"claim": 1, "article": 1}
    assert results.total == 1
    assert [h.kind for h in results.hits] == ["claim"]


@pytest.mark.parametrize(
    "status", [PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.WITHDRAWN]
)
def test_unpublished_records_never_appear(status):
    expert = ExpertFactory(display_name="Hidden Person", bio="Secretive sanctions expert.")
    draft_claim = ClaimFactory(speaker=expert, summary="Sanctions secret.", status=status)
    draft_article = article(body="Sanctions secret.", status=status)
    QuoteFactory(claim=ClaimFactory(), article=draft_article, text="Sanctions secret")

    results = search.search("sanctions secret")
    shown = {(h.kind, h.object.pk) for h in results.hits}

    assert ("claim", draft_claim.pk) not in shown
    assert ("article", draft_article.pk) not in shown
    assert ("expert", expert.pk) not in shown
    # The published claim quoting the draft article does not show the draft's text either.
    assert not any(h.kind == "claim" for h in results.hits)
    assert sum(v.count for v in results.facets.get("kind", [])) == len(results.hits)


def test_a_quote_orphaned_by_a_body_edit_is_no_longer_searchable():
    from articles.services import article_update_body

    quote = QuoteFactory(text="China has the leverage to stop it")
    assert ("claim", quote.claim.pk) in found("leverage")

    article_update_body(article=quote.article, body="The passage was rewritten entirely.")

    assert ("claim", quote.claim.pk) not in found("leverage")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("the of and", "common words"),
        ("-china", "add a word"),
        ("😀😀", "type a word"),
        ('"""', ""),
    ],
)
def test_queries_with_nothing_to_search_get_a_message_not_an_error(typed, message):
    article(body="China and the alliance.")

    results = search.search(typed)

    assert results.hits == []
    assert message in results.message


@pytest.mark.parametrize(
    "typed",
    [
        '"unbalanced quote',
        "'; DROP TABLE claims_claim; --",
        "NEAR(china alliance) AND * : ^ {col}",
        "china\x00alliance\x07",
        "china & | ! <-> :*",
        "x" * 10_000,
        "-",
        "or or or",
    ],
)
def test_hostile_queries_give_results_or_nothing_never_an_error(typed):
    kept = article(body="China and the alliance.")

    results = search.search(typed)

    assert all(h.object.pk == kept.pk for h in results.hits)


def test_long_queries_are_cut_to_the_documented_limit():
    results = search.search("alliance " * 100)

    assert results.query.truncated
    assert len(results.query.text) <= search.MAX_QUERY_CHARS


def test_matching_gives_the_api_the_same_engine():
    from articles.models import Article

    kept = article(body="Pyongyang and Moscow signed it.")
    article(body="Only Pyongyang here.")

    ids = search.matching(Kind.ARTICLE, '"pyongyang and moscow"')

    assert list(Article.objects.filter(pk__in=ids)) == [kept]
    assert search.matching(Kind.ARTICLE, "-only") is None


def test_provisions_are_found_by_heading_and_text():
    provision = ProvisionFactory(heading="Mutual military assistance", text="Help at once.")

    assert ("provision", provision.pk) in found('"mutual military assistance"')


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's fallback engine")
@override_settings(SEARCH_ENGINE="like")
def test_without_fts5_a_slower_match_still_finds_words_and_names():
    assert isinstance(engine(), LikeEngine)
    ukrainian = article(body="Україна та Китай.", language=Language.UKRAINIAN)
    expert = ExpertFactory(display_name="Oleksandr Musiienko")
    ClaimFactory(speaker=expert)

    assert found("КИТАЙ") == [("article", ukrainian.pk)]
    assert found("китай -україна") == []
    assert ("expert", expert.pk) in found("Musienko")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's fallback engine")
@override_settings(SEARCH_ENGINE="like")
def test_manage_py_check_warns_when_search_falls_back():
    from claims.search.checks import search_engine_check

    assert [m.id for m in search_engine_check(None)] == ["search.W001"]


def test_manage_py_check_is_quiet_with_a_full_text_engine():
    from claims.search.checks import search_engine_check

    assert search_engine_check(None) == []


def test_the_engine_matches_the_database():
    assert engine().name == {"postgresql": "postgresql", "sqlite": "sqlite-fts5"}[connection.vendor]


@override_settings(PUBLIC_CACHE_SECONDS=300)
def test_facets_are_reused_for_the_next_page_until_public_data_changes(
    django_capture_on_commit_callbacks,
):
    from django.core.cache import cache

    cache.clear()
    for n in range(3):
        article(title=f"Sanctions report {n}")
    with CaptureQueriesContext(connection) as page_one:
        first = search.search("sanctions", page=1, per_page=2)
    with CaptureQueriesContext(connection) as page_two:
        second = search.search("sanctions", page=2, per_page=2)

    # The facets query (and its labels') is not run again for the next page.
    assert len(page_two) < len(page_one)
    assert [(v.value, v.count) for v in second.facets["kind"]] == [("article", 3)]

    from core.services import save_stamped

    edited = article(title="Other news")
    edited.title = "Sanctions report 4"
    with django_capture_on_commit_callbacks(execute=True):
        save_stamped(edited)  # as the admin and the services save
    after = search.search("sanctions", page=1, per_page=2)

    assert first.total == second.total == 3
    assert after.total == 4
