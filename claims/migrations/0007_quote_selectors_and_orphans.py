"""Quotes keep the words around them (a W3C TextQuoteSelector) and can be orphaned by an edit.

The database trigger that keeps every quote an exact substring of its article's body is
replaced by one that skips orphaned quotes (their text has left the body; their old offsets
are kept for review) and still refuses any anchored quote that does not match.

On SQLite, adding a NOT NULL column rebuilds claims_quote, which drops its triggers: the old
ones are dropped first and the new ones created after the schema change, so the order of the
operations matters in both directions.
"""

from django.db import migrations, models

CONTEXT_LENGTH = 32

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION claims_quote_check_anchor() RETURNS trigger AS $$
BEGIN
    IF {skip}NOT EXISTS (
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
WHEN {skip}NOT EXISTS (
    SELECT 1 FROM articles_article a
    WHERE a.id = NEW.article_id
      AND NEW."end" <= length(a.body)
      AND substr(a.body, NEW.start + 1, NEW."end" - NEW.start) = NEW.text
)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: quote_inside_article_body');
END;
"""
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS claims_quote_anchor_insert",
    "DROP TRIGGER IF EXISTS claims_quote_anchor_update",
]

# Orphaned quotes are exempt: their text is gone from the body by definition.
SKIP_ORPHANS = "NOT NEW.orphaned AND "


def _create(schema_editor, *, skip_orphans):
    vendor = schema_editor.connection.vendor
    skip = SKIP_ORPHANS if skip_orphans else ""
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION.format(skip=skip), params=None)
    elif vendor == "sqlite":
        condition = SQLITE_CONDITION.format(skip=skip)
        for event in ("insert", "update"):
            schema_editor.execute(
                f"CREATE TRIGGER claims_quote_anchor_{event} "
                f"BEFORE {event.upper()} ON claims_quote {condition}"
            )


def _drop(schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


def drop_trigger(apps, schema_editor):
    _drop(schema_editor)


def create_old_trigger(apps, schema_editor):
    _create(schema_editor, skip_orphans=False)


def create_new_trigger(apps, schema_editor):
    _create(schema_editor, skip_orphans=True)


def fill_context(apps, schema_editor):
    """Give every existing quote the words around it in its article's body."""
    Quote = apps.get_model("claims", "Quote")
    quotes = list(Quote.objects.select_related("article"))
    for quote in quotes:
        body = quote.article.body
        quote.prefix = body[max(0, quote.start - CONTEXT_LENGTH) : quote.start]
        quote.suffix = body[quote.end : quote.end + CONTEXT_LENGTH]
    Quote.objects.bulk_update(quotes, ["prefix", "suffix"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0006_workflow_states"),
        ("articles", "0002_article_topics_and_stamps"),
    ]

    operations = [
        migrations.RunPython(drop_trigger, create_old_trigger),
        migrations.AddField(
            model_name="historicalquote",
            name="orphaned",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Its text left the article body in an edit: hidden from readers until "
                "an editor chooses the new passage. Its offsets are where it stood before.",
            ),
        ),
        migrations.AddField(
            model_name="historicalquote",
            name="orphaned_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalquote",
            name="orphaned_context",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="The edited body around where the quote stood, kept for the review.",
                verbose_name="edited body at its old place",
            ),
        ),
        migrations.AddField(
            model_name="historicalquote",
            name="prefix",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="The body's text just before the quote when it was last anchored.",
                max_length=32,
            ),
        ),
        migrations.AddField(
            model_name="historicalquote",
            name="suffix",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="The body's text just after the quote when it was last anchored.",
                max_length=32,
            ),
        ),
        migrations.AddField(
            model_name="quote",
            name="orphaned",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Its text left the article body in an edit: hidden from readers until "
                "an editor chooses the new passage. Its offsets are where it stood before.",
            ),
        ),
        migrations.AddField(
            model_name="quote",
            name="orphaned_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="quote",
            name="orphaned_context",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="The edited body around where the quote stood, kept for the review.",
                verbose_name="edited body at its old place",
            ),
        ),
        migrations.AddField(
            model_name="quote",
            name="prefix",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="The body's text just before the quote when it was last anchored.",
                max_length=32,
            ),
        ),
        migrations.AddField(
            model_name="quote",
            name="suffix",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="The body's text just after the quote when it was last anchored.",
                max_length=32,
            ),
        ),
        migrations.AddConstraint(
            model_name="quote",
            constraint=models.CheckConstraint(
                condition=models.Q(("orphaned", False), ("orphaned_at__isnull", True))
                | models.Q(("orphaned", True), ("orphaned_at__isnull", False)),
                name="quote_orphaned_at_only_for_orphans",
                violation_error_message="An orphaned quote records when it was orphaned.",
            ),
        ),
        migrations.RunPython(fill_context, migrations.RunPython.noop),
        migrations.RunPython(create_new_trigger, drop_trigger),
    ]
