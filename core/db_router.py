"""Reads of public requests from the "replica" database; everything else on "default".

A request may read from the replica only when core.db_middleware says so: an anonymous or
non-staff GET/HEAD outside /admin/. Within such a request the router still picks the
primary for

- every write, and every read after the request's first write ("read your writes": a
  replica lags behind the primary);
- reads inside a transaction.atomic block, which must see the transaction's own rows;
- the records that must never be stale: sessions, users and permissions, login attempts
  and partner API keys (a revoked key stops working at once).

Code outside a request (management commands, the shell) reads from the primary unless it
opts in with `replica_reads()`. Migrations run on "default" only. Installed by
settings.DATABASE_ROUTERS when DATABASE_REPLICA_URL is set.
"""

import contextvars
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

# Apps and models read from the primary even in a public request. "django_cache" is the
# database cache's table: a purge must be seen at once, and a cache write is no write of the
# request's (it leaves the replica reads on).
CACHE_APP = "django_cache"
PRIMARY_ONLY_APPS = frozenset({"admin", "auth", "axes", "sessions", CACHE_APP})
PRIMARY_ONLY_MODELS = frozenset({"core.partnerkey"})


class _Scope:
    """Whether the current request may read from the replica; cleared by its first write."""

    def __init__(self):
        self.replica_allowed = True


_scope = contextvars.ContextVar("db_routing_scope", default=None)


@contextmanager
def replica_reads():
    """Let the reads inside this block go to the replica (until the block's first write)."""
    token = _scope.set(_Scope())
    try:
        yield
    finally:
        _scope.reset(token)


def _in_transaction():
    """Whether the application opened a transaction.atomic block on the primary.

    The test runner's own wrapping transaction (TestCase) does not count, as in Django's
    check for durable blocks.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        return False
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        scope = _scope.get()
        if scope is None or not scope.replica_allowed or REPLICA not in settings.DATABASES:
            return DEFAULT_DB_ALIAS
        opts = model._meta
        if opts.app_label in PRIMARY_ONLY_APPS or opts.label_lower in PRIMARY_ONLY_MODELS:
            return DEFAULT_DB_ALIAS
        if _in_transaction():
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        scope = _scope.get()
        if scope is not None and model._meta.app_label != CACHE_APP:
            scope.replica_allowed = False
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
