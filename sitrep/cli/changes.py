"""``sitrep set-status``, ``grade``, ``control`` and ``note``: the changes an analyst makes."""

from __future__ import annotations

import argparse
import sys

from sitrep.cli.context import Context
from sitrep.text import printable


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
    for table, record in store.grade([args.id], args.grade, by=args.by or ctx.analyst,
                                     note=args.note):
        field = "reliability" if table == "sources" else "credibility"
        print(f"{printable(record['id'])}: {field} {printable(record.get(field))}")
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
