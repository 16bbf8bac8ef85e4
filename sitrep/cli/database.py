"""``sitrep validate`` and ``sitrep restore``: the DB file as a whole."""

from __future__ import annotations

import argparse

from sitrep.cli import output as out
from sitrep.cli.context import Context
from sitrep.store import DuplicateKey


def cmd_validate(args: argparse.Namespace, ctx: Context) -> int:
    """Report every problem in the DB file: exit 0 clean, 1 problems, 2 unreadable."""
    from sitrep.store.files import read_document
    from sitrep.store.validate import duplicate_key_problems, validate_document

    ctx.require_file()
    duplicates: list[DuplicateKey] = []
    doc, _ = read_document(ctx.db_path, duplicates=duplicates)
    problems = validate_document(doc) + duplicate_key_problems(duplicates, doc)
    if args.json:
        out.print_json([p.to_json() for p in problems])
    else:
        for problem in problems:
            out.line(f"{ctx.db_path}: {problem}")
        counts = {t: len(doc.get(t) or {}) for t in ("settlements", "sources", "claims")}
        summary = ", ".join(f"{n} {t}" for t, n in counts.items())
        verdict = "ok" if not problems else f"{len(problems)} problem(s)"
        out.line(f"{ctx.db_path}: {summary}: {verdict}", err=bool(problems))
    return 1 if problems else 0


def cmd_restore(args: argparse.Namespace, ctx: Context) -> int:
    """List the rotating backups, or restore one over the DB file."""
    from sitrep.store.backups import list_backups, restore_backup

    ctx.check_folder()
    if args.number is None:
        rows = list_backups(ctx.db_path)
        if args.json:
            out.print_json(rows)
        elif not rows:
            out.line(f"no backups of {ctx.db_path}")
        for row in rows if not args.json else []:
            out.line(f"{row['number']}  {row['modified']}  {row['size']:>10}  {row['status']}")
        return 0
    restored = restore_backup(ctx.db_path, args.number)
    out.line(f"restored {restored} over {ctx.db_path} (the replaced file is now backup 1)")
    return 0
