"""``sitrep report`` and ``sitrep export --format …``: what an analyst hands on.

The report and every export are made by ``sitrep.reports`` from a view of the DB; this module
reads the options, builds the view, and writes the bytes to standard output or atomically to
``-o FILE``, with a one-line summary on standard error. The reports package (and stix2 for
STIX) is imported inside the handlers, so other commands start without it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sitrep import dates
from sitrep.cli import output as out
from sitrep.cli.context import Context
from sitrep.errors import SitrepError

EXPORT_FORMATS = ("feed", "csv", "geojson", "kml", "stix", "misp")
TABLES = ("claims", "settlements", "sources")


def register(sub: Any, common: argparse.ArgumentParser | None = None) -> None:
    """Add ``report`` and ``export`` to the CLI's subparsers."""
    parents = [common] if common is not None else []

    def command(name: str, func: Any, text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=parents, help=text, description=text)
        p.set_defaults(func=func)
        return p

    p = command("report", cmd_report,
                "write a SITREP: situation by settlement, claims by status, changes, sources")
    p.add_argument("--format", choices=("text", "markdown"), default="text",
                   help="text (80 columns, for less) or markdown (default: text)")
    p.add_argument("--since", metavar="DATE",
                   help="the period for changes: status, grade, control changes and notes since")
    p.add_argument("--stale-days", type=int, default=14, metavar="N",
                   help="flag unverified claims reported more than N days ago (default 14)")
    _add_output(p)

    p = command("export", cmd_export,
                "export records as CSV, GeoJSON, KML, STIX 2.1, MISP or a sitrep feed")
    p.add_argument("--format", choices=EXPORT_FORMATS, default="feed",
                   help="feed (default): a sitrep feed for a colleague; csv, geojson, kml, "
                   "stix (needs the exports extra) or misp")
    p.add_argument("--table", choices=TABLES, default="claims",
                   help="CSV only: which records, one row each (default: claims)")
    p.add_argument("--since", metavar="DATE",
                   help="feed only: claims reported or changed on/after DATE, with what they "
                   "refer to")
    _add_output(p)


def _add_output(p: argparse.ArgumentParser) -> None:
    from sitrep.cli.records import parse_filter

    p.add_argument("--filter", metavar="EXPR", type=parse_filter,
                   help="only the claims the dashboard's filter EXPR matches, with the sources "
                   "and settlements they name")
    p.add_argument("--as-of", metavar="DATE",
                   help="the records as the file knew them at the end of DATE (sitrep.analysis)")
    p.add_argument("-o", "--out", metavar="FILE", help="write to FILE (default: standard output)")


def _view(args: argparse.Namespace, ctx: Context, *, origins: bool = False) -> Any:
    """The view of the DB as of ``--as-of`` (the latest data without it), with the claims'
    independent-origin counts when ``origins`` (the formats that show them)."""
    from sitrep.cli.view import option_date
    from sitrep.reports.scope import scoped_view

    as_of = option_date(args.as_of)
    ctx.require_file()
    store = ctx.read_store()
    return scoped_view(store.claims(), store.sources(), store.settlements(), query=args.filter,
                       as_of=as_of, generated_at=dates.utc_now_iso(), analyst=ctx.analyst,
                       origins=origins)


def cmd_report(args: argparse.Namespace, ctx: Context) -> int:
    """``sitrep report``: the SITREP of the DB as text or Markdown."""
    from sitrep.cli.view import option_date
    from sitrep.reports.formats import render_report as render

    if args.stale_days < 0:
        raise SitrepError("--stale-days must be 0 or more")
    view = _view(args, ctx, origins=True)
    text = render(view, format=args.format, since=option_date(args.since, "--since"),
                  stale_days=args.stale_days)
    what = f"SITREP of {len(view.claims)} claims as {args.format}"
    _deliver(text.encode("utf-8"), args.out, what)
    return 0


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    """``sitrep export --format F``: the DB in another tool's format (default: a feed)."""
    from sitrep.cli.view import option_date
    from sitrep.reports.formats import export

    if args.since is not None and args.format != "feed":
        raise SitrepError("--since only applies to --format feed")
    if args.table != "claims" and args.format != "csv":
        raise SitrepError("--table only applies to --format csv")
    options: dict[str, Any] = {}
    if args.format == "feed":
        options = {"name": Path(ctx.db_path).name, "since": option_date(args.since, "--since")}
    elif args.format == "csv":
        options = {"table": args.table}
    view = _view(args, ctx, origins=args.format in ("csv", "stix"))
    output = export(args.format, view, **options)
    _deliver(output.data, args.out, output.summary)
    return 0


def _deliver(data: bytes, target: str | None, what: str) -> None:
    """Write ``data`` to standard output or ``target``, and say what was written on stderr."""
    if not target or target == "-":
        out.print_bytes(data)
        out.line(f"exported {what}", err=True)
        return
    out.write_file(Path(target), data)
    head, sep, remark = what.partition("; ")
    out.line(f"exported {head} to {target}{sep}{remark}", err=True)
