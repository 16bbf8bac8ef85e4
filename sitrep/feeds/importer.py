"""Import a feed end to end: read it (path, ``-``, URL), parse it, merge it in one write.

These are the functions the CLI and the dashboard call. They are blocking (run them in a
worker thread from the UI) and raise :class:`sitrep.errors.FeedError` with one line when the
feed cannot be read at all; the store is then untouched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, BinaryIO

import httpx

from sitrep.errors import FeedError
from sitrep.feeds.base import ParsedFeed, locate_rejections
from sitrep.feeds.detect import parse_feed
from sitrep.feeds.fetch import Fetched, Progress, read_location
from sitrep.feeds.merge import merge_feed
from sitrep.feeds.report import ImportReport

if TYPE_CHECKING:
    from sitrep.store import Store


def import_bytes(
    store: Store,
    data: bytes,
    *,
    analyst: str,
    location: str = "-",
    dry_run: bool = False,
    max_bytes: int | None = None,
    extra_ops: list[dict[str, Any]] | None = None,
) -> ImportReport:
    """Parse feed bytes and merge them into ``store`` (one write, or none)."""
    parsed = parse_feed(data, location=location, max_bytes=max_bytes, lazy=True)
    report = merge_feed(
        store, parsed, analyst=analyst, location=location, dry_run=dry_run,
        extra_ops=extra_ops or (), text=data,
    )
    locate_rejections(report.rejections, data)
    return report


def import_location(
    store: Store,
    location: str,
    *,
    analyst: str,
    dry_run: bool = False,
    max_bytes: int | None = None,
    client: httpx.Client | None = None,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Read the feed at ``location`` (path, ``-`` or http(s) URL) and import it.

    ``progress(bytes_so_far, total_or_None)`` is called while an HTTP body streams in.
    """
    fetched = read_location(
        location, max_bytes=max_bytes, client=client, stdin=stdin, progress=progress
    )
    return import_fetched(store, fetched, analyst=analyst, dry_run=dry_run, max_bytes=max_bytes)


def parse_fetched(fetched: Fetched, *, max_bytes: int | None = None) -> ParsedFeed:
    """Parse what was read; a parse error mentions a suspicious content type, if any."""
    assert fetched.data is not None
    try:
        return parse_feed(
            fetched.data, location=fetched.location, max_bytes=max_bytes, lazy=True
        )
    except FeedError as exc:
        if fetched.warnings:
            raise FeedError(f"{exc} ({'; '.join(fetched.warnings)})") from None
        raise


def import_fetched(
    store: Store,
    fetched: Fetched,
    *,
    analyst: str,
    dry_run: bool = False,
    max_bytes: int | None = None,
) -> ImportReport:
    """Import what :func:`sitrep.feeds.fetch.read_location` returned."""
    if fetched.data is None:
        return ImportReport(fetched.location, not_modified=True, dry_run=dry_run)
    parsed = parse_fetched(fetched, max_bytes=max_bytes)
    report = merge_feed(store, parsed, analyst=analyst, location=fetched.location,
                        dry_run=dry_run, text=fetched.data)
    locate_rejections(report.rejections, fetched.data)
    report.warnings[:0] = fetched.warnings
    return report
