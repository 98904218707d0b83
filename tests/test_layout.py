"""The shape check (scripts/check_layout.py) on the project, and on small trees built here."""

import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from scripts.check_layout import MAX_LINES, check, report

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "check_layout.py"

# A tree that keeps every rule: each later test adds one file that breaks (or keeps) one.
CLEAN = {
    "config/__init__.py": "",
    "config/settings/__init__.py": "",
    "config/settings/base.py": 'INSTALLED_APPS = ["core", "articles", "experts", "claims"]\n',
    "config/urls.py": 'from django.urls import include\n\nurlpatterns = [include("claims.urls")]\n',
    "config/api_urls.py": "from articles.api import views\nfrom claims.api import search\n",
    "config/wsgi.py": "",
    "config/asgi.py": "",
    "core/__init__.py": "",
    "core/models.py": "from django.db import models\n",
    "articles/__init__.py": "",
    "articles/models.py": "from core.models import PublishableQuerySet\n",
    "articles/views.py": "from .models import Article\n",
    "experts/__init__.py": "",
    "experts/models.py": "import core.models\n",
    "claims/__init__.py": "",
    "claims/models.py": "from articles.models import Article\nfrom experts.models import Expert\n",
    "claims/urls.py": "from core import health\n",
}


def build(root, files):
    """Write CLEAN with files added or replaced under root, and return root."""
    for name, text in {**CLEAN, **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text))
    return root


def rules(violations):
    return {violation.rule for violation in violations}


def test_the_project_keeps_its_layout():
    violations = check(ROOT)
    assert not violations, report(violations)


def test_a_tree_that_keeps_the_rules_has_no_violation(tmp_path):
    assert check(build(tmp_path, {})) == []


def test_two_apps_importing_each_other_are_a_cycle(tmp_path):
    root = build(tmp_path, {"articles/admin.py": "from claims.models import Quote\n"})

    cycles = [v for v in check(root) if v.rule == "cycles"]

    assert [v.path for v in cycles] == ["articles <-> claims"]
    assert "articles/admin.py:1" in cycles[0].message
    assert "claims/models.py:1" in cycles[0].message


def test_a_cycle_through_three_packages_is_reported_along_its_path(tmp_path):
    root = build(
        tmp_path,
        {
            "articles/services.py": "from experts.models import Expert\n",
            "experts/services.py": "from config import api_urls\n",
        },
    )

    cycles = [v for v in check(root) if v.rule == "cycles"]

    # config/api_urls.py imports articles, so no two of the three import each other.
    assert [v.path for v in cycles] == ["articles -> experts -> config -> articles"]


def test_core_importing_an_app_is_reported(tmp_path):
    root = build(tmp_path, {"core/admin.py": "from articles.models import Article\n"})

    assert "core/admin.py:1: core imports articles.models (core imports no app)" in [
        str(v) for v in check(root)
    ]


def test_an_import_inside_a_function_counts_with_its_line(tmp_path):
    root = build(
        tmp_path,
        {
            "experts/models.py": """\
                import core.models


                def claims_of(expert):
                    from claims.models import Claim

                    return Claim.objects.filter(expert=expert)
            """
        },
    )

    imports = [str(v) for v in check(root) if v.rule == "imports"]

    assert imports == [
        "experts/models.py:5: experts imports claims.models (experts imports only core)"
    ]


def test_import_module_and_type_checking_imports_count(tmp_path):
    root = build(
        tmp_path,
        {
            "articles/models.py": """\
                from importlib import import_module
                from typing import TYPE_CHECKING

                if TYPE_CHECKING:
                    from experts.models import Expert


                def quote_model():
                    return import_module("claims.models").Quote
            """
        },
    )

    imports = {(v.line, v.message.split(" (")[0]) for v in check(root) if v.rule == "imports"}

    assert imports == {
        (5, "articles imports experts.models"),
        (9, "articles imports claims.models"),
    }


def test_string_references_that_are_not_imports_do_not_count(tmp_path):
    root = build(
        tmp_path,
        {"articles/models.py": 'import core.models\n\nquote = ForeignKey("claims.Quote")\n'},
    )

    assert check(root) == []


def test_a_relative_import_resolves_to_its_package(tmp_path):
    root = build(
        tmp_path,
        {
            "articles/api/__init__.py": "",
            "articles/api/views.py": "from ..models import Article\nfrom ...claims import models\n",
        },
    )

    assert [str(v) for v in check(root) if v.rule == "imports"] == [
        "articles/api/views.py:2: articles imports claims (articles imports only core)"
    ]


def test_config_imports_apps_only_in_its_api_wiring(tmp_path):
    root = build(tmp_path, {"config/urls.py": "from core import health\n"})

    assert [str(v) for v in check(root)] == [
        "config/urls.py:1: config imports core "
        "(config is wiring: only config/api_urls.py imports apps)"
    ]


def test_config_holds_only_settings_urls_and_the_servers(tmp_path):
    root = build(tmp_path, {"config/views.py": "", "config/converters.py": ""})

    assert [v.path for v in check(root)] == ["config/converters.py", "config/views.py"]


def test_a_module_over_the_limit_is_reported(tmp_path):
    root = build(
        tmp_path,
        {
            "claims/search.py": "x = 1\n" * MAX_LINES,
            "claims/views.py": "x = 1\n" * (MAX_LINES + 1),
        },
    )

    assert [str(v) for v in check(root)] == [
        f"claims/views.py: {MAX_LINES + 1} lines (limit {MAX_LINES}; split it, or declare it "
        "in DATA_TABLES if it is pure data)"
    ]


def test_migrations_and_declared_data_tables_may_be_long(tmp_path):
    long = "x = 1\n" * (MAX_LINES + 1)
    root = build(
        tmp_path,
        {"claims/migrations/0001_initial.py": long, "claims/corpus/words.py": long},
    )

    assert check(root, data_tables=frozenset({"claims/corpus/words.py"})) == []
    assert [v.path for v in check(root, data_tables=frozenset())] == ["claims/corpus/words.py"]


def test_a_module_that_does_not_parse_is_reported(tmp_path):
    root = build(tmp_path, {"claims/broken.py": "def (:\n"})

    assert rules(check(root)) == {"syntax"}


@pytest.mark.parametrize(
    ("files", "code"),
    [({}, 0), ({"core/admin.py": "import claims.models\n"}, 1)],
    ids=["clean", "violation"],
)
def test_the_script_exits_non_zero_with_a_readable_list(tmp_path, files, code):
    root = build(tmp_path, files)

    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--root", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == code, result.stdout + result.stderr
    if code:
        assert "core/admin.py:1: core imports claims.models" in result.stdout
    else:
        assert result.stdout.startswith("Layout OK")
