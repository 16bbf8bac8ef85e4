"""Keys that appear twice in one JSON object of a DB file.

JSON parsers keep the last of two equal keys without a word, and so does every write that
follows: a record pasted in vim under a doc key already in use (``yyp``, then a new ``id``)
hides the record it copies, and the next save by sitrep deletes it. :func:`find_duplicate_keys`
finds every such key (the standard library's parser with a pairs hook: about 2 s for 100k
claims, so the store calls it only when the file is not in sitrep's own layout, or a cheap count
says a record is missing; ``sitrep validate`` always does) and says where it is.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sitrep.gc_pause import gc_paused

Path = tuple[str | int, ...]  # keys and list indexes from the top of the document


@dataclass(frozen=True)
class DuplicateKey:
    """``key`` appears ``count`` times in the object at ``path``; the last one is read."""

    path: Path
    key: str
    count: int
    line: int | None = None  # of the occurrence that wins (the last), where it can be found
    column: int | None = None
    other_lines: tuple[int, ...] = ()  # of the occurrences that lose

    @property
    def loses_records(self) -> bool:
        """True for a table or a record key: a whole table or record would be lost."""
        return len(self.path) <= 1

    def describe(self) -> str:
        """One line saying what is duplicated, where the others are, and what would be lost."""
        lines = ", ".join(map(str, self.other_lines))
        also = f" (also at line {lines})" if lines else ""
        if not self.path:
            return (f"the table {self.key!r} appears {self.count} times{also}; only the last is"
                    " read, and the next write would drop the others")
        if len(self.path) == 1:
            return (f"doc id {self.key!r} is used {self.count} times in table"
                    f" {self.path[0]!r}{also}; only the last record is read, and the next write"
                    " would delete the others: give each record its own doc id")
        return (f"key {self.key!r} appears {self.count} times in one object{also}; only the last"
                " value is read, and the next write would drop the others")


def find_duplicate_keys(text: bytes) -> list[DuplicateKey]:
    """Every key used twice in one object of the JSON document ``text`` (already known to be
    valid JSON), in document order of the objects; [] when the parser gives up (too deep)."""
    flagged: dict[int, tuple[dict[str, Any], list[tuple[str, int]]]] = {}

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            counts = Counter(key for key, _ in pairs)
            # the object is kept in ``flagged``, so its id() stays unique until the walk
            flagged[id(obj)] = (obj, [(k, n) for k, n in counts.items() if n > 1])
        return obj

    try:
        with gc_paused():
            doc = json.loads(text, object_pairs_hook=pairs_hook)
    except (ValueError, RecursionError):
        return []
    if not flagged:
        return []
    found: list[DuplicateKey] = []
    stack: list[tuple[Any, Path]] = [(doc, ())]
    while stack:  # depth first, in document order
        value, path = stack.pop()
        if isinstance(value, dict):
            if id(value) in flagged:
                for key, count in flagged[id(value)][1]:
                    found.append(DuplicateKey(path, key, count, *_locate(text, path, key, count)))
            stack.extend((v, (*path, k)) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((v, (*path, i)) for i, v in reversed(list(enumerate(value))))
    return found


def _key_pattern(key: str | int, opens: bytes = b"") -> re.Pattern[bytes]:
    token = json.dumps(key if isinstance(key, str) else str(key), ensure_ascii=False)
    return re.compile(rb'"' + re.escape(token[1:-1].encode()) + rb'"[ \t\r\n]*:[ \t\r\n]*'
                      + opens)


def _locate(text: bytes, path: Path, key: str, count: int
            ) -> tuple[int | None, int | None, tuple[int, ...]]:
    """Line and column of the last of ``count`` occurrences of ``key`` in the object at
    ``path``, and the lines of the others: each key of the path is taken as the first such key
    (holding an object) after the one before, which is right for the layouts people write;
    None and () when not found."""
    at = 0
    for step in path:
        if isinstance(step, int):  # inside a list: give up on the exact place
            return None, None, ()
        match = _key_pattern(step, rb"\{").search(text, at)
        if match is None:
            return None, None, ()
        at = match.end()
    hits = [m.start() for _, m in zip(range(count), _key_pattern(key).finditer(text, at),
                                       strict=False)]
    if len(hits) < count:
        return None, None, ()
    lines = [text.count(b"\n", 0, offset) + 1 for offset in hits]
    line_start = text.rfind(b"\n", 0, hits[-1]) + 1
    column = len(text[line_start:hits[-1]].decode("utf-8", "replace")) + 1
    return lines[-1], column, tuple(lines[:-1])
