"""The search engines: one class per database, each turning a ParsedQuery into SQL over the
entries of claims.SearchEntry.

Every engine answers the same three questions, and claims/search/results.py builds the result
page, the facets and the API filters from the answers alone:

- `where(query)`: a condition on the entry `e` that holds when it matches;
- `rank(query)`: an expression ranking a match, higher is better;
- `snippets(query, ids)`: the title and a passage of each entry with the matches marked.

That seam is also where an external engine (OpenSearch, Elasticsearch) would plug in when the
database's own full-text search no longer meets its budget (docs/deploy.md).
"""

import logging
import sqlite3
import unicodedata
from contextlib import closing
from functools import cache

from django.conf import settings
from django.db import connection

from .query import STOP_WORDS

logger = logging.getLogger(__name__)

TABLE = "claims_searchentry"
FTS_TABLE = "claims_searchentry_fts"
# Private-use characters mark matches in snippets; parse() strips them from queries, so they
# cannot be smuggled in, and the page turns them into <mark> after escaping the text.
MARK_START = "\ue000"
MARK_END = "\ue001"
LT_STANDIN = "\ue002"
AMP_STANDIN = "\ue003"
# A person named in the query ranks like a good title match.
NAME_MATCH_WEIGHT = 0.8


def fold(value):
    """Case and accents folded, for the slow engine's comparisons (SQLite's LIKE folds ASCII
    only, so it would miss Кривонос/кривонос)."""
    if value is None:
        return None
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    # Keep й and ї: only strip marks from Latin letters, as unicode61 remove_diacritics does.
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def best_name_matches(engine, query):
    """(sql, params): the condition on entry `e` for experts found by their names alone.

    An expert matches when one of the query's words is close to one of their names (trigram
    similarity on PostgreSQL, an equal name key on SQLite) and no other expert matches more of
    the words: "Alexander Musienko" finds Musienko, not every Alexander, while "Oleksandr"
    alone finds them all and "Musiienko China leverage" still finds Musienko.
    """

    def score(alias):
        parts, params = [], []
        for word in query.name_words:
            sql, word_params = engine.name_hit(alias, word)
            parts.append(f"(CASE WHEN {sql} THEN 1 ELSE 0 END)")
            params.extend(word_params)
        return "(" + " + ".join(parts) + ")", params

    def any_hit(alias):
        parts, params = [], []
        for word in query.name_words:
            sql, word_params = engine.name_hit(alias, word)
            parts.append(sql)
            params.extend(word_params)
        return "(" + " OR ".join(parts) + ")", params

    e_any, e_any_params = any_hit("e")
    e_score, e_score_params = score("e")
    s_any, s_any_params = any_hit("s")
    s_score, s_score_params = score("s")
    sql = (
        f"(e.kind = 'expert' AND {e_any} AND {e_score} >= (SELECT MAX({s_score}) "
        f"FROM {TABLE} s WHERE s.kind = 'expert' AND s.public AND {s_any}))"
    )
    return sql, e_any_params + e_score_params + s_score_params + s_any_params


class PostgresEngine:
    """PostgreSQL full-text search on the stored, weighted `document` vector, and pg_trgm
    word similarity on experts' name keys."""

    name = "postgresql"
    # (language code or "", configuration) pairs: english, russian, simple for everything else.
    CONFIGS = ("english", "russian", "simple")

    def tsquery(self, query):
        """The tsquery text for `query`, or "" when nothing is left to search for.

        Each term becomes the OR of its forms in every configuration (and its name key), so an
        English plural, a Russian case ending and an unstemmed Ukrainian word all meet their
        document's lexemes whatever the document's language. Exclusions are right too: `-x`
        excludes every form of x.
        """
        pieces = [" ".join(term.words) for term in query.terms]
        phrase = [term.is_phrase for term in query.terms]
        if not pieces:
            return "", ""
        selects = ", ".join(
            f"CASE WHEN p THEN phraseto_tsquery('{c}', x)::text "
            f"ELSE plainto_tsquery('{c}', x)::text END"
            for c in self.CONFIGS
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {selects} FROM unnest(%s::text[], %s::boolean[]) WITH ORDINALITY "
                "AS u(x, p, n) ORDER BY n",
                [pieces, phrase],
            )
            forms = dict(zip(query.terms, cursor.fetchall(), strict=True))
        clauses, wanted = [], []
        for clause in query.clauses:
            alternatives = []
            for term in clause:
                if not term.is_phrase and not all(forms[term]):
                    # A stop word of one configuration ("between", the "s" of "China's") is
                    # absent from that language's documents: requiring it would match none.
                    continue
                options = [f"({form})" for form in dict.fromkeys(forms[term]) if form]
                if term.name_key:
                    options.append(f"'{term.name_key}'")
                if not options:
                    continue
                text = " | ".join(dict.fromkeys(options))
                alternatives.append(f"!({text})" if term.negated else f"({text})")
            if alternatives:
                clauses.append("(" + " | ".join(alternatives) + ")")
                if not any(term.negated for term in clause):
                    wanted.append(clauses[-1])
        if not wanted:
            return "", ""
        # ts_rank scores a document 0 against a query with a NOT in it: rank on what is wanted.
        return " & ".join(clauses), " & ".join(wanted)

    def prepare(self, query):
        query.engine_query, query.rank_query = self.tsquery(query)
        return bool(query.engine_query) or bool(query.name_words)

    def where(self, query):
        conditions, params = [], []
        if query.engine_query:
            conditions.append("e.document @@ %s::tsquery")
            params.append(query.engine_query)
        if query.name_words:
            fuzzy, fuzzy_params = best_name_matches(self, query)
            conditions.append(fuzzy)
            params.extend(fuzzy_params)
        return "(" + " OR ".join(conditions) + ")", params

    @staticmethod
    def name_hit(alias, word):
        return f"%s <%% {alias}.name_keys", [word]

    def rank(self, query):
        parts, params = [], []
        if query.engine_query:
            parts.append("ts_rank(e.document, %s::tsquery)")
            params.append(query.rank_query)
        if query.name_words:
            similarity = ", ".join("word_similarity(%s, e.name_keys)" for _ in query.name_words)
            parts.append(
                f"CASE WHEN e.kind = 'expert' THEN {NAME_MATCH_WEIGHT} * "
                f"GREATEST({similarity}) ELSE 0 END"
            )
            params.extend(query.name_words)
        return " + ".join(parts), params

    def snippets(self, query, ids):
        if not ids:
            return {}
        tsquery = query.engine_query or ""
        options = (
            f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, "
            'MaxFragments=2, FragmentDelimiter=" … "'
        )

        def config(column):
            return (
                f"CASE {column} WHEN 'en' THEN 'english'::regconfig "
                "WHEN 'ru' THEN 'russian'::regconfig ELSE 'simple'::regconfig END"
            )

        passage = "CASE WHEN e.body <> '' THEN e.body ELSE e.lead END"
        with connection.cursor() as cursor:
            if not tsquery:
                cursor.execute(
                    f"SELECT e.id, e.title, {passage} FROM {TABLE} e WHERE e.id = ANY(%s)",
                    [list(ids)],
                )
                return {row[0]: (row[1], _start_of(row[2])) for row in cursor.fetchall()}

            # ts_headline's parser drops what looks like a tag or an entity ("<shells>",
            # "&amp;"); stand-ins keep those characters through it, restored below.
            def shielded(column):
                return f"replace(replace({column}, '<', %s), '&', %s)"

            cursor.execute(
                f"SELECT e.id, ts_headline({config('e.title_language')}, {shielded('e.title')}, "
                f"q, %s), ts_headline({config('e.language')}, {shielded(passage)}, q, %s) "
                f"FROM {TABLE} e, (SELECT %s::tsquery AS q) AS query WHERE e.id = ANY(%s)",
                # With MaxFragments, ts_headline cuts even a HighlightAll title: whole titles
                # take only the markers.
                [
                    LT_STANDIN,
                    AMP_STANDIN,
                    f"HighlightAll=true, StartSel={MARK_START}, StopSel={MARK_END}",
                    LT_STANDIN,
                    AMP_STANDIN,
                    options,
                    tsquery,
                    list(ids),
                ],
            )
            return {row[0]: (_unshield(row[1]), _unshield(row[2])) for row in cursor.fetchall()}


class Fts5Engine:
    """SQLite FTS5 with bm25 ranking; the porter tokenizer stems English."""

    name = "sqlite-fts5"
    # bm25 weights of the FTS columns: names, title, lead, body, extra.
    WEIGHTS = "10.0, 10.0, 4.0, 1.0, 0.5"

    def match_text(self, query):
        """The FTS5 query for `query`: every word is a quoted string, so nothing typed is
        ever read as FTS5 syntax."""

        def quoted(term):
            return '"' + " ".join(term.words).replace('"', '""') + '"'

        def alternatives(term):
            forms = [quoted(term)]
            if term.name_key and term.name_key != term.words[0]:
                forms.append(f'"{term.name_key}"')
            return forms[0] if len(forms) == 1 else "(" + " OR ".join(forms) + ")"

        positive, negative = [], []
        for clause in query.clauses:
            wanted = [alternatives(t) for t in clause if not t.negated]
            unwanted = [alternatives(t) for t in clause if t.negated]
            if wanted and not unwanted:
                positive.append("(" + " OR ".join(wanted) + ")")
            elif unwanted and not wanted:
                negative.extend(unwanted)
            # A clause mixing "a or -b" has no FTS5 spelling; it is dropped, not guessed.
        if not positive:
            return ""
        text = " AND ".join(positive)
        for term in negative:
            text += f" NOT {term}"
        return text

    def prepare(self, query):
        query.engine_query = self.match_text(query)
        return bool(query.engine_query) or bool(query.name_words)

    def _fuzzy(self, query):
        conditions = " OR ".join("(' ' || e.name_keys || ' ') LIKE %s" for _ in query.name_words)
        return conditions, [f"% {word} %" for word in query.name_words]

    def where(self, query):
        conditions, params = [], []
        if query.engine_query:
            conditions.append(f"e.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)")
            params.append(query.engine_query)
        if query.name_words:
            fuzzy, fuzzy_params = best_name_matches(self, query)
            conditions.append(fuzzy)
            params.extend(fuzzy_params)
        return "(" + " OR ".join(conditions) + ")", params

    @staticmethod
    def name_hit(alias, word):
        return f"(' ' || {alias}.name_keys || ' ') LIKE %s", [f"% {word} %"]

    def rank(self, query):
        parts, params = [], []
        if query.engine_query:
            parts.append(
                f"COALESCE((SELECT -bm25({FTS_TABLE}, {self.WEIGHTS}) FROM {FTS_TABLE} "
                f"WHERE {FTS_TABLE} MATCH %s AND rowid = e.id), 0)"
            )
            params.append(query.engine_query)
        if query.name_words:
            fuzzy, fuzzy_params = self._fuzzy(query)
            parts.append(f"CASE WHEN e.kind = 'expert' AND ({fuzzy}) THEN 5 ELSE 0 END")
            params.extend(fuzzy_params)
        return " + ".join(parts), params

    def snippets(self, query, ids):
        if not ids:
            return {}
        placeholders = ", ".join("%s" for _ in ids)
        found = {}
        with connection.cursor() as cursor:
            if query.engine_query:
                cursor.execute(
                    f"SELECT rowid, highlight({FTS_TABLE}, 1, %s, %s), "
                    f"snippet({FTS_TABLE}, 3, %s, %s, ' … ', 24), "
                    f"snippet({FTS_TABLE}, 2, %s, %s, ' … ', 24) "
                    f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({placeholders})",
                    [MARK_START, MARK_END] * 3 + [query.engine_query, *ids],
                )
                for entry_id, title, body, lead in cursor.fetchall():
                    passage = body if MARK_START in (body or "") or not lead else lead
                    found[entry_id] = (title, passage)
            missing = [i for i in ids if i not in found]
            if missing:
                found.update(_plain_snippets(cursor, missing))
        return found


class LikeEngine:
    """The slow match for a SQLite built without FTS5: every word must occur in the entry's
    folded text. No stemming and no bm25; `manage.py check` warns when it is in use."""

    name = "sqlite-like"

    def prepare(self, query):
        query.engine_query = "" if not query.positive else "like"
        return bool(query.positive) or bool(query.name_words)

    @staticmethod
    def _text(
        columns="e.names || ' ' || e.title || ' ' || e.lead || ' ' || e.body || ' ' || e.extra",
    ):
        return f"kb_fold({columns})"

    def _term(self, term, column=None):
        pattern = "%" + fold(" ".join(term.words)).replace("%", "").replace("_", "") + "%"
        expression = self._text(column) if column else self._text()
        return f"{expression} {'NOT ' if term.negated else ''}LIKE %s", [pattern]

    def where(self, query):
        conditions, params = [], []
        for clause in query.clauses:
            parts = []
            for term in clause:
                sql, term_params = self._term(term)
                parts.append(sql)
                params.extend(term_params)
            conditions.append("(" + " OR ".join(parts) + ")")
        text_match = " AND ".join(conditions) if query.positive else "0"
        if query.name_words:
            fuzzy, fuzzy_params = best_name_matches(self, query)
            return f"(({text_match}) OR {fuzzy})", params + fuzzy_params
        return f"({text_match})", params

    name_hit = staticmethod(Fts5Engine.name_hit)

    def rank(self, query):
        first = next((t for clause in query.positive for t in clause if not t.negated), None)
        if first is None:
            return "0", []
        title_sql, title_params = self._term(first, "e.names || ' ' || e.title")
        lead_sql, lead_params = self._term(first, "e.lead")
        return (
            f"CASE WHEN {title_sql} THEN 2 WHEN {lead_sql} THEN 1 ELSE 0.5 END",
            title_params + lead_params,
        )

    def snippets(self, query, ids):
        if not ids:
            return {}
        with connection.cursor() as cursor:
            return _plain_snippets(cursor, ids)


def _unshield(text):
    return (text or "").replace(LT_STANDIN, "<").replace(AMP_STANDIN, "&")


def _start_of(text, words=40):
    parts = (text or "").split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _plain_snippets(cursor, ids):
    placeholders = ", ".join("%s" for _ in ids)
    cursor.execute(
        f"SELECT e.id, e.title, e.lead, e.body FROM {TABLE} e WHERE e.id IN ({placeholders})",
        list(ids),
    )
    return {row[0]: (row[1], _start_of(row[3] or row[2])) for row in cursor.fetchall()}


@cache
def sqlite_has_fts5():
    """Whether the SQLite library Python links (the one Django uses) has FTS5: asked of an
    in-memory database, so `manage.py check` needs no project database."""
    with closing(sqlite3.connect(":memory:")) as memory:
        options = {row[0] for row in memory.execute("PRAGMA compile_options")}
    return "ENABLE_FTS5" in options


def engine():
    """The engine for the default database (SEARCH_ENGINE="like" forces the slow one)."""
    if connection.vendor == "postgresql":
        return PostgresEngine()
    if getattr(settings, "SEARCH_ENGINE", "auto") != "like" and sqlite_has_fts5():
        return Fts5Engine()
    return LikeEngine()


__all__ = ["STOP_WORDS", "engine", "fold"]
