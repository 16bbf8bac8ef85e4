"""``sitrep`` (no command) and ``sitrep demo``: open the dashboard."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from sitrep.cli import output as out
from sitrep.cli.context import Context
from sitrep.errors import InvalidValueError
from sitrep.paths import sample_data_path
from sitrep.store import journal_path


def cmd_dashboard(args: argparse.Namespace, ctx: Context) -> int:
    """Open the dashboard on the DB, as ``--by`` (else $SITREP_ANALYST, else login name)."""
    ctx.check_folder()
    from sitrep.cli.keys import keymap_problems

    path, _, problems = keymap_problems()
    if problems:  # the dashboard shows them too; this line stays after it exits
        out.error(f"{path}: {len(problems)} keymap problem(s), e.g. {problems[0]};"
                  " 'sitrep keys' lists them")
    from sitrep.tui import run_dashboard

    return run_dashboard(
        ctx.db_path,
        analyst=ctx.analyst,
        mouse=getattr(args, "mouse", False) or _env_on("SITREP_MOUSE"),
        low_bandwidth=getattr(args, "low_bandwidth", False) or _env_on("SITREP_LOW_BANDWIDTH"),
        diff=not (getattr(args, "no_diff", False) or _env_on("SITREP_NO_DIFF")),
    )


def add_display_flags(parser: argparse.ArgumentParser) -> None:
    """The dashboard's display flags (each also an environment variable set to 1)."""
    parser.add_argument("--mouse", action="store_true", default=argparse.SUPPRESS,
                        help="turn mouse reporting on (off by default: over SSH every mouse "
                        "motion goes up the link); also SITREP_MOUSE=1")
    parser.add_argument("--low-bandwidth", action="store_true", default=argparse.SUPPRESS,
                        help="for slow links: 16 colours, and the detail pane follows the "
                        "cursor only once a held key stops; also SITREP_LOW_BANDWIDTH=1")
    parser.add_argument("--no-diff", action="store_true", default=argparse.SUPPRESS,
                        help="write every frame in full, as Textual does, instead of only the "
                        "cells that changed (if a terminal shows a wrong screen); also "
                        "SITREP_NO_DIFF=1")


def _env_on(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def cmd_demo(args: argparse.Namespace, ctx: Context) -> int:
    """Open the dashboard on a fresh copy of the bundled sample data: in a new temporary
    folder, or at ``--db PATH`` (an existing file is replaced only with ``--force``)."""
    if ctx.db_given:
        ctx.check_folder()
        copy = ctx.db_path
        if copy.exists() and not args.force:
            raise InvalidValueError(f"{copy} exists: sitrep demo --db makes a fresh copy of the"
                                    " sample there; add --force to replace it")
        journal_path(copy).unlink(missing_ok=True)  # the replaced file's must not replay
    else:
        copy = Path(tempfile.mkdtemp(prefix="sitrep-demo-")) / "sitrep.json"
    out.write_file(copy, sample_data_path().read_bytes())
    out.line(f"sitrep demo: working on a copy at {copy}", err=True)
    if args.no_ui:
        out.line(copy)
        return 0
    return cmd_dashboard(args, Context(copy, ctx.analyst, db_given=True))
