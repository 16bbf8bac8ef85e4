"""Reading a big DB file in pieces, so its bytes, its parse tree and its records never all live
at once.

``orjson.loads`` of the whole 105 MB file (100k claims) holds the bytes (105 MB), orjson's own
parse tree (~170 MB) and the Python records (~280 MB) at the same moment: a 570 MB peak for
280 MB of data. The claims table of a file sitrep wrote has one record per 4-space-indented
``"key": {`` line, so it is read a few MB at a time and parsed record group by record group;
the peak is then the records plus one piece.

Only a file in the layout sitrep writes (indent 2, the claims table as a top-level object) takes
this path, and only when every piece parses: a piece cut anywhere but between two records of
the claims table is not a JSON object and fails to parse, and the text before and after the
table must close the top-level object by itself. Anything else — a hand-formatted file, a
duplicate top-level key, invalid JSON — returns None, and the caller reads the file whole as
before (with the same errors, line and column).

A doc key used twice in a table (a record pasted by hand under a key already in use) would hide
a record, so every group of records is counted as well: in this layout each non-empty record
opens with ``: {`` and a 6-space-indented key, and the count must equal the records parsed (a
C-speed count, ~45 ms at 100k claims). A mismatch sends the file to the whole read, which finds
the duplicate and names its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from sitrep.store.document import Document, check_document
from sitrep.store.files import FileStamp, file_stamp, settled

PIECE = 1 << 20  # parsed pieces this small stay in the CPU cache: faster than one loads()
TABLE = b'\n  "claims": {\n'
RECORD = b'\n    "'
RECORD_OPENS = b': {\n      "'  # a non-empty record of a table, in this layout
TABLE_END = b"\n    }\n  }"
_HEAD_LIMIT = 64 << 20
_MARK = "\x00sitrep"  # written as \\u0000sitrep in the JSON text


def read_document_chunked(path: Path) -> tuple[Document, FileStamp | None] | None:
    """The document and its stamp, or None when the file must be read whole."""
    before = file_stamp(path)
    if before is None:
        return None
    try:
        with open(path, "rb") as handle:
            doc = _parse(handle)
    except (OSError, orjson.JSONDecodeError, _NotOurLayout):
        return None
    if doc is None or not isinstance(doc, dict):
        return None
    try:
        checked = check_document(doc, path)
    except Exception:  # noqa: BLE001 - the whole-file read gives the error with its wording
        return None
    return checked, settled(before, file_stamp(path))


class _NotOurLayout(Exception):
    pass


def _parse(handle: Any) -> dict[str, Any] | None:
    buf = bytearray()
    while (at := buf.find(TABLE)) < 0:
        block = handle.read(PIECE)
        if not block or len(buf) > _HEAD_LIMIT:
            return None
        buf += block
    head = orjson.loads(bytes(buf[:at]) + b'\n  "claims": null\n}')
    if not isinstance(head, dict) or next(reversed(head), None) != "claims":
        return None  # "claims" twice at the top level, or the match was not at the top level
    _check_count(buf[:at], head.values())
    del buf[: at + len(TABLE) - 1]  # keep the newline: every record starts with RECORD
    claims: dict[str, Any] = {}
    searched = 0  # TABLE_END is not in buf[:searched]
    while (end := buf.find(TABLE_END, searched)) < 0:
        searched = max(0, len(buf) - len(TABLE_END))
        cut = buf.rfind(RECORD)
        if cut > 0:
            _add_records(claims, buf[:cut])
            del buf[:cut]
            searched = max(0, searched - cut)
        block = handle.read(PIECE)
        if not block:
            return None
        buf += block
    last = buf[: end + len(b"\n    }")]
    last += b","
    _add_records(claims, last)
    del buf[: end + len(TABLE_END)]
    buf += handle.read()
    tail = orjson.loads(b'{"claims": {"\\u0000sitrep": 0}' + bytes(buf))
    if not isinstance(tail, dict) or tail.get("claims") != {_MARK: 0}:
        return None
    del tail["claims"]
    _check_count(buf, tail.values())
    if any(key in head for key in tail):
        return None  # a duplicate top-level key: let orjson decide, as always
    head["claims"] = claims
    head.update(tail)
    return head


def _add_records(claims: dict[str, Any], piece: bytearray) -> None:
    """Parse ``\\n    "key": {...},`` records (a copy of the buffer) in place as one object."""
    if not piece.endswith(b"},") or piece[:1] != b"\n":
        raise _NotOurLayout
    piece[0] = 0x7B  # "{" over the newline
    piece[-1] = 0x7D  # "}" over the last comma
    records = orjson.loads(piece)
    if not isinstance(records, dict) or piece.count(RECORD_OPENS) != len(records):
        raise _NotOurLayout  # a doc key used twice in the piece (or an empty record)
    before = len(claims)
    claims.update(records)
    if len(claims) != before + len(records):
        raise _NotOurLayout  # a doc key used in an earlier piece too


def _check_count(text: bytes | bytearray, tables: Any) -> None:
    """Raise _NotOurLayout unless ``text`` opens one record per non-empty record parsed."""
    records = sum(
        sum(1 for record in table.values() if isinstance(record, dict) and record)
        for table in tables if isinstance(table, dict)
    )
    if text.count(RECORD_OPENS) != records:
        raise _NotOurLayout
