"""A synthetic knowledge base for load tests and benchmarks (`manage.py generate_corpus`).

`generate_corpus()` writes outlets in three languages, experts with their names in Latin and
Cyrillic spellings, topics, treaties with provisions, and articles whose bodies quote the
claims made in them: every quote is the body's text at its offsets, so the database trigger
that guards quotes accepts it. Text comes from small parallel word banks (Ukrainian, Russian,
English) drawn with Zipf weights, so some words are everywhere and some almost nowhere; a
claim's English summary says what its quote says.

The same options and `seed` give the same corpus. Rows are written with bulk_create in batches,
each batch in its own transaction with its search entries (bulk_create skips the signals that
keep the index current), so memory stays bounded whatever the size. Every generated record is
marked: its slug, or the slug of the record it belongs to, starts with PREFIX, which is how
`clear_corpus()` finds them without touching the demo data or an editor's work.

The package: words.py holds the word banks (data), text.py makes names and sentences from them,
generator.py draws the records, writer.py writes them and clears them.
"""

from articles.models import Article
from claims.models import Topic
from experts.models import Expert

from .generator import MAX_CLAIMS_PER_ARTICLE, Generator
from .text import max_experts
from .writer import PREFIX, CorpusError, clear_corpus, purge_public_caches, vacuum

DEFAULT_SEED = 2024
DEFAULT_BATCH_SIZE = 5000

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_SEED",
    "PREFIX",
    "CorpusError",
    "check_sizes",
    "clear_corpus",
    "corpus_exists",
    "default_experts",
    "generate_corpus",
    "max_experts",
]


def generate_corpus(
    *,
    articles,
    claims,
    experts=None,
    seed=DEFAULT_SEED,
    batch_size=DEFAULT_BATCH_SIZE,
    progress=None,
):
    """Write a corpus of `articles` articles quoting `claims` claims; returns {model: rows}.

    `progress(articles_done, claims_done)` is called after each batch. Raises CorpusError for
    sizes that cannot be made, or when a corpus is already there (clear it first).
    """
    experts = default_experts(claims) if experts is None else experts
    check_sizes(articles=articles, claims=claims, experts=experts, batch_size=batch_size)
    if corpus_exists():
        raise CorpusError("A generated corpus is already in the database; clear it first.")
    generator = Generator(seed=seed, batch_size=batch_size)
    counts = generator.run(articles=articles, claims=claims, experts=experts, progress=progress)
    vacuum(counts)
    purge_public_caches("corpus generated")
    return counts


def check_sizes(*, articles, claims, experts, batch_size):
    """Raise CorpusError when these sizes cannot make a corpus."""
    if articles < 0 or claims < 0:
        raise CorpusError("The numbers of articles and claims cannot be negative.")
    if claims and not articles:
        raise CorpusError("Claims are quoted in articles: ask for at least one article.")
    if claims > articles * MAX_CLAIMS_PER_ARTICLE:
        raise CorpusError(
            f"{claims} claims in {articles} articles is more than "
            f"{MAX_CLAIMS_PER_ARTICLE} quoted claims per article; ask for more articles."
        )
    if experts < 1:
        raise CorpusError("There must be at least one expert.")
    if experts > max_experts():
        raise CorpusError(
            f"The name banks make at most {max_experts()} experts with distinct names; "
            f"{experts} were asked for."
        )
    if batch_size < 1:
        raise CorpusError("The batch size must be at least 1.")


def default_experts(claims):
    """The number of experts for `claims` claims when none is asked for."""
    return max(10, min(2000, claims // 50))


def corpus_exists():
    """Whether any generated record is in the database."""
    return (
        Article.objects.filter(slug__startswith=PREFIX).exists()
        or Expert.objects.filter(slug__startswith=PREFIX).exists()
        or Topic.objects.filter(slug__startswith=PREFIX).exists()
    )
