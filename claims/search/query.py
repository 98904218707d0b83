"""What a reader typed, made safe and parsed into a query both engines understand.

The syntax is the one web search engines taught everyone: words are all required,
`"a phrase"` keeps words together, `-word` and `-"a phrase"` exclude, and `or` between two
items accepts either. Anything else is text: SQL or FTS5 operators, brackets, stars and emoji
become word separators, never syntax, so no input reaches a database as anything but data.

Queries are cut to MAX_QUERY_CHARS characters and MAX_TERMS terms (the rest is ignored and the
page says so).
"""

import re
import unicodedata
from dataclasses import dataclass, field

from experts.names import name_key

MAX_QUERY_CHARS = 200
MAX_TERMS = 12

# Words PostgreSQL's english and russian configurations drop; the SQLite engines drop them too
# so a query behaves the same on both databases. Ukrainian has no stop-word list there either.
STOP_WORDS = frozenset(
    """a an and are as at be but by for from had has have he her his i if in into is it its
    of on or our she so that the their them then there these they this to was we were what
    when where which who will with would you и в во не что он на я с со как а то все она так
    его но да ты к у же вы за бы по только ее мне было вот от меня еще нет о из ему""".split()  # noqa: SIM905
)
WORD = re.compile(r"[^\W_]+")
TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


@dataclass(frozen=True)
class Term:
    """A word or a phrase (its words in order), possibly excluded."""

    words: tuple[str, ...]
    negated: bool = False

    @property
    def is_phrase(self):
        return len(self.words) > 1

    @property
    def name_key(self):
        """The word's name key (experts/names.py) when it could be part of a name, else ""."""
        if self.is_phrase or self.negated:
            return ""
        key = name_key(self.words[0])
        return key if len(key) >= 4 and " " not in key else ""


@dataclass
class ParsedQuery:
    """`clauses` must all match; a clause matches when one of its terms does."""

    text: str
    clauses: list[list[Term]] = field(default_factory=list)
    truncated: bool = False
    stop_words_only: bool = False

    @property
    def terms(self):
        return [term for clause in self.clauses for term in clause]

    @property
    def positive(self):
        """Clauses with something to look for (a clause of exclusions only excludes)."""
        return [clause for clause in self.clauses if any(not t.negated for t in clause)]

    @property
    def searchable(self):
        return bool(self.positive)

    @property
    def name_words(self):
        """Name keys of the words that may be (part of) a person's name, for fuzzy matching."""
        keys = []
        for term in self.terms:
            if term.name_key and term.name_key not in keys:
                keys.append(term.name_key)
        return keys


def clean(text):
    """`text` without control, format and private-use characters, spaces collapsed, cut to
    MAX_QUERY_CHARS at a word boundary. Returns (cleaned, was_cut)."""
    text = "".join(
        " " if unicodedata.category(ch)[0] == "C" else ch for ch in str(text or "")[:10_000]
    )
    text = " ".join(text.split())
    if len(text) <= MAX_QUERY_CHARS:
        return text, False
    cut = text[:MAX_QUERY_CHARS]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut, True


def words_of(text):
    return tuple(word.casefold() for word in WORD.findall(text))


def parse(text):
    """The ParsedQuery for what a reader typed; never raises."""
    cleaned, truncated = clean(text)
    # An unbalanced quote mark is a typo, not the start of a phrase running to the end.
    if cleaned.count('"') % 2:
        head, _, tail = cleaned.rpartition('"')
        cleaned_for_tokens = head + " " + tail
    else:
        cleaned_for_tokens = cleaned
    query = ParsedQuery(text=cleaned, truncated=truncated)
    pending_or = False
    dropped_stop_word = False
    for match in TOKEN.finditer(cleaned_for_tokens):
        negated_phrase, phrase, token = match.groups()
        if token is not None and token.casefold() == "or":
            pending_or = bool(query.clauses)
            continue
        if token is not None:
            negated = token.startswith("-") and len(token) > 1
            words = words_of(token[1:] if negated else token)
            if not words:
                continue
            new_terms = []
            for word in words:
                if word in STOP_WORDS:
                    dropped_stop_word = True
                    continue
                new_terms.append(Term((word,), negated))
        else:
            words = words_of(phrase)
            if not words:
                continue
            if len(words) == 1 and words[0] in STOP_WORDS:
                dropped_stop_word = True
                continue
            new_terms = [Term(words, bool(negated_phrase))]
        for index, term in enumerate(new_terms):
            if pending_or and index == 0 and query.clauses:
                query.clauses[-1].append(term)
            else:
                query.clauses.append([term])
        pending_or = False
        if len(query.terms) >= MAX_TERMS:
            query.truncated = True
            break
    query.stop_words_only = dropped_stop_word and not query.clauses
    return query
