"""Settings shared by every environment.

Anything that differs between machines is read from the environment; the per-environment
modules (`local`, `test`, `production`) only change what must differ.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SITE_NAME = env("SITE_NAME", "Newsroom Knowledge Base")

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]
THIRD_PARTY_APPS = [
    "rest_framework",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "csp",
    "axes",
]
LOCAL_APPS = [
    "core",
    "articles",
    "experts",
    "claims",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    # First, so every log line of the request, and its access line, carry the request id.
    "core.middleware.RequestIdMiddleware",
    # Before anything writes an absolute URL or a redirect (CANONICAL_HOST).
    "core.headers.CanonicalHostMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.headers.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Before anything reads the session, the user or the database (a NUL breaks PostgreSQL);
    # after CORS and the security headers, which its 400 carries too.
    "core.middleware.ControlCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Public reads from the read replica, when there is one (core/db_router.py).
    "core.db_middleware.DatabaseRoutingMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

# SQLite in the project is the embedded default; PostgreSQL is chosen with DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
# SQLite rebuilds a table to alter it, which drops the triggers on it and fails on triggers
# naming it; this backend keeps them through the rebuild (core/sqlite/base.py).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "core.sqlite"
    # Take the write lock when a transaction starts, so two editors saving at once queue (up
    # to `timeout` seconds) instead of one failing with "database is locked" mid-transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
# A read replica for public pages (core/db_router.py): anonymous GETs read from it; writes,
# the admin, staff and anything after a write in the same request use "default".
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env("DATABASE_REPLICA_URL"),
        conn_max_age=int(env("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
    DATABASE_ROUTERS = ["core.db_router.PrimaryReplicaRouter"]


def fail_fast(databases, *, connect_timeout, statement_timeout_ms):
    """Make PostgreSQL connections give up instead of hanging while the server is down or a
    query runs away: libpq's connect_timeout (seconds) and, unless 0, a statement_timeout
    (milliseconds). Other engines are left alone."""
    for database in databases.values():
        if database["ENGINE"] != "django.db.backends.postgresql":
            continue
        options = database.setdefault("OPTIONS", {})
        options["connect_timeout"] = connect_timeout
        if statement_timeout_ms:
            options["options"] = f"-c statement_timeout={statement_timeout_ms}"
        else:
            options.pop("options", None)


fail_fast(
    DATABASES,
    connect_timeout=int(env("DB_CONNECT_TIMEOUT", "3")),
    statement_timeout_ms=int(env("DB_STATEMENT_TIMEOUT_MS", "0")),
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/Kyiv"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# DRF's form: "<requests>/<second|minute|hour|day>" (sec, min, s, m, h, d also accepted).
THROTTLE_RATE_PATTERN = r"^[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)$"


def env_rate(name, default):
    value = os.environ.get(name, default).strip()
    if not re.match(THROTTLE_RATE_PATTERN, value):
        raise ImproperlyConfigured(f"{name} must be a rate like 60/min or 1000/hour, not {value!r}")
    return value


REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # Partners send `Authorization: Api-Key <key>`; everyone else reads anonymously.
    "DEFAULT_AUTHENTICATION_CLASSES": ["core.api.access.PartnerKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.access.ReadOnly"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.access.AnonymousRateThrottle",
        "core.api.access.PartnerKeyRateThrottle",
    ],
    # Per client IP without a key; per key with one (a key may carry its own rate).
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_ANON_THROTTLE_RATE", "60/min"),
        "partner": env_rate("API_KEY_THROTTLE_RATE", "1000/min"),
    },
    # Reverse proxies in front of the app whose X-Forwarded-For entries are trusted to name
    # the client; 0 uses REMOTE_ADDR, so a client cannot forge its way past the throttle.
    "NUM_PROXIES": int(env("API_NUM_PROXIES", "0")),
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.common.StrictFilterBackend",
        "core.api.common.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.common.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "core.api.common.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}


def env_seconds(name, default):
    value = os.environ.get(name, default).strip()
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0
    if not 0 < seconds < float("inf"):
        raise ImproperlyConfigured(f"{name} must be a positive number of seconds, not {value!r}")
    return seconds


# Seconds one request of the claims export may stream before it ends with a line saying so
# and where to continue (claims/api/export.py); below gunicorn's graceful_timeout.
EXPORT_TIME_LIMIT_SECONDS = env_seconds("EXPORT_TIME_LIMIT_SECONDS", "20")
# Seconds a browser or shared cache may reuse an API response before revalidating it.
API_CACHE_MAX_AGE = int(env("API_CACHE_MAX_AGE", "60"))
# Part of every ETag: bump it when a deploy changes what the API returns for unchanged rows.
API_CACHE_VERSION = env("API_CACHE_VERSION", "1")


def caches_for(redis_url, *, shared=False):
    """Redis, shared by every worker, when REDIS_URL is set. Else, with `shared`, a table in
    the database, which every worker and machine reads too (production); else this process's
    memory (one development server, the tests)."""
    if redis_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": "kb",
                # A Redis that is down or unreachable fails fast; pages then render uncached.
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        }
    if shared:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                # Created by `migrate` (core.cache.create_cache_table), or `createcachetable`.
                "LOCATION": "kb_cache",
                "KEY_PREFIX": "kb",
                # Django culls a third of the table past MAX_ENTRIES (default 300): room for
                # every throttle counter and fragment of a busy hour.
                "OPTIONS": {"MAX_ENTRIES": 20000},
            }
        }
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


# Holds the API's throttle counters and the public pages' fragments.
CACHES = caches_for(env("REDIS_URL"))

# How long a cached fragment of a public page lives (0 turns the cache off). Publishing or
# editing drops them all at once (core/cache.py); this bounds staleness if a purge is lost.
PUBLIC_CACHE_SECONDS = int(env("PUBLIC_CACHE_SECONDS", "300"))
# Dotted paths of callables given the public paths to purge after each publish or edit,
# e.g. "core.cache.post_cdn_purge", which POSTs them to CDN_PURGE_URL.
CDN_PURGE_HOOKS = env_list("CDN_PURGE_HOOKS")
CDN_PURGE_URL = env("CDN_PURGE_URL", "")
CDN_PURGE_TOKEN = env("CDN_PURGE_TOKEN", "")
CDN_PURGE_TIMEOUT = float(env("CDN_PURGE_TIMEOUT", "2"))
# What a write can change, as the purge hooks receive it: URL names (reversed) or paths; a
# trailing "*" makes the entry a prefix. Named here, with the URL wiring, so core/cache.py
# knows no app's pages.
PUBLIC_PATHS = [
    "home",
    "sitemap",
    "search*",
    "claims:topics*",
    "/claims/*",
    "claims:treaties*",
    "experts:list*",
    "articles:list*",
    "/outlets/*",
    "/api/v1/*",
]

SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom Knowledge Base API",
    "VERSION": "1.0.0",
    "DEFAULT_GENERATOR_CLASS": "core.api.schema.SchemaGenerator",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema_hooks.complete_schema",
    ],
    # Tags come from the path after /api/v1/: claims, experts, …
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "SERVE_INCLUDE_SCHEMA": False,
    # One enum for the choice sets several fields share.
    "ENUM_NAME_OVERRIDES": {"DatePrecisionEnum": "core.models.DatePrecision"},
    # Swagger UI and ReDoc from drf-spectacular-sidecar's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {
        "deepLinking": True,
        "displayRequestDuration": True,
        "filter": True,
        # The default validator badge is an image from validator.swagger.io.
        "validatorUrl": None,
    },
    # ReDoc's theme names web fonts; the page loads none (templates/drf_spectacular/redoc.html).
    "REDOC_UI_SETTINGS": {
        "expandResponses": "200",
        "theme": {
            "typography": {
                "fontFamily": "system-ui, sans-serif",
                "headings": {"fontFamily": "system-ui, sans-serif"},
            }
        },
    },
}

# Partner sites may read the API from the browser; only GET-like requests are allowed.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# Beyond the CORS-safelisted ones, the headers a partner's script may read.
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After", "X-Request-ID"]

# Article imports (import_articles, the admin's upload page): a file over the byte limit or a
# body over the character limit fails and writes nothing.
ARTICLE_BODY_MAX_CHARS = int(env("ARTICLE_BODY_MAX_CHARS", "1000000"))
ARTICLE_IMPORT_MAX_BYTES = int(env("ARTICLE_IMPORT_MAX_BYTES", "10000000"))
# One upload on the admin's import page is refused whole above these (the command has no item
# limit: it runs outside any request, each file in its own transaction).
ARTICLE_IMPORT_MAX_REQUEST_BYTES = int(env("ARTICLE_IMPORT_MAX_REQUEST_BYTES", "5000000"))
ARTICLE_IMPORT_MAX_ITEMS = int(env("ARTICLE_IMPORT_MAX_ITEMS", "500"))

# One JSON object per line on stdout (core/logging.py), each with the id that
# core.middleware.RequestIdMiddleware gives the request; "config.access" logs one line a request.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

# Headers every environment sends (production adds HSTS, secure cookies and the HTTPS redirect).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No page uses these browser features; core.headers.PermissionsPolicyMiddleware sends
# `camera=(), microphone=(), …` (an empty list: allowed to no origin, not even this one).
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    ]
}
# Static files are same-origin (the fonts too): whitenoise's default would let any site read
# them with `Access-Control-Allow-Origin: *`.
WHITENOISE_ALLOW_ALL_ORIGINS = False
# host[:port] every absolute URL names (API links, JSON-LD, feeds, sitemap), whatever Host a
# request sent; empty: the request's own (core/headers.py). Production requires it.
CANONICAL_HOST = env("CANONICAL_HOST", "")
# Probes may speak plain HTTP to the app behind the proxy (core/health.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Everything comes from this server; no inline script or style except an element carrying the
# response's nonce (`nonce="{{ request.csp_nonce }}"`). The admin and the API docs run under it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF, csp.NONCE],
        "img-src": [csp.SELF, "data:"],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "frame-ancestors": [csp.NONE],
        "form-action": [csp.SELF],
        # ReDoc runs its search in a worker built from a blob: URL; only a script the policy
        # already allows can make one.
        "worker-src": [csp.SELF, "blob:"],
    }
}

# Sign-in: django-axes counts failed logins per username and client address together and
# refuses that pair for a while after too many; editors clear a lockout by deleting its
# "Access attempt" in the admin.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
# Log lockouts with the username and address only (no user agent), and no start-up banner on
# stdout, where it would mix into a management command's output.
AXES_VERBOSE = False
# The same client address the API throttle uses (API_NUM_PROXIES), never a forgeable header.
AXES_CLIENT_IP_CALLABLE = "core.middleware.client_ip"
# Where a sign-in lands without a `next`, or with one refused as pointing off the site.
LOGIN_REDIRECT_URL = "admin:index"
LOGIN_URL = "admin:login"
