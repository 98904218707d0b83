"""`manage.py check --deploy` refuses a process-local cache where production needs a shared one
(core/checks.py), and production's own default passes it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DUMMY = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
DATABASE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "t"}}


def no_throttles():
    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    )


def deploy_check():
    call_command("check", deploy=True, tags=["caches"], fail_level="WARNING")


def production(args, tmp_path):
    """`manage.py <args>` with the production settings and no REDIS_URL, as CI runs the check."""
    # Neither the Redis of the CI machine nor the browser tests' async-unsafe switch (set in this
    # process by tests/browser/conftest.py) belongs in a production check.
    environ = {
        name: value
        for name, value in os.environ.items()
        if name not in {"REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="deploy-check-" + "k3y" * 20,
        ALLOWED_HOSTS="kb.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_redis_url_caches_in_a_database_table(tmp_path):
    result = production(
        ["shell", "-c", "from django.conf import settings; print(settings.CACHES)"], tmp_path
    )

    assert result.returncode == 0, result.stderr
    assert "django.core.cache.backends.db.DatabaseCache" in result.stdout


def test_production_settings_pass_the_deploy_check_without_redis_url(tmp_path):
    result = production(["check", "--deploy", "--fail-level", "WARNING"], tmp_path)

    assert result.returncode == 0, result.stderr


@override_settings(CACHES=LOCMEM, PUBLIC_CACHE_SECONDS=300)
def test_a_memory_cache_behind_the_public_page_cache_fails_the_deploy_check():
    with no_throttles(), pytest.raises(SystemCheckError, match="cache.E001") as refused:
        deploy_check()

    assert "PUBLIC_CACHE_SECONDS=300" in str(refused.value)


@override_settings(CACHES=LOCMEM, PUBLIC_CACHE_SECONDS=0)
def test_a_memory_cache_holding_the_throttle_counts_fails_the_deploy_check():
    with pytest.raises(SystemCheckError, match="cache.E001") as refused:
        deploy_check()

    assert "the API is throttled" in str(refused.value)


@override_settings(CACHES=DUMMY, PUBLIC_CACHE_SECONDS=300)
def test_the_dummy_cache_fails_the_deploy_check():
    with pytest.raises(SystemCheckError, match="cache.E001"):
        deploy_check()


@override_settings(CACHES=LOCMEM, PUBLIC_CACHE_SECONDS=0)
def test_a_memory_cache_nothing_relies_on_passes_the_deploy_check():
    with no_throttles():
        deploy_check()


@override_settings(CACHES=DATABASE, PUBLIC_CACHE_SECONDS=300)
def test_the_database_cache_passes_the_deploy_check():
    deploy_check()


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": "/tmp/kb-deploy-check-cache",
        }
    },
    PUBLIC_CACHE_SECONDS=300,
)
def test_a_file_cache_warns_that_other_servers_are_not_purged():
    with pytest.raises(SystemCheckError, match="cache.W001"):
        deploy_check()


@override_settings(CACHES=LOCMEM, PUBLIC_CACHE_SECONDS=300)
def test_a_memory_cache_is_fine_outside_the_deploy_check():
    call_command("check", tags=["caches"], fail_level="WARNING")
