"""Production settings: every secret and host comes from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, caches_for, env, env_bool, env_list, fail_fast

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# One cache for every worker and machine, so a purge (and each throttle count) reaches them
# all: Redis when REDIS_URL is set, else a table in the database. `check --deploy` refuses a
# process-local cache (config/checks.py).
CACHES = caches_for(env("REDIS_URL"), shared=True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Workers keep their database connections for a minute (checked before reuse), and a query
# running longer than DB_STATEMENT_TIMEOUT_MS is cancelled (0 turns that off, e.g. for a long
# migration).
for database in DATABASES.values():
    database["CONN_MAX_AGE"] = int(env("CONN_MAX_AGE", "60"))
fail_fast(
    DATABASES,
    connect_timeout=int(env("DB_CONNECT_TIMEOUT", "3")),
    statement_timeout_ms=int(env("DB_STATEMENT_TIMEOUT_MS", "5000")),
)
