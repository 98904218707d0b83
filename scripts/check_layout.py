#!/usr/bin/env python
"""The shape check: the packages' arrows point one way and no module grows past 500 lines.

    python scripts/check_layout.py          # exit 0, or 1 with one line per violation

What it holds (issue #9, "a one-way house"):
- no two of config/core/articles/experts/claims import each other (no cycle of any length);
- core/ imports no app; articles/ and experts/ import core only, never claims nor each other;
  claims/ builds on the three;
- config/ holds only settings/, urls.py, api_urls.py, wsgi.py, asgi.py and __init__.py, and
  imports no app module except in api_urls.py (the API's URL wiring);
- no module is over 500 lines outside migrations/ and the declared data tables below.

Imports are read with `ast`, so an import inside a function or under `if TYPE_CHECKING:`
counts as much as one at the top, and so does `import_module("claims.models")`,
`import_string(...)` or `__import__(...)` with a literal name. String references that are not
imports (`include("claims.urls")`, `ForeignKey("claims.Claim")`, INSTALLED_APPS) are not.
tests/test_layout.py runs this check on the tree and on small synthetic trees.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

PACKAGES = ("config", "core", "articles", "experts", "claims")

# The packages each package may import. config's row is empty because only API_WIRING may
# import apps; that one file may import any of them.
ALLOWED_IMPORTS = {
    "config": frozenset(),
    "core": frozenset(),
    "articles": frozenset({"core"}),
    "experts": frozenset({"core"}),
    "claims": frozenset({"core", "articles", "experts"}),
}
API_WIRING = "config/api_urls.py"
WHY_NOT = {
    "config": f"config is wiring: only {API_WIRING} imports apps",
    "core": "core imports no app",
    "articles": "articles imports only core",
    "experts": "experts imports only core",
    "claims": "claims imports only core, articles and experts",
}
CONFIG_ENTRIES = frozenset(
    {"settings", "urls.py", "api_urls.py", "wsgi.py", "asgi.py", "__init__.py"}
)

MAX_LINES = 500
# Modules that are pure data (word banks and the like) and may run past MAX_LINES. Keep this
# list short and explicit: a module that also holds logic does not belong here.
DATA_TABLES = frozenset({"claims/corpus/words.py"})

# Calls that import the module named by their first (string) argument.
IMPORT_CALLS = frozenset({"import_module", "import_string", "__import__"})
IGNORED_DIRS = frozenset({"__pycache__", "migrations"})


@dataclass(frozen=True, order=True)
class Violation:
    rule: str
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Import:
    path: str
    line: int
    module: str

    @property
    def package(self) -> str:
        return self.module.split(".")[0]


def module_name(relative: Path) -> str:
    """The dotted name of a module from its path relative to the root."""
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve_relative(relative: Path, level: int, module: str | None) -> str:
    package = list(relative.parent.parts)
    if level > 1:
        package = package[: len(package) - (level - 1)]
    return ".".join([*package, *([module] if module else [])])


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def imports_in(source: str, relative: Path) -> list[Import]:
    """Every module the source imports, wherever the import statement or call sits."""
    path = relative.as_posix()
    found = []
    for node in ast.walk(ast.parse(source, filename=path)):
        if isinstance(node, ast.Import):
            found += [Import(path, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                module = _resolve_relative(relative, node.level, node.module)
            else:
                module = node.module or ""
            if module:
                found.append(Import(path, node.lineno, module))
        elif (
            isinstance(node, ast.Call)
            and _call_name(node.func) in IMPORT_CALLS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and not node.args[0].value.startswith(".")
        ):
            found.append(Import(path, node.lineno, node.args[0].value))
    return found


def python_files(root: Path, package: str) -> list[Path]:
    """The package's modules, relative to root, migrations and caches left out."""
    top = root / package
    if not top.is_dir():
        return []
    return sorted(
        path.relative_to(root)
        for path in top.rglob("*.py")
        if not IGNORED_DIRS.intersection(path.relative_to(root).parts)
    )


def check_imports(imports: list[Import]) -> list[Violation]:
    violations = []
    for found in imports:
        source = found.path.split("/")[0]
        target = found.package
        if target not in PACKAGES or target == source:
            continue
        if source == "config" and found.path == API_WIRING:
            continue
        if target in ALLOWED_IMPORTS[source]:
            continue
        violations.append(
            Violation(
                "imports",
                found.path,
                found.line,
                f"{source} imports {found.module} ({WHY_NOT[source]})",
            )
        )
    return violations


def _strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """The groups of two or more packages that reach each other (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for successor in sorted(edges.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(groups)


def _cycle_through(group: list[str], edges: dict[str, set[str]]) -> list[str]:
    """One cycle inside a strongly connected group, as the packages along it."""
    path = [group[0]]
    while True:
        successor = min(target for target in edges[path[-1]] if target in group)
        if successor in path:
            return [*path[path.index(successor) :], successor]
        path.append(successor)


def check_cycles(imports: list[Import]) -> list[Violation]:
    examples: dict[tuple[str, str], list[Import]] = defaultdict(list)
    for found in imports:
        source, target = found.path.split("/")[0], found.package
        if target in PACKAGES and target != source:
            examples[source, target].append(found)

    def arrow(source: str, target: str) -> str:
        first = min(examples[source, target], key=lambda found: (found.path, found.line))
        count = len(examples[source, target])
        return f"{source} -> {target} ({count}x, e.g. {first.path}:{first.line})"

    violations = []
    # Two packages importing each other: the common case, reported pair by pair.
    mutual = sorted({tuple(sorted(pair)) for pair in examples if pair[::-1] in examples})
    for a, b in mutual:
        violations.append(Violation("cycles", f"{a} <-> {b}", 0, f"{arrow(a, b)}; {arrow(b, a)}"))
    # Longer cycles (a -> b -> c -> a) that remain once the mutual pairs are set aside.
    edges: dict[str, set[str]] = defaultdict(set)
    for source, target in examples:
        if tuple(sorted((source, target))) not in mutual:
            edges[source].add(target)
    for group in _strongly_connected(edges):
        cycle = _cycle_through(group, edges)
        violations.append(
            Violation(
                "cycles",
                " -> ".join(cycle),
                0,
                "; ".join(arrow(s, t) for s, t in zip(cycle, cycle[1:], strict=False)),
            )
        )
    return violations


def check_config_entries(root: Path) -> list[Violation]:
    config = root / "config"
    if not config.is_dir():
        return []
    return [
        Violation(
            "config",
            f"config/{entry.name}",
            0,
            "config/ holds only settings/, urls.py, api_urls.py, wsgi.py, asgi.py and "
            "__init__.py; move this to core/ or the app that owns it",
        )
        for entry in sorted(config.iterdir())
        if entry.name not in CONFIG_ENTRIES
        and entry.name != "__pycache__"
        and not entry.name.startswith(".")
    ]


def check_sizes(root: Path, files: list[Path], data_tables: frozenset[str]) -> list[Violation]:
    violations = []
    for relative in files:
        if relative.as_posix() in data_tables:
            continue
        lines = len((root / relative).read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            violations.append(
                Violation(
                    "size",
                    relative.as_posix(),
                    0,
                    f"{lines} lines (limit {MAX_LINES}; split it, or declare it in "
                    "DATA_TABLES if it is pure data)",
                )
            )
    return violations


def check(root: Path, *, data_tables: frozenset[str] = DATA_TABLES) -> list[Violation]:
    """Every violation of the layout rules in the tree at root, sorted by rule and place."""
    root = Path(root)
    files = [path for package in PACKAGES for path in python_files(root, package)]
    imports = []
    violations = []
    for relative in files:
        try:
            imports += imports_in((root / relative).read_text(encoding="utf-8"), relative)
        except SyntaxError as error:
            violations.append(
                Violation("syntax", relative.as_posix(), error.lineno or 0, "cannot be parsed")
            )
    violations += check_cycles(imports)
    violations += check_imports(imports)
    violations += check_config_entries(root)
    violations += check_sizes(root, files, data_tables)
    return sorted(violations)


RULE_TITLES = {
    "syntax": "Modules that do not parse",
    "cycles": "Packages that import each other",
    "imports": "Imports against the arrows",
    "config": "Files that do not belong in config/",
    "size": f"Modules over {MAX_LINES} lines",
}


def report(violations: list[Violation]) -> str:
    """The violations grouped by rule, one per line, for a person to read."""
    if not violations:
        return "Layout OK: the arrows point one way and every module is within its size."
    by_rule: dict[str, list[Violation]] = defaultdict(list)
    for violation in violations:
        by_rule[violation.rule].append(violation)
    lines = [f"{len(violations)} layout violation(s):"]
    for rule, title in RULE_TITLES.items():
        if by_rule.get(rule):
            lines += ["", f"{title}:"]
            lines += [f"  {violation}" for violation in by_rule[rule]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(__file__).resolve().parent.parent,
        help="the project's root (default: the checkout this script is in)",
    )
    violations = check(parser.parse_args(argv).root)
    print(report(violations))
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
