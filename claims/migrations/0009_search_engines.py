"""The database side of search: a weighted tsvector on PostgreSQL, an FTS5 table on SQLite.

PostgreSQL: pg_trgm for fuzzy names; `document`, a stored generated column built from the
entry's fields with the text-search configuration of each field's language (english, russian,
simple for Ukrainian and the rest); GIN indexes on it and on the name keys.

SQLite: an external-content FTS5 table over the entries, kept in step by triggers. A SQLite
built without FTS5 skips it; search then falls back to a slower match and `manage.py check`
warns (claims/search/engines.py).
"""

from django.db import migrations


def config(column):
    return (
        f"CASE {column} WHEN 'en' THEN 'english'::regconfig WHEN 'ru' THEN 'russian'::regconfig "
        "ELSE 'simple'::regconfig END"
    )


def vector(language_column, text_column):
    # A CASE per branch keeps every to_tsvector call on a constant configuration, which is what
    # makes the expression immutable enough for a generated column.
    return (
        f"CASE {language_column} "
        f"WHEN 'en' THEN to_tsvector('english'::regconfig, {text_column}) "
        f"WHEN 'ru' THEN to_tsvector('russian'::regconfig, {text_column}) "
        f"ELSE to_tsvector('simple'::regconfig, {text_column}) END"
    )


POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE claims_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS ("
    " setweight(to_tsvector('simple'::regconfig, names), 'A')"
    f" || setweight({vector('title_language', 'title')}, 'A')"
    f" || setweight({vector('language', 'lead')}, 'B')"
    f" || setweight({vector('language', 'body')}, 'C')"
    " || setweight(to_tsvector('simple'::regconfig, extra), 'D')"
    ") STORED",
    "CREATE INDEX search_entry_document ON claims_searchentry USING gin (document)",
    "CREATE INDEX search_entry_name_keys ON claims_searchentry "
    "USING gin (name_keys gin_trgm_ops) WHERE kind = 'expert'",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_name_keys",
    "DROP INDEX IF EXISTS search_entry_document",
    "ALTER TABLE claims_searchentry DROP COLUMN IF EXISTS document",
]

FTS_COLUMNS = "names, title, lead, body, extra"
SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE claims_searchentry_fts USING fts5({FTS_COLUMNS}, "
    "content='claims_searchentry', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER claims_searchentry_fts_insert AFTER INSERT ON claims_searchentry BEGIN "
    f"INSERT INTO claims_searchentry_fts(rowid, {FTS_COLUMNS}) "
    "VALUES (new.id, new.names, new.title, new.lead, new.body, new.extra); END",
    "CREATE TRIGGER claims_searchentry_fts_delete AFTER DELETE ON claims_searchentry BEGIN "
    f"INSERT INTO claims_searchentry_fts(claims_searchentry_fts, rowid, {FTS_COLUMNS}) "
    "VALUES ('delete', old.id, old.names, old.title, old.lead, old.body, old.extra); END",
    "CREATE TRIGGER claims_searchentry_fts_update AFTER UPDATE ON claims_searchentry BEGIN "
    f"INSERT INTO claims_searchentry_fts(claims_searchentry_fts, rowid, {FTS_COLUMNS}) "
    "VALUES ('delete', old.id, old.names, old.title, old.lead, old.body, old.extra); "
    f"INSERT INTO claims_searchentry_fts(rowid, {FTS_COLUMNS}) "
    "VALUES (new.id, new.names, new.title, new.lead, new.body, new.extra); END",
    # Entries written before this migration (none on a new database).
    "INSERT INTO claims_searchentry_fts(claims_searchentry_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS claims_searchentry_fts_update",
    "DROP TRIGGER IF EXISTS claims_searchentry_fts_delete",
    "DROP TRIGGER IF EXISTS claims_searchentry_fts_insert",
    "DROP TABLE IF EXISTS claims_searchentry_fts",
]


def sqlite_has_fts5(connection):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA compile_options")
        return any(row[0] == "ENABLE_FTS5" for row in cursor.fetchall())


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        connection = schema_editor.connection
        statements = statements_by_vendor.get(connection.vendor, [])
        if connection.vendor == "sqlite" and not sqlite_has_fts5(connection):
            return
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("claims", "0008_search_entry")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
