"""``sitrep validate`` and ``sitrep restore``: the DB file as a whole."""

from __future__ import annotations

import argparse

from sitrep.cli import output as out
from sitrep.cli.context import Context
from sitrep.store import (
    Backups,
    DuplicateKey,
    Problem,
    duplicate_key_problems,
    journal_path,
    locate_in_file,
    read_document,
    validate_document,
    waiting_in_journal,
)


def cmd_validate(args: argparse.Namespace, ctx: Context) -> int:
    """Report every problem in the DB file and a journal waiting to be folded into it: exit 0
    clean, 1 problems or changes only in the journal, 65 unreadable, 66 no file."""
    ctx.require_file()
    duplicates: list[DuplicateKey] = []
    doc, _ = read_document(ctx.db_path, duplicates=duplicates)
    problems = locate_in_file(validate_document(doc) + duplicate_key_problems(duplicates, doc),
                              ctx.db_path)
    waiting = waiting_in_journal(ctx.db_path, doc)
    journal = (f"{waiting} change(s) in {journal_path(ctx.db_path)} are not folded into the"
               " file yet (the dashboard folds them when idle and on quit; any change made"
               " with the CLI writes them too)") if waiting else None
    if args.json:
        rows = [p.to_json() for p in problems]
        if journal:
            rows.append(Problem("journal", None, None, None, journal).to_json())
        out.print_json(rows)
    else:
        for problem in problems:
            out.line(problem.in_file(ctx.db_path))
        if journal:
            out.line(f"{ctx.db_path}: {journal}", err=True)
        counts = {t: len(doc.get(t) or {}) for t in ("settlements", "sources", "claims")}
        summary = ", ".join(f"{n} {t}" for t, n in counts.items())
        verdicts = [f"{len(problems)} problem(s)"] if problems else []
        if waiting:
            verdicts.append(f"{waiting} change(s) waiting in the journal")
        out.line(f"{ctx.db_path}: {summary}: {', '.join(verdicts) or 'ok'}", err=bool(verdicts))
    return 1 if problems or waiting else 0


def cmd_restore(args: argparse.Namespace, ctx: Context) -> int:
    """List the rotating backups, or restore one over the DB file."""
    ctx.check_folder()
    backups = Backups(ctx.db_path)
    if args.number is None:
        rows = backups.rows()
        if args.json:
            out.print_json(rows)
        elif not rows:
            out.line(f"no backups of {ctx.db_path}")
        for row in rows if not args.json else []:
            out.line(f"{row['number']}  {row['modified']}  {row['size']:>10}  {row['status']}")
        return 0
    restored = backups.restore(args.number)
    out.line(f"restored {restored} over {ctx.db_path} (the replaced file is now backup 1)")
    return 0
