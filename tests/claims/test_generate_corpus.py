import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Language
from claims.corpus import PREFIX, max_experts
from claims.models import Claim, Quote, SearchEntry, Topic
from claims.search import documents, index
from claims.search.results import search
from core.models import PUBLIC_STATUSES, PublicationStatus
from experts.models import Expert
from experts.names import name_key
from tests.factories import ClaimFactory, ClaimTopicFactory

pytestmark = pytest.mark.django_db

ARTICLES, CLAIMS = 30, 200
CYRILLIC = re.compile("[а-яіїєґё]", re.IGNORECASE)


def generate(*args, **options):
    out, err = StringIO(), StringIO()
    call_command("generate_corpus", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def corpus():
    return generate(articles=ARTICLES, claims=CLAIMS)


def corpus_claims():
    return Claim.objects.filter(speaker__slug__startswith=PREFIX)


def corpus_articles():
    return Article.objects.filter(slug__startswith=PREFIX)


def corpus_experts():
    return Expert.objects.filter(slug__startswith=PREFIX)


def snapshot():
    """Everything a reader could tell apart in a corpus, ids left out."""
    articles = [
        (a.slug, a.title, a.standfirst, a.body, a.language, a.status, a.outlet.name)
        for a in corpus_articles().select_related("outlet").order_by("slug")
    ]
    quotes = [
        (
            q.article.slug,
            q.start,
            q.text,
            q.claim.summary,
            q.claim.status,
            q.claim.speaker.slug,
            sorted((t.topic.slug, t.stance) for t in q.claim.topic_links.all()),
            sorted(str(p.provision) for p in q.claim.provision_links.all()),
        )
        for q in Quote.objects.filter(article__slug__startswith=PREFIX)
        .select_related("article", "claim__speaker")
        .prefetch_related("claim__topic_links__topic", "claim__provision_links__provision__treaty")
        .order_by("article__slug", "start")
    ]
    experts = [
        (e.slug, e.display_name, sorted(v.name for v in e.name_variants.all()))
        for e in corpus_experts().prefetch_related("name_variants").order_by("slug")
    ]
    return articles, quotes, experts


def entries():
    return {
        (e.kind, e.object_id): (
            e.public,
            e.names,
            e.title,
            e.title_language,
            e.lead,
            e.body,
            e.language,
            e.extra,
            e.name_keys,
            e.year,
            e.outlet_id,
            sorted(t.pk for t in e.topics.all()),
        )
        for e in SearchEntry.objects.prefetch_related("topics")
    }


def test_generates_the_numbers_of_articles_and_claims_asked_for(corpus):
    assert corpus_articles().count() == ARTICLES
    assert corpus_claims().count() == CLAIMS
    assert corpus_experts().count() == 10


def test_every_claim_is_quoted_in_an_article(corpus):
    assert not corpus_claims().filter(quotes__isnull=True).exists()


def test_every_quote_is_its_article_text_at_its_offsets(corpus):
    quotes = Quote.objects.filter(claim__in=corpus_claims()).select_related("article")
    assert quotes.count() >= CLAIMS
    for quote in quotes:
        body = quote.article.body
        assert body[quote.start : quote.end] == quote.text
        assert body[: quote.start].endswith(quote.prefix)
        assert body[quote.end :].startswith(quote.suffix)


def test_articles_come_in_ukrainian_russian_and_english(corpus):
    languages = set(corpus_articles().values_list("language", flat=True))
    assert languages == {Language.UKRAINIAN, Language.RUSSIAN, Language.ENGLISH}
    russian = corpus_articles().filter(language=Language.RUSSIAN).first()
    assert CYRILLIC.search(russian.body)


def test_experts_have_latin_and_cyrillic_name_variants_with_their_keys(corpus):
    for expert in corpus_experts().prefetch_related("name_variants"):
        names = [variant.name for variant in expert.name_variants.all()]
        assert any(CYRILLIC.search(name) for name in names)
        assert any(not CYRILLIC.search(name) for name in names)
        assert expert.name_key == name_key(expert.display_name)
        for variant in expert.name_variants.all():
            assert variant.name_key == name_key(variant.name)


def test_mostly_published_with_some_drafts(corpus):
    statuses = list(corpus_claims().values_list("status", flat=True))
    public = sum(status in PUBLIC_STATUSES for status in statuses)
    assert public > CLAIMS * 0.8
    assert PublicationStatus.DRAFT in statuses


def test_stamps_are_set(corpus):
    claim = corpus_claims().first()
    assert claim.created is not None and claim.updated is not None
    published = corpus_articles().filter(status=PublicationStatus.PUBLISHED).first()
    assert published.published_at is not None


def test_search_finds_an_expert_by_a_cyrillic_spelling(corpus):
    expert = Expert.objects.public().filter(slug__startswith=PREFIX).first()
    cyrillic = next(v.name for v in expert.name_variants.all() if CYRILLIC.search(v.name))
    results = search(cyrillic, filters={"kind": SearchEntry.Kind.EXPERT})
    assert expert in [hit.object for hit in results.hits]


def test_search_finds_an_expert_by_another_latin_spelling(corpus):
    expert = Expert.objects.public().filter(slug__startswith=PREFIX).first()
    latin = next(
        v.name
        for v in expert.name_variants.order_by("-name")
        if not CYRILLIC.search(v.name) and "." not in v.name
    )
    assert latin != expert.display_name
    results = search(latin, filters={"kind": SearchEntry.Kind.EXPERT})
    assert expert in [hit.object for hit in results.hits]


def test_search_finds_a_claim_by_a_phrase_from_its_quote(corpus):
    quote = Quote.objects.public().filter(claim__in=corpus_claims()).order_by("pk")[7]
    words = [word for word in re.findall(r"\w+", quote.text) if word.isalpha()]
    phrase = " ".join(words[-5:])  # as a reader pastes it, punctuation and all ignored
    results = search(f'"{phrase}"', filters={"kind": SearchEntry.Kind.CLAIM}, per_page=100)
    assert quote.claim in [hit.object for hit in results.hits]


def test_draft_claims_are_indexed_but_never_found(corpus):
    draft = corpus_claims().filter(status=PublicationStatus.DRAFT).first()
    entry = SearchEntry.objects.get(kind=SearchEntry.Kind.CLAIM, object_id=draft.pk)
    assert entry.public is False
    results = search(f'"{draft.summary[:-1]}"', per_page=100)
    assert draft not in [hit.object for hit in results.hits]


def test_search_entries_are_what_the_index_would_write(corpus):
    written = entries()
    index.rebuild()
    assert entries() == written


def test_the_same_seed_gives_the_same_corpus():
    generate(articles=ARTICLES, claims=CLAIMS, seed=7)
    first = snapshot()
    generate("--clear", articles=ARTICLES, claims=CLAIMS, seed=7, batch_size=17)
    assert snapshot() == first


def test_another_seed_gives_another_corpus():
    generate(articles=ARTICLES, claims=CLAIMS, seed=7)
    first = snapshot()
    generate("--clear", articles=ARTICLES, claims=CLAIMS, seed=8)
    assert snapshot() != first


def test_prints_a_summary_and_a_progress_bar_on_stderr(corpus):
    out, err = corpus
    assert "claims" in out and "Done in" in out
    assert f"{ARTICLES}/{ARTICLES}" in err


def test_clear_deletes_the_corpus_and_only_the_corpus():
    call_command("load_demo", stdout=StringIO())
    demo = (Article.objects.count(), Claim.objects.count(), Expert.objects.count())
    demo_entries = SearchEntry.objects.count()
    generate(articles=ARTICLES, claims=CLAIMS)
    out, _ = generate("--clear")
    assert "Cleared the generated corpus" in out
    assert (Article.objects.count(), Claim.objects.count(), Expert.objects.count()) == demo
    assert SearchEntry.objects.count() == demo_entries
    assert not Topic.objects.filter(slug__startswith=PREFIX).exists()
    assert search("Musiienko").hits


def test_demo_data_loads_beside_a_corpus(corpus):
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Done:" in out.getvalue()
    assert corpus_claims().count() == CLAIMS


def test_clear_refuses_when_other_records_use_the_corpus(corpus):
    claim = ClaimFactory()
    ClaimTopicFactory(claim=claim, topic=Topic.objects.filter(slug__startswith=PREFIX).first())
    with pytest.raises(CommandError, match="refer to generated ones"):
        generate("--clear")
    assert corpus_claims().count() == CLAIMS


def test_a_second_corpus_needs_clear(corpus):
    with pytest.raises(CommandError, match="clear it first"):
        generate(articles=1, claims=1)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "Give --articles and --claims"),
        ({"articles": 10}, "Give both --articles and --claims"),
        ({"articles": -1, "claims": 0}, "cannot be negative"),
        ({"articles": 0, "claims": 5}, "at least one article"),
        ({"articles": 1, "claims": 1000}, "per article"),
        ({"articles": 1, "claims": 1, "experts": 0}, "at least one expert"),
        ({"articles": 1, "claims": 1, "experts": max_experts() + 1}, "at most"),
        ({"articles": 1, "claims": 1, "batch_size": 0}, "batch size"),
    ],
)
def test_bad_arguments_fail_with_a_message(options, message):
    with pytest.raises(CommandError, match=message):
        generate(**options)
    assert not corpus_articles().exists()


def test_bad_sizes_with_clear_keep_the_corpus(corpus):
    with pytest.raises(CommandError, match="cannot be negative"):
        generate("--clear", articles=-5, claims=1)
    assert corpus_claims().count() == CLAIMS


def test_a_number_that_is_not_one_fails_with_a_message():
    with pytest.raises(CommandError, match="invalid int value"):
        call_command("generate_corpus", "--articles", "many", "--claims", "3")


def test_claim_entries_are_those_the_index_would_write(corpus):
    written = {
        entry.object_id: entry
        for entry in SearchEntry.objects.filter(
            kind=SearchEntry.Kind.CLAIM, object_id__in=corpus_claims().values("pk")
        ).prefetch_related("topics")
    }
    built = documents.claims(list(written))
    fields = ["public", "title", "title_language", "body", "language", "extra", "year", "outlet_id"]

    assert len(built) == len(written) == CLAIMS
    for entry, topics in built:
        stored = written[entry.object_id]
        assert [getattr(stored, name) for name in fields] == [
            getattr(entry, name) for name in fields
        ]
        assert sorted(t.pk for t in stored.topics.all()) == topics
