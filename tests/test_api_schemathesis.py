"""Schemathesis against the API's own OpenAPI schema: every check and every phase.

The schemathesis CLI runs in a subprocess against a live server on the test database, which
holds the demo and a small generated corpus: the examples, coverage, fuzzing and stateful
(links between operations) phases, with all its checks — no server error, documented status
codes, content types and headers, bodies matching their schemas, requests the schema forbids
refused, requests it allows accepted, unsupported methods answered 405, and so on. Once
anonymously and once with a partner key, since the key changes what some operations answer
(the NDJSON export) and how they are throttled.

A fixed seed, deterministic generation and a bounded number of examples per operation keep
the run repeatable and within CI's time (under a minute per run, some 1,900 requests, on two
cores). A failure prints schemathesis's own report, with a curl command reproducing each
problem. The same run by hand against any server:

    schemathesis run http://127.0.0.1:8000/api/v1/schema/?format=json --checks all \
        --phases examples,coverage,fuzzing,stateful [-H "Authorization: Api-Key <key>"]
"""

import os
import socket
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread, _StaticFilesHandler
from django.urls import reverse

from core.api.keys import PartnerKey

SEED = 1
# Generated requests per operation in the fuzzing phase (and steps in the stateful one); the
# coverage phase derives its own cases from the schema, every parameter and boundary.
MAX_EXAMPLES = 20
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


class NoDelayServer(ThreadedWSGIServer):
    """Django's test server, sending each response at once. On a kept-alive connection,
    Nagle's algorithm held every response's last write until the client's delayed ACK, some
    40 ms a request: three quarters of the run's time."""

    def get_request(self):
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


class ApiServerThread(LiveServerThread):
    server_class = NoDelayServer


@pytest.fixture
def live_url(transactional_db):
    """The URL of a live server on the test database (pytest-django's live_server, with
    NoDelayServer)."""
    # An in-memory SQLite database exists only in this connection: the server shares it.
    shared = {
        connection.alias: connection
        for connection in connections.all()
        if connection.vendor == "sqlite" and connection.is_in_memory_db()
    }
    thread = ApiServerThread("localhost", _StaticFilesHandler, connections_override=shared)
    thread.daemon = True
    for connection in shared.values():
        connection.inc_thread_sharing()
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://localhost:{thread.port}"
    finally:
        thread.terminate()
        for connection in shared.values():
            connection.dec_thread_sharing()


@pytest.fixture
def corpus(transactional_db):
    """The demo and a small generated corpus, committed so the live server sees them."""
    call_command("load_demo", stdout=StringIO())
    call_command("generate_corpus", articles=10, claims=60, stdout=StringIO())


def run_schemathesis(live_url, tmp_path, *headers):
    command = [
        str(SCHEMATHESIS),
        "run",
        live_url + reverse("api:schema") + "?format=json",
        "--checks=all",
        "--phases=examples,coverage,fuzzing,stateful",
        f"--max-examples={MAX_EXAMPLES}",
        f"--seed={SEED}",
        "--generation-deterministic",
        "--workers=1",
        "--no-color",
        *(f"--header={header}" for header in headers),
    ]
    # In a temporary directory: no schemathesis report or state left in the checkout.
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=600,
        check=False,
    )


def test_anonymous_requests_get_answers_the_schema_describes(live_url, corpus, tmp_path):
    result = run_schemathesis(live_url, tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr


def test_requests_with_a_partner_key_get_answers_the_schema_describes(live_url, corpus, tmp_path):
    _, key = PartnerKey.objects.create_key(name="Schemathesis", contact="qa@example.org")

    result = run_schemathesis(live_url, tmp_path, f"Authorization: Api-Key {key}")

    assert result.returncode == 0, result.stdout + result.stderr
