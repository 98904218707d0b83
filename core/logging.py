"""Log lines as JSON, one object a line, each carrying the id of the request it belongs to.

A log collector reads stdout and indexes the fields; `request_id` ties every line a request
wrote (the access line, a warning from a view, a database error) to the `X-Request-ID` the
client got back.

On a developer's machine (config/settings/local.py) a person reads them instead:
ReadableFormatter writes one plain line a record, in the site's time zone.
"""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

from django.utils import timezone

# Set by core.middleware.RequestIdMiddleware for the length of one request. A ContextVar,
# not a thread-local, so it follows the request into async code as well as gthread workers.
request_id = ContextVar("request_id", default=None)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, request_id, and the request
    fields (method, path, status, duration_ms) when the record has them."""

    REQUEST_FIELDS = ("method", "path", "status", "duration_ms")

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": self.request_id(record),
        }
        for field in self.REQUEST_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        # django.request logs 4xx/5xx with `status_code`.
        if "status" not in entry and isinstance(getattr(record, "status_code", None), int):
            entry["status"] = record.status_code
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)

    @staticmethod
    def request_id(record):
        """The id of the request being served, or of the one the record names: Django logs a
        4xx/5xx answer (django.request, with `request`) after the middleware has returned."""
        if getattr(record, "request_id", None):
            return record.request_id
        current = request_id.get()
        if current:
            return current
        return getattr(getattr(record, "request", None), "request_id", None)


class ReadableFormatter(logging.Formatter):
    """One plain line a record, for a person at a terminal: the time in settings.TIME_ZONE,
    then an access line as "GET /topics/ 200 12.3 ms", anything else as "LEVEL logger:
    message" (with its traceback below it)."""

    def format(self, record):
        moment = datetime.fromtimestamp(record.created, tz=UTC)
        when = timezone.localtime(moment, timezone.get_default_timezone())
        if getattr(record, "duration_ms", None) is not None:
            line = f"{record.getMessage()} {record.duration_ms} ms"
        else:
            line = f"{record.levelname} {record.name}: {record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        if record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return f"{when:%Y-%m-%d %H:%M:%S} {line}"
