"""The document's bytes both ways: parsing and checking a file, and writing one in sitrep's layout.

Written: indent 2, UTF-8 with Cyrillic unescaped, key order kept, a trailing newline; in one
go or a thousand records at a time (the bytes are the same). Read: one parse of the whole
file, checked for the shape TinyDB needs and for tables or records given twice. The chunked
read (``sitrep.store.chunked_read``) depends on the exact layout written here.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import orjson

from sitrep.errors import DataFileError, WriteError
from sitrep.gc_pause import gc_paused
from sitrep.store.files import FileStamp, file_stamp, read_bytes, settled
from sitrep.store.json_keys import DuplicateKey, find_duplicate_keys

Document = dict[str, dict[str, Any]]

JSON_OPTIONS = orjson.OPT_INDENT_2


def _dumps(value: Any, options: int = JSON_OPTIONS) -> bytes:
    try:
        return orjson.dumps(value, option=options)
    except TypeError as exc:  # e.g. an integer too large for JSON tooling
        if "recursion" in str(exc).lower():
            raise WriteError(
                "cannot write the data: something in it is nested more than 254 levels deep;"
                " fix it by hand first"
            ) from None
        raise WriteError(f"cannot serialise the data: {exc}") from None


def dump_document(data: dict[str, Any]) -> bytes:
    """Serialise the document the way a person wants to read and diff it."""
    return _dumps(data, JSON_OPTIONS | orjson.OPT_APPEND_NEWLINE)


PIECE_RECORDS = 1000  # ~1 MB pieces: cache-sized


def dump_document_pieces(data: dict[str, Any]) -> Iterator[bytes]:
    """The bytes of ``dump_document(data)``, produced a thousand records at a time.

    Serialising 100k claims in one go holds a second 105 MB copy of the data in memory while
    the file is written; in pieces the extra memory is one piece. Each piece is dumped as a
    one-table document, so orjson indents its records at their depth in the whole file, and
    only the wrapper around them is cut off.
    """
    if not data:
        yield b"{}\n"
        return
    separator = b"{\n  "
    for name, table in data.items():
        if not isinstance(name, str):  # as one orjson.dumps would: JSON keys are strings
            raise WriteError(f"cannot serialise the data: table name {name!r} is not a string")
        if not isinstance(table, dict) or len(table) <= PIECE_RECORDS:
            # b'{\n  "name": value\n}' -> b'"name": value', at the depth it has in the file
            yield separator + _dumps({name: table})[4:-2]
            separator = b",\n  "
            continue
        head = len(b'{\n  ') + len(_dumps(name)) + len(b": {")
        items = iter(table.items())
        opening = separator + _dumps(name) + b": {"
        while piece := dict(islice(items, PIECE_RECORDS)):
            # b'{\n  "name": {\n    "1": {...},\n    "2": ...\n  }\n}' -> its records
            yield opening + _dumps({name: piece})[head:-6]
            opening = b","
        yield b"\n  }"
        separator = b",\n  "
    yield b"\n}\n"


# ---------------------------------------------------------------- reading
def parse_json(payload: bytes, path: Path) -> Any:
    """Parse JSON bytes, turning a syntax error into a DataFileError with line and column."""
    try:
        return orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        message = exc.msg
        if "recursion" in message.lower():
            message = "nested too deeply"
        raise DataFileError(
            path, f"invalid JSON: {message}", line=exc.lineno, column=exc.colno
        ) from None


def check_document(data: Any, path: Path) -> Document:
    """Check the shape TinyDB needs (an object of tables, each an object); return it."""
    if not isinstance(data, dict):
        raise DataFileError(
            path, f"top level must be a JSON object of tables, not {type(data).__name__}"
        )
    for name, table in data.items():
        if not isinstance(table, dict):
            raise DataFileError(
                path,
                f"table {name!r} must be a JSON object of records keyed by doc id,"
                f" not {type(table).__name__}",
            )
    return data


def read_document(path: Path, *, duplicates: list[DuplicateKey] | None = None
                  ) -> tuple[Document, FileStamp | None]:
    """Read and parse the DB file; a missing file reads as an empty document.

    A table or doc id used twice is a DataFileError; the other keys used twice in one object
    (a field given twice) are put in ``duplicates`` when it is given. The error names no
    backup: the store adds the newest good one (``sitrep.store.backups``).
    """
    before = file_stamp(path)
    payload = read_bytes(path)
    if payload is None:
        return {}, None
    with gc_paused():
        data = check_document(parse_json(payload, path), path)
    found = refuse_lost_records(payload, path)
    if duplicates is not None:
        duplicates.extend(found)
    return data, settled(before, file_stamp(path))


def refuse_lost_records(payload: bytes, path: Path) -> list[DuplicateKey]:
    """Raise DataFileError when a table or a record key appears twice in ``payload``: the
    parse keeps only the last, and a write would delete the others for good. Returns the
    other keys used twice (a field given twice in one record)."""
    found = find_duplicate_keys(payload)
    for duplicate in found:
        if duplicate.loses_records:
            raise DataFileError(path, duplicate.describe(), line=duplicate.line,
                                column=duplicate.column)
    return found
