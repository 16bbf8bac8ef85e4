"""A journal line replayed over a file that changed since the line was written.

A ``set`` op in the journal names the value each field had when it was made (``from``). When
the file's value is no longer that value (a hand edit, another analyst's change), replaying
the line blindly would undo that change and write a history entry nobody made (``status:
false -> confirmed``). Instead each such field follows the merge's rules
(``sitrep.document_merge``): the later change wins and a conflict entry records the other.

The file's change is timed by the history entry that made it (the newest entry about the
field, when it set the value the file holds), else — a hand edit leaves none — by the file's
modification time, by the login name. Lines without ``from`` (journals written before it
existed) are applied as they are.
"""

from __future__ import annotations

from typing import Any

from sitrep.document_merge import field_conflict_entry, fingerprint
from sitrep.models import Record, listed
from sitrep.store.document import Document
from sitrep.store.index import Index
from sitrep.store.ops import Op, apply_op, locate


def _file_change(record: Record, name: str, file_side: tuple[str, str]) -> tuple[str, str]:
    """(at, by) of the change that gave ``record`` its value of ``name``."""
    history = record.get("history")
    for entry in reversed(history if isinstance(history, list) else []):
        if not isinstance(entry, dict):
            continue
        field = entry.get("field")
        recorded = field == name or (field == "record" and name in listed(entry.get("from")))
        if not recorded:
            continue
        at, by = entry.get("at"), entry.get("by")
        if isinstance(at, str) and (field == "record" or entry.get("to") == record.get(name)):
            return at, by if isinstance(by, str) else file_side[1]
        break  # the newest entry about it did not set this value: a hand edit since
    return file_side


def _order(change: tuple[str, str, Any]) -> tuple[str, str, bytes]:
    return change[0], change[1], fingerprint(change[2])


def replay_op(doc: Document, index: Index, op: Op, file_side: tuple[str, str]) -> bool:
    """Apply a journal op to ``doc`` (as :func:`~sitrep.store.ops.apply_op`, whose errors it
    raises), a field the file changed since the op was made by the merge's rules."""
    before = op.get("from")
    if op.get("op") != "set" or not isinstance(before, dict):
        return apply_op(doc, index, op)
    _, record = locate(doc, index, op["table"], op["id"])
    plain: dict[str, Any] = {}
    entries: list[Record] = []
    for name, value in op["fields"].items():
        current = record.get(name)
        if name not in before or current == before[name] or current == value:
            plain[name] = value
            continue
        at, by = _file_change(record, name, file_side)
        theirs = (op["at"], op["by"], value)
        file = (at, by, current)
        if _order(theirs) > _order(file):
            plain[name] = value
            entries.append(field_conflict_entry(name, kept=theirs, lost=file))
        else:
            entries.append(field_conflict_entry(name, kept=file, lost=theirs))
    changed = False
    if plain or op.get("note"):  # a change that lost keeps its note (a note entry)
        changed = apply_op(doc, index, {**op, "fields": plain})
    if entries:
        history = record.setdefault("history", [])
        if isinstance(history, list):
            history.extend(entries)
            changed = True
    return changed
