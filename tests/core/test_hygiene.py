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


def test_every_cli_module_prints_through_the_one_output_module() -> None:
    """``sitrep/cli/output.py`` makes every string safe; no other CLI module writes itself."""
    writes = re.compile(r"\bprint\(|sys\.std(out|err)\b|\.buffer\.write\(")
    offenders = [
        f"{path.name}:{n}" for path in (REPO / "sitrep" / "cli").glob("*.py")
        if path.name != "output.py"
        for n, text in enumerate(path.read_text().splitlines(), 1) if writes.search(text)
    ]
    assert offenders == []


def test_every_cli_command_takes_a_typed_context() -> None:
    """Every handler is ``(args: argparse.Namespace, ctx: Context) -> int``, none ``Any``."""
    import importlib
    import inspect

    untyped = []
    for path in (REPO / "sitrep" / "cli").glob("[!_]*.py"):
        module = importlib.import_module(f"sitrep.cli.{path.stem}")
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if func.__module__ == module.__name__ and name.startswith(("cmd_", "_feeds_help")):
                hints = func.__annotations__
                if (hints.get("args"), hints.get("ctx"), hints.get("return")) != (
                        "argparse.Namespace", "Context", "int"):
                    untyped.append(f"{path.stem}.{name}")
    assert untyped == []


def _commands(parser: object, prefix: str = "sitrep") -> dict[str, object]:
    """Every command and nested action (``sitrep feeds pull``) with its parser."""
    found: dict[str, object] = {}
    for action in parser._actions:  # type: ignore[attr-defined]
        if action.__class__.__name__ == "_SubParsersAction":
            for name, sub in action.choices.items():
                found[f"{prefix} {name}"] = sub
                found.update(_commands(sub, f"{prefix} {name}"))
    return found


def test_every_command_action_and_option_is_in_the_readme() -> None:
    """``sitrep feeds pull``, ``sitrep keys``, ``--filter``, ``--by``...: the README's CLI
    and Feeds sections name each one (sqlite-utils' test_docs.py does the same)."""
    from sitrep.cli import build_parser

    readme = (REPO / "README.md").read_text()
    flat = re.sub(r"\[--db PATH\] ", "", readme)
    missing = []
    for name, sub in _commands(build_parser()).items():
        words = name.split()
        if not re.search(r"[^\n]*?\b".join(map(re.escape, words)) + r"\b", flat):
            missing.append(name)
        for action in sub._actions:  # type: ignore[attr-defined]
            missing += [f"{name} {o}" for o in action.option_strings
                        if o.startswith("--") and o != "--help" and o not in readme]
    assert missing == []

