"""Tell the feed formats apart and parse bytes with the right reader."""

from __future__ import annotations

from sitrep.errors import FeedError
from sitrep.feeds.base import ParsedFeed, load_json
from sitrep.feeds.jsonfeed import VERSION_PREFIXES, is_jsonfeed, parse_jsonfeed
from sitrep.feeds.native import is_native, parse_native
from sitrep.gc_pause import gc_paused


def parse_feed(
    data: bytes,
    *,
    location: str | None = None,
    max_bytes: int | None = None,
    lazy: bool = False,
) -> ParsedFeed:
    """Parse ``data`` as a sitrep feed or a JSON Feed 1.0/1.1, whichever it declares itself.

    Raises FeedError with one line when the bytes are not a feed sitrep can read. ``lazy``
    leaves JSON Feed items unconverted (see :func:`sitrep.feeds.jsonfeed.parse_jsonfeed`).
    """
    with gc_paused():  # thousands of small acyclic objects: the cyclic GC only slows this
        doc = load_json(data, max_bytes=max_bytes)
        if is_native(doc):
            return parse_native(doc, location=location)
        if is_jsonfeed(doc):
            return parse_jsonfeed(doc, location=location, lazy=lazy)
    if isinstance(doc, dict) and isinstance(doc.get("version"), str):
        raise FeedError(
            f"unknown feed version {doc['version'][:60]!r} (expected {VERSION_PREFIXES[0]}1.1)"
        )
    if isinstance(doc, dict) and "items" in doc:
        raise FeedError("not a JSON Feed: it has 'items' but no jsonfeed.org 'version'")
    raise FeedError(
        "not a feed sitrep can read: expected a JSON Feed ('version': "
        "'https://jsonfeed.org/version/1.1') or a sitrep feed ('sitrep_feed': 1)"
    )
