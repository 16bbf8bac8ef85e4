"""The headless CLI: thin commands over the core, for scripts and SSH one-liners.

Errors are one line on stderr and a non-zero exit (1; 2 when the DB file is unreadable), never
a traceback. ``--json`` prints the records with the same field names as the file.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sitrep import dates
from sitrep.cli import output as out
from sitrep.errors import DataFileError, NotFoundError, SitrepError
from sitrep.models import STATUSES, parse_grade
from sitrep.paths import default_analyst, resolve_db_path, sample_data_path
from sitrep.store import Store
from sitrep.store.json_keys import DuplicateKey
from sitrep.text import printable

Handler = Callable[[argparse.Namespace, "Context"], int]


@dataclass
class Context:
    """What every command needs: where the DB is and who is acting."""

    db_path: Path
    analyst: str = field(default_factory=default_analyst)

    def open_store(self, *, journal: bool = False) -> Store:
        """Open the DB (raises DataFileError when it cannot be read)."""
        return Store.open(self.db_path, journal=journal)


# ---------------------------------------------------------------------------- commands
def cmd_dashboard(args: argparse.Namespace, ctx: Context) -> int:
    """Open the dashboard on the DB."""
    try:
        from sitrep.tui import run_dashboard
    except ImportError as exc:  # pragma: no cover - only before the dashboard is installed
        print(f"sitrep: the dashboard is not available: {exc}", file=sys.stderr)
        return 1
    return run_dashboard(ctx.db_path)


def cmd_demo(args: argparse.Namespace, ctx: Context) -> int:
    """Open the dashboard on a fresh temporary copy of the bundled sample data."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="sitrep-demo-"))
    copy = folder / "sitrep.json"
    shutil.copyfile(sample_data_path(), copy)
    print(f"sitrep demo: working on a copy at {copy}", file=sys.stderr)
    if args.no_ui:
        print(copy)
        return 0
    return cmd_dashboard(args, Context(copy, ctx.analyst))


def cmd_validate(args: argparse.Namespace, ctx: Context) -> int:
    """Report every problem in the DB file: exit 0 clean, 1 problems, 2 unreadable."""
    from sitrep.store.files import read_document
    from sitrep.store.validate import duplicate_key_problems, validate_document

    if not ctx.db_path.exists():
        raise DataFileError(ctx.db_path, "no such file")
    duplicates: list[DuplicateKey] = []
    doc, _ = read_document(ctx.db_path, duplicates=duplicates)
    problems = validate_document(doc) + duplicate_key_problems(duplicates, doc)
    if args.json:
        out.print_json([p.to_json() for p in problems])
    else:
        for problem in problems:
            print(f"{ctx.db_path}: {printable(str(problem))}")
        counts = {t: len(doc.get(t) or {}) for t in ("settlements", "sources", "claims")}
        summary = ", ".join(f"{n} {t}" for t, n in counts.items())
        verdict = "ok" if not problems else f"{len(problems)} problem(s)"
        print(f"{ctx.db_path}: {summary}: {verdict}", file=sys.stderr if problems else sys.stdout)
    return 1 if problems else 0


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    """List claims, settlements or sources, optionally filtered."""
    store = ctx.open_store()
    if args.kind == "claims":
        for name in ("source", "settlement"):
            value = getattr(args, name)
            if value is not None and store.get(name + "s", value) is None:
                raise NotFoundError(f"no {name} with id {value!r}")
        records = store.filter_claims(
            status=args.status, source=args.source, settlement=args.settlement,
            since=dates.normalize(args.since) if args.since else None, text=args.text,
        )
    else:
        used = [f"--{n}" for n in ("status", "source", "settlement", "since", "text")
                if getattr(args, n) is not None]
        if used:
            raise SitrepError(f"{', '.join(used)} only applies to 'list claims'")
        records = store.settlements() if args.kind == "settlements" else store.sources()
    if args.json:
        out.print_json(records)
    else:
        out.print_table(args.kind, records, store)
    return 0


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    """Show one record by id (any table)."""
    store = ctx.open_store()
    found = store.find(args.id)
    if found is None:
        raise NotFoundError(f"no claim, source or settlement with id {args.id!r}")
    table, record = found
    if args.json:
        out.print_json(record)
    else:
        out.print_record(table, record, store)
    return 0


def cmd_set_status(args: argparse.Namespace, ctx: Context) -> int:
    """Change a claim's verification status."""
    store = ctx.open_store()
    record = store.set_status(args.claim_id, args.status, by=args.by or ctx.analyst,
                              note=args.note)
    print(f"{printable(record['id'])}: status {record['status']}")
    return 0


def cmd_grade(args: argparse.Namespace, ctx: Context) -> int:
    """Grade a source (A-F) or a claim (1-6; B3 on a claim also grades its source)."""
    store = ctx.open_store()
    by = args.by or ctx.analyst
    found = store.find(args.id)
    if found is None or found[0] not in ("claims", "sources"):
        raise NotFoundError(f"no claim or source with id {args.id!r}")
    try:
        letter, digit = parse_grade(args.grade)
    except ValueError as exc:
        raise SitrepError(str(exc)) from None
    table, record = found
    if table == "sources":
        if digit is not None or letter is None:
            raise SitrepError("a source takes a reliability letter A-F (credibility 1-6 is"
                              " for claims)")
        record = store.set_reliability(args.id, letter, by=by, note=args.note)
        print(f"{printable(args.id)}: reliability {record['reliability']}")
        return 0
    if letter is not None:
        source = record.get("source")
        if not isinstance(source, str) or store.get("sources", source) is None:
            raise NotFoundError(f"claim {args.id!r} has no known source to grade {letter}")
        store.set_reliability(source, letter, by=by, note=args.note)
        print(f"{printable(source)}: reliability {letter}")
    if digit is not None:
        record = store.set_credibility(args.id, digit, by=by, note=args.note)
        print(f"{printable(args.id)}: credibility {record['credibility']}")
    return 0


def cmd_control(args: argparse.Namespace, ctx: Context) -> int:
    """Record who controls a settlement as of a date."""
    store = ctx.open_store()
    store.add_control(args.settlement_id, args.controller, args.as_of,
                      by=args.by or ctx.analyst, claim=args.claim, note=args.note)
    obs = store.current_control(args.settlement_id) or {}
    print(f"{printable(args.settlement_id)}: {printable(obs.get('controller'))} as of"
          f" {printable(obs.get('as_of'))}")
    return 0


def cmd_note(args: argparse.Namespace, ctx: Context) -> int:
    """Add a note to a record's history."""
    text = sys.stdin.read().strip() if args.text == "-" else args.text
    store = ctx.open_store()
    store.add_note(None, args.id, text, by=args.by or ctx.analyst)
    print(f"{printable(args.id)}: note added")
    return 0


def cmd_restore(args: argparse.Namespace, ctx: Context) -> int:
    """List the rotating backups, or restore one over the DB file."""
    from sitrep.store.backups import list_backups, restore_backup

    if args.number is None:
        rows = list_backups(ctx.db_path)
        if args.json:
            out.print_json(rows)
        elif not rows:
            print(f"no backups of {ctx.db_path}")
        for row in rows if not args.json else []:
            print(f"{row['number']}  {row['modified']}  {row['size']:>10}  {row['status']}")
        return 0
    restored = restore_backup(ctx.db_path, args.number)
    print(f"restored {restored} over {ctx.db_path} (the replaced file is now backup 1)")
    return 0


# ---------------------------------------------------------------------------- parser
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
    parser.set_defaults(func=cmd_dashboard)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, func: Handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    p = command("demo", cmd_demo, "open the dashboard on a fresh temporary copy of the sample")
    p.add_argument("--no-ui", action="store_true", help="only make the copy and print its path")
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
    try:
        from sitrep.cli.feeds import register
    except ImportError:
        register = None
    if register is not None:
        register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (also used by the ``sitrep`` entry point)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = Context(resolve_db_path(args.db))
    try:
        return args.func(args, ctx)
    except SitrepError as exc:
        print(f"sitrep: {printable(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("sitrep: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): point stdout at devnull to exit quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def entry_point() -> None:
    """Console script wrapper."""
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    entry_point()
