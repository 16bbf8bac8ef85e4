"""``sitrep set-status``, ``grade``, ``control``, ``note`` and ``resolve``: the changes an analyst
makes."""

from __future__ import annotations

import argparse
import sys

from sitrep.cli import output as out
from sitrep.cli.context import Context
from sitrep.models import current_control, describe_control


def cmd_set_status(args: argparse.Namespace, ctx: Context) -> int:
    """Change a claim's verification status (a unique prefix names it: ``conf``)."""
    store = ctx.write_store()
    record = store.set_status(args.claim_id, args.status, by=ctx.analyst, note=args.note)
    out.line(f"{record['id']}: status {record['status']}")
    return 0


def cmd_grade(args: argparse.Namespace, ctx: Context) -> int:
    """Grade a source (A-F) or a claim (1-6; B3 on a claim also grades its source)."""
    store = ctx.write_store()
    for table, record in store.grade([args.id], args.grade, by=ctx.analyst, note=args.note):
        field = "reliability" if table == "sources" else "credibility"
        out.line(f"{record['id']}: {field} {record.get(field)}")
    return 0


def cmd_control(args: argparse.Namespace, ctx: Context) -> int:
    """Record who controls a settlement as of a date; prints the observation recorded, and
    the current control when a later observation still decides it."""
    store = ctx.write_store()
    record = store.add_control(args.settlement_id, args.controller, args.as_of,
                               by=ctx.analyst, claim=args.claim, note=args.note)
    control = record.get("control")
    recorded = control[-1] if isinstance(control, list) and control else {}
    text = f"{args.settlement_id}: recorded {describe_control(recorded)}"
    current = current_control(record)
    if current is not None and current is not recorded:
        text += f"; current control stays {describe_control(current)}"
    out.line(text)
    return 0


def cmd_note(args: argparse.Namespace, ctx: Context) -> int:
    """Add a note to a record's history."""
    text = sys.stdin.read().strip() if args.text == "-" else args.text
    store = ctx.write_store()
    store.add_note(None, args.id, text, by=ctx.analyst)
    out.line(f"{args.id}: note added")
    return 0


def cmd_resolve(args: argparse.Namespace, ctx: Context) -> int:
    """Resolve a conflict a merge recorded by picking the value the field keeps."""
    store = ctx.write_store()
    _, record = store.resolve(args.id, args.field, args.value, by=ctx.analyst, note=args.note)
    if args.field in ("record", "id"):
        out.line(f"{args.id}: {args.field} conflict resolved")
    else:
        out.line(f"{args.id}: {args.field} {record.get(args.field)} (conflict resolved)")
    return 0
