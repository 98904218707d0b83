"""Request ids and access logging; control characters refused at the edge; a friendly 503
while the database is unreachable."""

import logging
import re
import threading
import time
import uuid

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from core.logging import request_id

access_logger = logging.getLogger("config.access")
logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-ID"
# An id a proxy or a client sent is kept only if it cannot smuggle anything into a log line
# or a header: short, and letters, digits, dot, underscore and hyphen only.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
RETRY_AFTER_SECONDS = 30
BARE_503_PAGE = "<!doctype html><title>Temporarily unavailable</title><p>Please try again shortly."
BARE_400_PAGE = (
    "<!doctype html><html lang=en><title>Bad request</title>"
    "<h1>Bad request</h1><p>The address contains characters that no page of this site uses.</p>"
)
# C0 controls, DEL and C1 controls: no slug, id, address or filter value holds one; NUL breaks
# PostgreSQL text, and the others can forge log lines or terminal escapes (U+009B is CSI).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# In a query value, whitespace a search box can carry (a pasted tab or line break) is kept:
# the search treats it as a space.
VALUE_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# RFC 9110 §5.5: a header value holds no control but tab. Only C0 and DEL: WSGI gives header
# bytes as Latin-1, so a UTF-8 value's continuation bytes look like C1 controls.
HEADER_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def statement_timed_out(exception):
    """Whether the database cancelled the query at its statement_timeout (the database is up,
    the query was too slow), rather than being unreachable."""
    cause = exception.__cause__
    return type(cause).__name__ == "QueryCanceled" or getattr(cause, "sqlstate", "") == "57014"


# Set once the undeclared-proxy error was logged in this process (client_ip).
_undeclared_proxy_reported = threading.Event()


def client_ip(request):
    """The client's address: REMOTE_ADDR, or with reverse proxies in front, the entry of
    X-Forwarded-For the nearest trusted proxy wrote (the API throttle's rule, so the two agree).
    """
    num_proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if num_proxies and forwarded:
        addresses = [address.strip() for address in forwarded.split(",")]
        return addresses[-min(num_proxies, len(addresses))]
    if forwarded and not _undeclared_proxy_reported.is_set():
        # Either a client forging the header (ignored, rightly) or a proxy nobody declared,
        # behind which every client has the proxy's address: one lockout then refuses an
        # editor to the whole world. Nothing else can tell the two apart, so say it loudly,
        # once a process: any client can send the header, and must not flood the log.
        _undeclared_proxy_reported.set()
        logger.error(
            "X-Forwarded-For received with API_NUM_PROXIES=0: if a reverse proxy is in front, "
            "set API_NUM_PROXIES, or every client shares its address (%s) for login "
            "lockouts and the API throttle.",
            request.META.get("REMOTE_ADDR"),
        )
    return request.META.get("REMOTE_ADDR")


class RequestIdMiddleware:
    """Give each request an id (the caller's X-Request-ID if it is safe, else a new one), send
    it back as X-Request-ID, tag every log line written meanwhile with it, and log one access
    line per request.

    For a streamed response (the NDJSON export) the access line is written when streaming
    starts, so its duration is the time to the first byte.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        current = incoming if SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = current
        token = request_id.set(current)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = current
            access_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id.reset(token)


class ControlCharacterMiddleware:
    """Refuse a request whose path, query string or headers hold control characters, before
    any view or the database sees them: a 400, as JSON with `errors` under /api/, a plain page
    elsewhere.

    The path and parameter names may hold none (C0, DEL, C1); parameter values may hold tab,
    line feed and carriage return, which a search box can carry, but no other control; header
    values none but tab (a NUL in `Authorization` reached the key lookup, a 500 on PostgreSQL).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        errors = self.errors(request)
        if errors:
            return self.refuse(request, errors)
        return self.get_response(request)

    @staticmethod
    def errors(request):
        errors = {}
        if CONTROL_CHARACTERS.search(request.path_info):
            errors["path"] = ["The path may not contain control characters."]
        for name, values in request.GET.lists():
            problems = []
            if CONTROL_CHARACTERS.search(name):
                problems.append("The parameter name may not contain control characters.")
            if any(VALUE_CONTROL_CHARACTERS.search(value) for value in values):
                problems.append(
                    "The value may not contain control characters (tab and line breaks excepted)."
                )
            if problems:
                # The name as given would carry the control characters into the answer.
                errors[CONTROL_CHARACTERS.sub("\N{REPLACEMENT CHARACTER}", name)] = problems
        for name, value in request.headers.items():
            if HEADER_CONTROL_CHARACTERS.search(value):
                errors[name] = ["The header may not contain control characters."]
        return errors

    @staticmethod
    def refuse(request, errors):
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": "The request has invalid parameters; see `errors`.", "errors": errors},
                status=400,
            )
        # A fixed page: the site's templates would echo the path and query in their links.
        return HttpResponse(BARE_400_PAGE, status=400)


class DatabaseUnavailableMiddleware:
    """Answer 503 with a page in the site's design (JSON under /api/) when a view fails because
    the database cannot be reached, instead of the generic 500.

    Django closes the broken connection at the end of the request (it checks connections that
    raised errors), so the next request connects afresh.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        timed_out = statement_timed_out(exception)
        if timed_out:
            logger.error("Statement timeout on %s: %s", request.path_info, exception)
        else:
            logger.error("Database unavailable: %s", exception, exc_info=exception)
        if request.path_info.startswith("/api/"):
            detail = (
                "The request took too long to answer; narrow it with filters or try again."
                if timed_out
                else "The service is temporarily unavailable. Please try again shortly."
            )
            response = JsonResponse({"detail": detail}, status=503)
        else:
            response = HttpResponse(self.page(request, timed_out=timed_out), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response

    @staticmethod
    def page(request, *, timed_out=False):
        try:
            return render_to_string("503.html", {"timed_out": timed_out}, request=request)
        except DatabaseError:
            # A context processor needed the database too: a bare page rather than a 500.
            return BARE_503_PAGE
