"""Import hygiene: no import cycle among sitrep's modules, and the headless modules never load
Textual or Rich.

The cycles are counted over the static graph read with ``ast``: every ``import`` and ``from …
import`` counts, at module level, inside functions and under ``TYPE_CHECKING`` alike (a cycle
of type-only imports still says two modules cannot be understood apart). The import-linter
contracts in ``pyproject.toml`` guard the layers; the subprocess test below proves at run time
what the static graph cannot: that a deferred import really defers.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "sitrep"

def _module(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Each sitrep module and the sitrep modules it imports anywhere in its text."""
    files = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, *([node.module] if node.module else [])])
                # ``from pkg import sub`` imports the module pkg.sub when there is one
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in files else base
                           for a in node.names]
            for target in targets:
                while target and target not in files:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [frozenset("abc")]


def test_no_import_cycle_among_sitrep_modules() -> None:
    graph = import_graph()
    assert "sitrep.store.changes" in graph["sitrep.store.store"]  # the graph is read at all
    assert cycles(graph) == []


HEADLESS = ["sitrep.store", "sitrep.feeds", "sitrep.cli", "sitrep.cli.app", "sitrep.models",
            "sitrep.query", "sitrep.dates", "sitrep.analysis", "sitrep.places"]


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_modules_load_neither_textual_nor_rich(module: str) -> None:
    code = (f"import sys, {module}\n"
            "print(','.join(m for m in ('textual', 'rich') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"import {module} loaded {done.stdout.strip()}"


def test_building_the_cli_parser_loads_neither_textual_nor_rich() -> None:
    code = ("import sys\nfrom sitrep.cli import build_parser\nbuild_parser()\n"
            "print(','.join(m for m in ('textual', 'rich') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "", done.stdout + done.stderr
