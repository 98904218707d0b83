"""Every server process shares production's cache, so a purge and a throttle budget reach them
all (issue 12, item 3).

Two gunicorn servers (`gunicorn.conf.py`, one worker each, the production settings with their
default cache: no REDIS_URL, so a table in the database) serve one database of the suite's kind,
migrated with `migrate` and loaded with the demo. What one process writes (the admin on server
A, a management command in a third process), server B shows on its next request.
"""

import http.cookiejar
import itertools
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.urls import reverse

from claims.models import Claim
from core.db_router import PrimaryReplicaRouter, replica_reads

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
PASSWORD = f"shared-cache-{uuid.uuid4().hex}"
ANON_RATE = 4  # anonymous API requests a minute, per client address
ADDRESSES = (f"198.51.100.{n}" for n in itertools.count(1))

# Run by `manage.py shell` on the new database: the demo, an editor, two public claims on topics.
SETUP = f"""
import io, json
from django.contrib.auth import get_user_model
from django.core.management import call_command
from claims.models import Claim
from claims.roles import sync_groups

call_command("load_demo", stdout=io.StringIO())
editor = get_user_model().objects.create_user("editor", password={PASSWORD!r}, is_staff=True)
editor.groups.add(sync_groups())
claims = Claim.objects.published().filter(topics__isnull=False).distinct().order_by("pk")[:2]
print(json.dumps([{{"id": c.pk, "topic": c.topics.order_by("pk").first().slug}} for c in claims]))
"""


@dataclass
class Servers:
    a: str
    b: str
    environ: dict
    claims: list


@dataclass
class Answer:
    status: int
    body: str
    url: str


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_manage(args, environ):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def pg_connect(dbname):
    import psycopg

    settings = connection.settings_dict
    params = {
        "dbname": dbname,
        "host": settings["HOST"],
        "port": settings["PORT"],
        "user": settings["USER"],
        "password": settings["PASSWORD"],
    }
    return psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True)


def pg_url(name):
    settings = connection.settings_dict
    credentials = urllib.parse.quote(settings["USER"] or "", safe="")
    if settings["PASSWORD"]:
        credentials += ":" + urllib.parse.quote(settings["PASSWORD"], safe="")
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{credentials}@{settings['HOST'] or 'localhost'}{port}/{name}"


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    """A new database of the suite's kind: a SQLite file, or a PostgreSQL database dropped after."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path_factory.mktemp('shared-cache') / 'db.sqlite3'}"
        return
    from psycopg import sql

    name = f"kb_shared_cache_{uuid.uuid4().hex[:12]}"
    with pg_connect("postgres") as server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield pg_url(name)
    finally:
        with pg_connect("postgres") as server:
            server.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def server_environ(database_url):
    # Production's default cache is under test: no Redis, whatever the suite runs with.
    dropped = {"REDIS_URL", "DATABASE_REPLICA_URL", "WEB_CONCURRENCY", "CACHE_URL"}
    environ = {name: value for name, value in os.environ.items() if name not in dropped}
    environ.update(
        DJANGO_SETTINGS_MODULE="tests.core.shared_cache_settings",
        SECRET_KEY=f"shared-cache-test-{uuid.uuid4().hex}{uuid.uuid4().hex}",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        SECURE_SSL_REDIRECT="0",
        PUBLIC_CACHE_SECONDS="300",
        # Behind one proxy: X-Forwarded-For names the client, so each test has its own budget.
        API_NUM_PROXIES="1",
        API_ANON_THROTTLE_RATE=f"{ANON_RATE}/min",
        LOG_LEVEL="WARNING",
    )
    return environ


def wait_until_ready(process, url, log):
    """Poll /readyz (database and cache) until it answers 200; fail if the server exits."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The server at {url} exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.05)
    pytest.fail(f"The server at {url} was not ready in time:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def servers(database_url, tmp_path_factory):
    environ = server_environ(database_url)
    run_manage(["migrate", "--noinput", "--verbosity", "0"], environ)
    claims = json.loads(run_manage(["shell", "-c", SETUP], environ).strip().splitlines()[-1])
    logs = tmp_path_factory.mktemp("server-logs")
    started = []
    try:
        for name in ("a", "b"):
            url = f"http://127.0.0.1:{free_port()}"
            log = logs / f"{name}.log"
            with log.open("wb") as output:
                process = subprocess.Popen(
                    [GUNICORN, "-c", "gunicorn.conf.py"],
                    cwd=ROOT,
                    env={
                        **environ,
                        "GUNICORN_BIND": url.removeprefix("http://"),
                        "WEB_CONCURRENCY": "1",
                        "GUNICORN_THREADS": "2",
                    },
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            started.append((process, url, log))
        for process, url, log in started:
            wait_until_ready(process, url, log)
        yield Servers(a=started[0][1], b=started[1][1], environ=environ, claims=claims)
    finally:
        for process, _, _ in started:
            process.terminate()
        for process, _, _ in started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def fetch(url, *, opener=None, data=None, headers=None):
    """The answer to GET (or, with `data`, POST) `url`; error statuses are answers too."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=30) as response:
            return Answer(response.status, response.read().decode(), response.geturl())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read().decode(), url)


class Reader:
    """An anonymous reader without cookies, behind the proxy at an address of its own."""

    def __init__(self):
        self.address = next(ADDRESSES)

    def get(self, url):
        return fetch(url, headers={"X-Forwarded-For": self.address})


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def admin_login(base):
    """A cookie-keeping opener logged in to the admin at `base` with a real POST."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    login = base + reverse("admin:login")
    form = fetch(login, opener=opener)
    answer = fetch(
        login,
        opener=opener,
        data={
            "username": "editor",
            "password": PASSWORD,
            "next": reverse("admin:index"),
            "csrfmiddlewaretoken": csrf_token(form.body),
        },
    )
    assert answer.url == base + reverse("admin:index"), answer.body[:2000]
    return opener


def admin_withdraw(base, opener, claim_id):
    url = base + reverse("admin:claims_claim_transition", args=[claim_id, "withdraw"])
    form = fetch(url, opener=opener)
    answer = fetch(
        url,
        opener=opener,
        data={
            "text": "Withdrawn by the shared-cache test.",
            "csrfmiddlewaretoken": csrf_token(form.body),
        },
    )
    assert answer.status == 200 and answer.url != url, answer.body[:2000]


def listed_ids(answer):
    assert answer.status == 200, answer.body[:500]
    return [row["id"] for row in json.loads(answer.body)["results"]]


def test_a_claim_withdrawn_in_the_admin_on_one_server_is_gone_from_the_other_at_once(servers):
    claim = servers.claims[0]
    link = reverse("claims:detail", args=[claim["id"]])
    page = servers.b + link
    topic_page = servers.b + reverse("claims:topic", kwargs={"slug": claim["topic"]})
    api_list = servers.b + reverse("api:claim-list") + f"?topic={claim['topic']}"
    reader = Reader()
    # Server B reads them first, which keeps the topic page and the API list in the cache.
    assert reader.get(page).status == 200
    assert f'href="{link}"' in reader.get(topic_page).body
    assert claim["id"] in listed_ids(reader.get(api_list))

    admin_withdraw(servers.a, admin_login(servers.a), claim["id"])

    assert reader.get(page).status in {404, 410}
    assert f'href="{link}"' not in reader.get(topic_page).body
    assert claim["id"] not in listed_ids(reader.get(api_list))


def test_a_management_command_write_reaches_a_running_server(servers):
    newest_first = servers.b + reverse("api:claim-list") + "?ordering=-id"
    reader = Reader()
    before = listed_ids(reader.get(newest_first))

    run_manage(["generate_corpus", "--articles", "1", "--claims", "3"], servers.environ)

    assert listed_ids(reader.get(newest_first))[0] > max(before)


def test_the_anonymous_throttle_counts_requests_to_every_server_together(servers):
    outlets = reverse("api:outlet-list")
    reader = Reader()

    statuses = [reader.get(base + outlets).status for base in [servers.a, servers.b] * ANON_RATE]

    assert statuses == [200] * ANON_RATE + [429] * ANON_RATE


# The database cache beside a read replica (core/db_router.py)


def cache_table_model():
    return DatabaseCache("kb_cache", {}).cache_model_class


def test_a_public_request_reads_the_database_cache_from_the_primary():
    with replica_reads():
        assert PrimaryReplicaRouter().db_for_read(cache_table_model()) == "default"


def test_a_cache_write_leaves_the_requests_other_reads_on_the_replica():
    router = PrimaryReplicaRouter()
    with replica_reads():
        router.db_for_write(cache_table_model())

        assert router.db_for_read(Claim) == "replica"
