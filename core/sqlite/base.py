"""Django's SQLite backend, with table rebuilds that keep the database's triggers.

SQLite makes most schema changes by rebuilding the table: create `new__t`, copy the rows, drop
`t`, rename `new__t` to `t`. Dropping `t` drops the triggers on it, and the rename fails
("error in trigger …: no such table") while a trigger on another table names `t` — as the
quote-anchoring triggers on claims_quote name articles_article. The rebuild here sets those
triggers aside and creates them again, unchanged, once the table is back.
"""

import re

from django.db.backends.sqlite3 import base, schema


class DatabaseSchemaEditor(schema.DatabaseSchemaEditor):
    def _remake_table(self, model, create_field=None, delete_field=None, alter_fields=None):
        table = model._meta.db_table
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
            rows = cursor.fetchall()
        naming = re.compile(rf"\b{re.escape(table)}\b")
        kept = [(name, sql) for name, on, sql in rows if on == table or naming.search(sql)]
        for name, _sql in kept:
            self.execute(f"DROP TRIGGER IF EXISTS {self.quote_name(name)}")
        super()._remake_table(
            model, create_field=create_field, delete_field=delete_field, alter_fields=alter_fields
        )
        for _name, sql in kept:
            self.execute(sql)


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor
