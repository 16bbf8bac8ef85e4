"""``sitrep list`` and ``sitrep show``: reading records."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from sitrep import dates
from sitrep import query as q
from sitrep.cli import output as out
from sitrep.cli.context import Context
from sitrep.errors import NotFoundError, SitrepError
from sitrep.search import free_words, search_claims

if TYPE_CHECKING:
    from sitrep.analysis.triage import ControlTimeline
    from sitrep.cli.view import RecordView

LIST_KINDS = ("claims", "settlements", "sources")
_CLAIM_OPTIONS = ("status", "source", "settlement", "since", "text", "filter")


def parse_filter(text: str) -> q.Query:
    """``--filter EXPR``: the dashboard's filter language, or the problems it would show in
    its header as one usage error (argparse exits 2)."""
    query = q.parse(text)
    if query.problems:
        raise argparse.ArgumentTypeError("; ".join(query.problems))
    return query


def _view(args: argparse.Namespace, ctx: Context) -> RecordView:
    """The records the command reads: as of ``--as-of`` (else now), stale by config.toml."""
    # imported here: every command loads this module, only list and show need the analysis
    from sitrep.cli.view import RecordView
    from sitrep.config import load_settings

    return RecordView(ctx.read_store(), args.as_of, load_settings().stale_days)


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    """List claims, settlements or sources (as of ``--as-of``, else now); claims by the given
    options, all of which hold."""
    view = _view(args, ctx)
    if args.kind == "claims":
        for name in ("source", "settlement"):
            value = getattr(args, name)
            if value is not None and view.get(name + "s", value) is None:
                raise NotFoundError(f"no {name} with id {value!r}")
        records = view.filter_claims(
            status=args.status, source=args.source, settlement=args.settlement,
            since=dates.normalize(args.since) if args.since else None,
        )
        for query in (free_words(args.text or ""), args.filter or q.parse("")):
            if not query.is_empty:
                records = search_claims(records, view.sources(), view.settlements(), query,
                                        stale_cutoff=view.stale_cutoff)
    else:
        used = [f"--{n}" for n in _CLAIM_OPTIONS if getattr(args, n) is not None]
        if used:
            raise SitrepError(f"{', '.join(used)} only applies to 'list claims'")
        records = view.settlements() if args.kind == "settlements" else view.sources()
        if args.kind == "sources" and args.json:
            records = _with_records(records, view)
    if args.json:
        out.print_json(records)
    else:
        out.print_table(args.kind, records, view)
    return 0


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    """Show one record by id (any table), as of ``--as-of`` or now."""
    view = _view(args, ctx)
    found = view.find(args.id)
    if found is None:
        when = f" as of {args.as_of}" if args.as_of else ""
        raise NotFoundError(f"no claim, source or settlement with id {args.id!r}{when}")
    table, record = found
    shown: dict[str, Any] = dict(record)
    derived: list[tuple[str, str]] = []
    if table == "claims":
        analysis = view.analysis(args.id)
        if analysis is not None:
            shown["analysis"] = analysis.to_json()
            derived.append(("analysis", analysis.words()))
    elif table == "sources":
        shown = _with_records([record], view)[0]
        record_of = view.track_records().get(args.id)
        if record_of is not None:
            derived.append(("track record", record_of.words(record.get("reliability"))))
    elif table == "settlements":
        timeline = view.timeline(record)
        shown["control_timeline"] = timeline.to_json()
        derived.extend(_timeline_lines(timeline, view))
        record = {k: v for k, v in record.items() if k != "control"}  # the timeline shows it
    if args.json:
        out.print_json(shown)
    else:
        out.print_record(table, record, view, derived)
    return 0


def _with_records(sources: list[dict[str, Any]], view: RecordView) -> list[dict[str, Any]]:
    """The sources with their ``record`` (claims in view by status) and the
    ``suggested_reliability`` it gives (:mod:`sitrep.analysis.track_record`)."""
    records = view.track_records()
    shown = []
    for source in sources:
        record_of = records.get(source["id"]) if isinstance(source.get("id"), str) else None
        shown.append({**source, **record_of.to_json()} if record_of is not None else source)
    return shown


def _timeline_lines(timeline: ControlTimeline, view: RecordView) -> list[tuple[str, str]]:
    """The control timeline as (label, line) pairs: the strip, then each observation in order
    with the claim it rests on, that claim's source and status (as of the view's date)."""
    lines = [("control", timeline.strip)]
    for entry in timeline.entries:
        if entry.claim is None:
            rests = "(no claim named)"
        elif entry.status is None:
            later = view.as_of is not None and view.store.get("claims", entry.claim) is not None
            why = f"not yet reported as of {view.as_of}" if later else "no such claim"
            rests = f"{entry.claim} ({why})"
        else:
            reported = f", reported {entry.reported_at}" if entry.reported_at else ""
            rests = f"{entry.claim} ({entry.source or '?'}, {entry.status}{reported})"
        note = f" — {entry.note}" if entry.note else ""
        lines.append(("", f"{entry.as_of:<10} {entry.controller:<9} {rests}{note}"))
    return lines
