"""Settings for a developer's machine: debug on, a throwaway key, localhost only."""

from .base import *  # noqa: F403
from .base import env, env_bool, env_list

DEBUG = env_bool("DEBUG", True)
# A development-only key; production refuses to start without its own SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", "local-development-key-not-for-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

# Serve static files from their source folders without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
