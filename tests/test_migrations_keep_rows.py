"""A database made by the code before issue #9's layout move migrates to this checkout
without losing a row (scripts/migration_keeps_rows.py): the models that moved between apps
kept their tables."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_demo_database_from_before_the_move_keeps_every_row():
    command = [sys.executable, "scripts/migration_keeps_rows.py"]
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith("postgres"):
        command += ["--database-url", f"{database_url.rsplit('/', 1)[0]}/kb_rows_{os.getpid()}"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)

    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "Every table kept every row." in result.stdout
