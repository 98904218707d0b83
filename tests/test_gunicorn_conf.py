"""gunicorn.conf.py: the worker count and a configuration gunicorn itself accepts."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "gunicorn.conf.py"


def load_conf(monkeypatch, **environ):
    for name in ("WEB_CONCURRENCY", "GUNICORN_BIND", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("gunicorn_conf", CONF)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_workers_are_two_per_core_plus_one(monkeypatch):
    conf = load_conf(monkeypatch)

    assert conf.worker_count(1, {}) == 3
    assert conf.worker_count(4, {}) == 9
    assert conf.workers == 2 * len(os.sched_getaffinity(0)) + 1


def test_web_concurrency_sets_the_worker_count(monkeypatch):
    conf = load_conf(monkeypatch, WEB_CONCURRENCY="3")

    assert conf.workers == 3
    assert conf.worker_count(16, {"WEB_CONCURRENCY": "2"}) == 2


@pytest.mark.parametrize("value", ["0", "-1", "many", "2.5"])
def test_a_nonsensical_web_concurrency_is_refused(monkeypatch, value):
    with pytest.raises(ValueError, match="WEB_CONCURRENCY"):
        load_conf(monkeypatch, WEB_CONCURRENCY=value)


def test_defaults_bind_to_loopback_with_threaded_workers(monkeypatch):
    conf = load_conf(monkeypatch)

    assert conf.bind == "127.0.0.1:8000"
    assert conf.wsgi_app == "config.wsgi:application"
    assert conf.worker_class == "gthread"
    assert conf.threads > 1
    assert conf.timeout == 30
    assert conf.max_requests and conf.max_requests_jitter
    assert conf.accesslog == "-"
    assert "%({x-request-id}o)s" in conf.access_log_format


def test_the_bind_address_comes_from_the_environment(monkeypatch):
    assert load_conf(monkeypatch, GUNICORN_BIND="0.0.0.0:9000").bind == "0.0.0.0:9000"


def test_gunicorn_accepts_the_configuration_and_loads_the_app(tmp_path):
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "check-config-" + "x" * 50,
        "ALLOWED_HOSTS": "kb.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
    }
    environ.pop("WEB_CONCURRENCY", None)

    result = subprocess.run(
        [Path(sys.executable).parent / "gunicorn", "--check-config", "-c", str(CONF)],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr


def test_a_graceful_restart_waits_longer_than_an_export_may_stream(monkeypatch, settings):
    conf = load_conf(monkeypatch)

    assert conf.graceful_timeout > settings.EXPORT_TIME_LIMIT_SECONDS
