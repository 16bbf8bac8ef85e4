"""The semantic three-way merge: two versions of the document with a common ancestor become one,
and nothing either side did is lost. Pure: documents in, a document and its conflicts out.

A *document* is the whole file as it is read (``{table: {doc_id: record}}``). Each side comes
with the time and the analyst of its changes that left no history (a hand edit in vim): the
file's time and whoever saved it (``Side``). The rules, which the README repeats:

1. **Records are matched by ``id``** (a non-empty string), never by doc id or position, in every
   table, unknown tables and fields included. An id given twice in one table is matched by its
   occurrence (the second ``x`` with the other side's second ``x``). A record without an id (in
   practice only ``_meta``, the file's bookkeeping) is matched by its doc id.
2. **Each field is merged on its own**: changed on one side only, that side's value; changed on
   both to the same value, that value; a field removed is a change to "absent".
3. **``history`` lists are united**: every entry of either side is kept exactly once (an entry
   one side holds twice stays twice), in time order (``at``), each side's order kept for equal
   times, the two sides' entries of equal time ordered by their bytes.
4. **Other lists that both sides only appended to** (control observations, tags, settlements,
   aliases, links) become the common part plus both sides' additions, united the same way, each
   addition timed by the history entry that records it (else its file's time).
5. **Both changed a field to different values**: the later change wins. A change is timed by the
   newest history entry of that side, not in the ancestor, that records the field (``field`` is
   the field, or ``field: "record"`` listing it in ``from``); a change no entry records (a hand
   edit) is timed at the side's file time. Equal times are broken by analyst name, then by the
   values' bytes, so the result is the same whichever side is "ours". The value not kept is
   kept in a **conflict entry** in the record's history (below).
6. **Deleted on one side, changed on the other**: the record is kept, with a conflict entry
   (``conflict: "record"``). A record deleted on one side that a record of the merged file
   still refers to (a claim's source, origin, settlements, corroborates, contradicts; a control
   observation's claim), where the deleting side's version of that record did not, is kept the
   same way, so the merge makes no dangling reference. Deleted on one side and unchanged on the
   other: deleted.
7. **Added on both sides with the same id**: the same content (history aside) is one record
   with the histories united; different content keeps both: the one created first (earliest
   history entry, else its file's time; ties by bytes) keeps the id, the other gets
   ``<id>-conflict-<n>`` (the smallest n that no record of the three documents uses), and both
   get the same conflict entry (``conflict: "id"``). References to the id are not rewritten.
8. **Records without an id** have no history to hold a conflict: changed on both sides to
   different values, both are kept (the later at the doc id, the other under a new one) and the
   conflict is only in the returned list. ``_meta`` is merged field by field instead, the later
   side's value winning without a conflict: it is bookkeeping, not anyone's work.
9. **Layout**: tables, records and fields keep ours' order and doc ids; what only theirs has
   follows (a field after the field it follows in theirs; records and tables at the end, under
   theirs' doc id when ours does not use it, else the next free number). So a merge of a file
   with itself serialises byte-identically to it (``merge(X, X, X)``), a side equal to the
   ancestor yields the other side exactly, and merging two histories reads as their additions.

A **conflict entry** is a history entry with the six usual keys plus ``conflict``::

    {"at": "<the later of the two changes>", "by": "sitrep merge", "field": "conflict",
     "conflict": "<the field>" | "record" | "id",
     "from": {"by": ANALYST, "at": TIME, "value": VALUE},   # the change NOT kept
     "to":   {"by": ANALYST, "at": TIME, "value": VALUE},   # the change kept
     "note": "a sentence saying what happened"}

In ``from``/``to``, ``"absent": true`` replaces ``value`` for a field removed; for
``conflict: "record"``, ``from`` is the deletion (``"deleted": true``) and ``to`` the change or
reference that kept the record (no value: the record is it); for ``conflict: "id"``, ``to.value``
is the id kept and ``from.value`` the id the other record got. The same merge always writes the
same entry, so two analysts who merge the same versions get identical files.

Everything here is deterministic. Results share unchanged records with the inputs: copy before
mutating them.
"""

from __future__ import annotations

import json
import sys
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import orjson

from sitrep.gc_pause import gc_paused
from sitrep.models import META_TABLE, Record, listed

Document = dict[str, dict[str, Any]]

MERGE_BY = "sitrep merge"
CONFLICT = "conflict"
RENAME_MARK = "-conflict-"
SAME_AS_OURS, SAME_AS_THEIRS = 1, 2


class _Absent:
    """A field or record that is not there (distinct from a JSON null)."""

    def __repr__(self) -> str:
        return "<absent>"


ABSENT: Any = _Absent()


@dataclass(frozen=True)
class Side:
    """One version of the document, with when and by whom its unrecorded changes were made."""

    document: Document
    at: str  # ISO UTC time (sitrep.dates form): the file's time
    by: str  # the analyst who saved it


@dataclass(frozen=True)
class Conflict:
    """Both sides changed the same thing; ``entry`` records both (and sits in the record's
    history when it has one)."""

    table: str
    id: str | None
    field: str  # the field, "record" (deleted vs changed) or "id" (added on both sides)
    entry: Record

    def __str__(self) -> str:
        what = f"{self.table} {self.id!r}" if self.id is not None else f"{self.table} (no id)"
        return f"{what}: {self.entry.get('note')}"


@dataclass
class MergeResult:
    """The merged document and every conflict recorded in it."""

    document: Document
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """True when nothing was changed on both sides in different ways."""
        return not self.conflicts


def merge_documents(base: Document, ours: Side, theirs: Side) -> MergeResult:
    """Merge ``ours`` and ``theirs``, two versions descended from ``base`` (module docstring)."""
    if ours.document is theirs.document or _same_document(ours.document, theirs.document):
        return MergeResult(ours.document)
    if _same_document(base, ours.document):
        return MergeResult(theirs.document)
    if _same_document(base, theirs.document):
        return MergeResult(ours.document)
    with gc_paused():  # hundreds of thousands of index entries, no cycles: 3x faster at 100k
        return _Merge(base, ours, theirs).run()


# --------------------------------------------------------------------------- identity

def fingerprint(value: Any) -> bytes:
    """Bytes equal exactly when two JSON values are equal with their types and key order
    (``1``, ``1.0`` and ``true`` differ; ``==`` says they are the same)."""
    if value is ABSENT:
        return b""
    try:
        return orjson.dumps(value)
    except TypeError:  # nested deeper than orjson writes, or an integer beyond 64 bits
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 5000))  # orjson reads up to 1024 levels
        try:
            return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        finally:
            sys.setrecursionlimit(limit)


_SCALARS = (str, int, float, bool, type(None))


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    kind = type(a)
    if kind is not type(b):
        return False
    if kind in _SCALARS:
        return bool(a == b)
    return fingerprint(a) == fingerprint(b)


def _same_document(a: Document, b: Document) -> bool:
    # == stops at the first difference (two versions usually differ early); only documents
    # equal by == are serialised to tell 1 from 1.0 and true, and to compare key order
    try:
        equal = a == b
    except RecursionError:  # nested deeper than == recurses (a hand edit): compare the bytes
        equal = True
    return equal and fingerprint(a) == fingerprint(b)


def _str_id(record: Any) -> str | None:
    rid = record.get("id") if type(record) is dict else None
    return rid if type(rid) is str and rid else None


def _index(table: dict[str, Any], by_doc_id: bool) -> dict[Any, tuple[str, Any]]:
    """Match key -> (doc id, record), in file order: the id (``(id, n)`` for its n-th repeat),
    or ``("#doc", doc id)`` for a record without one."""
    if not by_doc_id:  # the usual table: every record has its own string id
        ids = [r.get("id") if type(r) is dict else None for r in table.values()]
        out = dict(zip(ids, table.items(), strict=True))
        if len(out) == len(table) and "" not in out and all(type(i) is str for i in ids):
            return out
    out = {}
    for key, record in table.items():
        rid = record.get("id") if type(record) is dict and not by_doc_id else None
        if type(rid) is not str or not rid:
            out[("#doc", key)] = (key, record)
        elif rid not in out:
            out[rid] = (key, record)
        else:
            n = 1
            while (rid, n) in out:
                n += 1
            out[(rid, n)] = (key, record)
    return out


# --------------------------------------------------------------------------- changes

@dataclass(frozen=True)
class _Change:
    """One side's change of one thing: when, by whom, to what."""

    at: str
    by: str
    value: Any = ABSENT

    def order(self) -> tuple[str, str, bytes]:
        return (self.at, self.by, fingerprint(self.value))

    def describe(self, absent_key: str = "absent") -> Record:
        out: Record = {"by": self.by, "at": self.at}
        if self.value is ABSENT:
            out[absent_key] = True
        else:
            out["value"] = self.value
        return out


def entries_not_in(history: Any, base_history: Any) -> list[Record]:
    """The entries of ``history`` that ``base_history`` does not hold (an entry held twice
    there accounts for two here); non-lists hold nothing."""
    if type(history) is not list:
        return []
    base = base_history if type(base_history) is list else []
    if history[: len(base)] == base:
        return [e for e in history[len(base):] if type(e) is dict]
    remaining: dict[bytes, int] = {}
    for entry in base:
        key = fingerprint(entry)
        remaining[key] = remaining.get(key, 0) + 1
    out = []
    for entry in history:
        key = fingerprint(entry)
        if remaining.get(key):
            remaining[key] -= 1
        elif type(entry) is dict:
            out.append(entry)
    return out


def _records_field(entry: Record, name: str) -> bool:
    recorded = entry.get("field")
    if recorded == name:
        return True
    return recorded == "record" and name in listed(entry.get("from"))


def _field_is(name: str, entry: Record) -> bool:
    """``_records_field`` with the name first, for ``functools.partial``."""
    return _records_field(entry, name)


def _latest(entries: list[Record], side: Side,
            wanted: Callable[[Record], bool] = lambda _e: True) -> tuple[str, str]:
    """(at, by) of the newest entry that ``wanted``, else the side's file time and analyst."""
    best: Record | None = None
    for entry in entries:
        at = entry.get("at")
        if type(at) is str and wanted(entry) and (best is None or at > best["at"]):
            best = entry
    if best is None:
        return side.at, side.by
    by = best.get("by")
    return best["at"], by if type(by) is str else side.by


def _earliest(record: Any, side: Side) -> tuple[str, str]:
    """(at, by) of a record's first history entry: when and by whom it was made."""
    history = record.get("history") if type(record) is dict else None
    times = [(e["at"], e.get("by")) for e in listed(history)
             if type(e) is dict and type(e.get("at")) is str]
    if not times:
        return side.at, side.by
    at, by = min(times, key=lambda t: t[0])
    return at, by if type(by) is str else side.by


# --------------------------------------------------------------------------- lists

def _history_key(entry: Any) -> str:
    at = entry.get("at") if type(entry) is dict else None
    return at if type(at) is str else ""


def unite(xs: list[Any], ys: list[Any], time_x: Callable[[Any], str] = _history_key,
          time_y: Callable[[Any], str] | None = None) -> list[Any]:
    """Every item of ``xs`` and ``ys`` once (twice if one side holds it twice), in time order.

    The common beginning comes first; then the rest of both is merged like two sorted lists:
    each side's own order is kept, and of the two next items the earlier goes first (equal
    times: the smaller bytes). The result does not depend on which list is ``xs``.
    """
    time_y = time_y or time_x
    fx = [fingerprint(x) for x in xs]
    fy = [fingerprint(y) for y in ys]
    start = 0
    while start < len(xs) and start < len(ys) and fx[start] == fy[start]:
        start += 1
    out = list(xs[:start])
    if start == len(xs) and start == len(ys):
        return out
    rest_x, rest_y = xs[start:], ys[start:]
    fx, fy = fx[start:], fy[start:]
    kx = [(time_x(x), f) for x, f in zip(rest_x, fx, strict=True)]
    ky = [(time_y(y), f) for y, f in zip(rest_y, fy, strict=True)]
    where_x: dict[bytes, deque[int]] = {}
    where_y: dict[bytes, deque[int]] = {}
    for n, f in enumerate(fx):
        where_x.setdefault(f, deque()).append(n)
    for n, f in enumerate(fy):
        where_y.setdefault(f, deque()).append(n)
    used_x = [False] * len(rest_x)
    used_y = [False] * len(rest_y)
    i = j = 0
    while True:
        while i < len(rest_x) and used_x[i]:
            i += 1
        while j < len(rest_y) and used_y[j]:
            j += 1
        if i == len(rest_x) and j == len(rest_y):
            return out
        if i < len(rest_x) and j < len(rest_y) and fx[i] == fy[j]:
            out.append(rest_x[i])
            used_x[i] = used_y[j] = True
            where_x[fx[i]].popleft()
            where_y[fy[j]].popleft()
            continue
        take_x = j == len(rest_y) or (i < len(rest_x) and kx[i] < ky[j])
        if take_x:
            item, f, own, other, other_used = rest_x[i], fx[i], where_x, where_y, used_y
            used_x[i] = True
        else:
            item, f, own, other, other_used = rest_y[j], fy[j], where_y, where_x, used_x
            used_y[j] = True
        out.append(item)
        own[f].popleft()
        twin = other.get(f)
        if twin:  # the other side holds it further on: it is the same entry, kept once
            other_used[twin.popleft()] = True


def _appended(base: Any, ours: Any, theirs: Any) -> tuple[list[Any], list[Any], list[Any]] | None:
    """(common, ours' additions, theirs' additions) when both sides only appended to a list."""
    if base is ABSENT:
        base = []
    if type(base) is not list or type(ours) is not list or type(theirs) is not list:
        return None
    n = len(base)
    if len(ours) < n or len(theirs) < n:
        return None
    common = fingerprint(base)
    if fingerprint(ours[:n]) != common or fingerprint(theirs[:n]) != common:
        return None
    return base, ours[n:], theirs[n:]


# --------------------------------------------------------------------------- references

def _references(table: str, record: Any) -> Iterator[tuple[str, str]]:
    """(table, id) of every record that ``record`` refers to."""
    if type(record) is not dict:
        return
    if table == "claims":
        refs: list[tuple[tuple[str, ...], Any]] = [
            (("sources",), [record.get("source")]),
            (("sources", "claims"), [record.get("origin")]),
            (("settlements",), listed(record.get("settlements"))),
            (("claims",), listed(record.get("corroborates"))),
            (("claims",), listed(record.get("contradicts"))),
        ]
    elif table == "settlements":
        control = record.get("control")
        observations = control if type(control) is list else []
        refs = [(("claims",), [o.get("claim") for o in observations if type(o) is dict])]
    else:
        return
    for tables, values in refs:
        for value in values:
            if type(value) is str and value:
                for target in tables:
                    yield target, value


# --------------------------------------------------------------------------- the merge

@dataclass
class _Deleted:
    """A record deleted by one side and unchanged on the other: gone unless still referred to."""

    table: str
    rid: str
    record: Any  # the other side's version
    deleter: Side
    keeper: Side
    slot: list[Any] | None  # its place in ours' order (deleted by theirs), or None
    key: str  # its doc id on the side that kept it
    restored: bool = False


class _Merge:
    """The state of one merge: the three documents, the result and its conflicts."""

    def __init__(self, base: Document, ours: Side, theirs: Side) -> None:
        self.base, self.ours, self.theirs = base, ours, theirs
        self.conflicts: list[Conflict] = []
        self.deleted: dict[tuple[str, str], _Deleted] = {}
        # table -> slots [doc id, record, SAME_AS_OURS | SAME_AS_THEIRS]; a slot whose doc id
        # is None holds a record deleted by theirs (filled in if it comes back)
        self.tables: dict[str, list[list[Any]]] = {}
        self.indexes: dict[tuple[int, str], dict[Any, tuple[str, Any]]] = {}
        self._used_ids: set[str] | None = None
        self._allocated: set[str] = set()
        self._taken: dict[str, set[str]] = {}  # table -> doc ids given out in the result
        self._last_key: dict[str, int] = {}  # table -> the highest number handed out

    # ------------------------------------------------------------- driver
    def run(self) -> MergeResult:
        base, ours, theirs = self.base, self.ours.document, self.theirs.document
        names = list(ours) + [name for name in theirs if name not in ours]
        for name in names:
            self.tables[name] = self._merge_table(
                name, base.get(name) or {}, ours.get(name) or {}, theirs.get(name) or {}
            )
        if self.deleted:
            self._restore_referenced()
        document: Document = {}
        for name in names:
            records = {key: record for key, record, _ in self.tables[name] if key is not None}
            present = (name in ours, name in theirs, name in base)
            if records or _kept(*present):
                document[name] = records
        return MergeResult(document, self.conflicts)

    def index(self, side: int, name: str, table: dict[str, Any]) -> dict[Any, tuple[str, Any]]:
        """The match index of one side's table (0 base, 1 ours, 2 theirs), built once."""
        found = self.indexes.get((side, name))
        if found is None:
            found = self.indexes[(side, name)] = _index(table, name == META_TABLE)
        return found

    # ------------------------------------------------------------- tables
    def _merge_table(self, name: str, base: dict[str, Any], ours: dict[str, Any],
                     theirs: dict[str, Any]) -> list[list[Any]]:
        b = self.index(0, name, base)
        o = self.index(1, name, ours)
        t = self.index(2, name, theirs)
        slots: list[list[Any]] = []
        appended: list[tuple[str | None, Any]] = []  # (theirs' doc id, record) to add at the end
        for match, (key, mine) in o.items():
            other = t.get(match)
            if other is not None and _same(mine, other[1]):
                slots.append([key, mine, SAME_AS_OURS | SAME_AS_THEIRS])
                continue
            old = b.get(match, (None, ABSENT))[1]
            rid = match if type(match) is str else (match[0] if match[0] != "#doc" else None)
            if other is None:
                if old is ABSENT:  # added by ours
                    slots.append([key, mine, SAME_AS_OURS])
                elif _same(old, mine):  # deleted by theirs
                    slot = [None, None, 0]
                    slots.append(slot)
                    if rid is not None:
                        self.deleted[(name, rid)] = _Deleted(
                            name, rid, mine, self.theirs, self.ours, slot, key)
                else:
                    slots.append([key, self._deleted_but_changed(name, rid, old, mine,
                                                                 self.ours, self.theirs), 0])
                continue
            merged = self._both_present(name, rid, old, mine, other[1], other[0], appended)
            slots.append([key, merged, SAME_AS_OURS if merged is mine else
                          SAME_AS_THEIRS if merged is other[1] else 0])
        for match, (key, their) in t.items():
            if match in o:
                continue
            old = b.get(match, (None, ABSENT))[1]
            rid = match if type(match) is str else (match[0] if match[0] != "#doc" else None)
            if old is ABSENT:  # added by theirs
                appended.append((key, their))
            elif _same(old, their):  # deleted by ours
                if rid is not None:
                    self.deleted[(name, rid)] = _Deleted(
                        name, rid, their, self.ours, self.theirs, None, key)
            else:
                appended.append((key, self._deleted_but_changed(name, rid, old, their,
                                                                self.theirs, self.ours)))
        self._taken[name] = set(ours)
        for wanted, record in appended:
            same = SAME_AS_THEIRS if wanted is not None and record is theirs.get(wanted) else 0
            slots.append([self._free_key(name, wanted), record, same])
        return slots

    def _free_key(self, name: str, wanted: str | None) -> str:
        """``wanted`` (theirs' doc id) when the result does not use it, else the next number
        past every doc id of the three documents."""
        taken = self._taken[name]
        if wanted is None or wanted in taken:
            if name not in self._last_key:
                self._last_key[name] = max(
                    max(map(int, filter(str.isdecimal, doc.get(name) or {})), default=0)
                    for doc in (self.base, self.ours.document, self.theirs.document))
            self._last_key[name] += 1
            wanted = str(self._last_key[name])
        taken.add(wanted)
        return wanted

    # ------------------------------------------------------------- records
    def _both_present(self, name: str, rid: str | None, old: Any, mine: Any, their: Any,
                      their_key: str, appended: list[tuple[str | None, Any]]) -> Any:
        if old is not ABSENT:
            if _same(old, mine):
                return their
            if _same(old, their):
                return mine
        both_objects = type(mine) is dict and type(their) is dict
        if both_objects and (name == META_TABLE or rid is not None and (
                old is not ABSENT or _same_but_history(mine, their))):
            return self._merge_fields(name, rid, old if type(old) is dict else {}, mine, their)
        if rid is not None:  # added on both sides, differently
            return self._added_on_both(name, rid, mine, their, appended)
        # no id (or not objects): both versions are kept, the later at the doc id
        later, earlier = self._order_versions(old, mine, their)
        appended.append((None, earlier[1]))
        entry = _conflict_entry("record", later[0], earlier[0],
                                "changed on both sides; both versions kept")
        self.conflicts.append(Conflict(name, rid, "record", entry))
        return later[1]

    def _order_versions(self, old: Any, mine: Any, their: Any
                        ) -> tuple[tuple[_Change, Any], tuple[_Change, Any]]:
        changes = []
        for side, version in ((self.ours, mine), (self.theirs, their)):
            entries = entries_not_in(_history(version), _history(old))
            at, by = _latest(entries, side)
            changes.append((_Change(at, by, version), version))
        changes.sort(key=lambda c: c[0].order())
        return changes[1], changes[0]

    def _deleted_but_changed(self, name: str, rid: str | None, old: Any, kept: Any,
                             changer: Side, deleter: Side) -> Any:
        at, by = _latest(entries_not_in(_history(kept), _history(old)), changer)
        gone = _Change(deleter.at, deleter.by)
        entry = _conflict_entry(
            "record", _Change(at, by, None), gone,
            f"{deleter.by} deleted this record and {by} changed it: kept", to_value=False)
        self.conflicts.append(Conflict(name, rid, "record", entry))
        return _with_entries(kept, [entry]) if rid is not None else kept

    def _added_on_both(self, name: str, rid: str, mine: Record, their: Record,
                       appended: list[tuple[str | None, Any]]) -> Record:
        versions = []
        for side, version in ((self.ours, mine), (self.theirs, their)):
            at, by = _earliest(version, side)
            versions.append((at, fingerprint(version), by, version))
        versions.sort(key=lambda v: (v[0], v[1]))
        (k_at, _, k_by, keeper), (m_at, _, m_by, moved) = versions
        new_id = self._derived_id(rid)
        entry = _conflict_entry(
            "id", _Change(k_at, k_by, rid), _Change(m_at, m_by, new_id),
            f"{k_by} and {m_by} both added a record {rid!r}: the one made first keeps the id,"
            f" the other is now {new_id!r}")
        renamed = {k: (new_id if k == "id" else v) for k, v in moved.items()}
        appended.append((None, _with_entries(renamed, [entry])))
        self.conflicts.append(Conflict(name, rid, "id", entry))
        return _with_entries(keeper, [entry])

    def _derived_id(self, rid: str) -> str:
        if self._used_ids is None:
            self._used_ids = {
                r for doc in (self.base, self.ours.document, self.theirs.document)
                for table in doc.values() for record in table.values()
                if (r := _str_id(record)) is not None
            }
        n = 1
        while (candidate := f"{rid}{RENAME_MARK}{n}") in self._used_ids or (
                candidate in self._allocated):
            n += 1
        self._allocated.add(candidate)
        return candidate

    # ------------------------------------------------------------- fields
    def _merge_fields(self, name: str, rid: str | None, old: Record, mine: Record,
                      their: Record) -> Record:
        record_conflicts = name != META_TABLE
        new_mine = entries_not_in(mine.get("history"), old.get("history"))
        new_their = entries_not_in(their.get("history"), old.get("history"))
        merged: Record = {}
        entries: list[Record] = []
        for key in _key_order(mine, their):
            vb, vo, vt = old.get(key, ABSENT), mine.get(key, ABSENT), their.get(key, ABSENT)
            if _same(vo, vt) or _same(vb, vt):
                value = vo
            elif _same(vb, vo):
                value = vt
            elif key == "history" and type(vo) is list and type(vt) is list:
                value = unite(vo, vt)
            elif (parts := _appended(vb, vo, vt)) is not None:
                common, add_o, add_t = parts
                value = list(common) + unite(
                    add_o, add_t, self._timer(key, new_mine, self.ours),
                    self._timer(key, new_their, self.theirs))
            else:
                changes = []
                for side, entries_of, version in ((self.ours, new_mine, vo),
                                                  (self.theirs, new_their, vt)):
                    at, by = _latest(entries_of, side, partial(_field_is, key))
                    changes.append(_Change(at, by, version))
                changes.sort(key=_Change.order)
                lost, kept = changes
                value = kept.value
                entry = _conflict_entry(
                    key, kept, lost,
                    f"{key} changed on both sides: {kept.by}'s later change is kept,"
                    f" {lost.by}'s value is recorded here")
                if record_conflicts:
                    entries.append(entry)
                    self.conflicts.append(Conflict(name, rid, key, entry))
            if value is not ABSENT:
                merged[key] = value
        if entries and rid is not None:
            merged = _with_entries(merged, entries)
        return merged

    def _timer(self, key: str, entries: list[Record], side: Side) -> Callable[[Any], str]:
        """When each item added to list ``key`` was added: the entry recording it, or the
        side's file time."""
        times: dict[bytes, str] = {}
        for entry in entries:
            at = entry.get("at")
            if entry.get("field") == key and type(at) is str:
                added = fingerprint(entry.get("to"))
                times[added] = max(at, times.get(added, at))
        return lambda item: times.get(fingerprint(item), side.at)

    # ------------------------------------------------------------- references
    def _restore_referenced(self) -> None:
        """Bring back deleted records that the merged file still refers to (rule 6)."""
        # a record equal to the deleting side's version refers to nothing that side did not
        # (rule 6): only the others need a look
        deleters = {gone.deleter is self.ours for gone in self.deleted.values()}
        mask = (SAME_AS_OURS if True in deleters else 0) | (
            SAME_AS_THEIRS if False in deleters else 0)
        pending = [(name, slot[1]) for name, slots in self.tables.items() for slot in slots
                   if slot[0] is not None and slot[2] & mask != mask]
        while pending:
            found = []
            for name, record in pending:
                for target in _references(name, record):
                    gone = self.deleted.get(target)
                    if gone is None or gone.restored or self._deleter_refers(gone, name, record):
                        continue
                    found.append(self._restore(gone))
            pending = found

    def _deleter_refers(self, gone: _Deleted, name: str, record: Any) -> bool:
        """Whether the deleting side's own version of ``record`` refers to the deleted one (it
        left that reference dangling itself: not the merge's doing)."""
        side = 1 if gone.deleter is self.ours else 2
        table = gone.deleter.document.get(name) or {}
        rid = _str_id(record)
        version = self.index(side, name, table).get(rid) if rid is not None else None
        return version is not None and (gone.table, gone.rid) in set(
            _references(name, version[1]))

    def _restore(self, gone: _Deleted) -> tuple[str, Any]:
        gone.restored = True
        entry = _conflict_entry(
            "record", _Change(gone.keeper.at, gone.keeper.by, None),
            _Change(gone.deleter.at, gone.deleter.by),
            f"{gone.deleter.by} deleted this record, but the merged file still refers to it:"
            " kept", to_value=False)
        record = _with_entries(gone.record, [entry])
        self.conflicts.append(Conflict(gone.table, gone.rid, "record", entry))
        if gone.slot is not None:
            gone.slot[0], gone.slot[1] = gone.key, record
        else:
            self.tables[gone.table].append([self._free_key(gone.table, gone.key), record, 0])
        return gone.table, record


def _kept(in_ours: bool, in_theirs: bool, in_base: bool) -> bool:
    """Whether an empty table stays in the file: its presence merged like a field."""
    if in_ours == in_base:
        return in_theirs
    if in_theirs == in_base:
        return in_ours
    return in_ours


def _history(record: Any) -> Any:
    return record.get("history") if type(record) is dict else None


def _same_but_history(a: Record, b: Record) -> bool:
    return _same({k: v for k, v in a.items() if k != "history"},
                 {k: v for k, v in b.items() if k != "history"})


def _key_order(mine: Record, their: Record) -> list[str]:
    """Ours' keys in ours' order; each key only theirs has right after the key it follows
    there (first when it is theirs' first)."""
    out = list(mine)
    if all(key in mine for key in their):
        return out
    previous: str | None = None
    for key in their:
        if key not in mine:
            out.insert(out.index(previous) + 1 if previous is not None else 0, key)
        previous = key
    return out


def _with_entries(record: Any, entries: list[Record]) -> Any:
    """``record`` with conflict entries united into its history (a new dict; a history that
    is not a list is left as it is)."""
    if type(record) is not dict:
        return record
    history = record.get("history", ABSENT)
    if history is ABSENT:
        out = dict(record)
        out["history"] = sorted(entries, key=lambda e: (_history_key(e), fingerprint(e)))
        return out
    if type(history) is not list:
        return record
    out = dict(record)
    out["history"] = unite(history, sorted(entries,
                                           key=lambda e: (_history_key(e), fingerprint(e))))
    return out


def _conflict_entry(subject: str, kept: _Change, lost: _Change, note: str,
                    to_value: bool = True) -> Record:
    """The history entry recording a conflict (module docstring)."""
    to = kept.describe() if to_value else {"by": kept.by, "at": kept.at}
    lost_side = lost.describe("deleted" if subject == "record" else "absent")
    return {
        "at": max(kept.at, lost.at),
        "by": MERGE_BY,
        "field": CONFLICT,
        "conflict": subject,
        "from": lost_side,
        "to": to,
        "note": note,
    }


def field_conflict_entry(name: str, kept: tuple[str, str, Any], lost: tuple[str, str, Any]
                         ) -> Record:
    """The conflict entry for field ``name`` changed twice: ``kept`` and ``lost`` are each
    (at, by, value) — the change the field holds and the one recorded here. The journal's
    replay over a changed file writes it with the merge's words."""
    kept_change, lost_change = _Change(*kept), _Change(*lost)
    return _conflict_entry(
        name, kept_change, lost_change,
        f"{name} changed on both sides: {kept_change.by}'s later change is kept,"
        f" {lost_change.by}'s value is recorded here")
