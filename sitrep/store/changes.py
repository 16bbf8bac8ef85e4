"""The builders of every change: one way to make each change, from any front end or a feed.

Each builder checks its input against the loaded records, builds the op (``sitrep.store.ops``)
stamped with the store's clock, and returns it without applying it: the caller hands it to
``Store.apply`` (the CLI through the Store's named changes, the dashboard in its save worker,
the feeds in one batch). A builder that refuses raises NotFoundError or InvalidValueError with
the same words whichever front end asked.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sitrep import dates
from sitrep.errors import InvalidValueError, NotFoundError
from sitrep.models import (
    FEEDS_TABLE,
    TABLES,
    Record,
    open_conflicts,
    parse_controller,
    parse_credibility,
    parse_grade,
    parse_reliability,
    parse_status,
)
from sitrep.store.ops import Op
from sitrep.store.records import Records
from sitrep.store.validate import IdLookup, validate_record

Clock = Callable[[], datetime]


class Changes:
    """Builds validated ops over ``records`` (the Store's loaded records), stamped by ``clock``."""

    def __init__(self, records: Records, clock: Clock) -> None:
        self.records = records
        self.clock = clock

    def now(self) -> str:
        """The time an op built now is stamped with (UTC, ISO)."""
        return dates.utc_now_iso(self.clock())

    def op(self, kind: str, table: str, *, by: str, note: str | None = None,
           at: str | None = None, **fields: Any) -> Op:
        """An op of ``kind`` on ``table`` by ``by``, stamped now (or ``at``)."""
        op: Op = {"op": kind, "table": table, "at": at or self.now(), "by": by}
        if note:
            op["note"] = note
        op.update(fields)
        if kind == "set" and "from" not in op:
            # what each field held when the change was made: a journal line replayed over a
            # file changed since is merged, not applied blindly (sitrep.store.replay)
            record = self.records.get(table, fields.get("id", ""))
            if record is not None:
                op["from"] = {name: record.get(name) for name in fields.get("fields", {})}
        return op

    def require(self, table: str, rid: str) -> Record:
        """The record ``rid`` of ``table``, or NotFoundError naming it."""
        record = self.records.get(table, rid)
        if record is None:
            raise NotFoundError(f"no {table.rstrip('s')} with id {rid!r}")
        return record

    # ---------------------------------------------------------------- named changes
    def status(self, claim_id: str, status: str, *, by: str, note: str | None = None) -> Op:
        """Set a claim's verification status."""
        value = _check(parse_status, status).value
        self.require("claims", claim_id)
        return self.op("set", "claims", by=by, note=note, id=claim_id, fields={"status": value})

    def credibility(self, claim_id: str, grade: str | int, *, by: str,
                    note: str | None = None) -> Op:
        """Set a claim's Admiralty credibility (1-6)."""
        value = _check(parse_credibility, grade)
        self.require("claims", claim_id)
        return self.op("set", "claims", by=by, note=note, id=claim_id,
                       fields={"credibility": value})

    def reliability(self, source_id: str, grade: str, *, by: str,
                    note: str | None = None) -> Op:
        """Set a source's Admiralty reliability (A-F)."""
        value = _check(parse_reliability, grade)
        self.require("sources", source_id)
        return self.op("set", "sources", by=by, note=note, id=source_id,
                       fields={"reliability": value})

    def grade(self, record_ids: Iterable[str], grade: str | tuple[str | None, int | None], *,
              by: str, note: str | None = None) -> list[Op]:
        """Grade claims or sources: ``B3``, ``B`` or ``3`` (or a parsed (letter, digit)).

        A source takes a letter. On a claim the digit is its credibility and the letter grades
        the claim's source (each source once): a claim whose source is unknown is refused, and
        so is the whole batch.
        """
        letter, digit = _check(parse_grade, grade) if isinstance(grade, str) else grade
        ops: list[Op] = []
        graded: set[str] = set()
        for rid in record_ids:
            if self.records.get("claims", rid) is None and self.records.get(
                    "sources", rid) is not None:
                if digit is not None or letter is None:
                    raise InvalidValueError("a source takes a reliability letter A-F"
                                            " (credibility 1-6 is for claims)")
                if rid not in graded:
                    graded.add(rid)
                    ops.append(self.reliability(rid, letter, by=by, note=note))
                continue
            claim = self.records.get("claims", rid)
            if claim is None:
                raise NotFoundError(f"no claim or source with id {rid!r}")
            if letter is not None:
                source = claim.get("source")
                if not isinstance(source, str) or self.records.get("sources", source) is None:
                    raise NotFoundError(f"claim {rid!r} has no known source to grade {letter}")
                if source not in graded:
                    graded.add(source)
                    ops.append(self.reliability(source, letter, by=by, note=note))
            if digit is not None:
                ops.append(self.credibility(rid, digit, by=by, note=note))
        return ops

    def control(self, settlement_id: str, controller: str, as_of: str, *, by: str,
                claim: str | None = None, note: str | None = None) -> Op:
        """Record who controls a settlement as of a date, and what that rests on (the same
        observation recorded again changes nothing: the append op skips an equal value)."""
        who = _check(parse_controller, controller).value
        when = dates.normalize(as_of)
        self.require("settlements", settlement_id)
        if claim is not None:
            self.require("claims", claim)
        observation = {"controller": who, "as_of": when, "claim": claim, "note": note}
        return self.op("append", "settlements", by=by, note=note, id=settlement_id,
                       field="control", value=observation)

    def note(self, table: str | None, record_id: str, text: str, *, by: str) -> Op:
        """Append a note to a record's history (``table`` None: find the id in any table)."""
        if not text.strip():
            raise InvalidValueError("a note cannot be empty")
        if table is None:
            found = self.records.find(record_id)
            if found is None:
                raise NotFoundError(f"no record with id {record_id!r}")
            table = found[0]
        self.require(table, record_id)
        return self.op("note", table, by=by, note=text, id=record_id)

    def retract_note(self, table: str, record_id: str, text: str, *, by: str) -> Op:
        """Mark a note retracted (history is append-only: the entry names the retracted text)."""
        self.require(table, record_id)
        return self.op("note", table, by=by, note="retracted", id=record_id, retracts=text)

    def restore(self, table: str, record_id: str, field: str, value: Any, *, by: str,
                note: str | None = None) -> Op:
        """Put back the value ``field`` held before (an undo): it was in the record already,
        so it is not checked as a new value would be."""
        self.require(table, record_id)
        return self.op("set", table, by=by, note=note, id=record_id, fields={field: value})

    def put(self, table: str, record: Record, *, by: str, note: str | None = None,
            field: str | None = "record", exists: IdLookup | None = None,
            at: str | None = None) -> Op:
        """Insert ``record``, or replace the record with its id; history stays append-only.

        The op adds a history entry ``field`` (``created`` for a new record); ``field`` None:
        none, the record carries its own (a feed's merge). ``exists(table, id)`` resolves its
        references (default: the loaded records; a feed passes one that also knows the records
        of its own batch).
        """
        if table not in (*TABLES, FEEDS_TABLE):
            raise InvalidValueError(f"unknown table {table!r}")
        problems = validate_record(table, record, exists or self.records.exists)
        if problems:
            raise InvalidValueError(str(problems[0]), field=problems[0].field)
        op = self.op("put", table, by=by, note=note, at=at, record=record)
        if field is not None:
            op["field"] = field if self.records.get(table, record["id"]) is not None else "created"
        return op

    def resolve(self, record_id: str, field: str, value: str | None, *, by: str,
                note: str | None = None) -> Op:
        """Resolve the open conflict on ``field`` of a record by picking one of its two values
        (given as text, as the CLI prints them); a ``record`` or ``id`` conflict takes no
        value: the record stays as it is. The resolution is a history entry of ``field``
        marked ``"resolves": "conflict"``."""
        found = self.records.find(record_id)
        if found is None:
            raise NotFoundError(f"no record with id {record_id!r}")
        table, record = found
        conflicts = [e for e in open_conflicts(record) if e.get("conflict") == field]
        if not conflicts:
            raise InvalidValueError(f"{record_id!r} has no open conflict on {field!r}")
        op = self.op("resolve", table, by=by, note=note or "conflict resolved", id=record_id,
                     field=field)
        if field in ("record", "id"):
            if value is not None:
                raise InvalidValueError(f"a {field} conflict takes no value: the record stays"
                                        " as it is")
            return op
        choices: list[Any] = []
        for entry in conflicts:
            for side in (entry.get("to"), entry.get("from")):
                if isinstance(side, dict) and "value" in side and side["value"] not in choices:
                    choices.append(side["value"])
        if value is None:
            raise InvalidValueError(f"pick one of: {', '.join(_shown(c) for c in choices)}")
        for choice in choices:
            if _shown(choice) == value or choice == value:
                op["value"] = choice
                return op
        raise InvalidValueError(f"{value!r} is neither value of the conflict on {field!r};"
                                f" pick one of: {', '.join(_shown(c) for c in choices)}")

    def merge_settlements(self, keep_id: str, drop_id: str, *, by: str,
                          note: str | None = None) -> list[Op]:
        """Make two settlements one (``sitrep places merge``): KEEP takes DROP's names, ids,
        control and history (:func:`sitrep.places.unite.unite`) and a ``merged`` history
        entry; every claim naming DROP names KEEP instead; DROP is removed. Apply the ops as
        one batch: one write, or none."""
        from sitrep.places.unite import id_clash, unite

        if keep_id == drop_id:
            raise InvalidValueError(f"KEEP and DROP are both {keep_id!r}: name two settlements")
        keep = self.require("settlements", keep_id)
        drop = self.require("settlements", drop_id)
        clash = id_clash(keep, drop)
        if clash:
            raise InvalidValueError(clash)
        at = self.now()
        claims = self.records.claims_for_settlement(drop_id)
        why = note or f"settlement {drop_id} merged into {keep_id}"
        record = unite(keep, drop)
        record["history"].append({
            "at": at, "by": by, "field": "merged", "from": drop_id, "to": keep_id,
            "note": f"{why} ({len(claims)} claim{'s' if len(claims) != 1 else ''} re-pointed)",
        })
        ops = [self.put("settlements", record, by=by, field=None, at=at)]
        for claim in claims:
            links = claim.get("settlements")
            pointed = [keep_id if s == drop_id else s for s in links] if isinstance(
                links, list) else [keep_id]
            ops.append(self.op("set", "claims", by=by, note=why, at=at, id=claim["id"],
                               fields={"settlements": list(dict.fromkeys(pointed))}))
        ops.append(self.op("delete", "settlements", by=by, at=at, id=drop_id))
        return ops

    def delete(self, table: str, record_id: str, *, by: str) -> Op:
        """Remove a record (references to it become validation problems, shown by validate)."""
        self.require(table, record_id)
        return self.op("delete", table, by=by, id=record_id)


def _shown(value: Any) -> str:
    """A value as the CLI prints and takes it (text as it is, anything else as JSON)."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _check(parser: Callable[[Any], Any], value: Any) -> Any:
    try:
        return parser(value)
    except ValueError as exc:
        raise InvalidValueError(str(exc)) from None
