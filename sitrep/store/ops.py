"""Changes as data: every mutation of the store is an op, applied the same way everywhere.

An op is a small JSON object, so the same change can be applied in memory, written to the
journal, replayed after a crash, and re-applied on top of a file someone edited by hand. The
``from`` value of a history entry is read from the record when the op is applied, so a
re-applied change records what it really replaced.

====================  ===============================================================
``set``               set ``fields`` of record ``id``; one history entry per changed field
``note``              append a note to the record's history
``append``            append ``value`` to the list ``field`` unless an equal value is in it
``put``               insert ``record``, or replace the record with its id (history kept)
``delete``            remove record ``id``
``resolve``           resolve the conflict on ``field``: set it to ``value`` (when given);
                      the entry is marked ``"resolves": "conflict"``
====================  ===============================================================

Every op carries ``table``, ``at`` (UTC) and ``by``, and optionally ``note``. A ``set`` op
also names what each field held when it was made (``from``), for the journal's replay
(``sitrep.store.replay``); applying it here reads the ``from`` of its history entry afresh.
"""

from __future__ import annotations

from typing import Any

from sitrep.errors import InvalidValueError, NotFoundError
from sitrep.models import CONFLICT_FIELD, RESOLVES_KEY, Record
from sitrep.store.document import Document
from sitrep.store.index import Index

Op = dict[str, Any]


def json_copy(value: Any) -> Any:
    """A deep copy of JSON-shaped data (dicts, lists, scalars): 3x faster than deepcopy."""
    kind = type(value)
    if kind is dict:
        return {k: json_copy(v) for k, v in value.items()}
    if kind is list:
        return [json_copy(v) for v in value]
    return value


def _entry(op: Op, field: str, old: Any, new: Any, note: str | None = None) -> Record:
    return {
        "at": op["at"],
        "by": op["by"],
        "field": field,
        "from": old,
        "to": new,
        "note": note if note is not None else op.get("note"),
    }


def _history_of(record: Record, table: str) -> list[Any]:
    history = record.setdefault("history", [])
    if not isinstance(history, list):
        raise InvalidValueError(
            f"{table} {record.get('id')!r}: field 'history' is not a list; fix it by hand first"
        )
    return history


def locate(doc: Document, index: Index, table: str, rid: str) -> tuple[str, Record]:
    """The doc key and record with id ``rid`` in ``table``, or NotFoundError."""
    key = index.by_id.get(table, {}).get(rid)
    if key is None or key not in doc.get(table, {}):
        raise NotFoundError(f"no {table[:-1] if table.endswith('s') else table} with id {rid!r}")
    return key, doc[table][key]


def touched(op: Op, doc: Document, index: Index) -> tuple[str, str | None]:
    """The (table, doc key) an op will change, for snapshots before applying it."""
    table = op["table"]
    rid = op["record"].get("id") if op["op"] == "put" else op.get("id")
    return table, index.by_id.get(table, {}).get(rid) if isinstance(rid, str) else None


def apply_op(doc: Document, index: Index, op: Op) -> bool:
    """Apply one op to ``doc`` and keep ``index`` in step. Returns False for a no-op.

    Raises NotFoundError or InvalidValueError when the op does not apply; the caller rolls back.
    """
    kind, table = op["op"], op["table"]
    if not isinstance(table, str) or not table:
        raise InvalidValueError(f"a change names no table ({table!r})")
    records = doc.setdefault(table, {})
    index.by_id.setdefault(table, {})
    if kind == "put":
        return _apply_put(records, index, op)
    key, record = locate(doc, index, table, op["id"])
    if kind == "delete":
        index.remove(table, key, record)
        del records[key]
        return True
    index.remove(table, key, record, replacing=True)
    try:
        if kind == "set":
            changed = False
            history = _history_of(record, table)
            for field, value in op["fields"].items():
                old = record.get(field)
                if old == value:
                    continue
                record[field] = value
                history.append(_entry(op, field, old, value))
                changed = True
            if not changed and op.get("note"):
                history.append(_entry(op, "note", None, None))
                changed = True
            return changed
        if kind == "resolve":
            name = op["field"]
            old = record.get(name)
            if "value" in op:
                record[name] = json_copy(op["value"])
            entry = _entry(op, name, old, op.get("value", old))
            entry[RESOLVES_KEY] = CONFLICT_FIELD
            _history_of(record, table).append(entry)
            return True
        if kind == "note":
            # an undone note is retracted, not erased (history is append-only): the new
            # entry carries the retracted text in "from"
            retracts = op.get("retracts")
            old = retracts if isinstance(retracts, str) else None
            _history_of(record, table).append(_entry(op, "note", old, None))
            return True
        if kind == "append":
            values = record.setdefault(op["field"], [])
            if not isinstance(values, list):
                raise InvalidValueError(
                    f"{table} {op['id']!r}: field {op['field']!r} is not a list;"
                    " fix it by hand first"
                )
            if op["value"] in values:  # the same observation recorded again: stored once
                return False
            values.append(json_copy(op["value"]))
            _history_of(record, table).append(_entry(op, op["field"], None, op["value"]))
            return True
        raise InvalidValueError(f"unknown change kind {kind!r}")
    finally:
        index.add(table, key, record)


def _apply_put(records: dict[str, Any], index: Index, op: Op) -> bool:
    table = op["table"]
    new = json_copy(op["record"])
    rid = new.get("id")
    if not isinstance(rid, str) or not rid:
        raise InvalidValueError(f"{table}: a record needs a non-empty string id")
    key = index.by_id[table].get(rid)
    history = new.get("history")
    if history is not None and not isinstance(history, list):
        raise InvalidValueError(f"{table} {rid!r}: field 'history' must be a list")
    if key is None or key not in records:
        key = index.next_key(table)
        new.setdefault("history", [])
        if op.get("field"):
            new["history"].append(_entry(op, op["field"], None, None))
        records[key] = new
        index.add(table, key, new)
        return True
    old = records[key]
    old_history = old.get("history") if isinstance(old.get("history"), list) else []
    new_history = new.get("history") or []
    if new_history[: len(old_history)] != old_history:
        raise InvalidValueError(
            f"{table} {rid!r}: history is append-only; existing entries cannot be changed"
        )
    changed = sorted(
        f for f in set(old) | set(new) if f != "history" and old.get(f) != new.get(f)
    )
    if not changed and len(new_history) == len(old_history):
        return False
    new["history"] = list(new_history)
    if changed and op.get("field"):
        new["history"].append(_entry(op, op["field"], changed, None))
    index.remove(table, key, old, replacing=True)
    records[key] = new
    index.add(table, key, new)
    return True
