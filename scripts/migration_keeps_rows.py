#!/usr/bin/env python3
"""Does migrating an existing database to this checkout keep every row?

    python scripts/migration_keeps_rows.py [REVISION] [--database-url URL]

Builds a database with the code of REVISION (default: the commit before issue #9's layout
move), migrated and with the demo loaded, counts the rows of every table, migrates it with
this checkout's code and counts again. Exits 1, naming the tables, if a table lost rows or
disappeared. Without --database-url it uses a throwaway SQLite file; with a PostgreSQL URL it
creates and drops that database itself (the URL's database must not exist).

Run it from the project folder with the project's Python (.venv/bin/python): both checkouts
run with the same installed packages.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The last commit before core/ existed: the database a newsroom runs today was made by it.
BEFORE_LAYOUT = "3fbfaf2"

COUNT_ROWS = """
import json
from django.db import connection
with connection.cursor() as cursor:
    counts = {}
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
print(json.dumps(counts))
"""


def manage(folder, *args, database_url):
    environ = {**os.environ, "DATABASE_URL": database_url}
    environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=folder,
        env=environ,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed in {folder}:\n{result.stderr[-3000:]}")
    return result.stdout


def row_counts(folder, database_url):
    output = manage(folder, "shell", "-c", COUNT_ROWS, database_url=database_url)
    return json.loads(output.strip().splitlines()[-1])


def postgres(database_url, statement):
    """Run a statement on the server's `postgres` database (to create or drop ours)."""
    import psycopg

    server = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True, connect_timeout=10) as connection:
        connection.execute(statement)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", nargs="?", default=BEFORE_LAYOUT)
    parser.add_argument("--database-url")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        before = Path(scratch) / "before"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--quiet", str(before), options.revision],
            cwd=ROOT,
            check=True,
        )
        database_url = options.database_url or f"sqlite:///{Path(scratch) / 'kb.sqlite3'}"
        is_postgres = database_url.startswith("postgres")
        if is_postgres:
            postgres(database_url, f'CREATE DATABASE "{database_url.rsplit("/", 1)[1]}"')
        try:
            manage(before, "migrate", "--noinput", database_url=database_url)
            manage(before, "load_demo", database_url=database_url)
            old = row_counts(before, database_url)
            manage(ROOT, "migrate", "--noinput", database_url=database_url)
            new = row_counts(ROOT, database_url)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=ROOT)
            if is_postgres:
                postgres(database_url, f'DROP DATABASE "{database_url.rsplit("/", 1)[1]}"')

    lost = {
        table: (count, new.get(table))
        for table, count in old.items()
        if table != "django_migrations" and new.get(table) != count
    }
    print(f"{len(old)} tables, {sum(old.values())} rows before; {len(new)} tables after.")
    for table in sorted(set(new) - set(old)):
        print(f"  new table {table}: {new[table]} rows")
    print(f"  django_migrations: {old.get('django_migrations')} -> {new.get('django_migrations')}")
    if lost:
        for table, (count, after) in sorted(lost.items()):
            print(f"  CHANGED {table}: {count} -> {after}")
        sys.exit(1)
    print("Every table kept every row.")


if __name__ == "__main__":
    main()
