"""`manage.py check --deploy`: settings that would break production though the site still runs.

A process-local cache behind several workers is such a setting: a purge bumps the public
generation in the one process that handled the write (commands purge none), so other workers
serve withdrawn claims until their copies expire, and each worker counts its own throttle
budget. Production's default is shared (Redis, else a table in the database); this check
catches a settings module that swaps in a local one.
"""

from django.conf import settings
from django.core import checks
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.utils.module_loading import import_string
from rest_framework.settings import api_settings

PROCESS_LOCAL = (LocMemCache, DummyCache)


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    """cache.E001 when the default cache lives in one process while public pages are cached
    or the API is throttled; cache.W001 when it is shared by one machine's workers only."""
    backend = import_string(settings.CACHES["default"]["BACKEND"])
    users = []
    if settings.PUBLIC_CACHE_SECONDS > 0:
        users.append(
            f"public pages are cached (PUBLIC_CACHE_SECONDS={settings.PUBLIC_CACHE_SECONDS})"
        )
    if api_settings.DEFAULT_THROTTLE_CLASSES:
        users.append("the API is throttled")
    if not users:
        return []
    if issubclass(backend, PROCESS_LOCAL):
        return [
            checks.Error(
                f"The default cache ({backend.__name__}) lives in each worker process, but "
                f"{' and '.join(users)}: a purge after a write reaches only the worker that "
                "made it (a management command's, none), and each worker counts its own "
                "throttle budget.",
                hint="Set REDIS_URL, or leave CACHES to the production settings (a table in "
                "the database, created by `migrate`).",
                id="cache.E001",
            )
        ]
    if issubclass(backend, FileBasedCache):
        return [
            checks.Warning(
                "The default cache (FileBasedCache) is shared by this machine's workers only: "
                "a purge on one server does not reach another.",
                hint="With more than one server, set REDIS_URL or use the database cache.",
                id="cache.W001",
            )
        ]
    return []
