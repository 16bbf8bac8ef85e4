"""CLI commands for feeds: ``import`` and ``feeds add|list|remove|pull`` (``export``, the
sitrep feed among the other formats, is in ``sitrep.cli.exports``).

``sitrep.cli`` calls :func:`register` with its subparsers; every handler is
``handler(args, ctx: Context) -> int`` and raises ``sitrep.errors`` exceptions for user errors
(the CLI prints the one line and exits with the error's code). ``feeds pull`` runs the one
pull loop, :func:`sitrep.feeds.subscriptions.pull_all`, that the dashboard's ``R`` runs too.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sitrep.cli import output as out
from sitrep.cli.context import Context, Handler
from sitrep.errors import SitrepError, WriteError

if TYPE_CHECKING:
    from sitrep.feeds.report import ImportReport

Subparsers = argparse._SubParsersAction  # argparse's own type of add_subparsers()

# The feed machinery (httpx, parsers, merge) is imported inside the handlers, so that every
# other CLI command starts without paying for it.


def byte_size(text: str) -> int:
    """Parse ``--max-bytes``: a number of bytes, optionally with K/KB, M/MB or G/GB."""
    from sitrep.config import parse_size

    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(sub: Subparsers, common: argparse.ArgumentParser | None = None) -> None:
    """Add the feed commands to the CLI's subparsers."""
    parents = [common] if common is not None else []

    def command(where: Subparsers, name: str, func: Handler, text: str
                ) -> argparse.ArgumentParser:
        p = where.add_parser(name, parents=parents, help=text, description=text)
        p.set_defaults(func=func)
        return p

    p = command(sub, "import", cmd_import,
                "import a JSON Feed or sitrep feed from a path, - (stdin) or an http(s) URL")
    p.add_argument("source", metavar="SOURCE", help="a file path, - for stdin, or a URL")
    p.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    p.add_argument("--json", action="store_true", help="the full report as JSON")
    _add_common(p)

    feeds = command(sub, "feeds", _feeds_help, "manage feed subscriptions")
    fsub = feeds.add_subparsers(title="feed commands", metavar="ACTION")
    p = command(fsub, "add", cmd_feeds_add, "subscribe to an http(s) feed")
    p.add_argument("url", metavar="URL")
    p.add_argument("--name", metavar="NAME", help="what to call it (default: from the host)")
    p = command(fsub, "list", cmd_feeds_list, "list subscriptions")
    p.add_argument("--json", action="store_true", help="subscriptions as a JSON array")
    p = command(fsub, "remove", cmd_feeds_remove, "forget a subscription (its claims stay)")
    p.add_argument("name", metavar="NAME")
    p = command(fsub, "pull", cmd_feeds_pull,
                "fetch subscriptions (conditional GET) and import what changed")
    p.add_argument("name", metavar="NAME", nargs="?", help="only this one (default: all)")
    p.add_argument("--json", action="store_true", help="the reports as a JSON array")
    _add_common(p)


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-bytes", type=byte_size, default=None, metavar="N",
                   help="refuse feeds bigger than N bytes (K/M/G suffixes); default: downloads"
                        " up to max_download_bytes of config.toml (20MB), local files any size")


def _feeds_help(args: argparse.Namespace, ctx: Context) -> int:
    raise SitrepError("feeds needs an action: add URL, list, remove NAME or pull [NAME]")


def _print_report(report: ImportReport) -> None:
    """Print a report for a person, every line made safe for the terminal."""
    for line in report.lines():
        out.line(line)


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    """``sitrep import SOURCE``: exit 0 when the feed was read (even with rejections)."""
    from sitrep.feeds.importer import import_location

    store = ctx.read_store() if args.dry_run else ctx.write_store()
    report = import_location(store, args.source, analyst=ctx.analyst,
                             dry_run=args.dry_run, max_bytes=args.max_bytes)
    if args.json:
        out.print_json(report.to_dict())
    else:
        _print_report(report)
    return 0


def cmd_feeds_add(args: argparse.Namespace, ctx: Context) -> int:
    """``sitrep feeds add URL [--name NAME]``."""
    from sitrep.feeds.subscriptions import add_subscription

    record = add_subscription(ctx.write_store(), args.url, analyst=ctx.analyst, name=args.name)
    out.line(f"subscribed to {record['url']} as {record['id']}")
    return 0


def cmd_feeds_list(args: argparse.Namespace, ctx: Context) -> int:
    """``sitrep feeds list``."""
    from sitrep.feeds.subscriptions import subscriptions

    rows = [{k: r.get(k, "") for k in ("name", "url", "etag", "last_modified", "last_pulled")}
            for r in subscriptions(ctx.read_store())]
    if args.json:
        out.print_json(rows)
        return 0
    if not rows:
        out.line("no subscriptions (add one with: sitrep feeds add URL)")
        return 0
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        pulled = r["last_pulled"] or "never"
        out.line(f"{r['name'].ljust(width)}  {r['url']}  (last change pulled: {pulled})")
    return 0


def cmd_feeds_remove(args: argparse.Namespace, ctx: Context) -> int:
    """``sitrep feeds remove NAME``."""
    from sitrep.feeds.subscriptions import remove_subscription

    remove_subscription(ctx.write_store(), args.name, analyst=ctx.analyst)
    out.line(f"removed subscription {args.name} (its claims stay)")
    return 0


def cmd_feeds_pull(args: argparse.Namespace, ctx: Context) -> int:
    """``sitrep feeds pull [NAME]``: exit 1 when any feed could not be read."""
    from sitrep.feeds.subscriptions import pull_all

    store = ctx.write_store()
    names = [args.name] if args.name else None
    results = pull_all(store, analyst=ctx.analyst, names=names,
                       max_bytes=args.max_bytes)
    if args.json:
        out.print_json([{"name": r.name, "error": r.error,
                         "report": r.report.to_dict() if r.report else None} for r in results])
    elif not results:
        out.line("no subscriptions (add one with: sitrep feeds add URL)")
    for r in results if not args.json else []:
        if r.error:
            out.line(f"{r.name}: {r.error}")
        elif r.report and r.report.not_modified:
            out.line(f"{r.name}: {r.report.summary()}")
        elif r.report:
            lines = r.report.lines()
            out.line(f"{r.name}: {lines[0]}")
            for line in lines[1:]:
                out.line(line)
    failed = [r.name for r in results if r.error]
    if failed:
        out.error(f"could not pull {len(failed)} of {len(results)} subscription(s): "
                  f"{', '.join(failed)}")
    if any(r.unsaved for r in results):
        return WriteError.exit_code
    return 1 if failed else 0
