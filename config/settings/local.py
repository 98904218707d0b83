"""Settings for a developer's machine: debug on, a throwaway key, localhost only."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, LOGGING, env, env_bool, env_list

DEBUG = env_bool("DEBUG", True)
# A development-only key; production refuses to start without its own SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", "local-development-key-not-for-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

# Serve static files from their source folders without collectstatic, through whitenoise's
# middleware rather than runserver's own handler, so they pass the access log as pages do.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
INSTALLED_APPS = ["whitenoise.runserver_nostatic", *INSTALLED_APPS]

# Logs for a person at the terminal: one plain line a record in TIME_ZONE (core/logging.py)
# on stderr, away from a command's own output; production keeps its JSON lines. runserver's
# own line per request (django.server) would repeat the access line, so it is dropped, and
# Django's console handler, which repeats its warnings under DEBUG, is taken off.
LOGGING = {
    **LOGGING,
    "formatters": {"readable": {"()": "core.logging.ReadableFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "readable",
        },
        "discard": {"class": "logging.NullHandler"},
    },
    "loggers": {
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": ["discard"], "propagate": False},
    },
}
