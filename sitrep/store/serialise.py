"""Serialising the document the way a person wants to read and diff it: indent 2, UTF-8 with
Cyrillic unescaped, key order kept, a trailing newline; in one go or a thousand records at a
time (the bytes are the same)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

import orjson

from sitrep.errors import WriteError

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
