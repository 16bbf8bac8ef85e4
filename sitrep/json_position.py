"""Where a value is in a JSON text: the line and column of the value at a path of keys and list
indexes, for the one-line message that names a bad field (``db.json:41:17: claims c-12 field
status: …``).

Parsers give no positions for values, and asking them for some would slow every load; this
module is called only when a problem is to be reported. :func:`value_offsets` reads the text
once with one regular expression (strings, punctuation and bare scalars as tokens, so any
layout or whitespace is fine) and descends only into the containers on a wanted path; the
others are skipped by counting brackets. Of a key given twice in one object the last is found,
the one parsers read. The text is taken to be valid JSON (it was parsed already); on anything
else the paths it cannot follow are simply not found.
"""

from __future__ import annotations

import contextlib
import json
import json.scanner
import re
from collections.abc import Iterable

JsonPath = tuple[str | int, ...]  # keys and list indexes from the top of the document

# one token after any whitespace: a string, a punctuation mark or a bare scalar
_TOKEN = re.compile(r'[ \t\r\n]*("[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\],:]|[^\s{}\[\],:"]+)')
# everything up to the next bracket outside a string
_NO_BRACKETS = re.compile(r'[^"{}\[\]]*(?:"[^"\\]*(?:\\.[^"\\]*)*"[^"{}\[\]]*)*')
_SPACE = re.compile(r"[ \t\r\n]*")


def _match_end(pattern: re.Pattern[str], text: str, at: int) -> int:
    """Where ``pattern`` (one that matches the empty string too) stops matching from ``at``."""
    found = pattern.match(text, at)
    return found.end() if found is not None else at
_FIELD_STEP = re.compile(r"\[(\d+)\]|([^.\[\]]+)")
_BOM = "\ufeff"


def field_path(field: str) -> JsonPath:
    """The path of a field as validation names it: ``evidence[1].kind`` → ('evidence', 1,
    'kind'), ``location.lat`` → ('location', 'lat')."""
    return tuple(int(index) if index else name for index, name in _FIELD_STEP.findall(field))


def value_offsets(text: str, paths: Iterable[JsonPath]) -> dict[JsonPath, int]:
    """The offset (in characters) where the value at each path starts, for the paths and
    every prefix of them that the text holds (so a caller can fall back to the nearest
    enclosing value)."""
    wanted = {path[:n] for path in paths for n in range(len(path) + 1)}
    found: dict[JsonPath, int] = {}
    if wanted:
        reader = _Reader(text, wanted, found)
        # on text that is not valid JSON after all, keep what was found
        with contextlib.suppress(ValueError, StopIteration, _AllFound):
            reader.value(len(_BOM) if text.startswith(_BOM) else 0, ())
    return found


class _AllFound(Exception):
    """Every wanted value is found inside a record that has been read to its end."""


class _Reader:
    """Reads the values on the wanted paths token by token and leaves the rest to the standard
    library's C scanner (a record of the DB that is not wanted costs one call)."""

    def __init__(self, text: str, wanted: set[JsonPath], found: dict[JsonPath, int]) -> None:
        self.text, self.wanted, self.found = text, wanted, found
        inner = {path[:-1] for path in wanted if path}
        self.missing = wanted - inner  # the wanted paths that are no prefix of another
        # typeshed types make_scanner's argument as its own private context class, which the
        # JSONDecoder it is documented to take is not
        self.scan = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]

    def token(self, at: int) -> tuple[str, int, int]:
        """The token after ``at``: its text, start and end."""
        match = _TOKEN.match(self.text, at)
        if match is None:
            raise ValueError("not JSON")
        return match.group(1), match.start(1), match.end(1)

    def value(self, at: int, path: JsonPath) -> int:
        """Read the value after ``at`` at ``path``; where it ends."""
        opener, start, at = self.token(at)
        self.found[path] = start
        self.missing.discard(path)
        if opener not in ("{", "["):
            return at
        closer = "}" if opener == "{" else "]"
        index = 0
        while True:
            mark, _, after = self.token(at)
            if mark == closer:
                break
            if mark == ",":
                at = after
            step: str | int
            if opener == "{":
                key, _, at = self.token(at)
                step = _key(key)
                at = self.token(at)[2]  # the colon
            else:
                step, index = index, index + 1
            child = (*path, step)
            at = self.value(at, child) if child in self.wanted else self.skip(at)
        if len(path) >= 2 and not self.missing:
            # A table's records have keys of their own (the DB refuses a doc id given twice),
            # so what is found inside a record read to its end stands: stop reading.
            raise _AllFound
        return after

    def skip(self, at: int) -> int:
        """Pass over the value after ``at``; where it ends."""
        at = _match_end(_SPACE, self.text, at)
        try:
            return int(self.scan(self.text, at)[1])
        except RecursionError:  # nested deeper than the C scanner goes: count the brackets
            return self.skip_brackets(at)

    def skip_brackets(self, at: int) -> int:
        """Pass over the container that starts at ``at``, a bracket at a time."""
        text, depth = self.text, 0
        while True:
            at = _match_end(_NO_BRACKETS, text, at)
            if at >= len(text):
                raise ValueError("the text ends inside a container")
            depth += 1 if text[at] in "{[" else -1
            at += 1
            if not depth:
                return at


def _key(token: str) -> str:
    if "\\" not in token:
        return token[1:-1]
    key = json.loads(token)
    if not isinstance(key, str):
        raise ValueError("not a key")
    return key


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters, as editors count them) of an offset."""
    return _LineCounter(text).at(offset)


class _LineCounter:
    """Lines of offsets asked for in increasing order, counted once over the text."""

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.line = text, 0, 1

    def at(self, offset: int) -> tuple[int, int]:
        if offset < self.offset:
            self.offset, self.line = 0, 1
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        line_start = self.text.rfind("\n", 0, offset) + 1
        if line_start == 0 and self.text.startswith(_BOM):
            line_start = len(_BOM)
        return self.line, offset - line_start + 1


def locate(text: bytes | str, paths: Iterable[JsonPath]) -> dict[JsonPath, tuple[int, int]]:
    """(line, column) of the value at each path, or of the nearest enclosing value the text
    holds when the path itself is not there (a required field that is missing)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    paths = list(paths)
    offsets = value_offsets(text, paths)
    nearest: dict[JsonPath, int] = {}
    for path in paths:
        for n in range(len(path), 0, -1):
            if path[:n] in offsets:
                nearest[path] = offsets[path[:n]]
                break
    counter = _LineCounter(text)
    where = {offset: counter.at(offset) for offset in sorted(set(nearest.values()))}
    return {path: where[offset] for path, offset in nearest.items()}
