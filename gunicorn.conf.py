"""Gunicorn settings for production: `gunicorn -c gunicorn.conf.py`.

Environment: GUNICORN_BIND (default 127.0.0.1:8000, behind the reverse proxy), WEB_CONCURRENCY
(worker processes; default 2 × cores + 1), GUNICORN_THREADS (threads per worker, default 4).
The Django settings come from DJANGO_SETTINGS_MODULE (config.settings.production by default).
"""

import os


def worker_count(cores, environ):
    """WEB_CONCURRENCY if set, else two workers per core plus one."""
    configured = environ.get("WEB_CONCURRENCY", "").strip()
    if configured:
        if not configured.isdigit() or int(configured) < 1:
            raise ValueError(f"WEB_CONCURRENCY must be a positive whole number, not {configured!r}")
        return int(configured)
    return 2 * cores + 1


def cpu_count():
    """The cores this process may run on (a container's CPU set, not the whole host's)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

workers = worker_count(cpu_count(), os.environ)
# Threads let a worker keep serving while one request waits on the database or a slow client.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# A worker that stops answering the arbiter for this long (a hung process) is killed and
# replaced. It does not stop a slow request: a gthread worker's main thread keeps answering
# while a request runs in another thread. What bounds a request is the database statement
# timeout (DB_STATEMENT_TIMEOUT_MS, 5 s by default) and, for the streamed claims export, its
# own EXPORT_TIME_LIMIT_SECONDS (20 s by default).
timeout = 30
# On restart or deploy, in-flight requests get this long to finish: longer than the export's
# time limit, so a running export ends with its own last line rather than mid-row.
graceful_timeout = 30
# Seconds an idle keep-alive connection from the proxy stays open.
keepalive = 5
# The longest request line gunicorn reads (its maximum; the default is 4094): a longer one is
# a 414 from gunicorn itself, documented in the API schema. Long filter combinations stay
# within reach of the app, which answers them with its own 400s.
limit_request_line = 8190
# Recycle each worker after about a thousand requests (jittered so they do not all restart at
# once), which bounds any slow memory growth.
max_requests = 1000
max_requests_jitter = 100

# Access and error logs on stdout/stderr, for the platform's log collector. The access line
# names the request id the app returned, matching the app's JSON log lines for that request.
accesslog = "-"
errorlog = "-"
access_log_format = " ".join(
    [
        '%(h)s "%(r)s" %(s)s %(B)s bytes %(M)sms',
        'request_id=%({x-request-id}o)s "%(a)s"',
    ]
)
