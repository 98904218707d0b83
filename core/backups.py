"""Whole-database backups and restores: the services behind `manage.py backup` and `restore`.

PostgreSQL is dumped and restored by its own tools, pg_dump (custom format) and pg_restore,
with the default database's connection settings; the password goes to them in the
environment (PGPASSWORD), never on a command line other users can read. SQLite is copied
page by page with its online backup API, a consistent snapshot even while the site writes.

A backup is written next to its destination and renamed into place once complete, so an
interrupted backup never leaves a truncated file under the name asked for. A restore refuses
a database that already holds data unless told to replace it, and happens in one transaction
(pg_restore --single-transaction; SQLite's backup step is atomic): it fails whole or not at
all.
"""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing, suppress
from pathlib import Path

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections

PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
# Tables `migrate` fills by itself (content types, permissions, the roles' groups): rows in
# them alone do not make a database one a restore would overwrite by surprise.
MIGRATE_FILLED = {
    ("contenttypes", "contenttype"),
    ("auth", "permission"),
    ("auth", "group"),
    ("auth", "group_permissions"),
}


class BackupError(Exception):
    """A backup or restore that did not happen; the message says why, for the operator."""


class DatabaseNotEmpty(BackupError):
    """The database to restore into already holds data."""


def database_backup(path, *, using=DEFAULT_DB_ALIAS):
    """Write a backup of the database `using` to `path` (replacing a file there)."""
    connection = connections[using]
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path} is a directory; give the backup file's name.")
    if not path.parent.is_dir():
        raise BackupError(f"The directory {path.parent} does not exist.")
    writer = {"postgresql": _pg_dump, "sqlite": _sqlite_backup}.get(connection.vendor)
    if writer is None:
        raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(handle)
    try:
        writer(connection, Path(partial))
        os.replace(partial, path)
    finally:
        with suppress(FileNotFoundError):
            os.unlink(partial)
    return path


def database_restore(path, *, force=False, using=DEFAULT_DB_ALIAS):
    """Replace the content of the database `using` with the backup at `path`.

    Raises DatabaseNotEmpty, changing nothing, when the database holds data and `force` is
    false; BackupError when the file is missing, is not a backup for this kind of database,
    or the restore fails (the database is then left as it was).
    """
    connection = connections[using]
    path = Path(path)
    kind = backup_kind(path)
    expected = {"postgresql": "postgresql", "sqlite": "sqlite"}.get(connection.vendor)
    if expected is None:
        raise BackupError(f"Restoring {connection.vendor} databases is not supported.")
    if kind != expected:
        raise BackupError(
            f"{path} is {_kind_label(kind, article=True)} backup; this site's database is "
            f"{_kind_label(expected)}. Restore it into a database of its own kind."
        )
    if expected == "sqlite":
        _check_sqlite_backup(path)
    if not force:
        holding = tables_with_data(using=using)
        if holding:
            raise DatabaseNotEmpty(
                f"The database “{connection.settings_dict['NAME']}” already holds data (in "
                f"{', '.join(holding[:3])}{', …' if len(holding) > 3 else ''}). A restore "
                "replaces all of it with the backup's content: run it again with --force to "
                "do that, or restore into an empty database."
            )
    # The restore swaps the tables under this connection: start afresh on both sides of it.
    connection.close()
    try:
        if expected == "postgresql":
            _pg_restore(connection, path)
        else:
            _sqlite_restore(connection, path)
    finally:
        connection.close()


def backup_kind(path):
    """ "postgresql" or "sqlite": which kind of backup the file at `path` is, by its header."""
    try:
        with Path(path).open("rb") as file:
            header = file.read(len(SQLITE_MAGIC))
    except FileNotFoundError as error:
        raise BackupError(f"No such file: {path}") from error
    except IsADirectoryError as error:
        raise BackupError(f"{path} is a directory, not a backup file.") from error
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror}.") from error
    if header.startswith(PG_MAGIC):
        return "postgresql"
    if header == SQLITE_MAGIC:
        return "sqlite"
    raise BackupError(
        f"{path} is not a backup made by `manage.py backup` (neither a pg_dump custom-format "
        "archive nor an SQLite database)."
    )


def tables_with_data(*, using=DEFAULT_DB_ALIAS):
    """The tables of the project's models that hold at least one row (sorted), leaving out
    those `migrate` fills by itself."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    holding = set()
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if (opts.app_label, opts.model_name) in MIGRATE_FILLED or not opts.managed:
            continue
        if opts.db_table in existing and model._base_manager.using(using).exists():
            holding.add(opts.db_table)
    return sorted(holding)


def _kind_label(kind, *, article=False):
    label = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}[kind]
    return f"{'an' if kind == 'sqlite' else 'a'} {label}" if article else label


# PostgreSQL ------------------------------------------------------------------------------


def _pg_connection_args(connection):
    """(options naming the server, user and database; environment with the password, SSL
    settings and service) for pg_dump and pg_restore, from the database's settings."""
    settings_dict = connection.settings_dict
    # Django's psql client maps the settings to libpq's environment variables; reuse that.
    _args, env = connection.client.settings_to_cmd_args_env(settings_dict, [])
    args = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [option, str(settings_dict[key])]
    if settings_dict.get("NAME"):
        args += ["--dbname", settings_dict["NAME"]]
    return args, {**os.environ, **(env or {})}


def _run_pg_tool(program, args, env, *, failure):
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} was not found on the PATH. Install the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client), the same major version as the "
            "server or newer."
        )
    try:
        result = subprocess.run(
            [executable, *args], env=env, capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise BackupError(f"{program} could not be run: {error.strerror}.") from error
    if result.returncode != 0:
        detail = result.stderr.strip() or f"exit status {result.returncode}"
        raise BackupError(f"{failure} {program} said: {detail}")


def _pg_dump(connection, destination):
    args, env = _pg_connection_args(connection)
    _run_pg_tool(
        "pg_dump",
        ["--format=custom", "--file", str(destination), *args],
        env,
        failure="The backup failed and no file was written.",
    )


def _pg_restore(connection, source):
    args, env = _pg_connection_args(connection)
    _run_pg_tool(
        "pg_restore",
        ["--clean", "--if-exists", "--no-owner", "--single-transaction", *args, str(source)],
        env,
        failure="The restore failed and the database was left as it was.",
    )


# SQLite ----------------------------------------------------------------------------------


def _sqlite_backup(connection, destination):
    connection.ensure_connection()
    with closing(sqlite3.connect(destination)) as target:
        connection.connection.backup(target)


def _check_sqlite_backup(path):
    """Refuse an SQLite file that is damaged or is not a database of this project."""
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as source:
            (check,) = source.execute("PRAGMA quick_check").fetchone()
            has_migrations = source.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} cannot be read as an SQLite database: {error}.") from error
    if check != "ok":
        raise BackupError(f"{path} is damaged (SQLite's check says: {check}).")
    if not has_migrations:
        raise BackupError(f"{path} is an SQLite database but not a backup of this site.")


def _sqlite_restore(connection, source_path):
    uri = f"{Path(source_path).resolve().as_uri()}?mode=ro"
    connection.ensure_connection()
    try:
        with closing(sqlite3.connect(uri, uri=True)) as source:
            source.backup(connection.connection)
    except sqlite3.DatabaseError as error:
        raise BackupError(
            f"The restore failed and the database was left as it was: {error}."
        ) from error
