"""Load test: gunicorn with the production settings on PostgreSQL, driven by wrk. A benchmark.

    apt-get install -y wrk                                   # once; the script installs nothing
    .venv/bin/python benchmarks/load.py                      # throwaway database, 30 s per run
    .venv/bin/python benchmarks/load.py --connections 8,32 --seconds 20
    .venv/bin/python benchmarks/load.py --database-url postgres://postgres@127.0.0.1:5432/kb_corpus

Without --database-url it creates a database kb_load_<pid> on 127.0.0.1:5432, migrates it,
loads the demo and generates a corpus (`generate_corpus --articles 2000 --claims 20000`), and
drops it at the end (--keep leaves it for the next run). A database given with --database-url
is only read: nothing is migrated, loaded or dropped.

It collects the static files, starts `gunicorn -c gunicorn.conf.py` on loopback (the project's
worker settings; WEB_CONCURRENCY and GUNICORN_THREADS from the environment or --workers and
--threads) with config.settings.production, a throwaway SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,
and SECURE_SSL_REDIRECT=0 (no TLS on loopback). The API's anonymous throttle is raised out of
the way, since every request comes from one address. The access log goes to a file. As
docs/deploy.md asks for several workers, the cache (page fragments, throttle counters) is a
Redis the script starts on a free loopback port (`redis-server` must be installed:
apt-get install -y redis-server), or with --no-redis each worker's own memory.

The URL list mixes topic, article and expert pages, the API's claim, expert and article lists
and details, and site and API searches. Every URL is requested once first (each must answer
2xx or 3xx); then, after a warm-up run that is not reported, wrk runs for --seconds at each
connection count in --connections, taking the URLs in turn (benchmarks/rotate.lua), and last
a soak at --soak-connections for --soak seconds. wrk waits up to gunicorn's own timeout (30 s)
for an answer. The script prints requests per second, p50/p95/p99 latency and errors (socket
errors, timeouts and answers that are neither 2xx nor 3xx) per run; the server time by kind
of URL, from gunicorn's access log; and the resident memory of the gunicorn master and
workers (VmRSS in /proc, sampled every second): at the start, middle and end of the measured
runs and of the soak, and the highest. wrk keeps each connection busy (a closed loop), so
under overload the latency shows the queue but the rate cannot exceed what the server does.

Exit status 1 if any run had errors, or if memory grew more than 5% during the soak.
"""

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.api_claims import HOST, free_port  # noqa: E402

PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
LUA_SCRIPT = ROOT / "benchmarks" / "rotate.lua"
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
CORPUS_ARTICLES = 2000
CORPUS_CLAIMS = 20000
# How many URLs of each kind go into the rotation.
PER_KIND = 40
# Resident memory may rise this much during the soak (the last run) and still count as flat.
MEMORY_GROWTH_ALLOWED = 0.05


# --- The database -----------------------------------------------------------------------


def database_url_for(name, base=ADMIN_URL):
    parts = urlsplit(base)
    return parts._replace(path=f"/{name}").geturl()


def admin_execute(sql):
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(sql)


def manage(environment, *arguments, quiet=False):
    """Run `manage.py arguments…` with `environment`; exit with its output if it fails."""
    command = [PYTHON, "manage.py", *arguments]
    result = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=quiet, text=True, check=False
    )
    if result.returncode:
        if quiet:
            sys.stderr.write(result.stdout + result.stderr)
        sys.exit(f"manage.py {' '.join(arguments)} failed with status {result.returncode}.")


@contextlib.contextmanager
def throwaway_database(environment, *, keep, articles, claims, prefix="kb_load"):
    """A new database with the schema, the demo and a generated corpus; dropped afterwards."""
    name = f"{prefix}_{os.getpid()}"
    url = database_url_for(name)
    helped = subprocess.run(
        [PYTHON, "manage.py", "help", "generate_corpus"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        check=False,
    )
    if helped.returncode:
        sys.exit("manage.py generate_corpus is missing: give --database-url instead.")
    admin_execute(f'CREATE DATABASE "{name}"')
    print(f"Created database {name}.", flush=True)
    try:
        # Preparation runs without the statement timeout, as a long migration would.
        preparing = environment | {"DATABASE_URL": url, "DB_STATEMENT_TIMEOUT_MS": "0"}
        started = time.monotonic()
        manage(preparing, "migrate", "--verbosity", "0")
        manage(preparing, "load_demo", quiet=True)
        print(f"Generating a corpus of {articles} articles and {claims} claims…", flush=True)
        manage(preparing, "generate_corpus", "--articles", str(articles), "--claims", str(claims))
        print(f"Database ready in {time.monotonic() - started:.0f} s.", flush=True)
        yield url
    finally:
        if keep:
            print(f"Kept database {name}: --database-url {url}")
        else:
            admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            print(f"Dropped database {name}.")


def production_environment(database_url=None):
    """The environment of a production deployment on loopback, over plain HTTP."""
    environment = dict(os.environ)
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        # Every request of the test comes from 127.0.0.1: the per-address throttle would
        # answer 429 after the first minute's 60 API requests.
        API_ANON_THROTTLE_RATE="1000000000/min",
        PYTHONUNBUFFERED="1",
    )
    environment.pop("REDIS_URL", None)
    if database_url:
        environment["DATABASE_URL"] = database_url
    return environment


# --- The URLs -----------------------------------------------------------------------------


def sample(items, count, seed):
    items = list(items)
    random.Random(seed).shuffle(items)
    return items[:count]


def discover_urls(per_kind=PER_KIND):
    """{kind: [path, …]} of public pages, API lists and details and searches in the database.

    Runs in this process with the environment's settings (DATABASE_URL must be set).
    """
    import django

    # The script's own reads, not a reader's: on a big corpus they may take longer than the
    # production statement timeout allows a page.
    os.environ["DB_STATEMENT_TIMEOUT_MS"] = "0"
    django.setup()
    from django.db import connection
    from django.db.models import Exists, OuterRef
    from django.urls import reverse

    from articles.models import Article
    from claims.models import Claim, ClaimTopic, Topic
    from experts.models import Expert

    on_topic = ClaimTopic.objects.filter(topic=OuterRef("pk"), claim__in=Claim.objects.published())
    topics = list(Topic.objects.filter(Exists(on_topic)).order_by("pk"))
    articles = list(Article.objects.published().order_by("pk").values_list("pk", "slug")[:5000])
    experts = list(
        Expert.objects.public().order_by("pk").values_list("pk", "slug", "display_name")[:5000]
    )
    claim_ids = list(Claim.objects.published().order_by("pk").values_list("pk", flat=True)[:5000])
    connection.close()
    if not (topics and articles and experts and claim_ids):
        sys.exit("The database has no published topics, articles, experts or claims to request.")

    api = "/api/v1"
    topic_sample = sample(topics, per_kind, 1)
    article_sample = sample(articles, per_kind, 2)
    expert_sample = sample(experts, per_kind, 3)
    # Searches for what readers look up: topic titles and expert surnames.
    words = [topic.title for topic in topic_sample[: per_kind // 2]] + [
        name.split()[-1] for _, _, name in expert_sample[: per_kind // 2]
    ]
    lists = []
    for n in range(per_kind):
        topic = topic_sample[n % len(topic_sample)]
        _, expert_slug, _ = expert_sample[n % len(expert_sample)]
        lists += [
            f"{api}/claims/",
            f"{api}/claims/?page_size=50",
            f"{api}/claims/?{urlencode({'topic': topic.slug})}",
            f"{api}/claims/?{urlencode({'expert': expert_slug})}",
            f"{api}/experts/",
            f"{api}/articles/",
        ]
    lists = lists[:per_kind]
    details = []
    for pk, (article_pk, _), (expert_pk, _, _) in zip(
        sample(claim_ids, per_kind, 4), article_sample, expert_sample, strict=False
    ):
        details += [
            f"{api}/claims/{pk}/",
            f"{api}/articles/{article_pk}/",
            f"{api}/experts/{expert_pk}/",
        ]
    return {
        "topic page": [topic.get_absolute_url() for topic in topic_sample],
        "article page": [reverse("articles:detail", args=[slug]) for _, slug in article_sample],
        "expert page": [reverse("experts:detail", args=[slug]) for _, slug, _ in expert_sample],
        "API list": lists,
        "API detail": details[:per_kind],
        "site search": [f"/search/?{urlencode({'q': word})}" for word in words],
        "API search": [f"{api}/search/?{urlencode({'q': word})}" for word in words],
    }


def interleaved(urls_by_kind):
    """One list taking each kind in turn, so any stretch of the rotation has the whole mix."""
    columns = list(urls_by_kind.values())
    longest = max(len(column) for column in columns)
    return [column[n] for n in range(longest) for column in columns if n < len(column)]


# --- Redis and gunicorn -------------------------------------------------------------------


def start_redis(workdir):
    """A private, memory-only redis-server on a free loopback port: (process, REDIS_URL)."""
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no"],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"redis-server exited with {process.returncode}.")
        try:
            with socket.create_connection((HOST, port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return process, f"redis://{HOST}:{port}/0"
        except OSError:
            time.sleep(0.1)
    process.kill()
    sys.exit("redis-server did not answer within 10 s.")


def stop_process(process):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def get(port, path, timeout=30, headers=None):
    """(status, body bytes, seconds) of GET `path` on a fresh connection."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        return response.status, body, time.perf_counter() - started
    finally:
        connection.close()


def start_gunicorn(environment, port, log_path, extra_arguments=()):
    """gunicorn -c gunicorn.conf.py on `port`, once /healthz answers; logs go to `log_path`."""
    log = open(log_path, "ab")  # noqa: SIM115 - closed with the process by stop_gunicorn
    process = subprocess.Popen(
        [GUNICORN, "-c", "gunicorn.conf.py", *extra_arguments],
        cwd=ROOT,
        env=environment | {"GUNICORN_BIND": f"{HOST}:{port}"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.log = log
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited with {process.returncode}; see {log_path}.")
        try:
            status, _, _ = get(port, "/healthz", timeout=5)
        except OSError:
            time.sleep(0.3)
            continue
        if status == 200:
            return process
        sys.exit(f"gunicorn answered /healthz with {status}; see {log_path}.")
    stop_gunicorn(process)
    sys.exit(f"gunicorn did not answer /healthz within a minute; see {log_path}.")


def stop_gunicorn(process):
    if process.poll() is None:
        process.terminate()  # SIGTERM: gunicorn's graceful shutdown
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    process.log.close()


# --- Memory -------------------------------------------------------------------------------


def rss_kib(pid):
    """VmRSS of `pid` in KiB, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def children_of(pid):
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                # The command name (field 2) may hold spaces; the parent pid follows its ")".
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
        if parent == pid:
            found.append(int(entry))
    return found


class MemorySampler(threading.Thread):
    """Every second: the master's RSS and each worker's, as (seconds, master, {pid: rss})."""

    def __init__(self, master_pid, interval=1.0):
        super().__init__(daemon=True)
        self.master_pid = master_pid
        self.interval = interval
        self.samples = []
        self.started = time.monotonic()
        self._finished = threading.Event()

    def run(self):
        while not self._finished.is_set():
            workers = {pid: rss_kib(pid) for pid in children_of(self.master_pid)}
            workers = {pid: rss for pid, rss in workers.items() if rss is not None}
            master = rss_kib(self.master_pid) or 0
            self.samples.append((time.monotonic() - self.started, master, workers))
            self._finished.wait(self.interval)

    def stop(self):
        self._finished.set()
        self.join()

    def mark(self):
        return len(self.samples)

    def between(self, first, last=None):
        return self.samples[first:last]


def total_mib(sample_):
    _, master, workers = sample_
    return (master + sum(workers.values())) / 1024


def memory_summary(samples):
    """Start, middle, end and highest total RSS (MiB), the largest worker, workers seen."""
    if not samples:
        return None
    totals = [total_mib(s) for s in samples]
    workers_seen = {pid for _, _, workers in samples for pid in workers}
    largest_worker = max((rss for _, _, w in samples for rss in w.values()), default=0) / 1024
    return {
        "start": totals[0],
        "middle": totals[len(totals) // 2],
        "end": totals[-1],
        "max": max(totals),
        "largest_worker": largest_worker,
        "workers_seen": len(workers_seen),
        "workers_now": len(samples[-1][2]),
        "samples": len(samples),
    }


# --- wrk ----------------------------------------------------------------------------------


# gunicorn.conf.py's own timeout: an answer slower than that is cut off by gunicorn anyway.
WRK_TIMEOUT = 30


def run_wrk(port, paths_file, connections, seconds, threads=2, timeout=WRK_TIMEOUT):
    command = [
        "wrk",
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={timeout}s",
        "--latency",
        "-s",
        str(LUA_SCRIPT),
        f"http://{HOST}:{port}",
        "--",
        str(paths_file),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    for line in result.stdout.splitlines():
        if line.startswith("wrk-result "):
            return json.loads(line.removeprefix("wrk-result "))
    sys.exit(f"wrk failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")


ACCESS_LINE = re.compile(r'"GET (\S+) HTTP/[0-9.]+" (\d{3}) \S+ bytes (\d+)ms')


def server_time_by_kind(log_path, urls_by_kind, since_line=0):
    """{kind: [ms, …]} of the requests gunicorn's access log (gunicorn.conf.py's format)
    recorded after line `since_line`; empty if the format is not recognised."""
    kind_of = {path: kind for kind, paths in urls_by_kind.items() for path in paths}
    times = {}
    with open(log_path, errors="replace") as log:
        for number, line in enumerate(log):
            match = ACCESS_LINE.search(line) if number >= since_line else None
            if match and match.group(1) in kind_of:
                times.setdefault(kind_of[match.group(1)], []).append(int(match.group(3)))
    return times


def line_count(path):
    with open(path, errors="replace") as file:
        return sum(1 for _ in file)


def errors_of(result):
    sockets = result["connect"] + result["read"] + result["write"] + result["timeout"]
    return sockets + result["bad"]


def describe_errors(result):
    parts = [
        f"{result[name]} {name}" for name in ("connect", "read", "write", "timeout") if result[name]
    ]
    parts += [
        f"{count}× HTTP {status}" for status, count in sorted(result["bad_by_status"].items())
    ]
    return ", ".join(parts) or "none"


# --- Main ---------------------------------------------------------------------------------


def preflight(port, urls_by_kind):
    """Each URL once: every one must answer 2xx/3xx. {kind: (median ms, slowest ms)}."""
    timings = {}
    failures = []
    for kind, paths in urls_by_kind.items():
        times = []
        for path in paths:
            status, _, seconds = get(port, path)
            times.append(seconds * 1000)
            if not 200 <= status < 400:
                failures.append(f"{status} {path}")
        times.sort()
        timings[kind] = (times[len(times) // 2], times[-1], len(paths))
    if failures:
        sys.exit("Some URLs fail before any load:\n  " + "\n  ".join(failures[:20]))
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="an existing PostgreSQL database, only read")
    parser.add_argument("--articles", type=int, default=CORPUS_ARTICLES)
    parser.add_argument("--claims", type=int, default=CORPUS_CLAIMS)
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    parser.add_argument("--connections", default="4,16,64", help="wrk connection counts")
    parser.add_argument("--seconds", type=int, default=30, help="length of each run (30)")
    parser.add_argument("--warmup", type=int, default=10, help="unreported first run (10 s)")
    parser.add_argument(
        "--soak", type=int, default=60, help="last run, at --soak-connections, for memory (60 s)"
    )
    parser.add_argument("--soak-connections", type=int, default=16)
    parser.add_argument("--workers", type=int, help="WEB_CONCURRENCY (gunicorn.conf.py's default)")
    parser.add_argument("--threads", type=int, help="GUNICORN_THREADS (gunicorn.conf.py's: 4)")
    parser.add_argument(
        "--no-redis", action="store_true", help="each worker caches in its own memory"
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        help="override gunicorn.conf.py's worker recycling (0 turns it off, to watch for leaks)",
    )
    options = parser.parse_args()
    connection_counts = [int(c) for c in options.connections.split(",") if c.strip()]

    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    if not options.no_redis and shutil.which("redis-server") is None:
        sys.exit("redis-server is missing: apt-get install -y redis-server (or use --no-redis)")

    environment = production_environment()
    if options.workers:
        environment["WEB_CONCURRENCY"] = str(options.workers)
    if options.threads:
        environment["GUNICORN_THREADS"] = str(options.threads)
    extra = []
    if options.max_requests is not None:
        extra = ["--max-requests", str(options.max_requests)]
    workdir = Path(tempfile.mkdtemp(prefix="kb-load-"))

    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        if options.database_url:
            database_url = options.database_url
        else:
            database_url = stack.enter_context(
                throwaway_database(
                    environment, keep=options.keep, articles=options.articles, claims=options.claims
                )
            )
        environment["DATABASE_URL"] = database_url
        cache = "each worker's memory"
        if not options.no_redis:
            redis, environment["REDIS_URL"] = start_redis(workdir)
            stack.callback(stop_process, redis)
            cache = "Redis"
        os.environ.update(environment)

        print("Collecting static files…", flush=True)
        manage(environment, "collectstatic", "--noinput", "--verbosity", "0")
        urls_by_kind = discover_urls()
        paths = interleaved(urls_by_kind)
        paths_file = workdir / "paths.txt"
        paths_file.write_text("\n".join(paths) + "\n")

        port = free_port()
        log_path = workdir / "gunicorn.log"
        server = start_gunicorn(environment, port, log_path, extra)
        stack.callback(stop_gunicorn, server)
        sampler = MemorySampler(server.pid)
        sampler.start()
        stack.callback(sampler.stop)
        workers = len(children_of(server.pid))

        print(f"gunicorn: {workers} workers on {HOST}:{port}; {len(paths)} URLs in rotation.")
        timings = preflight(port, urls_by_kind)
        print("\nEach URL once, before the load (ms):")
        print(f"  {'kind':<13} {'urls':>4} {'median':>8} {'slowest':>8}")
        for kind, (median, slowest, count) in timings.items():
            print(f"  {kind:<13} {count:>4} {median:>8.1f} {slowest:>8.1f}")

        if options.warmup:
            print(
                f"\nWarm-up: {options.warmup} s at {connection_counts[0]} connections…", flush=True
            )
            run_wrk(port, paths_file, connection_counts[0], options.warmup)

        results = []
        measured_from = sampler.mark()
        log_from = line_count(log_path)
        runs = [(c, options.seconds, "") for c in connection_counts]
        if options.soak:
            runs.append((options.soak_connections, options.soak, "soak"))
        for connections, seconds, label in runs:
            print(f"Run: {connections} connections for {seconds} s {label}…", flush=True)
            first = sampler.mark()
            result = run_wrk(port, paths_file, connections, seconds)
            result["memory"] = memory_summary(sampler.between(first))
            results.append((connections, label, result))
        overall = memory_summary(sampler.between(measured_from))
        by_kind = server_time_by_kind(log_path, urls_by_kind, since_line=log_from)
        if server.poll() is not None:
            sys.exit(f"gunicorn died during the load (status {server.returncode}); see {log_path}.")

        print(
            f"\ngunicorn -c gunicorn.conf.py ({workers} workers × "
            f"{environment.get('GUNICORN_THREADS', '4')} threads, production settings), "
            f"PostgreSQL, cache in {cache}; wrk (timeout {WRK_TIMEOUT} s), "
            f"{len(paths)} URLs in rotation\n"
        )
        print(
            f"{'connections':>11} {'seconds':>7} {'requests':>9} {'req/s':>8} {'p50 ms':>8} "
            f"{'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7}  RSS MiB start→end (max)"
        )
        failed = False
        for connections, label, result in results:
            rate = result["requests"] / (result["duration_us"] / 1e6)
            memory = result["memory"]
            errors = errors_of(result)
            failed |= errors > 0
            seconds = result["duration_us"] / 1e6
            print(
                f"{connections:>11} {seconds:>7.0f} {result['requests']:>9} {rate:>8.1f} "
                f"{result['p50_us'] / 1000:>8.1f} {result['p95_us'] / 1000:>8.1f} "
                f"{result['p99_us'] / 1000:>8.1f} {result['max_us'] / 1000:>8.1f} {errors:>7}  "
                f"{memory['start']:.0f}→{memory['end']:.0f} ({memory['max']:.0f}) {label}"
            )
            if errors:
                print(f"{'':>11} errors: {describe_errors(result)}")
        if by_kind:
            total = sum(sum(times) for times in by_kind.values()) or 1
            print("\nServer time by kind of URL over the runs (gunicorn's access log):")
            print(f"  {'kind':<13} {'requests':>8} {'median ms':>9} {'p95 ms':>7} {'share':>6}")
            for kind, times in sorted(by_kind.items(), key=lambda item: -sum(item[1])):
                times.sort()
                print(
                    f"  {kind:<13} {len(times):>8} {times[len(times) // 2]:>9} "
                    f"{times[int(len(times) * 0.95)]:>7} {sum(times) / total:>6.0%}"
                )
        print(
            f"\nMemory of the master and workers over the measured runs (MiB, VmRSS, "
            f"{overall['samples']} samples a second apart): start {overall['start']:.0f}, "
            f"middle {overall['middle']:.0f}, end {overall['end']:.0f}, max {overall['max']:.0f}; "
            f"largest worker {overall['largest_worker']:.0f}; {overall['workers_seen']} worker "
            f"processes seen, {overall['workers_now']} at the end (recycling replaces a worker "
            f"after max_requests)."
        )
        soak = next((r["memory"] for _, label, r in results if label == "soak"), None)
        if soak:
            growth = soak["end"] / soak["start"] - 1
            flat = growth <= MEMORY_GROWTH_ALLOWED
            failed |= not flat
            print(
                f"Over the {options.soak} s soak: start {soak['start']:.0f}, middle "
                f"{soak['middle']:.0f}, end {soak['end']:.0f}, max {soak['max']:.0f} MiB: "
                + (
                    f"flat ({growth:+.1%})."
                    if flat
                    else f"grew {growth:+.1%}, more than {MEMORY_GROWTH_ALLOWED:.0%}."
                )
            )
        if failed:
            kept = Path(tempfile.gettempdir()) / f"kb-load-{os.getpid()}.log"
            shutil.copy(log_path, kept)
            print(f"\nErrors or growing memory: see gunicorn's log, {kept}.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
