"""The bulk export: every row of a queryset as NDJSON, read in fixed-size chunks, within a
time limit.

Chunks are read by ascending id (keyset paging, no OFFSET), each with its own prefetches, so
memory and the cost of each query stay flat however many rows there are. Each chunk is its
own short query, not one server-side cursor held open for the whole download: a slow client
keeps no transaction or snapshot open, and every query can be given the time that is left.

The stream stops at a deadline, checked before each chunk (on PostgreSQL each chunk's queries
also run under a statement timeout of the time left). It then ends with one last line that is
not a claim, `{"error": "time_limit", "detail": …, "next": <URL>}`, whose `next` continues
after the last claim sent. A database failure mid-stream ends it the same way, with
`"error": "unavailable"`: the client always learns that the export is incomplete.
"""

import gc
import logging
import time
from contextlib import contextmanager

from django.db import DatabaseError, connections, transaction

from claims.api.renderers import ndjson_line

logger = logging.getLogger(__name__)

# Rows per query: memory is about one chunk of claims with their prefetched relations.
CHUNK_SIZE = 200
# The clock deadlines are measured on (a module attribute, so a test can stand in for it).
monotonic = time.monotonic
# PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout.
QUERY_CANCELED = "57014"


class TimeLimitReached(Exception):
    """The export's deadline passed before the next chunk."""


def chunks(queryset, size=CHUNK_SIZE, *, deadline=None, clock=None):
    """`queryset`'s rows in lists of at most `size`, by ascending id.

    With a `deadline` (a `clock()` value), raises TimeLimitReached instead of reading a chunk
    once it has passed, and on PostgreSQL cancels a chunk's queries that would run past it.
    """
    clock = clock or monotonic
    queryset = queryset.order_by("pk")
    last = None
    while True:
        if deadline is not None and clock() >= deadline:
            raise TimeLimitReached
        page = queryset if last is None else queryset.filter(pk__gt=last)
        with _statement_deadline(queryset.db, deadline, clock):
            rows = list(page[:size])
        if rows:
            yield rows
        if len(rows) < size:
            return
        last = rows[-1].pk
        # Prefetched rows reference each other in cycles, which only a full collection frees;
        # left to the collector's own schedule they pile up chunk after chunk.
        del rows
        gc.collect()


@contextmanager
def _statement_deadline(alias, deadline, clock):
    connection = connections[alias]
    if deadline is None or connection.vendor != "postgresql":
        yield
        return
    milliseconds = max(1, int((deadline - clock()) * 1000))
    # SET LOCAL ends with the transaction: the connection's own timeout is back afterwards.
    with transaction.atomic(using=alias):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = %s", [milliseconds])
        yield


def ndjson_lines(
    queryset,
    *,
    serializer,
    time_limit,
    resume_url,
    chunk_size=CHUNK_SIZE,
    clock=None,
):
    """Each row as `serializer` represents it, one JSON document per line; bytes per chunk.

    Stops after `time_limit` seconds with a last line naming the error and the URL that
    continues the export (`resume_url(last_id_sent)`, where the id is None if none was sent).
    """
    clock = clock or monotonic
    deadline = clock() + time_limit
    last = None
    try:
        for rows in chunks(queryset, chunk_size, deadline=deadline, clock=clock):
            lines = b"".join(ndjson_line(serializer.to_representation(row)) for row in rows)
            last = rows[-1].pk
            del rows  # so the collection before the next chunk can free this one
            yield lines
    except TimeLimitReached:
        yield _stopped("time_limit", time_limit, resume_url(last))
    except DatabaseError as error:
        if getattr(error.__cause__, "sqlstate", None) == QUERY_CANCELED:
            yield _stopped("time_limit", time_limit, resume_url(last))
            return
        logger.error("The export stopped: the database failed.", exc_info=True)
        yield ndjson_line(
            {
                "error": "unavailable",
                "detail": "The export stopped: the database failed. Continue with `next`.",
                "next": resume_url(last),
            }
        )


def _stopped(error, time_limit, next_url):
    return ndjson_line(
        {
            "error": error,
            "detail": f"The export stopped at its time limit of {time_limit:g} seconds a "
            "request; continue with `next`.",
            "next": next_url,
        }
    )
