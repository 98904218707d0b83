"""The bulk export: every row of a queryset as NDJSON, read in fixed-size chunks.

Chunks are read by ascending id (keyset paging, no OFFSET), each with its own prefetches,
so memory and the cost of each query stay flat however many rows there are.
"""

from claims.api.renderers import ndjson_line

CHUNK_SIZE = 500


def chunks(queryset, size=CHUNK_SIZE):
    """`queryset`'s rows in lists of at most `size`, by ascending id."""
    queryset = queryset.order_by("pk")
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        rows = list(page[:size])
        if rows:
            yield rows
        if len(rows) < size:
            return
        last = rows[-1].pk


def ndjson_lines(queryset, *, serializer, chunk_size=CHUNK_SIZE):
    """Each row as `serializer` represents it, one JSON document per line; bytes per chunk."""
    for rows in chunks(queryset, chunk_size):
        yield b"".join(ndjson_line(serializer.to_representation(row)) for row in rows)
