"""`manage.py backup` and `restore`, on the database the suite runs on (SQLite or PostgreSQL).

A backup is checked the way it will be used: restored by the command in another process into
a new, empty database, which must then hold the same rows and serve the same pages.
"""

import json
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article
from claims.models import Claim, Topic
from core.backups import PG_MAGIC, SQLITE_MAGIC
from experts.models import Expert
from tests.core.site_snapshot import normalized
from tests.factories import ArticleFactory

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRESQL = connection.vendor == "postgresql"


def backup(path):
    call_command("backup", str(path), stdout=StringIO())
    return path


def restore(path, *options):
    call_command("restore", str(path), *options, stdout=StringIO())


def run_in_subprocess(args, database_url):
    """Run `python args…` in the project with DATABASE_URL set; fail the test if it fails."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@contextmanager
def pg_server():
    """An autocommit psycopg connection to the test database's server (database `postgres`)."""
    import psycopg

    settings = connection.settings_dict
    params = {
        "dbname": "postgres",
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as server:
        yield server


def pg_url(name):
    settings = connection.settings_dict
    credentials = quote(settings["USER"] or "", safe="")
    if settings["PASSWORD"]:
        credentials += ":" + quote(settings["PASSWORD"], safe="")
    host = settings["HOST"] or "localhost"
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{name}"


@pytest.fixture
def empty_database_url(tmp_path):
    """DATABASE_URL of a new, empty database of the suite's kind (PostgreSQL: on the same
    server, dropped afterwards; SQLite: a file that does not exist yet)."""
    if not ON_POSTGRESQL:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    from psycopg import sql

    name = f"kb_restore_{uuid.uuid4().hex[:12]}"
    with pg_server() as server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield pg_url(name)
    finally:
        with pg_server() as server:
            server.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def public_urls():
    """Home, a topic, an expert, an article and the claims API, as the demo data has them."""
    published = Claim.objects.published()
    topic = Topic.objects.filter(claim_links__claim__in=published).order_by("pk").first()
    expert = Expert.objects.filter(claims__in=published).order_by("pk").first()
    article = Article.objects.published().order_by("pk").first()
    return [
        "/",
        topic.get_absolute_url(),
        expert.get_absolute_url(),
        article.get_absolute_url(),
        "/api/v1/claims/",
    ]


def row_counts():
    return {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_holds_the_same_rows_and_serves_the_same_pages(
    client, tmp_path, empty_database_url
):
    call_command("load_demo", stdout=StringIO())
    archive = backup(tmp_path / "kb.backup")

    run_in_subprocess(["manage.py", "restore", str(archive)], empty_database_url)
    urls = public_urls()
    output = tmp_path / "restored.json"
    run_in_subprocess(["-m", "tests.core.site_snapshot", str(output), *urls], empty_database_url)
    restored = json.loads(output.read_text(encoding="utf-8"))

    original_pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        original_pages[url] = [200, normalized(response.content.decode())]
    assert restored["counts"] == row_counts()
    assert restored["counts"]["claims_claim"] > 0
    for url in urls:
        assert restored["pages"][url] == original_pages[url], url


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_holds_data(tmp_path):
    ArticleFactory(slug="kept")
    archive = backup(tmp_path / "kb.backup")
    ArticleFactory(slug="added-after-the-backup")

    with pytest.raises(CommandError, match=r"already holds data .*--force"):
        restore(archive)

    assert set(Article.objects.values_list("slug", flat=True)) == {
        "kept",
        "added-after-the-backup",
    }


@pytest.mark.django_db(transaction=True)
def test_restore_with_force_replaces_the_data_with_the_backups(tmp_path):
    ArticleFactory(slug="kept")
    archive = backup(tmp_path / "kb.backup")
    ArticleFactory(slug="added-after-the-backup")

    restore(archive, "--force")

    assert list(Article.objects.values_list("slug", flat=True)) == ["kept"]


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_and_the_database_left_as_it_was(tmp_path):
    ArticleFactory(slug="kept")
    archive = backup(tmp_path / "kb.backup")
    ArticleFactory(slug="added-after-the-backup")
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])

    with pytest.raises(CommandError):
        restore(archive, "--force")

    assert Article.objects.count() == 2


def test_restore_of_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        restore(tmp_path / "nowhere.backup")


def test_restore_of_a_file_that_is_no_backup_is_refused(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("Not a backup.\n", encoding="utf-8")

    with pytest.raises(CommandError, match="is not a backup made by `manage.py backup`"):
        restore(text)


def test_restore_of_a_backup_of_the_other_kind_of_database_is_refused(tmp_path):
    other = tmp_path / "other.backup"
    other.write_bytes((SQLITE_MAGIC if ON_POSTGRESQL else PG_MAGIC) + b"\0" * 100)
    expected = "an SQLite backup" if ON_POSTGRESQL else "a PostgreSQL backup"

    with pytest.raises(CommandError, match=expected):
        restore(other)


def test_backup_into_a_missing_directory_is_refused(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        backup(tmp_path / "missing" / "kb.backup")


@pytest.mark.skipif(not ON_POSTGRESQL, reason="pg_dump is used on PostgreSQL only")
def test_backup_without_pg_dump_is_refused_and_writes_no_file(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))

    with pytest.raises(CommandError, match="pg_dump was not found"):
        backup(tmp_path / "kb.backup")

    assert list(tmp_path.iterdir()) == []
