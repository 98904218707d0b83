#!/usr/bin/env python3
"""Set up and run the project with nothing but Python 3.11+.

python3 dev.py serve   create .venv, install the locked dependencies, migrate, load the
                       demo data, create an editor account and serve http://127.0.0.1:8000
python3 dev.py test    install the test dependencies and run the whole test suite on every
                       core (extra arguments go to pytest instead, and it runs in one process
                       unless they say -n: python3 dev.py test tests/claims -k quote)
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*args, **kwargs):
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, **kwargs)


def ensure_venv(lock):
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print(f"Creating the virtual environment in {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    # The pinned pip first: the one venv ships may be too old to install the lock.
    install_lock(ROOT / "requirements-pip.lock")
    install_lock(lock)


def install_lock(lock):
    # Reinstall only when the lock file changed since the last install.
    stamp = VENV / f".installed-{lock.stem}"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    run(PYTHON, "-m", "pip", "install", "--quiet", "--require-hashes", "-r", lock)
    stamp.write_text(digest)


def manage(*args, env=None):
    run(PYTHON, "manage.py", *args, env=env)


def serve(args):
    ensure_venv(ROOT / "requirements.lock")
    manage("migrate", "--noinput")
    manage("load_demo")
    # Demo databases made before search existed get their index once.
    manage("reindex_search", "--if-empty")
    manage("create_editor")
    manage("runserver", "127.0.0.1:8000", *args)


def test(args):
    ensure_venv(ROOT / "requirements-test.lock")
    # The suite picks config.settings.test itself; a DATABASE_URL in the environment is honoured.
    # The whole suite runs on every core (pytest-xdist); a chosen part runs as asked.
    try:
        run(PYTHON, "-m", "pytest", *(args or ["-n", "auto"]))
    except subprocess.CalledProcessError as error:
        sys.exit(error.returncode)


COMMANDS = {"serve": serve, "test": test}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    try:
        COMMANDS[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as error:
        sys.exit(f"Failed: {' '.join(map(str, error.cmd))} (exit {error.returncode})")
    except KeyboardInterrupt:
        sys.exit(130)
