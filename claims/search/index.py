"""Keeping the search entries in step with the records they index.

`refresh(kind, ids)` rewrites the entries of those records from the database (removing those
whose record is gone), in the caller's transaction: the index lives in the same database, so a
write and its index change commit or roll back together and a reader never sees one without
the other. Model signals (connected in claims/apps.py) call it for every save and delete of a
record or of a part of one (a quote, a name variant, a topic link), whichever path wrote it: the
admin, a service, a command. Bulk writes that skip signals (QuerySet.update, bulk_create) call
`refresh` themselves, and `deferred()` gathers the refreshes of a long run into one at its end.
"""

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

from claims.models import SearchEntry

from .documents import BUILDERS, MODELS

Kind = SearchEntry.Kind
_pending = ContextVar("search_index_pending", default=None)


def refresh(kind, ids):
    """Rewrite the entries of the `kind` records `ids`; records that no longer exist lose theirs."""
    ids = {int(pk) for pk in ids if pk is not None}
    if not ids:
        return
    pending = _pending.get()
    if pending is not None:
        pending[kind].update(ids)
        return
    _write(kind, sorted(ids))


def _write(kind, ids):
    built = BUILDERS[kind](ids)
    with transaction.atomic():
        SearchEntry.objects.filter(kind=kind, object_id__in=ids).delete()
        entries = SearchEntry.objects.bulk_create([entry for entry, _ in built])
        links = [
            SearchEntry.topics.through(searchentry_id=entry.pk, topic_id=topic_id)
            for entry, (_, topic_ids) in zip(entries, built, strict=True)
            for topic_id in topic_ids
        ]
        SearchEntry.topics.through.objects.bulk_create(links)


@contextmanager
def deferred():
    """Collect the refreshes inside the block and write each record's entry once at its end."""
    if _pending.get() is not None:
        yield
        return
    pending = defaultdict(set)
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    for kind, ids in pending.items():
        for start in range(0, len(ids), 1000):
            _write(kind, sorted(ids)[start : start + 1000])


def rebuild(kinds=None, *, batch_size=1000, progress=None):
    """Rewrite every entry of `kinds` (default: all), `batch_size` records at a time.

    `progress(kind, done, total)` is called after each batch. Entries of deleted records go.
    """
    for kind in kinds or list(Kind):
        model = MODELS[kind]
        SearchEntry.objects.filter(kind=kind).exclude(
            object_id__in=model.objects.values("pk")
        ).delete()
        total = model.objects.count()
        done = 0
        last = 0
        while True:
            ids = list(
                model.objects.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                break
            _write(kind, ids)
            done += len(ids)
            last = ids[-1]
            if progress:
                progress(kind, done, total)
