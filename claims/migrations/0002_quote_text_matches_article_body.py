"""A database trigger keeps every quote an exact, in-bounds substring of its article's body.

CHECK constraints cannot look at another table, so the rule is a BEFORE INSERT/UPDATE
trigger on each supported database; other databases rely on model validation alone.
"""

from django.db import migrations

POSTGRES_CREATE = """
CREATE FUNCTION claims_quote_check_anchor() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM articles_article a
        WHERE a.id = NEW.article_id
          AND NEW."end" <= char_length(a.body)
          AND substr(a.body, NEW.start + 1, NEW."end" - NEW.start) = NEW.text
    ) THEN
        RAISE EXCEPTION 'quote_inside_article_body: the quote text is not in article % at %..%',
            NEW.article_id, NEW.start, NEW."end" USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER claims_quote_anchor BEFORE INSERT OR UPDATE ON claims_quote
    FOR EACH ROW EXECUTE FUNCTION claims_quote_check_anchor();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS claims_quote_anchor ON claims_quote;
DROP FUNCTION IF EXISTS claims_quote_check_anchor();
"""

SQLITE_CONDITION = """
WHEN NOT EXISTS (
    SELECT 1 FROM articles_article a
    WHERE a.id = NEW.article_id
      AND NEW."end" <= length(a.body)
      AND substr(a.body, NEW.start + 1, NEW."end" - NEW.start) = NEW.text
)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: quote_inside_article_body');
END;
"""
SQLITE_CREATE = [
    f"CREATE TRIGGER claims_quote_anchor_insert BEFORE INSERT ON claims_quote {SQLITE_CONDITION}",
    f"CREATE TRIGGER claims_quote_anchor_update BEFORE UPDATE ON claims_quote {SQLITE_CONDITION}",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS claims_quote_anchor_insert",
    "DROP TRIGGER IF EXISTS claims_quote_anchor_update",
]


def create_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def drop_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("articles", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
