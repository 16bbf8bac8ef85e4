"""The sitrep feed: one analyst's records, exported for another to import, losing nothing.

::

    {
      "sitrep_feed": 1,
      "id": "sitrep:alice:sitrep.json",
      "title": "sitrep export by alice",
      "generated_at": "2026-11-24T10:00:00Z",
      "generated_by": "alice",
      "since": null,
      "sources": [{...}], "settlements": [{...}], "claims": [{...}]
    }

Records have the store's own field names and shapes (``docs/DESIGN.md``), unknown fields
included, so an import into an empty DB reproduces them exactly. ``sitrep_feed.schema.json``
in this package is the JSON Schema; :func:`parse_native` checks the same rules by hand (fast,
no dependency) and rejects a record that breaks them with its reason, keeping the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from importlib import resources
from typing import Any, Protocol

import orjson

from sitrep.dates import normalize, utc_now_iso
from sitrep.errors import FeedError, InvalidValueError
from sitrep.feeds.base import (
    ParsedFeed,
    Rejection,
    check_depth,
    id_problem,
    load_json,
    printable_id,
)
from sitrep.models import CONTROLLERS, RELIABILITY_GRADES, STATUSES, Record, link_problems


class Records(Protocol):
    """What :func:`build_feed` reads: a Store, or any holder of the three lists (a report
    view, ``sitrep.reports.feed_export``)."""

    def claims(self) -> list[Record]: ...

    def sources(self) -> list[Record]: ...

    def settlements(self) -> list[Record]: ...

FORMAT_KEY = "sitrep_feed"
FORMAT_VERSION = 1
TABLE_ORDER = ("sources", "settlements", "claims")
_CANONICAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}Z)?)?)?$")


def is_native(doc: Any) -> bool:
    """True when ``doc`` declares itself a sitrep feed (any version)."""
    return isinstance(doc, dict) and FORMAT_KEY in doc


def schema() -> dict[str, Any]:
    """The JSON Schema of the sitrep feed shipped with the package."""
    text = resources.files("sitrep.feeds").joinpath("sitrep_feed.schema.json").read_bytes()
    return orjson.loads(text)


def parse_native(
    data: bytes | dict[str, Any],
    *,
    location: str | None = None,
    max_bytes: int | None = None,
) -> ParsedFeed:
    """Read a sitrep feed into source, settlement and claim records plus rejections.

    Raises FeedError when the document is not a sitrep feed this version can read.
    """
    doc = load_json(data, max_bytes=max_bytes) if not isinstance(data, dict) else data
    if not isinstance(doc, dict) or FORMAT_KEY not in doc:
        raise FeedError("not a sitrep feed: no top-level 'sitrep_feed' key")
    version = doc[FORMAT_KEY]
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise FeedError(
            f"unsupported sitrep feed version {printable_id(version)} (this sitrep reads 1)"
        )
    for table in TABLE_ORDER:
        if not isinstance(doc.get(table, []), list):
            raise FeedError(f"not a sitrep feed: '{table}' must be a list")
    check_depth(doc)  # records are stored as they come: keep them shallow enough to copy
    title = doc.get("title") if isinstance(doc.get("title"), str) else ""
    identity = doc.get("id") if isinstance(doc.get("id"), str) and doc.get("id") else ""
    identity = identity or title or location or "sitrep feed"
    parsed = ParsedFeed("sitrep", str(FORMAT_VERSION), identity, title or identity)
    checks: dict[str, Callable[[Record], None]] = {
        "sources": _check_source,
        "settlements": _check_settlement,
        "claims": _check_claim,
    }
    for table in TABLE_ORDER:
        seen: set[str] = set()
        kept: list[Record] = getattr(parsed, table)
        kept_at = parsed.indexes.setdefault(table, [])
        for index, record in enumerate(doc.get(table, [])):
            rid = record.get("id") if isinstance(record, dict) else None
            try:
                if not isinstance(record, dict):
                    raise InvalidValueError("a record must be an object")
                problem = id_problem(rid)
                if problem:
                    raise InvalidValueError(problem, field="id")
                if rid in seen:
                    raise InvalidValueError("duplicate id within the feed", field="id")
                checks[table](record)
            except InvalidValueError as exc:
                label = f"{table[:-1]} {printable_id(rid)}" if rid is not None else table[:-1]
                parsed.rejected.append(Rejection(printable_id(rid), f"{label}: {exc}", index,
                                                 table, getattr(exc, "field", None)))
                continue
            seen.add(record["id"])  # a string: id_problem said so
            kept.append(record)
            kept_at.append(index)
    return parsed


def build_feed(
    store: Records,
    *,
    analyst: str,
    since: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """A sitrep feed of ``store``'s records (those touched since ``since`` when given).

    With ``since`` (any date form ``sitrep.dates`` reads) a claim is included when it was
    reported or changed on or after that date; the sources and settlements those claims
    refer to come along so the feed is complete on its own.
    """
    cut = normalize(since) if since else None
    claims, sources, settlements = store.claims(), store.sources(), store.settlements()
    if cut is not None:  # only then: the wanted ids cost a pass over every claim
        claims = [c for c in claims if _touched_since(c, cut, "reported_at")]
        wanted_sources = {c.get("source") for c in claims} | {c.get("origin") for c in claims}
        wanted_places = {s for c in claims for s in _strings(c.get("settlements"))}
        sources = [s for s in sources if s.get("id") in wanted_sources or _touched_since(s, cut)]
        settlements = [s for s in settlements
                       if s.get("id") in wanted_places or _touched_since(s, cut)]
    name = getattr(getattr(store, "path", None), "name", "sitrep")
    return {
        FORMAT_KEY: FORMAT_VERSION,
        "id": f"sitrep:{analyst}:{name}",
        "title": f"sitrep export by {analyst}",
        "generated_at": utc_now_iso(now),
        "generated_by": analyst,
        "since": cut,
        "sources": sources,
        "settlements": settlements,
        "claims": claims,
    }


def dump_feed(doc: dict[str, Any]) -> bytes:
    """Serialise a feed as the DB itself is: indented, UTF-8 unescaped, trailing newline."""
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"


def _strings(value: Any) -> Iterable[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _touched_since(record: Record, cut: str, date_field: str | None = None) -> bool:
    if date_field and isinstance(record.get(date_field), str) and record[date_field] >= cut:
        return True
    history = record.get("history")
    return isinstance(history, list) and any(
        isinstance(h, dict) and isinstance(h.get("at"), str) and h["at"] >= cut for h in history
    )


def _shown(value: Any) -> str:
    """A bad value as the message shows it: short, control characters escaped."""
    if isinstance(value, dict | list):
        return f"a {type(value).__name__}"
    text = repr(value[:41] if isinstance(value, str) else value)
    return printable_id(text, 40) or ""


def _need_str(record: Record, key: str, *, required: bool = False) -> None:
    if key not in record:
        if required:
            raise InvalidValueError(f"missing '{key}'", field=key)
        return
    value = record[key]
    if not isinstance(value, str) or (required and not value.strip()):
        raise InvalidValueError(f"'{key}' must be a{' non-empty' if required else ''} string",
                                field=key)


def _need_str_list(record: Record, key: str) -> None:
    value = record.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidValueError(f"'{key}' must be a list of strings", field=key)


def _need_date(record: Record, key: str, *, nullable: bool = True, field: str = "") -> None:
    field = field or key
    value = record.get(key)
    if value is None and nullable:
        return
    if not isinstance(value, str):
        raise InvalidValueError(f"'{key}' must be a date string", field=field)
    if _CANONICAL_DATE.match(value):
        return
    try:
        normal = normalize(value)
    except InvalidValueError:
        raise InvalidValueError(f"unreadable date in '{key}': {value[:40]!r}",
                                field=field) from None
    raise InvalidValueError(f"'{key}' must be in sitrep's date form, e.g. {normal!r}",
                            field=field)


def _need_history(record: Record) -> None:
    history = record.get("history", [])
    if not isinstance(history, list) or not all(isinstance(h, dict) for h in history):
        raise InvalidValueError("'history' must be a list of objects", field="history")


def _check_source(record: Record) -> None:
    _need_str(record, "name", required=True)
    for key in ("role", "alignment", "url", "notes"):
        _need_str(record, key)
    _need_str_list(record, "aliases")
    if "reliability" in record and record["reliability"] not in RELIABILITY_GRADES:
        raise InvalidValueError(f"'reliability' must be a letter A-F, not"
                                f" {_shown(record['reliability'])}", field="reliability")
    _need_history(record)


def _check_settlement(record: Record) -> None:
    _need_str(record, "name", required=True)
    for key in ("region", "country", "notes"):
        _need_str(record, key)
    _need_str_list(record, "alt_names")
    for key in ("lat", "lon"):
        value = record.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise InvalidValueError(f"'{key}' must be a number", field=key)
    control = record.get("control", [])
    if not isinstance(control, list):
        raise InvalidValueError("'control' must be a list", field="control")
    for n, obs in enumerate(control):
        if not isinstance(obs, dict) or obs.get("controller") not in CONTROLLERS:
            raise InvalidValueError(
                f"each control observation needs a controller ({', '.join(CONTROLLERS)})",
                field=f"control[{n}].controller" if isinstance(obs, dict) else f"control[{n}]",
            )
        _need_date(obs, "as_of", nullable=False, field=f"control[{n}].as_of")
    _need_history(record)


def _check_claim(record: Record) -> None:
    _need_str(record, "text", required=True)
    for key in ("quote", "source", "via", "url", "notes"):
        _need_str(record, key)
    for key in ("settlements", "tags", "corroborates", "contradicts"):
        _need_str_list(record, key)
    for key in ("reported_at", "event_at"):
        _need_date(record, key)
    origin = record.get("origin")
    if origin is not None and not isinstance(origin, str):
        raise InvalidValueError("'origin' must be an id or null", field="origin")
    if "status" in record and record["status"] not in STATUSES:
        raise InvalidValueError(f"'status' {_shown(record['status'])} is not one of"
                                f" {', '.join(STATUSES)}", field="status")
    credibility = record.get("credibility", 6)
    if type(credibility) is not int or credibility not in (1, 2, 3, 4, 5, 6):
        raise InvalidValueError(f"'credibility' must be a digit 1-6, not {_shown(credibility)}",
                                field="credibility")
    if not isinstance(record.get("against_interest", False), bool):
        raise InvalidValueError("'against_interest' must be true or false",
                                field="against_interest")
    links = link_problems(record)  # urls, evidence, location: the store's own rule
    if links:
        raise InvalidValueError("; ".join(f"'{field}' {why}" for field, why in links),
                                field=links[0][0])
    _need_history(record)
