"""Validation: every problem in a document, each naming table, record, field and what is wrong.

Problems never stop the store from working: a record that fails validation is kept exactly as
it is and written back untouched. ``sitrep validate`` lists them; ``Store.put`` refuses a new or
edited record that has any.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitrep import dates
from sitrep.analysis.origins import origin_loops
from sitrep.errors import DataFileError, InvalidValueError
from sitrep.models import (
    CONTROLLERS,
    CREDIBILITY_GRADES,
    META_TABLE,
    RELIABILITY_GRADES,
    STATUSES,
    TABLES,
    link_problems,
)
from sitrep.store.files import read_bytes
from sitrep.store.json_keys import DuplicateKey

if TYPE_CHECKING:  # sitrep.json_position is imported only when a problem is to be located
    from sitrep.json_position import JsonPath


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one record."""

    table: str
    key: str | None
    record_id: str | None
    field: str | None
    message: str
    line: int | None = None  # where the field's value starts in the file, once located
    column: int | None = None

    def __str__(self) -> str:
        where = self.table
        if self.record_id is not None:
            where += f" {_show(self.record_id)}"
        elif self.key is not None:
            where += f" doc {self.key}"
        if self.field:
            where += f" field {self.field!r}"
        return f"{where}: {self.message}"

    def in_file(self, path: object) -> str:
        """The problem as one line naming the file and, when located, the line and column:
        ``db.json:41:17: claims 'c-12' field 'status': unknown status 'maybe' (…)``."""
        where = str(path)
        if self.line is not None:
            where += f":{self.line}:{self.column}"
        return f"{where}: {self}"

    def json_path(self) -> JsonPath | None:
        """The path of the field's value in the DB document, None when the record's doc key
        is not known."""
        from sitrep.json_position import field_path

        if self.key is None:
            return (self.table,) if self.record_id is None and self.field is None else None
        return (self.table, self.key, *field_path(self.field or ""))

    def to_json(self) -> dict[str, Any]:
        """The problem as a JSON object for ``--json`` output."""
        return {
            "table": self.table,
            "doc_id": self.key,
            "id": self.record_id,
            "field": self.field,
            "message": self.message,
            "line": self.line,
            "column": self.column,
        }


def locate_problems(problems: list[Problem], text: bytes) -> list[Problem]:
    """The problems with the line and column of each field's value in ``text`` (the DB file's
    bytes), or of its record when the field is missing. One pass over the text, made only when
    there are problems to report: loading a valid file never pays for it."""
    from sitrep.json_position import locate

    paths = {p: path for p in problems if (path := p.json_path()) is not None}
    if not paths:
        return problems
    where = locate(text, paths.values())
    located = []
    for problem in problems:
        path = paths.get(problem)
        if path is not None and path in where:
            line, column = where[path]
            problem = replace(problem, line=line, column=column)
        located.append(problem)
    return located


def locate_in_file(problems: list[Problem], path: Path) -> list[Problem]:
    """:func:`locate_problems` in the file at ``path`` as it is now (unlocated when it cannot
    be read any more: the problems are still worth showing)."""
    if not problems:
        return problems
    try:
        text = read_bytes(path)
    except DataFileError:
        return problems
    return locate_problems(problems, text) if text is not None else problems


def _show(value: Any, limit: int = 60) -> str:
    """A short repr of a value from the file: never recurses into nesting a hand edit or a feed
    may have made 1000 levels deep, never repeats a 300 KB string."""
    if isinstance(value, dict):
        return f"an object of {len(value)} field(s)"
    if isinstance(value, list):
        return f"a list of {len(value)} item(s)"
    text = repr(value[: limit + 1] if isinstance(value, str) else value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


IdLookup = Callable[[str, str], bool]

_STRING_FIELDS = {
    "claims": ("text", "quote", "via", "url", "notes"),
    "sources": ("name", "role", "alignment", "url", "notes"),
    "settlements": ("name", "region", "country", "notes"),
}
_REQUIRED = {"claims": ("text", "source"), "sources": ("name",), "settlements": ("name",)}


def _check_date(value: Any, allow_null: bool) -> str | None:
    if value is None:
        return None if allow_null else "a date is required"
    if not isinstance(value, str):
        return f"date must be a string such as 2022-09-10, not {_show(value)}"
    try:
        canonical = dates.normalize(value)
    except InvalidValueError as exc:
        return str(exc)
    if canonical != value:
        return f"date {_show(value)} is not in stored form; write it as {canonical!r}"
    return None


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


class _Checker:
    def __init__(self, table: str, key: str | None, record: dict[str, Any], exists: IdLookup):
        self.table, self.key, self.record, self.exists = table, key, record, exists
        rid = record.get("id")
        self.rid = rid if isinstance(rid, str) else None
        self.problems: list[Problem] = []

    def add(self, field: str | None, message: str) -> None:
        self.problems.append(Problem(self.table, self.key, self.rid, field, message))

    def refs(self, field: str, tables: tuple[str, ...], value: Any) -> None:
        values = value if isinstance(value, list) else [value]
        for ref in values:
            if not isinstance(ref, str):
                self.add(field, f"reference must be an id string, not {_show(ref)}")
            elif not any(self.exists(t, ref) for t in tables):
                kinds = " or ".join(t.rstrip("s") for t in tables)
                self.add(field, f"refers to missing {kinds} {_show(ref)}")

    def common(self) -> None:
        r = self.record
        if not isinstance(r.get("id"), str) or not r.get("id", "").strip():
            self.add("id", "every record needs a non-empty string id")
        elif any(ord(ch) < 32 or ord(ch) == 127 for ch in r["id"]):
            self.add("id", "id contains control characters")
        for field in _REQUIRED.get(self.table, ()):
            if not isinstance(r.get(field), str) or not r[field].strip():
                self.add(field, "is required (a non-empty string)")
        for field in _STRING_FIELDS.get(self.table, ()):
            if field in r and r[field] is not None and not isinstance(r[field], str):
                self.add(field, f"must be a string, not {type(r[field]).__name__}")
        history = r.get("history", [])
        if not isinstance(history, list) or not all(isinstance(h, dict) for h in history):
            self.add("history", "must be a list of objects")

    def claim(self) -> None:
        r = self.record
        if r.get("status", "unverified") not in STATUSES:
            self.add("status", f"unknown status {_show(r.get('status'))}"
                     f" (one of {', '.join(STATUSES)})")
        cred = r.get("credibility")
        if cred is not None and (isinstance(cred, bool) or cred not in CREDIBILITY_GRADES):
            self.add("credibility", f"credibility must be 1-6, not {_show(cred)}")
        if isinstance(r.get("source"), str) and r["source"]:
            self.refs("source", ("sources",), r["source"])
        if r.get("origin") is not None:
            self.refs("origin", ("sources", "claims"), r["origin"])
        for field in ("settlements", "corroborates", "contradicts", "tags"):
            if field in r and not _is_str_list(r[field]):
                self.add(field, "must be a list of strings")
        self.refs("settlements", ("settlements",), r.get("settlements") or [])
        for field in ("corroborates", "contradicts"):
            self.refs(field, ("claims",), r.get(field) or [])
        for field, allow_null in (("reported_at", True), ("event_at", True)):
            message = _check_date(r.get(field), allow_null)
            if message:
                self.add(field, message)
        if "against_interest" in r and not isinstance(r["against_interest"], bool):
            self.add("against_interest", "must be true or false")
        for field, message in link_problems(r):
            self.add(field, message)

    def source(self) -> None:
        r = self.record
        if r.get("reliability", "F") not in RELIABILITY_GRADES:
            self.add("reliability", f"reliability must be A-F, not {_show(r.get('reliability'))}")
        if "aliases" in r and not _is_str_list(r["aliases"]):
            self.add("aliases", "must be a list of strings")

    def settlement(self) -> None:
        r = self.record
        if "alt_names" in r and not _is_str_list(r["alt_names"]):
            self.add("alt_names", "must be a list of strings")
        for field, limit in (("lat", 90), ("lon", 180)):
            value = r.get(field)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) or (
                not math.isfinite(value) or abs(value) > limit
            ):
                self.add(field, f"must be a number between -{limit} and {limit}")
        control = r.get("control", [])
        if not isinstance(control, list):
            self.add("control", "must be a list of observations")
            return
        for n, obs in enumerate(control):
            field = f"control[{n}]"
            if not isinstance(obs, dict):
                self.add(field, "must be an object {controller, as_of, claim, note}")
                continue
            if obs.get("controller") not in CONTROLLERS:
                self.add(field, f"unknown controller {_show(obs.get('controller'))}"
                         f" (one of {', '.join(CONTROLLERS)})")
            message = _check_date(obs.get("as_of"), allow_null=False)
            if message:
                self.add(field + ".as_of", message)
            if obs.get("claim") is not None:
                self.refs(field + ".claim", ("claims",), obs["claim"])


def check_record(table: str, key: str | None, record: Any, exists: IdLookup) -> list[Problem]:
    """Every problem of one record, resolving references with ``exists(table, id)``."""
    if not isinstance(record, dict):
        return [Problem(table, key, None, None, f"record must be an object, not {_show(record)}")]
    checker = _Checker(table, key, record, exists)
    checker.common()
    if table == "claims":
        checker.claim()
    elif table == "sources":
        checker.source()
    elif table == "settlements":
        checker.settlement()
    return checker.problems


def validate_document(doc: dict[str, Any]) -> list[Problem]:
    """Every problem in a whole document (already parsed; syntax errors are DataFileErrors)."""
    problems: list[Problem] = []
    ids: dict[str, set[str]] = {}
    for table in (*TABLES, "feeds"):
        seen: set[str] = set()
        for key, record in (doc.get(table) or {}).items():
            rid = record.get("id") if isinstance(record, dict) else None
            if isinstance(rid, str):
                if rid in seen:
                    problems.append(Problem(table, key, rid, "id", f"duplicate id {_show(rid)}"))
                seen.add(rid)
            if not key.isdigit():
                problems.append(Problem(table, key, rid if isinstance(rid, str) else None, None,
                                        f"doc id {_show(key)} should be a number"))
        ids[table] = seen

    def exists(table: str, rid: str) -> bool:
        return rid in ids.get(table, ())

    for table in TABLES:
        for key, record in (doc.get(table) or {}).items():
            problems.extend(check_record(table, key, record, exists))
    problems.extend(circular_reporting(doc))
    for table in doc:
        if table not in (*TABLES, META_TABLE, "feeds"):
            problems.append(Problem(table, None, None, None, "unknown table (kept as it is)"))
    return problems


def circular_reporting(doc: dict[str, Any]) -> list[Problem]:
    """A problem for each loop of ``origin`` links among the claims (A cites B who cites A),
    naming every id in the loop, on the loop's first claim (:mod:`sitrep.analysis.origins`)."""
    claims = doc.get("claims") or {}
    keys: dict[str, str] = {}
    for key, record in claims.items():
        if isinstance(record, dict) and isinstance(record.get("id"), str):
            keys.setdefault(record["id"], key)
    problems = []
    for loop in origin_loops(r for r in claims.values() if isinstance(r, dict)):
        chain = " → ".join(_show(rid) for rid in (*loop, loop[0]))
        problems.append(Problem("claims", keys.get(loop[0]), loop[0], "origin",
                                f"circular reporting: {chain} (each claim's origin is the next;"
                                " the chain has no root)"))
    return problems


def duplicate_key_problems(duplicates: list[DuplicateKey], doc: dict[str, Any]
                           ) -> list[Problem]:
    """A problem for each key given twice inside a record (the last value is the one read)."""
    problems = []
    for dup in duplicates:
        table, key = str(dup.path[0]), str(dup.path[1])
        record = (doc.get(table) or {}).get(key)
        rid = record.get("id") if isinstance(record, dict) else None
        inner = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in dup.path[2:])
        lines = ", ".join(map(str, (*dup.other_lines, dup.line))) if dup.line else ""
        message = (f"given {dup.count} times{f' (lines {lines})' if lines else ''}; only the"
                   " last value is read, and the next write would drop the others")
        problems.append(Problem(table, key, rid if isinstance(rid, str) else None,
                                f"{inner[1:]}.{dup.key}" if inner else dup.key, message))
    return problems


def validate_record(table: str, record: Any, known: IdLookup) -> list[Problem]:
    """Problems of a record about to be inserted or replaced, where ``known(table, id)`` says
    which records exist (the record's own id counts as existing: it may refer to itself)."""
    own_id = record.get("id") if isinstance(record, dict) else None

    def exists(t: str, rid: str) -> bool:
        return known(t, rid) or (t == table and rid == own_id)

    if table == "feeds":
        if not isinstance(record, dict) or not isinstance(record.get("id"), str):
            return [Problem(table, None, None, "id", "every record needs a string id")]
        return []
    return check_record(table, None, record, exists)
