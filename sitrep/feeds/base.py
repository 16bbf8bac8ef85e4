"""What every feed format parses into, and the safe JSON loading they share.

A parser takes bytes and returns a :class:`ParsedFeed`: the records it could read and, for each
item it could not, a :class:`Rejection` with the reason. A document that is not a feed at all
(not JSON, wrong shape, truncated, nested too deep, too big) raises :class:`FeedError` with one
line saying why. Parsing never touches the store or the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from sitrep.config import DEFAULT_MAX_DOWNLOAD_BYTES
from sitrep.errors import FeedError
from sitrep.models import Record

if TYPE_CHECKING:  # sitrep.json_position is imported only when something was rejected
    from sitrep.json_position import JsonPath

DEFAULT_MAX_BYTES = DEFAULT_MAX_DOWNLOAD_BYTES  # the download cap without a config.toml
MAX_DEPTH = 64
MAX_ID_LENGTH = 1000

_BAD_ID_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(slots=True)
class Rejection:
    """An item (or record) a feed carried that could not be taken, and why.

    ``table`` is the list the item is in (``items`` of a JSON Feed, ``claims``… of a sitrep
    feed) and ``index`` its place there; ``field`` the offending field when one is to blame;
    ``line`` and ``column`` where that field's value (else the item) starts in the feed's text,
    filled by :func:`locate_rejections` once the import is done."""

    item_id: str | None
    reason: str
    index: int | None = None
    table: str | None = None
    field: str | None = None
    line: int | None = None
    column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The rejection as plain JSON-ready data."""
        return {"id": self.item_id, "index": self.index, "reason": self.reason,
                "table": self.table, "field": self.field, "line": self.line,
                "column": self.column}

    def describe(self, location: str | None = None) -> str:
        """One line: ``feed.json:12:17: claim c-1: 'status' 'maybe' is not one of …`` (the place
        when known, the item, the reason)."""
        where = ""
        if location is not None and self.line is not None:
            where = f"{'<stdin>' if location == '-' else location}:{self.line}:{self.column}: "
        item = self.item_id or f"#{self.index}"
        if self.table == "items":
            item = f"item {item}"
        if self.table and self.table != "items" and self.item_id is not None and (
            self.reason.startswith(f"{self.table[:-1]} {self.item_id}")
        ):
            return where + self.reason  # the reason names the record already
        return f"{where}{item}: {self.reason}"


def locate_rejections(rejections: list[Rejection], text: bytes) -> None:
    """Fill each rejection's line and column from the feed's bytes: its field's value, else
    the item itself. Called only when there are rejections (a second look at the text, the
    import itself never pays for it)."""
    if not rejections:
        return
    from sitrep.json_position import field_path, locate

    lists: dict[str, list[Any]] | None = None
    paths: dict[int, JsonPath] = {}
    for n, rejection in enumerate(rejections):
        if rejection.table is None:
            continue
        index = rejection.index
        if index is None and rejection.item_id is not None:
            if lists is None:  # a rejection of the merge knows the record's id only
                lists = _lists_of(text)
            index = _index_of(lists.get(rejection.table), rejection.item_id)
        if index is None:
            continue
        paths[n] = (rejection.table, index, *field_path(rejection.field or ""))
    where = locate(text, paths.values())
    for n, path in paths.items():
        if path in where:
            rejections[n].line, rejections[n].column = where[path]


def _lists_of(text: bytes) -> dict[str, list[Any]]:
    try:
        doc = orjson.loads(text[3:] if text.startswith(b"\xef\xbb\xbf") else text)
    except orjson.JSONDecodeError:
        return {}
    if not isinstance(doc, dict):
        return {}
    return {name: value for name, value in doc.items() if isinstance(value, list)}


def _index_of(records: list[Any] | None, item_id: str) -> int | None:
    for index, record in enumerate(records or ()):
        if isinstance(record, dict) and record.get("id") == item_id:
            return index
    return None


@dataclass(slots=True)
class FeedItem:
    """One JSON Feed item: its identity at once, its claim record when converted.

    Parsing first reads only what identifies an item (``item_id``, ``claim_id``, and
    ``feed_hash``, a fingerprint of the fields sitrep reads), so that a re-import can skip
    items it already has without converting them. :func:`sitrep.feeds.jsonfeed.convert` fills
    ``claim`` (store field names; ``source`` and ``settlements`` are resolved by the merge),
    ``author`` (the name the source is matched by) and ``explicit`` (the fields the item's
    ``_sitrep`` extension set on purpose).
    """

    item_id: str
    claim_id: str
    feed_hash: str
    raw: dict[str, Any]
    index: int
    claim: Record | None = None
    author: str = ""
    author_url: str = ""
    explicit_settlements: list[str] = field(default_factory=list)
    explicit: frozenset[str] = frozenset()


@dataclass(slots=True)
class ParsedFeed:
    """A feed read from bytes: what it is, what it carries, what had to be left out."""

    format: str  # "jsonfeed" or "sitrep"
    version: str
    identity: str
    title: str
    items: list[FeedItem] = field(default_factory=list)  # JSON Feed
    sources: list[Record] = field(default_factory=list)  # sitrep feed
    settlements: list[Record] = field(default_factory=list)  # sitrep feed
    claims: list[Record] = field(default_factory=list)  # sitrep feed
    rejected: list[Rejection] = field(default_factory=list)
    # sitrep feed: each kept record's index in its list of the feed, parallel to the lists
    # above, so that a record the merge refuses is pointed at even when its id is given twice
    indexes: dict[str, list[int]] = field(default_factory=dict)
    feed_author: str = ""  # JSON Feed: the author items without one fall back to
    feed_author_url: str = ""

    @property
    def label(self) -> str:
        """A short human name for the format, e.g. ``JSON Feed 1.1``."""
        return f"JSON Feed {self.version}" if self.format == "jsonfeed" else "sitrep feed"

    @property
    def size(self) -> int:
        """How many items or records the feed offered (rejected ones included)."""
        taken = len(self.items) + len(self.sources) + len(self.settlements) + len(self.claims)
        return taken + len(self.rejected)



def load_json(data: bytes, *, max_bytes: int | None = None) -> Any:
    """Parse feed bytes as JSON, or raise FeedError with one line saying what is wrong
    (``max_bytes``: refuse more; None: no limit, the bytes are in memory already)."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise FeedError("feed must be bytes")
    if max_bytes is not None and len(data) > max_bytes:
        raise FeedError(
            f"feed is too big: {len(data):,} bytes (limit {max_bytes:,}; raise it with --max-bytes)"
        )
    if bytes(data[:3]) == b"\xef\xbb\xbf":
        data = data[3:]
    if not bytes(data).strip():
        raise FeedError("feed is empty")
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise FeedError(_describe_json_error(exc)) from None
    return doc


def _describe_json_error(exc: orjson.JSONDecodeError) -> str:
    msg = exc.msg
    where = f"line {exc.lineno} column {exc.colno}"
    if "depth" in msg or "recursion" in msg.lower():
        return f"feed is nested too deep at {where}"
    if "end of data" in msg or "EOF" in msg:
        return f"feed is truncated: the JSON ends early at {where}"
    if "UTF-8" in msg or "surrogate" in msg:
        return f"feed is not valid UTF-8 text at {where}"
    return f"feed is not valid JSON: {msg} at {where}"


def check_depth(doc: Any, limit: int = MAX_DEPTH) -> None:
    """Raise FeedError if ``doc`` nests lists/objects more than ``limit`` levels deep."""
    stack: list[tuple[Any, int]] = [(doc, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        node, depth = pop()
        if depth > limit:
            raise FeedError(f"feed is nested too deep (more than {limit} levels)")
        if isinstance(node, dict):
            for value in node.values():
                if isinstance(value, dict | list):
                    push((value, depth + 1))
        elif isinstance(node, list):
            for value in node:
                if isinstance(value, dict | list):
                    push((value, depth + 1))


def id_problem(value: Any, what: str = "id") -> str | None:
    """Why ``value`` cannot be a record or item id, or None when it can."""
    if not isinstance(value, str):
        return f"{what} must be a string, not {type(value).__name__}"
    if not value.strip():
        return f"{what} is empty"
    if len(value) > MAX_ID_LENGTH:
        return f"{what} is longer than {MAX_ID_LENGTH} characters"
    if _BAD_ID_CHARS.search(value):
        return f"{what} contains NUL or control characters"
    return None


def printable_id(value: Any, limit: int = 80) -> str | None:
    """An id safe to show in a report line (control characters escaped), or None."""
    if value is None:
        return None
    text = value if isinstance(value, str) else repr(value)
    text = _BAD_ID_CHARS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
