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

import io
import re
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate, groupby
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


_FIELDS = itemgetter("id", "source", "status", "credibility", "text", "quote", "reported_at",
                     "event_at", "settlements", "via", "origin", "against_interest", "tags",
                     "corroborates", "contradicts", "url", "notes")
_FORMULA_AFTER_NUL = re.compile("\x00[=+\\-@\t\r]")
_UNPLAIN = re.compile('[;\\\\,"\n\r]')  # what _joined escapes in an item, or csv quotes
# A time as sitrep writes it (fields.precision says "time" when its day exists, too).
# Times as sitrep writes them, each followed by a newline: what fields.precision reads as a
# "time" (a day of the proleptic Gregorian calendar from year 1, an hour, minute and second).
_DAY = (r"(?:(?!0000)[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
        r"|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
        r"|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
        r"-02-29)")
_TIMES = re.compile(rf"(?:{_DAY}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z\n)*")


class _Cells(dict[Any, str]):
    """Cells made on first sight of a value, for one export: ``make(value)`` is what the plain
    row writes for it. A value is kept only when ``kept(value)`` (without ``kept``: a string
    or None), as values of other types can be equal and write differently (``True == 1``,
    ``1.0 == 1``).
    """

    __slots__ = ("make", "kept")

    def __init__(self, make: Callable[[Any], str],
                 kept: Callable[[Any], bool] | None = None) -> None:
        super().__init__()
        self.make, self.kept = make, kept

    def __missing__(self, key: Any) -> str:
        value = self.make(key)
        if (key is None or key.__class__ is str) if self.kept is None else self.kept(key):
            self[key] = value
        return value


def _strings_only(items: tuple[Any, ...]) -> bool:
    return all(i.__class__ is str for i in items)


def _plain_item(value: Any) -> bool:
    """Whether ``value`` is written as it stands, as a cell and as an item of a list cell."""
    return (value.__class__ is str and value != "" and value[:1] not in _FORMULA
            and not _UNPLAIN.search(value))


def _holds(claim: Record, dates: set[str]) -> bool:
    """Whether the claim's reported or event date is one of ``dates``."""
    return any(value.__class__ is str and value in dates
               for value in (claim.get("reported_at"), claim.get("event_at")))


def _claim_lines(view: View) -> list[str]:
    """Each claim as one CSV line: exactly ``_line(_claim_row(view)(claim))``, faster.

    Made for 100k claims. One pass over the records, so each dict is read once while it is
    in the cache (a pass per column costs more than the whole export). A field whose values
    repeat (source, status and credibility; dates; places; tags; via, quote, notes) is
    looked up in a :class:`_Cells` of the cells the plain row makes for each value, each with
    the comma after it, so each distinct value is made, quoted and escaped once. The claim
    text is made inline. The id and url, nearly unique, go in a probe (made while they are
    in the cache), and the probes of all rows are searched at once (a few C-speed finds) for
    a character csv quotes or a formula start; times are written as they stand and checked
    at once by one regex. A claim whose fields are not of their usual types, or whose probe
    or time is flagged, is made by the plain row.
    """
    text, cell, joined = fields.text, _cell, _joined
    mark, marks = '"', '""'  # a quote in a quoted cell is doubled
    places = {sid: text(s.get("name")) or sid for sid, s in view.settlement_by_id.items()}
    sources = {sid: (text(s.get("name")), fields.reliability(s) or "")
               for sid, s in view.source_by_id.items()}
    origins = view.origins
    def sourced(sid: Any) -> str:  # the source, source_name and reliability cells
        name, letter = sources.get(text(sid), ("", ""))
        return f"{cell(text(sid))},{cell(name)},{letter}"

    def graded(key: tuple[Any, Any, int]) -> str:  # status to credibility, the comma after
        sid, status, cred = key
        letter = sources.get(text(sid), ("", ""))[1]
        status = status if status.__class__ is str and status in STATUSES else "unverified"
        if not 1 <= cred <= 6:
            return f"{status},{letter or '?'}?,{by_source[sid]},,"
        return f"{status},{letter or '?'}{cred},{by_source[sid]},{cred},"

    def placed(ids: Any) -> str:
        ids = fields.strings(list(ids))
        return f"{cell(joined(ids))},{cell(joined([places.get(i, i) for i in ids]))},"

    # Places whose id and name are list items and cells as they stand.
    plain_places = {sid: name for sid, name in places.items()
                    if _plain_item(sid) and _plain_item(name)}
    # (source, status, credibility): the credibility is an int (a bool is read plainly)
    by_source = _Cells(sourced)
    grades = _Cells(graded, lambda key: key[0].__class__ is str and key[1].__class__ is str)
    # A date and its precision. A time (nearly one per claim) is written as it stands, not
    # kept, and checked with the others at once after the pass.
    dates = _Cells(lambda value: f"{cell(text(value))},{fields.precision(value)},")
    times: list[str] = []
    dated, timed = dates.get, times.append
    texts = _Cells(lambda value: cell(text(value)) + ",")
    notes_cells = _Cells(lambda value: cell(text(value)))
    one_place = _Cells(lambda value: placed((value,)))
    many_places = _Cells(placed, _strings_only)
    listed = _Cells(lambda items: cell(joined(list(items))), _strings_only)
    lines: list[str] = []
    probes: list[str] = [""]  # each claim's id and url, after a NUL, when joined
    slow: list[int] = []
    add, add_probe = lines.append, probes.append
    for claim in view.claims:
        try:
            (cid, sid, status, cred, body, quote, reported, event, ids, via, origin, against,
             tags, corroborates, contradicts, url, notes) = _FIELDS(claim)
            if (cid.__class__ is not str or url.__class__ is not str
                    or cred.__class__ is not int or body.__class__ is not str
                    or ids.__class__ is not list or tags.__class__ is not list
                    or corroborates.__class__ is not list or contradicts.__class__ is not list):
                raise TypeError  # the plain row reads it
            if body[:1] in _FORMULA:  # _cell, inline for the longest cell
                body = "'" + body
            if "," in body or '"' in body or "\n" in body or "\r" in body:
                body = f'"{body.replace(mark, marks)}"'
            if len(ids) == 1:
                settlements = one_place[ids[0]]
            else:  # nearly unique lists of places: joined as they stand, when they can be
                try:
                    settlements = f"{';'.join(ids)},{';'.join(map(plain_places.__getitem__, ids))},"
                except KeyError:
                    settlements = many_places[tuple(ids)]
            # the reported and event dates written out twice, not by a helper: a call per
            # date costs ~10% of the export at 100k
            if (reported_cells := dated(reported)) is None:
                if reported.__class__ is str and len(reported) == 20 and reported[10] == "T":
                    reported_cells = reported + ",time,"
                    timed(reported)
                else:
                    reported_cells = dates[reported]
            if (event_cells := dated(event)) is None:
                if event.__class__ is str and len(event) == 20 and event[10] == "T":
                    event_cells = event + ",time,"
                    timed(event)
                else:
                    event_cells = dates[event]
            located = ",,,,"
            if origins:
                count = origins.get(cid)
                located = f"{count if isinstance(count, int) else ''},,,,"
            if "location" in claim and (place := fields.location(claim)) is not None:
                located = (f"{located[:-4]},{place[0]},{place[1]},"
                           f"{'' if place[2] is None else place[2]},")
            links = ",,"
            if "urls" in claim or "evidence" in claim:
                links = (f"{cell(joined(claim['urls'])) if 'urls' in claim else ''},"
                         f"{cell(_evidence(claim)) if 'evidence' in claim else ''},")
            # Under 30 pieces, so CPython builds the line at once (more go through a list).
            add(f"{cid},{grades[sid, status, cred]}{body},{texts[quote]}{reported_cells}"
                f"{event_cells}{settlements}{texts[via]}"
                f"{',' if origin is None else texts[origin]}"  # usually None
                f"{'true,' if against is True else 'false,'}"
                f"{listed[tuple(tags)] if tags else ''},"
                f"{cell(joined(corroborates)) if corroborates else ''},"  # nearly unique
                f"{cell(joined(contradicts)) if contradicts else ''},"
                f"{located}{url},{links}{notes_cells[notes]}")
            add_probe(f"{cid}\x00{url}")
        except (KeyError, TypeError):  # a field left out, or not of its usual type
            slow.append(len(lines))
            add("")
            add_probe("")
    slow.extend(_flagged(probes))
    if times and not _TIMES.fullmatch("\n".join([*times, ""])):
        # A date of the length of a time that is not one as it stands: its claims plainly.
        wrong = {t for t in times if fields.precision(t) != "time" or cell(t) != t}
        slow.extend(n for n, claim in enumerate(view.claims) if _holds(claim, wrong))
    if slow:
        row = _claim_row(view)
        for n in slow:
            lines[n] = _line(row(view.claims[n]))
    return lines


def _flagged(probes: list[str]) -> list[int]:
    """The positions (from 0, after the leading "") of the probes that hold a character csv
    quotes, or a cell (after a NUL) that begins like a formula."""
    found: set[int] = set()
    text = "\x00".join(probes)
    starts: list[int] = []

    def probe_at(at: int) -> int:
        if not starts:
            starts.extend(accumulate((len(p) + 1 for p in probes), initial=-1))
        n = bisect_right(starts, at) - 1
        found.add(n - 1)
        return starts[n + 1] if n + 1 < len(starts) else len(text)  # the next probe

    for needle in (",", '"', "\n", "\r"):  # one character each: the fastest finds
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




def _encoded(header: str, lines: list[str]) -> bytes:
    """The header and lines in UTF-8, each ended by CRLF. Each run of ASCII lines is joined
    and encoded at once (a copy); a line with another character is encoded on its own, as
    one text holding a single Cyrillic letter would be transcoded whole. Written to one
    growing buffer, so the pieces of 40 MB are never held beside the whole (at 100k claims a
    fresh page costs more than the copy)."""
    out = io.BytesIO()
    write = out.write
    write(header.encode())
    write(b"\r\n")
    for ascii_only, run in groupby(lines, str.isascii):
        if ascii_only:
            write("\r\n".join(run).encode())
            write(b"\r\n")
        else:
            for line in run:
                write(line.encode())
                write(b"\r\n")
    return out.getvalue()


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
    data = _encoded(header, lines)
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
