"""The headless CLI: thin commands over the core, for scripts and SSH one-liners.

Errors are one line on stderr and a non-zero exit (1; 2 when the DB file is unreadable), never
a traceback. ``--json`` prints the records with the same field names as the file. The commands
live in this package's modules, one per group; this one builds the parser and runs them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sitrep.cli import output as out
from sitrep.cli.changes import cmd_control, cmd_grade, cmd_note, cmd_set_status
from sitrep.cli.context import Context, Handler
from sitrep.cli.dashboard import add_display_flags, cmd_dashboard, cmd_demo
from sitrep.cli.database import cmd_restore, cmd_validate
from sitrep.cli.records import cmd_list, cmd_show
from sitrep.cli.team import register as register_team
from sitrep.errors import SitrepError
from sitrep.models import STATUSES
from sitrep.paths import resolve_db_path


def _add_by(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--by", metavar="NAME",
                        help="who makes the change (default: $SITREP_ANALYST, else login name)")
    parser.add_argument("--note", metavar="TEXT", help="why: kept in the record's history")


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, with help for every command."""
    db_help = "the DB file (default: $SITREP_DB, else the user data folder)"
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)
    parser = argparse.ArgumentParser(
        prog="sitrep",
        description="Track claims about places: who claimed what, where, when, and whether "
        "it is verified. Without a command, opens the dashboard.",
    )
    parser.add_argument("--db", metavar="PATH", help=db_help)
    add_display_flags(parser)
    parser.set_defaults(func=cmd_dashboard)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, func: Handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    p = command("demo", cmd_demo, "open the dashboard on a fresh temporary copy of the sample")
    p.add_argument("--no-ui", action="store_true", help="only make the copy and print its path")
    add_display_flags(p)
    p = command("validate", cmd_validate, "report every problem in the DB file")
    p.add_argument("--json", action="store_true", help="problems as a JSON array")
    p = command("list", cmd_list, "list claims, settlements or sources")
    p.add_argument("kind", choices=("claims", "settlements", "sources"))
    p.add_argument("--status", choices=STATUSES, help="claims with this status")
    p.add_argument("--source", metavar="ID", help="claims made by this source")
    p.add_argument("--settlement", metavar="ID", help="claims about this settlement")
    p.add_argument("--since", metavar="DATE", help="claims reported on or after DATE")
    p.add_argument("--text", metavar="WORDS", help="claims whose text contains every word")
    p.add_argument("--json", action="store_true", help="a JSON array with the file's fields")
    p = command("show", cmd_show, "show one claim, source or settlement")
    p.add_argument("id")
    p.add_argument("--json", action="store_true", help="the record as a JSON object")
    p = command("set-status", cmd_set_status, "change a claim's verification status")
    p.add_argument("claim_id")
    p.add_argument("status", help=f"one of: {', '.join(STATUSES)}")
    _add_by(p)
    p = command("grade", cmd_grade,
                "grade a source (A-F) or a claim (1-6); B3 on a claim grades both")
    p.add_argument("id")
    p.add_argument("grade")
    _add_by(p)
    p = command("control", cmd_control, "record who controls a settlement as of a date")
    p.add_argument("settlement_id")
    p.add_argument("controller", help="ua, ru, contested or unknown")
    p.add_argument("--as-of", required=True, metavar="DATE", help="e.g. 2022-09-10 or 2022-06")
    p.add_argument("--claim", metavar="ID", help="the claim this observation rests on")
    _add_by(p)
    p = command("note", cmd_note, "add a note to a record's history")
    p.add_argument("id")
    p.add_argument("text", help="the note; - reads it from standard input")
    p.add_argument("--by", metavar="NAME", help="who writes the note")
    p = command("restore", cmd_restore, "list the DB's backups, or restore one")
    p.add_argument("number", nargs="?", type=int, help="backup to restore (1 = newest)")
    p.add_argument("--json", action="store_true", help="list backups as JSON")
    register_team(sub, common)
    try:
        from sitrep.cli.feeds import register
    except ImportError:
        register = None
    if register is not None:
        register(sub, common)
    from sitrep.cli.places import register as register_places

    register_places(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (also used by the ``sitrep`` entry point)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = Context(resolve_db_path(args.db))
    try:
        return args.func(args, ctx)
    except SitrepError as exc:
        out.error(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        out.error("interrupted")
        return 130
    except BrokenPipeError:
        out.reader_gone()
        return 0


def entry_point() -> None:
    """Console script wrapper."""
    sys.exit(main())
