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

import re
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate
from operator import itemgetter
from typing import Any

from sitrep.models import STATUSES, Record
from sitrep.reports import fields
from sitrep.reports.encoding import printable_bytes
from sitrep.reports.view import View

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
# Every byte but those an unsafe character's UTF-8 can start with (as in
# :func:`sitrep.reports.encoding.printable_bytes`), and a carriage return.
_SAFE_BYTES_BUT_CR = bytes(b for b in range(256)
                           if not ((b <= 0x08 or 0x0b <= b <= 0x1f) and b != 0x0d
                                   or b in (0x7f, 0xc2, 0xe2, 0xef)))


def _joined(value: Any) -> str:
    if value.__class__ is list:  # the usual case: a list of non-empty strings, or none
        if not value:
            return ""
        try:
            joined = ";".join(value)
        except TypeError:  # an item that is not a string
            return _joined_items(fields.strings(value))
        if "" in value or "\\" in joined or joined.count(";") >= len(value):
            return _joined_items(fields.strings(value))
        return joined
    return _joined_items(fields.strings(value))


def _joined_items(items: list[str]) -> str:
    joined = ";".join(items)
    if "\\" in joined or joined.count(";") >= len(items):  # an item holds ; or \
        joined = ";".join(s.replace("\\", "\\\\").replace(";", "\\;") for s in items)
    return joined


def _num(value: float | None) -> float | str:
    return "" if value is None else value


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _cell(value: Any) -> str:
    """One cell as ``csv.writer`` (minimal quoting) writes it, a formula start prefixed."""
    if value.__class__ is str:
        if value[:1] in _FORMULA:
            value = "'" + value
        if "," in value or '"' in value or "\n" in value or "\r" in value:
            return _quoted(value)
        return value
    return "" if value is None else str(value)


def _line(cells: list[Any]) -> str:
    """A row as one CSV line (without its line end)."""
    return ",".join(map(_cell, cells))


def _claim_row(view: View) -> Callable[[Record], list[Any]]:
    """The row maker for claims, with the view's source and place names looked up once:
    the plain definition of each cell (:func:`_claim_lines` makes the same lines faster)."""
    text, precision, joined = fields.text, fields.precision, _joined
    places = {sid: text(s.get("name")) or sid for sid, s in view.settlement_by_id.items()}
    sources = {sid: (text(s.get("name")), fields.reliability(s) or "")
               for sid, s in view.source_by_id.items()}
    origins = view.origins

    def row(claim: Record) -> list[Any]:
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


_FIELD_NAMES = ("id", "source", "status", "credibility", "settlements", "text", "quote",
                "notes", "reported_at", "event_at", "via", "origin", "url", "tags",
                "corroborates", "contradicts", "against_interest")
_FIELDS = itemgetter(*_FIELD_NAMES)
# What, in a probe (each cell after a NUL), makes a line need the plain path: a character
# csv quotes, or a cell that begins like a formula.
_QUOTED = (",", '"', "\n", "\r")
_FORMULA_AFTER_NUL = re.compile("\x00[=+\\-@\t\r]")


def _claim_lines(view: View) -> list[str]:
    """Each claim as one CSV line: exactly ``_line(_claim_row(view)(claim))``, faster.

    Made for 100k claims. One pass over the records, so each dict is read once while it is
    in the cache (a pass per column costs more than the whole export). Each field's usual
    type is read inline, anything else through :mod:`sitrep.reports.fields` as the plain
    row does. The free texts (text, quote, notes) go through :func:`_cell`; the other cells
    that come from the data are put in a probe, and the probes of all rows are searched at
    once (a few C-speed finds); a row whose probe holds a comma, quote, line break or
    formula start (a comma in a name, an id that begins with ``-``) is made by the plain
    path. The cells sitrep makes itself (status, grade, numbers, precisions) need neither.
    """
    text, joined, cell = fields.text, _joined, _cell
    places = {sid: text(s.get("name")) or sid for sid, s in view.settlement_by_id.items()}
    sources = {sid: (text(s.get("name")), fields.reliability(s) or "")
               for sid, s in view.source_by_id.items()}
    origins = view.origins
    statuses = frozenset(STATUSES)
    precisions: dict[str, str] = {"": ""}
    lines: list[str] = []
    probes: list[str] = []
    add, add_probe = lines.append, probes.append
    for claim in view.claims:
        try:
            (cid, sid, status, cred, ids, body, quote, notes, reported, event, via, origin,
             url, tags, corroborates, contradicts, against) = _FIELDS(claim)
        except KeyError:  # a field left out by hand
            (cid, sid, status, cred, ids, body, quote, notes, reported, event, via, origin,
             url, tags, corroborates, contradicts, against) = map(claim.get, _FIELD_NAMES)
        if cid.__class__ is not str:
            cid = text(cid)
        if sid.__class__ is not str:
            sid = text(sid)
        name, letter = sources.get(sid, ("", ""))
        if status.__class__ is not str or status not in statuses:
            status = "unverified"
        if cred.__class__ is not int or not 1 <= cred <= 6:
            cred = ""
        if ids.__class__ is not list or not (
                len(ids) == 1 and ids[0].__class__ is str and ids[0]
                or all(i.__class__ is str and i for i in ids)):
            ids = fields.strings(ids)
        if ids:  # non-empty strings: _joined's work, inline
            settlements = ";".join(ids)
            if "\\" in settlements or settlements.count(";") >= len(ids):
                settlements = _joined_items(ids)
            named = [places.get(i, i) for i in ids]
            names = ";".join(named)
            if "\\" in names or names.count(";") >= len(named):
                names = _joined_items(named)
        else:
            settlements = names = ""
        if reported.__class__ is str:
            reported_precision = precisions.get(reported)
            if reported_precision is None:
                reported_precision = precisions[reported] = fields.precision(reported)
        else:
            reported_precision, reported = fields.precision(reported), text(reported)
        if event.__class__ is str:
            event_precision = precisions.get(event)
            if event_precision is None:
                event_precision = precisions[event] = fields.precision(event)
        else:
            event_precision, event = fields.precision(event), text(event)
        if via.__class__ is not str:
            via = text(via)
        if origin.__class__ is not str:  # usually None: text's answer without the call
            origin = "" if origin is None else text(origin)
        if url.__class__ is not str:
            url = text(url)
        if tags.__class__ is list and len(tags) == 1 and tags[0].__class__ is str and tags[0]:
            tags = tags[0]  # one tag, the usual case: _joined escapes only a ; or \ in it
            if ";" in tags or "\\" in tags:
                tags = _joined_items([tags])
        else:
            tags = "" if tags == [] else joined(tags)
        corroborates = "" if corroborates == [] else joined(corroborates)
        contradicts = "" if contradicts == [] else joined(contradicts)
        urls = joined(claim["urls"]) if "urls" in claim else ""
        evidence = _evidence(claim) if "evidence" in claim else ""
        lat: float | str
        lon: float | str
        if "location" in claim and (place := fields.location(claim)) is not None:
            lat, lon, metres = place[0], place[1], _num(place[2])
        else:
            lat = lon = metres = ""
        count = origins.get(cid, "") if origins else ""
        if not isinstance(count, int):
            count = ""
        if body.__class__ is not str:
            body = text(body)
        if body[:1] in _FORMULA:  # _cell, inline for the longest cell
            body = "'" + body
        if "," in body or '"' in body or "\n" in body or "\r" in body:
            body = '"' + body.replace('"', '""') + '"'
        if quote.__class__ is not str:
            quote = text(quote)
        if quote:  # usually empty, its own cell
            quote = cell(quote)
        if notes.__class__ is not str:
            notes = text(notes)
        if notes[:1] in _FORMULA:  # _cell, inline
            notes = "'" + notes
        if "," in notes or '"' in notes or "\n" in notes or "\r" in notes:
            notes = '"' + notes.replace('"', '""') + '"'
        add_probe(f"\x00{cid}\x00{sid}\x00{name}\x00{reported}\x00{event}\x00{settlements}"
                  f"\x00{names}\x00{via}\x00{origin}\x00{tags}\x00{corroborates}"
                  f"\x00{contradicts}\x00{url}\x00{urls}\x00{evidence}")
        add(f"{cid},{status},{letter or '?'}{cred or '?'},{sid},{name},{letter},{cred},"
            f"{body},{quote},{reported},{reported_precision},{event},{event_precision},"
            f"{settlements},{names},{via},{origin},{'true' if against is True else 'false'},"
            f"{tags},{corroborates},{contradicts},{count},{lat},{lon},{metres},{url},{urls},"
            f"{evidence},{notes}")
    flagged = _flagged(probes)
    if flagged:
        row = _claim_row(view)
        for n in flagged:
            lines[n] = _line(row(view.claims[n]))
    return lines


def _flagged(probes: list[str]) -> list[int]:
    """The positions of the probes that hold a character csv quotes, or a cell (after its
    NUL) that begins like a formula."""
    text = "".join(probes)
    starts: list[int] = []
    found: set[int] = set()

    def probe_at(at: int) -> int:
        if not starts:
            starts.extend([0, *accumulate(map(len, probes))])
        n = bisect_right(starts, at) - 1
        found.add(n)
        return starts[n + 1]  # the next probe: one find per flagged probe

    for needle in _QUOTED:  # one character each: the fastest finds
        at = text.find(needle)
        while at >= 0:
            at = text.find(needle, probe_at(at))
    # Two-character finds ("\x00=") are ten times slower than one regex over the text, and
    # the regex only runs when one of the characters is in the text at all.
    if any(map(text.__contains__, FORMULA_START)):
        match = _FORMULA_AFTER_NUL.search(text)
        while match:
            match = _FORMULA_AFTER_NUL.search(text, probe_at(match.start()))
    return sorted(found)


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


ROWS: dict[str, Callable[[View, Record], list[Any]]] = {
    "settlements": _settlement_row, "sources": _source_row,
}




def export_csv(view: View, table: str = "claims") -> bytes:
    """The view's ``table`` (claims, settlements or sources) as CSV bytes."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r} (choose from {', '.join(TABLES)})")
    if table == "claims":
        lines = _claim_lines(view)
    else:
        records = view.settlements if table == "settlements" else view.sources
        lines = [_line(ROWS[table](view, r)) for r in records]
    header = ",".join(COLUMNS[table])
    # Each line encoded on its own: most are ASCII (a copy), where one joined text holding a
    # single Cyrillic letter would be transcoded whole.
    data = b"\r\n".join([header.encode(), *map(str.encode, lines), b""])
    # One C pass says whether anything needs escaping (the usual answer: no), with a \r
    # allowed; the \r are then only the line ends when there are as many as lines.
    if not data.translate(None, _SAFE_BYTES_BUT_CR) and data.count(b"\r") == len(lines) + 1:
        return data
    # "\n" while joining: the escaping runs once over the whole text, and would turn the \r
    # of a CRLF into a visible escape; line ends become CRLF at the end.
    text = "\n".join([header, *lines, ""])
    return printable_bytes(text.encode("utf-8")).replace(b"\n", b"\r\n")


def summary(view: View, table: str = "claims") -> str:
    """One line saying what the export holds."""
    n = {"claims": len(view.claims), "settlements": len(view.settlements),
         "sources": len(view.sources)}[table]
    return f"{n} {table} as CSV ({len(COLUMNS[table])} columns)"
