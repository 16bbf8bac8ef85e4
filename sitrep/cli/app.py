"""The headless CLI: thin commands over the core, for scripts and SSH one-liners.

Errors are one line on stderr and a non-zero exit, never a traceback; :data:`EXIT_CODES`
names each code (the README's table says the same). ``--json`` prints the records with the
same field names as the file. The commands live in this package's modules, one per group;
this one builds the parser and runs them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from sitrep import dates
from sitrep.cli import output as out
from sitrep.cli.changes import cmd_control, cmd_grade, cmd_note, cmd_resolve, cmd_set_status
from sitrep.cli.context import Context, Handler
from sitrep.cli.dashboard import add_display_flags, cmd_dashboard, cmd_demo
from sitrep.cli.database import cmd_restore, cmd_validate
from sitrep.cli.feeds import register as register_feeds
from sitrep.cli.keys import cmd_keys
from sitrep.cli.records import LIST_KINDS, cmd_list, cmd_show, parse_filter
from sitrep.cli.team import register as register_team
from sitrep.errors import InvalidValueError, SitrepError
from sitrep.models import CONTROLLERS, STATUSES, from_prefix
from sitrep.paths import default_analyst, resolve_db_path

EXIT_CODES: dict[int, str] = {
    0: "done",
    1: "refused, or problems found: no record with that id, a value not allowed, a feed"
       " that could not be read, problems reported by validate or keys",
    2: "usage: an unknown command or option, a missing argument, an ambiguous prefix",
    65: "the DB file (or its journal) cannot be read or parsed (sysexits EX_DATAERR)",
    66: "the DB's folder does not exist, or validate/export found no file (EX_NOINPUT)",
    73: "the change could not be written: read-only file or folder, full disk"
        " (EX_CANTCREAT); nothing on disk was harmed",
    75: "another process held the DB's lock too long; try again (EX_TEMPFAIL)",
    130: "interrupted (ctrl+c)",
}


def choice(choices: Sequence[str], what: str) -> Callable[[str], str]:
    """An argparse ``type`` taking one of ``choices`` or a unique prefix of one, as the
    dashboard's filter does; an unknown or ambiguous value is a usage error naming them."""

    def convert(value: str) -> str:
        try:
            return from_prefix(value, choices, what)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = what  # argparse names the type in its messages
    return convert


def as_of_type(value: str) -> str:
    """An argparse ``type`` for ``--as-of DATE``: any form ``sitrep.dates`` reads, in its
    stored form; a date it cannot read is a usage error."""
    try:
        return dates.normalize(value)
    except InvalidValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


as_of_type.__name__ = "date"  # argparse names the type in its messages
AS_OF_HELP = ("the records as the file knew them at the end of DATE (any date sitrep reads:"
              " 2022-06-30, 2022-06, 30 June 2022...)")
# the commands that read the picture as of a date; a global --as-of is refused by the others
# (control's own --as-of is the date of the observation it records)
AS_OF_COMMANDS = ("list", "show", "report", "export")


def _add_note(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--note", metavar="TEXT", help="why: kept in the record's history")


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, with help for every command."""
    db_help = "the DB file (default: $SITREP_DB, else the user data folder)"
    by_help = "who makes the changes (default: $SITREP_ANALYST, else your login name)"
    # --db and --by are global: accepted before the command (sitrep --by alice) or after it
    # (sitrep set-status ... --by alice); SUPPRESS keeps a later default from hiding an
    # earlier value.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)
    common.add_argument("--by", metavar="NAME", default=argparse.SUPPRESS, help=by_help)
    parser = argparse.ArgumentParser(
        prog="sitrep",
        description="Track claims about places: who claimed what, where, when, and whether "
        "it is verified. Without a command, opens the dashboard.",
        epilog="exit codes: " + "; ".join(f"{code} {text.split(':')[0]}"
                                           for code, text in EXIT_CODES.items()),
    )
    parser.add_argument("--db", metavar="PATH", help=db_help)
    add_display_flags(parser)
    parser.add_argument("--by", metavar="NAME", help=by_help)
    # --as-of before the command (sitrep --as-of 2022-06 list claims) is kept apart from the
    # commands' own --as-of: control's names the date of the observation it records
    parser.add_argument("--as-of", dest="global_as_of", metavar="DATE", type=as_of_type,
                        help=AS_OF_HELP + f"; for {', '.join(AS_OF_COMMANDS)}")
    parser.set_defaults(func=cmd_dashboard)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", dest="command")

    def command(name: str, func: Handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    p = command("demo", cmd_demo, "open the dashboard on a fresh copy of the sample (in a"
                " temporary folder, or at --db PATH)")
    p.add_argument("--no-ui", action="store_true", help="only make the copy and print its path")
    add_display_flags(p)
    p.add_argument("--force", action="store_true",
                   help="with --db: replace an existing file with the sample")
    p = command("validate", cmd_validate, "report every problem in the DB file")
    p.add_argument("--json", action="store_true", help="problems as a JSON array")
    p = command("list", cmd_list, "list claims, settlements or sources")
    p.add_argument("kind", type=choice(LIST_KINDS, "kind"), metavar="|".join(LIST_KINDS))
    p.add_argument("--status", type=choice(STATUSES, "status"), metavar="STATUS",
                   help=f"claims with this status ({', '.join(STATUSES)}; a prefix will do)")
    p.add_argument("--source", metavar="ID", help="claims made by this source")
    p.add_argument("--settlement", metavar="ID", help="claims about this settlement")
    p.add_argument("--since", metavar="DATE", help="claims reported on or after DATE")
    p.add_argument("--text", metavar="WORDS",
                   help="claims where every word is found, as the free words of --filter")
    p.add_argument("--filter", metavar="EXPR", type=parse_filter,
                   help="claims matching the dashboard's filter language (the / line), e.g."
                   " 'source:hayday place:lysychansk !status:conf'")
    p.add_argument("--json", action="store_true", help="a JSON array with the file's fields")
    p.add_argument("--as-of", metavar="DATE", type=as_of_type, help=AS_OF_HELP)
    p = command("show", cmd_show, "show one claim, source or settlement")
    p.add_argument("id")
    p.add_argument("--as-of", metavar="DATE", type=as_of_type, help=AS_OF_HELP)
    p.add_argument("--json", action="store_true", help="the record as a JSON object")
    p = command("set-status", cmd_set_status, "change a claim's verification status")
    p.add_argument("claim_id")
    p.add_argument("status", type=choice(STATUSES, "status"), metavar="STATUS",
                   help=f"one of: {', '.join(STATUSES)} (a unique prefix will do)")
    _add_note(p)
    p = command("grade", cmd_grade,
                "grade a source (A-F) or a claim (1-6); B3 on a claim grades both")
    p.add_argument("id")
    p.add_argument("grade")
    _add_note(p)
    p = command("control", cmd_control, "record who controls a settlement as of a date")
    p.add_argument("settlement_id")
    p.add_argument("controller", type=choice(CONTROLLERS, "controller"), metavar="CONTROLLER",
                   help=f"one of: {', '.join(CONTROLLERS)} (a unique prefix will do)")
    p.add_argument("--as-of", required=True, metavar="DATE", help="e.g. 2022-09-10 or 2022-06")
    p.add_argument("--claim", metavar="ID", help="the claim this observation rests on")
    _add_note(p)
    p = command("note", cmd_note, "add a note to a record's history")
    p.add_argument("id")
    p.add_argument("text", help="the note; - reads it from standard input")
    p = command("keys", cmd_keys, "the dashboard's keys in force (id, keys, description) and"
                " every problem in keymap.toml (exit 1)")
    p.add_argument("--json", action="store_true", help="the bindings as a JSON array")
    p = command("resolve", cmd_resolve,
                "resolve a conflict a merge recorded: pick the value the field keeps")
    p.add_argument("id")
    p.add_argument("field", help="the field in conflict (record or id: no value)")
    p.add_argument("value", nargs="?", help="one of the two values, as sitrep show prints it")
    _add_note(p)
    p = command("restore", cmd_restore, "list the DB's backups, or restore one")
    p.add_argument("number", nargs="?", type=int, help="backup to restore (1 = newest)")
    p.add_argument("--json", action="store_true", help="list backups as JSON")
    register_team(sub, common)
    register_feeds(sub, common)
    from sitrep.cli.places import register as register_places

    register_places(sub, common)
    from sitrep.cli.exports import register as register_exports

    register_exports(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (also used by the ``sitrep`` entry point)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.global_as_of is not None:
        if args.command not in AS_OF_COMMANDS:
            parser.error(f"--as-of before the command applies to {', '.join(AS_OF_COMMANDS)}"
                         f" (not {args.command or 'the dashboard'})")
        if getattr(args, "as_of", None) is None:
            args.as_of = args.global_as_of
    ctx = Context(resolve_db_path(args.db), args.by or default_analyst(),
                  db_given=args.db is not None)
    try:
        return int(args.func(args, ctx))
    except SitrepError as exc:
        out.error(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        out.error("interrupted")
        return 130
    except BrokenPipeError:
        out.reader_gone()
        return 0
    finally:
        for line in ctx.notices():  # an editor's stale save merged back: say so, once
            out.line(f"sitrep: {line}", err=True)


def entry_point() -> None:
    """Console script wrapper."""
    sys.exit(main())
