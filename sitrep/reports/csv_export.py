"""CSV (RFC 4180: comma, double quotes, CRLF, a header row), UTF-8 without a BOM.

One table per export, one row per record, fixed columns (:data:`COLUMNS`). Lists are joined
with ``;`` (a ``;`` or ``\\`` inside an item is written ``\\;`` or ``\\\\``); a claim's
``evidence`` cell lists each piece as ``kind url note`` (the note may hold spaces). Dates keep
their stored form, and a ``*_precision`` column says what the form means. Numbers are written as
numbers; a value that is not a number where one belongs is left empty.

Safe to open in a spreadsheet: a cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with ``'`` so it shows as text and is never run as a formula.
Control characters, ANSI/OSC escapes and bidi overrides are written as visible escapes
(``\\x1b``, ``\\u202e``), as everywhere sitrep shows data; newlines inside a cell are kept.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from sitrep.models import STATUSES, Record
from sitrep.reports import fields
from sitrep.reports.view import View
from sitrep.text import printable

TABLES = ("claims", "settlements", "sources")
COLUMNS: dict[str, tuple[str, ...]] = {
    "claims": (
        "id", "status", "grade", "source", "source_name", "reliability", "credibility",
        "text", "quote", "reported_at", "reported_precision", "event_at", "event_precision",
        "settlements", "settlement_names", "via", "origin", "against_interest", "tags",
        "corroborates", "contradicts", "independent_origins", "lat", "lon", "precision_m",
        "url", "urls", "evidence", "notes",
    ),
    "settlements": (
        "id", "name", "alt_names", "region", "country", "lat", "lon", "control",
        "control_as_of", "control_since", "control_claim", "observations", "claims",
        *STATUSES, "notes",
    ),
    "sources": (
        "id", "name", "aliases", "role", "alignment", "reliability", "url", "claims",
        *STATUSES, "notes",
    ),
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA = frozenset(FORMULA_START)


def _joined(value: Any) -> str:
    items = fields.strings(value)
    joined = ";".join(items)
    if "\\" in joined or joined.count(";") >= len(items):  # an item holds ; or \
        joined = ";".join(s.replace("\\", "\\\\").replace(";", "\\;") for s in items)
    return joined


def _num(value: float | None) -> float | str:
    return "" if value is None else value


def _claim_rows(view: View) -> Callable[[View, Record], list[Any]]:
    """The row maker for claims, with the view's source and place names looked up once."""
    text, precision, joined = fields.text, fields.precision, _joined
    places = {sid: text(s.get("name")) or sid for sid, s in view.settlement_by_id.items()}
    sources = {sid: (text(s.get("name")), fields.reliability(s) or "")
               for sid, s in view.source_by_id.items()}
    origins = view.origins

    def row(view: View, claim: Record) -> list[Any]:
        get = claim.get
        sid = text(get("source"))
        name, letter = sources.get(sid, ("", ""))
        cred = fields.credibility(claim)
        ids = fields.strings(get("settlements"))
        place = fields.location(claim) if "location" in claim else None
        count = origins.get(text(get("id"))) if origins else None
        reported, event = get("reported_at"), get("event_at")
        return [
            text(get("id")), fields.status(claim),
            f"{letter or '?'}{'?' if cred is None else cred}", sid, name, letter,
            "" if cred is None else cred, text(get("text")), text(get("quote")),
            text(reported), precision(reported), text(event), precision(event), joined(ids),
            joined([places.get(i, i) for i in ids]), text(get("via")), text(get("origin")),
            "true" if get("against_interest") is True else "false", joined(get("tags")),
            joined(get("corroborates")), joined(get("contradicts")),
            count if isinstance(count, int) else "",
            *((place[0], place[1], _num(place[2])) if place else ("", "", "")),
            text(get("url")), joined(get("urls")) if "urls" in claim else "",
            _evidence(claim) if "evidence" in claim else "", text(get("notes")),
        ]

    return row


def _evidence(claim: Record) -> str:
    """The evidence cell: one ``kind url note`` item per piece (the note may be empty)."""
    return _joined([" ".join(p for p in (kind, url, note) if p)
                    for url, kind, note in fields.evidence(claim)])


def _settlement_row(view: View, settlement: Record) -> list[Any]:
    get, text = settlement.get, fields.text
    point = fields.coordinates(settlement)
    current, since = fields.control_since(settlement)
    counts = fields.counts_by_status(view.claims_by_settlement.get(text(get("id")), []))
    return [
        text(get("id")), text(get("name")), _joined(get("alt_names")), text(get("region")),
        text(get("country")), _num(point[0] if point else None),
        _num(point[1] if point else None), fields.controller(current) if current else "",
        fields.date(current.get("as_of")) or "" if current else "", since or "",
        text(current.get("claim")) if current else "", len(fields.observations(settlement)),
        sum(counts.values()), *counts.values(), text(get("notes")),
    ]


def _source_row(view: View, source: Record) -> list[Any]:
    get, text = source.get, fields.text
    counts = fields.counts_by_status(view.claims_by_source.get(text(get("id")), []))
    return [
        text(get("id")), text(get("name")), _joined(get("aliases")), text(get("role")),
        text(get("alignment")), fields.reliability(source) or "", text(get("url")),
        sum(counts.values()), *counts.values(), text(get("notes")),
    ]


ROWS: dict[str, Callable[[View], Callable[[View, Record], list[Any]]]] = {
    "claims": _claim_rows, "settlements": lambda view: _settlement_row,
    "sources": lambda view: _source_row,
}




def export_csv(view: View, table: str = "claims") -> bytes:
    """The view's ``table`` (claims, settlements or sources) as CSV bytes."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r} (choose from {', '.join(TABLES)})")
    row_of = ROWS[table](view)
    buffer = io.StringIO()
    # "\n" while writing: the escaping below runs once over the whole text, and would turn
    # the \r of a CRLF into a visible escape; line ends become CRLF at the end.
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS[table])
    records = {"claims": view.claims, "settlements": view.settlements,
               "sources": view.sources}[table]
    writer.writerows([("'" + v) if v.__class__ is str and v[:1] in _FORMULA else v
                      for v in row_of(view, r)] for r in records)
    text = printable(buffer.getvalue(), one_line=False)
    return text.replace("\n", "\r\n").encode("utf-8")


def summary(view: View, table: str = "claims") -> str:
    """One line saying what the export holds."""
    n = {"claims": len(view.claims), "settlements": len(view.settlements),
         "sources": len(view.sources)}[table]
    return f"{n} {table} as CSV ({len(COLUMNS[table])} columns)"
