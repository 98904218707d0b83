"""config.settings.production for the servers of tests/core/test_shared_cache.py, on one
machine over plain HTTP: static files from their sources (nothing collected), cookies without
`Secure`. The cache is production's own: REDIS_URL unset, so the database's table."""

from config.settings.production import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
