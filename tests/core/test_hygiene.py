"""The core never imports the UI (at run time: tests/core/test_import_graph.py); every CLI
command is documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_core_modules_do_not_import_textual() -> None:
    offenders = []
    for path in (REPO / "sitrep").rglob("*.py"):
        if "tui" in path.relative_to(REPO / "sitrep").parts:
            continue
        if re.search(r"^\s*(from|import)\s+textual", path.read_text(), re.MULTILINE):
            offenders.append(str(path))
    assert offenders == []


def test_every_cli_command_is_in_the_readme() -> None:
    from sitrep.cli import build_parser

    readme = (REPO / "README.md").read_text()
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    missing = [name for name in sub.choices if f"sitrep {name}" not in readme
               and not re.search(rf"sitrep \[--db PATH\] {re.escape(name)}\b", readme)]
    assert missing == []
