"""An import killed mid-batch (SIGKILL: no cleanup, no exception handler) leaves no partial
article and no partial file: each file's articles, with their topics and history versions,
are committed together or not at all.

The import runs as `manage.py import_articles` in a subprocess against a real on-disk
database of its own (an SQLite file, or a temporary PostgreSQL database), migrated first.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent.parent
ON_POSTGRESQL = connection.vendor == "postgresql"
ITEMS_PER_FILE = 3
URI = "urn:kill-test:{file:04d}:{item}"
LOCKED_URI = "urn:kill-test:locked"
TOPIC = "kill-test"

SETUP = f"""
import datetime
import django

django.setup()
from django.core.management import call_command

call_command("migrate", verbosity=0)
from articles.models import Article, Outlet
from claims.models import Topic

Topic.objects.create(title="Kill test", slug="{TOPIC}", question="Is anything half-written?")
outlet = Outlet.objects.create(name="Existing Wire", slug="existing-wire")
Article.objects.create(
    title="Imported before", slug="imported-before", outlet=outlet, language="en",
    published_on=datetime.date(2024, 6, 1), body="The body as first imported.",
    external_uri="{LOCKED_URI}",
)
"""


@dataclass
class Database:
    """A throwaway on-disk database: its DATABASE_URL and a way to query it directly."""

    url: str
    connect: object  # () -> DB-API connection
    placeholder: str

    def query(self, sql, *params):
        with closing(self.connect()) as db:
            cursor = db.cursor()
            cursor.execute(sql.replace("?", self.placeholder), params)
            return cursor.fetchall()


def sqlite_database(path):
    return Database(
        url=f"sqlite:///{path}",
        connect=lambda: sqlite3.connect(path, timeout=30),
        placeholder="?",
    )


def pg_params():
    settings = connection.settings_dict
    params = {
        "host": settings["HOST"],
        "port": settings["PORT"],
        "user": settings["USER"],
        "password": settings["PASSWORD"],
    }
    return {key: value for key, value in params.items() if value}


def pg_database(name):
    import psycopg

    params = pg_params()
    credentials = quote(params.get("user", ""), safe="")
    if params.get("password"):
        credentials += ":" + quote(params["password"], safe="")
    port = f":{params['port']}" if params.get("port") else ""
    return Database(
        url=f"postgres://{credentials}@{params.get('host', 'localhost')}{port}/{name}",
        connect=lambda: psycopg.connect(dbname=name, autocommit=True, **params),
        placeholder="%s",
    )


def pg_server_execute(statement, name):
    import psycopg
    from psycopg import sql

    with psycopg.connect(dbname="postgres", autocommit=True, **pg_params()) as server:
        server.execute(sql.SQL(statement).format(*map(sql.Identifier, name)))


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A database migrated in a subprocess, with a topic and an article imported before;
    each test works on a copy of it."""
    if not ON_POSTGRESQL:
        db = sqlite_database(tmp_path_factory.mktemp("migrated") / "import.sqlite3")
        run_python(["-c", SETUP], db.url)
        yield db
        return
    name = f"kb_import_{uuid.uuid4().hex[:12]}"
    pg_server_execute("CREATE DATABASE {}", [name])
    try:
        db = pg_database(name)
        run_python(["-c", SETUP], db.url)
        yield db
    finally:
        pg_server_execute("DROP DATABASE IF EXISTS {} WITH (FORCE)", [name])


@pytest.fixture
def database(migrated, tmp_path):
    """A fresh copy of the migrated database."""
    if not ON_POSTGRESQL:
        path = tmp_path / "import.sqlite3"
        shutil.copyfile(migrated.url.removeprefix("sqlite:///"), path)
        yield sqlite_database(path)
        return
    template = migrated.url.rsplit("/", 1)[1]
    name = f"kb_import_{uuid.uuid4().hex[:12]}"
    pg_server_execute("CREATE DATABASE {} TEMPLATE {}", [name, template])
    try:
        yield pg_database(name)
    finally:
        pg_server_execute("DROP DATABASE IF EXISTS {} WITH (FORCE)", [name])


def environment(database_url):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }


def run_python(args, database_url):
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment(database_url),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def start_import(batch, database_url, log):
    return subprocess.Popen(
        [sys.executable, "manage.py", "import_articles", str(batch)],
        cwd=ROOT,
        env=environment(database_url),
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def kill(process):
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    return process.returncode


def body_of(uri):
    """A long body, different for every item."""
    return "\n\n".join(
        f"Paragraph {number} of {uri}: " + " ".join(["the treaty and what China makes of it"] * 12)
        for number in range(20)
    )


def item(uri):
    return {
        "$standard": {"name": "ninjs", "version": "1.4"},
        "uri": uri,
        "type": "text",
        "language": "en",
        "firstcreated": "2024-06-20T08:15:00+03:00",
        "copyrightholder": "Kill Test Wire",
        "headline": f"Headline of {uri}",
        "body_text": body_of(uri),
        "subject": [{"name": "Kill test", "code": TOPIC}],
        "altids": {"url": f"https://wire.example.org/{uri.rsplit(':', 2)[-2]}/{uri[-1]}"},
    }


def write_batch(directory, files, *, special=None):
    """`files` ninjs files of ITEMS_PER_FILE new items each (file `n` replaced by
    `special[n]`'s items when given); returns the expected body of each uri."""
    directory.mkdir()
    expected = {}
    for number in range(files):
        items = (special or {}).get(number) or [
            item(URI.format(file=number, item=index)) for index in range(ITEMS_PER_FILE)
        ]
        expected.update({entry["uri"]: entry["body_text"] for entry in items})
        path = directory / f"{number:04d}.json"
        path.write_text(json.dumps(items), encoding="utf-8")
    return expected


def wait_for(condition, process, *, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, "the import ended before it could be interrupted"
        assert time.monotonic() < deadline, "timed out waiting for the import"
        time.sleep(0.01)


def imported(db):
    """{uri: (body length, title, topic slugs, (history versions, topics in them))} of the
    articles imported from the batch, as committed."""
    rows = db.query(
        "SELECT a.external_uri, LENGTH(a.body), a.title, "
        "(SELECT COUNT(*) FROM articles_historicalarticle h WHERE h.id = a.id), "
        "(SELECT COUNT(*) FROM articles_historicalarticle_topics ht "
        "WHERE ht.article_id = a.id), "
        "t.slug "
        "FROM articles_article a "
        "LEFT JOIN articles_article_topics at ON at.article_id = a.id "
        "LEFT JOIN claims_topic t ON t.id = at.topic_id "
        "WHERE a.external_uri LIKE ? AND a.external_uri <> ?",
        "urn:kill-test:%",
        LOCKED_URI,
    )
    found = {}
    for uri, length, title, versions, version_topics, topic in rows:
        entry = found.setdefault(uri, (length, title, [], (versions, version_topics)))
        if topic:
            entry[2].append(topic)
    return found


def assert_complete(found, expected):
    for uri, (length, title, topics, versions) in found.items():
        assert (length, title, topics, versions) == (
            len(expected[uri]),
            f"Headline of {uri}",
            [TOPIC],
            # Created, then given its topic: a version each, the second naming the topic.
            (2, 1),
        ), uri


def files_present(found):
    """{file number: articles of it present}."""
    counts = {}
    for uri in found:
        number = int(uri.split(":")[2])
        counts[number] = counts.get(number, 0) + 1
    return counts


def test_an_import_killed_mid_batch_leaves_only_whole_files_of_whole_articles(tmp_path, database):
    files = 150
    expected = write_batch(tmp_path / "batch", files)
    with (tmp_path / "import.log").open("w") as log:
        process = start_import(tmp_path / "batch", database.url, log)
        try:
            wait_for(lambda: imported(database), process)
        finally:
            returncode = kill(process)

    assert returncode == -signal.SIGKILL
    found = imported(database)
    assert_complete(found, expected)
    present = files_present(found)
    # Files are imported in name order: those committed are the first ones, each whole.
    assert sorted(present) == list(range(len(present)))
    assert set(present.values()) == {ITEMS_PER_FILE}
    assert 0 < len(present) < files
    (outlet,) = database.query(
        "SELECT COUNT(*) FROM articles_outlet WHERE name = ?", "Kill Test Wire"
    )
    assert outlet == (1,)


@pytest.mark.skipif(
    not ON_POSTGRESQL, reason="holding the import mid-file needs a row lock (PostgreSQL)"
)
def test_an_import_killed_inside_a_file_writes_nothing_of_that_file(tmp_path, database):
    """The import is held, by a lock on an article its sixth file updates, after that file's
    first article was written but not committed; it is killed there."""
    held = 5
    special = {
        held: [
            item(URI.format(file=held, item=0)),
            item(LOCKED_URI),
            item(URI.format(file=held, item=2)),
        ]
    }
    expected = write_batch(tmp_path / "batch", 8, special=special)
    name = database.url.rsplit("/", 1)[1]
    with closing(database.connect()) as locker:
        locker.autocommit = False
        locker.execute(
            "SELECT id FROM articles_article WHERE external_uri = %s FOR UPDATE", [LOCKED_URI]
        )
        with (tmp_path / "import.log").open("w") as log:
            process = start_import(tmp_path / "batch", database.url, log)
            try:
                # Blocked on the lock, inside a transaction that has written rows (an xid).
                wait_for(
                    lambda: database.query(
                        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = ? "
                        "AND wait_event_type = 'Lock' AND backend_xid IS NOT NULL",
                        name,
                    )[0][0],
                    process,
                )
            finally:
                returncode = kill(process)
        locker.rollback()

    assert returncode == -signal.SIGKILL
    found = imported(database)
    assert_complete(found, expected)
    assert files_present(found) == dict.fromkeys(range(held), ITEMS_PER_FILE)
    assert database.query(
        "SELECT body FROM articles_article WHERE external_uri = ?", LOCKED_URI
    ) == [("The body as first imported.",)]
