"""Everything the CLI prints goes through here: lines, tables, records and JSON, made safe.

Data reaches the terminal only through this module, so a claim text, a feed title or a path
holding ANSI/OSC escapes, C1 controls (U+009B acts as an escape) or bidi overrides (U+202E) is
shown with those characters made visible, never interpreted: :func:`line` for a person,
:func:`print_json` and :func:`print_json_bytes` for a script (escaped inside the JSON
strings, so any JSON reader decodes the same text), :func:`error` for the one line of a
failure. ``tests/core/test_hygiene.py`` checks that no other CLI module prints.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import orjson

from sitrep.errors import SitrepError, WriteError
from sitrep.models import (
    Record,
    current_control,
    describe_change,
    describe_control,
    describe_evidence,
    describe_location,
    open_conflicts,
)
from sitrep.text import printable, shorten
from sitrep.user_files import write_new_file

_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")



class Lookups(Protocol):
    """What the tables and records look up beside the records printed: a Store, or a
    :class:`sitrep.cli.view.RecordView` (the records as of a date)."""

    def source(self, source_id: str) -> Record | None:
        """A source by id."""
        ...

    def claims_for_settlement(self, settlement_id: str) -> list[Record]:
        """The claims naming a settlement."""
        ...

    def claims_for_source(self, source_id: str) -> list[Record]:
        """The claims a source made."""
        ...


def to_safe_json(value: Any) -> str:
    """``value`` as indented JSON that is safe on a terminal.

    orjson escapes C0 controls but writes C1 controls (U+009B acts as an escape), DEL, bidi
    overrides and line separators raw; inside JSON strings they become ``\\uXXXX`` here, which
    any JSON reader decodes back to the same text.
    """
    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
    except TypeError as exc:  # nesting deeper than orjson writes, or an out-of-range number
        raise SitrepError(f"cannot print this record as JSON: {exc}") from None
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def print_json(value: Any) -> None:
    """Print ``value`` as indented JSON (UTF-8, field names as in the file)."""
    sys.stdout.write(to_safe_json(value) + "\n")


def print_json_bytes(data: bytes) -> None:
    """Print a serialised JSON document (UTF-8 bytes) with its unsafe characters escaped."""
    text = data.decode("utf-8")
    sys.stdout.write(_UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text))
    sys.stdout.flush()


def print_bytes(data: bytes) -> None:
    """Write an export made by ``sitrep.reports`` (which escapes the data in its own syntax:
    a CSV, a report, a KML file) to standard output as it is."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stdout (a test's capture, an embedding program)
        sys.stdout.write(data.decode("utf-8"))
        return
    sys.stdout.flush()
    buffer.write(data)
    sys.stdout.flush()


def line(text: object = "", *, err: bool = False) -> None:
    """Print one line for a person, every character made safe: on standard output, or with
    ``err`` on standard error (counts, hints, the demo's path)."""
    print(printable(text), file=sys.stderr if err else sys.stdout)


def error(text: object) -> None:
    """Print a failure as the one line ``sitrep: ...`` on standard error, made safe."""
    print(f"sitrep: {printable(text)}", file=sys.stderr)


def reader_gone() -> None:
    """The reader went away (e.g. ``| head``): point stdout at devnull to exit quietly."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def write_file(path: Path, data: bytes) -> None:
    """Write a file the user named (``export --out``, ``demo --db``) atomically (a temp file
    in the same folder, fsync, rename over); WriteError when the disk refuses."""
    try:
        write_new_file(path, data)
    except OSError as exc:
        raise WriteError(f"{path}: cannot write: {exc.strerror or exc}") from None


def _width() -> int:
    return max(60, shutil.get_terminal_size((120, 24)).columns)


def _rows(headers: list[str], rows: list[list[str]], flex: int) -> None:
    """Print aligned columns; column ``flex`` takes what is left of the terminal width."""
    cells = [[printable(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            if i != flex:
                widths[i] = max(widths[i], len(cell))
    fixed = sum(w for i, w in enumerate(widths) if i != flex) + 2 * (len(headers) - 1)
    widths[flex] = max(20, _width() - fixed)
    head = "  ".join(h.ljust(widths[i]) for i, h in enumerate(headers))
    print(head.rstrip())
    for row in cells:
        print("  ".join(shorten(c, widths[i]).ljust(widths[i]) for i, c in enumerate(row))
              .rstrip())


def _join(value: Any) -> str:
    """A list of ids as ``a,b``; anything else a person put there, shown as it is."""
    if isinstance(value, list):
        return ",".join(v if isinstance(v, str) else _brief(v) for v in value)
    return "" if value is None else _brief(value)


def _brief(value: Any, width: int = 200) -> str:
    """Any JSON value as one safe line of at most ``width`` characters."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, dict | list):
        try:
            text = orjson.dumps(value).decode()
        except TypeError:
            text = "<nested too deeply to show>"
    else:
        text = str(value)
    return shorten(printable(text), width)


def _text(record: Record, field: str) -> str:
    value = record.get(field)
    return value if isinstance(value, str) else _brief(value) if value is not None else ""


def print_table(kind: str, records: list[Record], store: Lookups) -> None:
    """Print claims, settlements or sources as a table."""
    if kind == "claims":
        rows = []
        for c in records:
            source_id = c.get("source")
            source = (store.source(source_id) if isinstance(source_id, str) else None) or {}
            grade = _brief(source.get("reliability", "?"), 2) + _brief(c.get("credibility", "?"), 2)
            rows.append([_text(c, "id"), _text(c, "reported_at"), _text(c, "status"), grade,
                         _text(c, "source"), _join(c.get("settlements")), _text(c, "text")])
        _rows(["ID", "REPORTED", "STATUS", "GRADE", "SOURCE", "SETTLEMENTS", "TEXT"], rows, 6)
    elif kind == "settlements":
        rows = []
        for s in records:
            obs = current_control(s) if isinstance(s.get("control"), list) else None
            obs = obs or {}
            sid = s.get("id")
            claims = store.claims_for_settlement(sid) if isinstance(sid, str) else []
            unverified = sum(1 for c in claims if c.get("status") == "unverified")
            control = f"{_brief(obs.get('controller', '-'))} {_brief(obs.get('as_of', ''))}"
            rows.append([_text(s, "id"), _text(s, "name"), _text(s, "region"), control.strip(),
                         str(len(claims)), str(unverified)])
        _rows(["ID", "NAME", "REGION", "CONTROL", "CLAIMS", "UNVERIFIED"], rows, 1)
    else:
        rows = []
        for s in records:
            sid = s.get("id")
            count = len(store.claims_for_source(sid)) if isinstance(sid, str) else 0
            role = _text(s, "role")
            rows.append([_text(s, "id"), _text(s, "reliability"), _text(s, "alignment"),
                         str(count), _text(s, "name") + (f" ({role})" if role else "")])
        _rows(["ID", "GRADE", "ALIGNMENT", "CLAIMS", "NAME"], rows, 4)
    print(f"{len(records)} {kind}", file=sys.stderr)


def _links(key: str, value: Any) -> list[str]:
    """A claim's ``urls`` (one a line), ``evidence`` (``kind url — note`` a line) or
    ``location`` (``lat, lon (±precision m)``), as raw text for :func:`_brief`."""
    if key == "location":
        return [describe_location(value) if value is not None else "-"]
    items = value if isinstance(value, list) else [value]
    lines = [describe_evidence(v) if key == "evidence" else v if isinstance(v, str) else _brief(v)
             for v in items]
    return lines or ["-"]


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_brief(v) for v in value) if value else "-"
    if value is None or value == "":
        return "-"
    return _brief(value, 10_000)


def print_record(table: str, record: Record, store: Lookups,
                 derived: Sequence[tuple[str, str]] = ()) -> None:
    """Print one record field by field, then what was ``derived`` from it (label, line: the
    analysis), then its control observations and history."""
    print(f"{table.rstrip('s')} {_brief(record.get('id'))}")
    for key, value in record.items():
        if key in ("id", "history", "control"):
            continue
        if table == "claims" and key in ("urls", "evidence", "location"):
            for n, text in enumerate(_links(key, value)):
                print(f"  {_brief(key, 40) if n == 0 else '':<17} {_brief(text, 10_000)}")
            continue
        print(f"  {_brief(key, 40):<17} {_value(value)}")
    source_id = record.get("source")
    if table == "claims" and isinstance(source_id, str):
        source = store.source(source_id)
        if source:
            print(f"  {'source is':<17} {_brief(source.get('name'))}, "
                  f"{_brief(source.get('role'))} (reliability {_brief(source.get('reliability'))})")
    for label, text in derived:
        print(f"  {_brief(label, 40):<17} {_brief(text, 10_000)}")
    control = record.get("control")
    for obs in control if isinstance(control, list) else []:
        if isinstance(obs, dict):
            why = f" — {_brief(obs['note'], 10_000)}" if obs.get("note") else ""
            print(f"  control           {_brief(describe_control(obs), 10_000)}{why}")
    history = record.get("history")
    open_ones = [id(e) for e in open_conflicts(record)]
    if open_ones:
        print(f"  {'conflicts':<17} {len(open_ones)} open (in the history below)")
    if isinstance(history, list) and history:
        print("  history")
    for h in history if isinstance(history, list) else []:
        if not isinstance(h, dict):
            continue
        change = describe_change(h)
        if h.get("field") == "conflict" and id(h) in open_ones:
            pick = "" if h.get("conflict") in ("record", "id") else " VALUE"
            change += f" — open: sitrep resolve {record.get('id')} {h.get('conflict')}{pick}"
        print(f"    {_brief(h.get('at'))}  {_brief(h.get('by'))}  {_brief(change, 10_000)}")
