"""``sitrep keys``: the dashboard's keymap in force, and every problem in ``keymap.toml``."""

from __future__ import annotations

import argparse
from pathlib import Path

from sitrep.cli import output as out
from sitrep.cli.context import Context
from sitrep.keymap import effective, read_keymap
from sitrep.paths import config_dir


def keymap_problems(folder: Path | None = None) -> tuple[Path | None, dict[str, str], list[str]]:
    """The user's keymap file, its entries that apply and its problems; key names are checked
    against Textual's own list without loading Textual (:mod:`sitrep.tui.keynames`)."""
    from sitrep.tui.keynames import key_problem

    return read_keymap(folder or config_dir(), key_problem)


def cmd_keys(args: argparse.Namespace, ctx: Context) -> int:
    """Print every binding (id, keys, description) as remapped; exit 1 listing each problem."""
    path, keymap, problems = keymap_problems()
    rows = effective(keymap)
    if args.json:
        out.print_json([{"id": r.id, "keys": r.keys.split(","), "description": r.description,
                         "remapped": r.id in keymap} for r in rows])
    else:
        width = max(len(r.id) for r in rows)
        keys_width = max(len(r.keys) for r in rows)
        for r in rows:
            mark = "*" if r.id in keymap else " "
            out.line(f"{r.id.ljust(width)}  {mark}{r.keys.ljust(keys_width)}  {r.description}")
        where = f"{path}" if path else f"no keymap file in {config_dir()} (keymap.toml)"
        out.line(f"{len(rows)} bindings, {len(keymap)} remapped (*) by {where}", err=True)
    for problem in problems:
        out.error(problem)
    return 1 if problems else 0
