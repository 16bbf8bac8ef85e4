"""``sitrep set-status``, ``grade``, ``control`` and ``note``: the changes an analyst makes."""

from __future__ import annotations

import argparse
import sys

from sitrep.cli import output as out
from sitrep.cli.context import Context
from sitrep.errors import NotFoundError, SitrepError
from sitrep.models import current_control, describe_control, parse_grade


def cmd_set_status(args: argparse.Namespace, ctx: Context) -> int:
    """Change a claim's verification status (a unique prefix names it: ``conf``)."""
    store = ctx.write_store()
    record = store.set_status(args.claim_id, args.status, by=ctx.analyst, note=args.note)
    out.line(f"{record['id']}: status {record['status']}")
    return 0


def cmd_grade(args: argparse.Namespace, ctx: Context) -> int:
    """Grade a source (A-F) or a claim (1-6; B3 on a claim also grades its source)."""
    store = ctx.write_store()
    by = ctx.analyst
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
        out.line(f"{args.id}: reliability {record['reliability']}")
        return 0
    if letter is not None:
        source = record.get("source")
        if not isinstance(source, str) or store.get("sources", source) is None:
            raise NotFoundError(f"claim {args.id!r} has no known source to grade {letter}")
        store.set_reliability(source, letter, by=by, note=args.note)
        out.line(f"{source}: reliability {letter}")
    if digit is not None:
        record = store.set_credibility(args.id, digit, by=by, note=args.note)
        out.line(f"{args.id}: credibility {record['credibility']}")
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
