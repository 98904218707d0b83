"""Settings for the test suite: fast hashing, no debug, the database from DATABASE_URL."""

from .base import *  # noqa: F403
from .base import env, fail_fast

DEBUG = False
SECRET_KEY = env("SECRET_KEY", "test-key-not-for-production")
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Static files come straight from the app and project folders; nothing is collected.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Throttle counters and other cached values stay in this process, whatever REDIS_URL says.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Pages render fresh in every test; tests/core/test_public_cache.py turns the fragment cache on.
PUBLIC_CACHE_SECONDS = 0
# The same test database under a second alias, for the read-replica router's tests (no test
# routes to it unless it installs core.db_router; see tests/core/test_db_router.py).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
# SQLite tests run in memory. Said outright because pytest-django, running the suite on several
# cores, only recognises Django's own SQLite engine by name and would give core.sqlite a file.
for _database in DATABASES.values():  # noqa: F405
    if _database["ENGINE"] == "core.sqlite":
        _database.setdefault("TEST", {}).setdefault("NAME", ":memory:")
DATABASE_ROUTERS = []
# The suite sends thousands of requests from one address; throttling tests set their own rates.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "partner": "100000/min"},
}

# No statement timeout in tests, whatever DB_STATEMENT_TIMEOUT_MS says: a slow CI machine must
# not cancel a long setup query.
fail_fast(DATABASES, connect_timeout=3, statement_timeout_ms=0)  # noqa: F405
# django-axes stays on: its failed-login records live in the test database, so each test's
# rollback (or flush, for live-server tests) clears any lockout a test caused.
AXES_ENABLED = True
