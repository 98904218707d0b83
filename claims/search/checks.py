"""`manage.py check` warns when search has to fall back to its slow match."""

from django.core import checks
from django.db import connection


def search_engine_check(app_configs, **kwargs):
    from .engines import LikeEngine, engine

    if connection.vendor == "sqlite" and isinstance(engine(), LikeEngine):
        return [
            checks.Warning(
                "This SQLite has no FTS5: search uses a slow "
                "substring match without ranking by relevance or stemming.",
                hint="Use a Python whose sqlite3 has FTS5 (then `manage.py migrate claims 0008` "
                "and `manage.py migrate` create the search table), or PostgreSQL.",
                id="search.W001",
            )
        ]
    return []


def register():
    checks.register(search_engine_check)
