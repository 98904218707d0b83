"""Production settings: every secret and host comes from the environment."""

from django.core.exceptions import ImproperlyConfigured
from django.http.request import split_domain_port, validate_host

from .base import *  # noqa: F403
from .base import DATABASES, REST_FRAMEWORK, caches_for, env, env_bool, env_list, fail_fast

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The host every absolute URL names (core/headers.py): CANONICAL_HOST, else the first
# ALLOWED_HOSTS entry when it is one plain host name.
CANONICAL_HOST = env("CANONICAL_HOST", "") or (
    ALLOWED_HOSTS[0] if not ALLOWED_HOSTS[0].startswith(".") and "*" not in ALLOWED_HOSTS[0] else ""
)
if not CANONICAL_HOST or not validate_host(split_domain_port(CANONICAL_HOST)[0], ALLOWED_HOSTS):
    raise ImproperlyConfigured(
        "CANONICAL_HOST must name the site's host (one of ALLOWED_HOSTS, e.g. kb.example.org) "
        "in production; it is the host of every absolute URL the site writes."
    )

# One cache for every worker and machine, so a purge (and each throttle count) reaches them
# all: Redis when REDIS_URL is set, else a table in the database. `check --deploy` refuses a
# process-local cache (core/checks.py).
CACHES = caches_for(env("REDIS_URL"), shared=True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# X-Forwarded-Proto says the request came over HTTPS only when a proxy we were told about
# (API_NUM_PROXIES > 0) set it; without one, any client could send it. Behind a proxy that
# terminates HTTPS, API_NUM_PROXIES must then be set, or every request is redirected to HTTPS
# again: the same setting gives the throttle and the login lockout the real client address.
if REST_FRAMEWORK["NUM_PROXIES"] > 0:
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
