"""Fault drill: PostgreSQL stops and starts again under gunicorn while clients keep asking.

    .venv/bin/python benchmarks/faults.py [--down 5] [--before 8] [--after 10] [--port 55432]

Run as root on a machine with PostgreSQL 15's server binaries (Debian's postgresql-15). The
shared PostgreSQL on 5432 is never touched: the drill starts a private instance of its own
(`initdb` as the postgres user into a temporary directory, `pg_ctl start` on --port with its
socket in that directory), creates a database there, migrates it and loads the demo, collects
the static files and starts `gunicorn -c gunicorn.conf.py` with the production settings (as
benchmarks/load.py does) against it.

A few client threads then request a mix of URLs in a loop — topic, article and expert pages,
the site search, API lists, details and search, and the /healthz and /readyz probes — each on a
new connection with a short timeout, recording status, body and latency. After --before
seconds the drill stops PostgreSQL (`pg_ctl stop -m fast`), waits --down seconds, starts it
again, and keeps asking for --after seconds. gunicorn is never restarted.

It prints a per-second timeline and checks what a reader and the load balancer should see:

- before the stop, every answer is a 200;
- while the database is down, every page answers 503 with the "We will be back in a moment"
  page and every API URL 503 with a JSON `detail`, both with Retry-After — or 200 when the
  answer comes from the cache (the API keeps anonymous lists for a minute); /readyz answers
  503 and /healthz still 200 (the process is alive, so the orchestrator must not restart it);
- every answer, whatever the phase, comes well before gunicorn's 30 s timeout (under
  --slowest, 5 s) and none is a 500 or a dropped connection;
- after the start, answers are 200 again within --recovery seconds (5), from the same gunicorn
  master, and stay 200.

Exit status 1 if any check fails. Everything it started is stopped and removed at the end.
"""

import argparse
import contextlib
import http.client
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.api_claims import HOST, free_port  # noqa: E402
from benchmarks.load import (  # noqa: E402
    children_of,
    discover_urls,
    manage,
    production_environment,
    start_gunicorn,
    stop_gunicorn,
)

PG_BIN = Path("/usr/lib/postgresql/15/bin")
DATABASE = "kb_faults"
FRIENDLY_PAGE = "We will be back in a moment"
PROBES = ["/healthz", "/readyz"]


# --- The private PostgreSQL ----------------------------------------------------------------


def as_postgres(*command, check=True):
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *map(str, command)],
        capture_output=True,
        text=True,
        check=check,
    )


class PrivatePostgres:
    """A throwaway PostgreSQL cluster in `directory`, on 127.0.0.1:`port` only."""

    def __init__(self, directory, port):
        self.data = Path(directory) / "pgdata"
        self.port = port
        self.log = self.data / "server.log"

    def init(self):
        postgres = pwd.getpwnam("postgres")
        self.data.mkdir(mode=0o700)
        os.chown(self.data, postgres.pw_uid, postgres.pw_gid)
        as_postgres(PG_BIN / "initdb", "-D", self.data, "-A", "trust", "--no-sync")

    def start(self):
        options = (
            f"-p {self.port} -k {self.data} -c listen_addresses={HOST} -c fsync=off "
            "-c full_page_writes=off"
        )
        as_postgres(
            PG_BIN / "pg_ctl", "-D", self.data, "-o", options, "-l", self.log, "-w", "start"
        )

    def stop(self, mode="fast"):
        as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop", check=False)

    def url(self, database):
        return f"postgres://postgres@{HOST}:{self.port}/{database}"

    def create_database(self, name):
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')


# --- The clients ---------------------------------------------------------------------------


@dataclass
class Answer:
    started: float  # seconds since the drill began
    finished: float
    path: str
    status: int  # 0 when there was no HTTP answer
    problem: str  # why the answer is wrong for a database that is down, "" if it is right
    error: str = ""  # the socket error, if any

    @property
    def seconds(self):
        return self.finished - self.started


def outage_problem(path, status, headers, body):
    """What is wrong with this answer if the database is down ("" when nothing is)."""
    if path == "/healthz":
        return "" if status == 200 else f"/healthz answered {status}"
    if status == 200 and path != "/readyz":
        # Answered from the cache (the API keeps anonymous lists): better than a 503.
        return ""
    if status != 503:
        return f"{status}, not 503"
    if path == "/readyz":
        return ""
    if "Retry-After" not in headers:
        return "503 without Retry-After"
    if path.startswith("/api/"):
        try:
            if "detail" in json.loads(body):
                return ""
        except ValueError:
            pass
        return "API 503 without a JSON detail"
    if FRIENDLY_PAGE not in body.decode(errors="replace"):
        return "503 without the friendly page"
    return ""


class Clients:
    def __init__(self, port, paths, count, timeout, began):
        self.port = port
        self.paths = paths
        self.count = count
        self.timeout = timeout
        self.began = began
        self.answers = []
        self.lock = threading.Lock()
        self.finished = threading.Event()
        self.threads = [
            threading.Thread(target=self.loop, args=(n,), daemon=True) for n in range(count)
        ]

    def now(self):
        return time.monotonic() - self.began

    def ask(self, path):
        started = self.now()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            headers = dict(response.getheaders())
            return Answer(
                started,
                self.now(),
                path,
                response.status,
                outage_problem(path, response.status, headers, body),
            )
        except OSError as error:  # refused, reset, timed out
            return Answer(started, self.now(), path, 0, "no answer", f"{type(error).__name__}")
        finally:
            connection.close()

    def loop(self, number):
        position = number * 3
        while not self.finished.is_set():
            answer = self.ask(self.paths[position % len(self.paths)])
            position += 1
            with self.lock:
                self.answers.append(answer)
            time.sleep(0.05)

    def start(self):
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.finished.set()
        for thread in self.threads:
            thread.join()


# --- The report ---------------------------------------------------------------------------


def timeline(answers, marks):
    """One line per second: answers by status, the slowest, and what happened then."""
    by_second = defaultdict(list)
    for answer in answers:
        by_second[int(answer.started)].append(answer)
    events = defaultdict(list)
    for label, when in marks.items():
        events[int(when)].append(f"{label} at {when:.1f} s")
    print(f"{'second':>6}  {'answers':<28} {'slowest ms':>10}  event")
    for second in range(0, int(max(a.started for a in answers)) + 1):
        bucket = by_second.get(second, [])
        statuses = Counter(a.status or "no answer" for a in bucket)
        summary = ", ".join(f"{count}× {status}" for status, count in sorted(statuses.items()))
        slowest = max((a.seconds for a in bucket), default=0) * 1000
        print(f"{second:>6}  {summary:<28} {slowest:>10.0f}  {'; '.join(events[second])}")


def check(answers, marks, *, slowest_allowed, recovery_allowed):
    """[(expectation, passed, detail)] for the drill's answers."""
    stop_issued, stopped = marks["stop issued"], marks["database down"]
    start_issued, started = marks["start issued"], marks["database up"]
    before = [a for a in answers if a.finished < stop_issued]
    down = [a for a in answers if a.started >= stopped and a.finished < start_issued]
    after = [a for a in answers if a.started >= started]
    results = []

    wrong = [a for a in before if a.status != 200]
    results.append(
        (
            "before the stop every answer is a 200",
            bool(before) and not wrong,
            f"{len(before)} answers, {len(wrong)} not 200"
            + (f" (e.g. {wrong[0].status} {wrong[0].path})" if wrong else ""),
        )
    )

    wrong = [a for a in down if a.problem]
    statuses = Counter(a.status for a in down)
    cached = {a.path for a in down if a.status == 200 and a.path not in PROBES}
    results.append(
        (
            "while down: 503 with the friendly page or JSON and Retry-After, or 200 from the "
            "cache; /readyz 503, /healthz 200",
            bool(down) and statuses[503] > 0 and not wrong,
            f"{len(down)} answers ({', '.join(f'{n}× {s}' for s, n in sorted(statuses.items()))})"
            + (f"; 200 from the cache for {', '.join(sorted(cached))}" if cached else "")
            + (f"; {len(wrong)} wrong, e.g. {wrong[0].path}: {wrong[0].problem}" if wrong else ""),
        )
    )
    down_pages = [a for a in down if a.path not in PROBES]
    slowest_down = max((a.seconds for a in down_pages), default=0)
    results.append(
        (
            f"while down, pages and API fail fast (under {slowest_allowed:g} s)",
            bool(down_pages) and slowest_down < slowest_allowed,
            f"slowest {slowest_down * 1000:.0f} ms, median "
            f"{sorted(a.seconds for a in down_pages)[len(down_pages) // 2] * 1000:.0f} ms"
            if down_pages
            else "no page requested while down",
        )
    )

    broken = [a for a in answers if a.status == 0 or a.status >= 500 and a.status != 503]
    slowest = max(a.seconds for a in answers)
    results.append(
        (
            f"no 500, no dropped connection, nothing slower than {slowest_allowed:g} s",
            not broken and slowest < slowest_allowed,
            f"{len(broken)} broken"
            + (f" (e.g. {broken[0].status or broken[0].error} {broken[0].path})" if broken else "")
            + f"; slowest answer {slowest * 1000:.0f} ms",
        )
    )

    first_ok = next((a for a in sorted(after, key=lambda a: a.finished) if a.status == 200), None)
    recovered_in = first_ok.finished - started if first_ok else None
    settled = [a for a in after if a.started >= started + recovery_allowed]
    wrong = [a for a in settled if a.status != 200]
    results.append(
        (
            f"after the start, 200 again within {recovery_allowed:g} s and from then on",
            first_ok is not None
            and recovered_in <= recovery_allowed
            and bool(settled)
            and not wrong,
            (f"first 200 {recovered_in:.2f} s after the start" if first_ok else "no 200 after")
            + f"; {len(settled)} answers after {recovery_allowed:g} s, {len(wrong)} not 200"
            + (f" (e.g. {wrong[0].status} {wrong[0].path})" if wrong else ""),
        )
    )
    return results


# --- Main ---------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=55432, help="the private PostgreSQL's port")
    parser.add_argument("--before", type=float, default=8, help="seconds of traffic before")
    parser.add_argument("--down", type=float, default=5, help="seconds the database is down")
    parser.add_argument("--after", type=float, default=10, help="seconds of traffic after")
    parser.add_argument("--clients", type=int, default=4, help="client threads (4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--slowest", type=float, default=5, help="slowest answer allowed (5 s)")
    parser.add_argument("--recovery", type=float, default=5, help="time to recover (5 s)")
    options = parser.parse_args()

    if os.geteuid() != 0 or shutil.which("runuser") is None:
        sys.exit("Run as root: the private PostgreSQL runs as the postgres user via runuser.")
    if not (PG_BIN / "initdb").exists():
        sys.exit(f"No {PG_BIN}/initdb: apt-get install -y postgresql-15")

    workdir = Path(tempfile.mkdtemp(prefix="kb-faults-"))
    workdir.chmod(0o755)  # the postgres user keeps its cluster inside
    postgres = PrivatePostgres(workdir, options.port)
    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        print(f"Starting a private PostgreSQL in {postgres.data} on {HOST}:{options.port}…")
        postgres.init()
        postgres.start()
        stack.callback(postgres.stop, "immediate")
        postgres.create_database(DATABASE)

        environment = production_environment(postgres.url(DATABASE))
        environment["WEB_CONCURRENCY"] = str(options.workers)
        os.environ.update(environment)
        print("Migrating, loading the demo, collecting static files…", flush=True)
        preparing = environment | {"DB_STATEMENT_TIMEOUT_MS": "0"}
        manage(preparing, "migrate", "--verbosity", "0")
        manage(preparing, "load_demo", quiet=True)
        manage(environment, "collectstatic", "--noinput", "--verbosity", "0")
        urls = discover_urls(per_kind=2)
        paths = [path for column in zip(*urls.values(), strict=False) for path in column] + PROBES

        port = free_port()
        log_path = workdir / "gunicorn.log"
        server = start_gunicorn(environment, port, log_path)
        stack.callback(stop_gunicorn, server)
        workers_before = sorted(children_of(server.pid))
        print(
            f"gunicorn {server.pid} ({len(workers_before)} workers) on {HOST}:{port}; "
            f"{options.clients} clients over {len(paths)} URLs.\n",
            flush=True,
        )

        began = time.monotonic()
        clients = Clients(port, paths, options.clients, timeout=options.slowest * 2, began=began)
        marks = {}
        clients.start()
        time.sleep(options.before)
        marks["stop issued"] = clients.now()
        postgres.stop("fast")
        marks["database down"] = clients.now()
        time.sleep(options.down)
        marks["start issued"] = clients.now()
        postgres.start()
        marks["database up"] = clients.now()
        time.sleep(options.after)
        clients.stop()
        same_master = server.poll() is None
        workers_after = sorted(children_of(server.pid))

        timeline(clients.answers, marks)
        print()
        results = check(
            clients.answers,
            marks,
            slowest_allowed=options.slowest,
            recovery_allowed=options.recovery,
        )
        results.append(
            (
                "gunicorn was not restarted",
                same_master,
                f"master {server.pid} "
                + ("still running" if same_master else f"exited with {server.returncode}")
                + f"; workers {workers_before} → {workers_after}",
            )
        )
        for expectation, passed, detail in results:
            print(f"{'PASS' if passed else 'FAIL'}  {expectation}: {detail}")
        failed = not all(passed for _, passed, _ in results)
        if failed:
            kept = Path(tempfile.gettempdir()) / f"kb-faults-{os.getpid()}.log"
            shutil.copy(log_path, kept)
            print(f"\ngunicorn's log: {kept}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
