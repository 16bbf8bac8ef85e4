"""The named changes an analyst makes (mixed into Store): each validates its input, builds
an op (``sitrep.store.ops``) stamped with the store's clock, and hands it to ``Store.apply``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sitrep import dates
from sitrep.errors import InvalidValueError, NotFoundError
from sitrep.models import (
    TABLES,
    Record,
    parse_controller,
    parse_credibility,
    parse_reliability,
    parse_status,
)
from sitrep.store.ops import Op


class ChangesMixin:
    """set_status, set_credibility, set_reliability, add_control, add_note, put, delete."""

    # Provided by Store and QueryMixin: _clock, apply(), get(), find().
    _clock: Callable[[], datetime]
    apply: Callable[[list[Op]], list[bool]]
    get: Callable[[str, str], Record | None]
    find: Callable[[str], tuple[str, Record] | None]

    def _op(self, kind: str, table: str, by: str, note: str | None = None, **fields: Any) -> Op:
        op: Op = {"op": kind, "table": table, "at": dates.utc_now_iso(self._clock()), "by": by}
        if note:
            op["note"] = note
        op.update(fields)
        return op

    def _require(self, table: str, rid: str) -> Record:
        record = self.get(table, rid)
        if record is None:
            raise NotFoundError(f"no {table.rstrip('s')} with id {rid!r}")
        return record

    def set_status(self, claim_id: str, status: str, *, by: str, note: str | None = None
                   ) -> Record:
        """Change a claim's verification status (history records who, when, why)."""
        value = _check(parse_status, status).value
        self._require("claims", claim_id)
        self.apply([self._op("set", "claims", by, note, id=claim_id, fields={"status": value})])
        return self._require("claims", claim_id)

    def set_credibility(self, claim_id: str, grade: str | int, *, by: str,
                        note: str | None = None) -> Record:
        """Change a claim's Admiralty credibility (1-6)."""
        value = _check(parse_credibility, grade)
        self._require("claims", claim_id)
        self.apply(
            [self._op("set", "claims", by, note, id=claim_id, fields={"credibility": value})]
        )
        return self._require("claims", claim_id)

    def set_reliability(self, source_id: str, grade: str, *, by: str, note: str | None = None
                        ) -> Record:
        """Change a source's Admiralty reliability (A-F)."""
        value = _check(parse_reliability, grade)
        self._require("sources", source_id)
        self.apply(
            [self._op("set", "sources", by, note, id=source_id, fields={"reliability": value})]
        )
        return self._require("sources", source_id)

    def add_control(self, settlement_id: str, controller: str, as_of: str, *, by: str,
                    claim: str | None = None, note: str | None = None) -> Record:
        """Record who controls a settlement as of a date, and what that rests on."""
        who = _check(parse_controller, controller).value
        when = dates.normalize(as_of)
        self._require("settlements", settlement_id)
        if claim is not None:
            self._require("claims", claim)
        observation = {"controller": who, "as_of": when, "claim": claim, "note": note}
        self.apply([self._op("append", "settlements", by, note, id=settlement_id,
                             field="control", value=observation)])
        return self._require("settlements", settlement_id)

    def add_note(self, table: str | None, record_id: str, text: str, *, by: str) -> Record:
        """Append a note to a record's history (``table`` None: find the id in any table)."""
        if not text.strip():
            raise InvalidValueError("a note cannot be empty")
        if table is None:
            found = self.find(record_id)
            if found is None:
                raise NotFoundError(f"no record with id {record_id!r}")
            table = found[0]
        self._require(table, record_id)
        self.apply([self._op("note", table, by, text, id=record_id)])
        return self._require(table, record_id)

    def put(self, table: str, record: Record, *, by: str, note: str | None = None,
            field: str = "record") -> Record:
        """Insert ``record``, or replace the record with its id; history stays append-only."""
        from sitrep.store.validate import validate_record

        if table not in (*TABLES, "feeds"):
            raise InvalidValueError(f"unknown table {table!r}")
        problems = validate_record(table, record, self)
        if problems:
            raise InvalidValueError(str(problems[0]))
        rid = record["id"]
        kind_field = field if self.get(table, rid) is not None else "created"
        self.apply([self._op("put", table, by, note, record=record, field=kind_field)])
        return self._require(table, rid)

    def delete(self, table: str, record_id: str, *, by: str) -> None:
        """Remove a record (references to it become validation problems, shown by validate)."""
        self._require(table, record_id)
        self.apply([self._op("delete", table, by, id=record_id)])

    def make_op(self, kind: str, table: str, *, by: str, note: str | None = None,
                **fields: Any) -> Op:
        """Build an op stamped with this store's clock, for callers that batch with apply()."""
        return self._op(kind, table, by, note, **fields)


def _check(parser: Callable[[Any], Any], value: Any) -> Any:
    try:
        return parser(value)
    except ValueError as exc:
        raise InvalidValueError(str(exc)) from None
