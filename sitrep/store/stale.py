"""Stale saves: an editor saved over a version of the file that held changes sitrep wrote.

vim (or any editor) reads the file, sitrep writes a change, and the editor then saves what it
read plus the analyst's edits: sitrep's change is gone from the file. History is append-only,
so the store can tell: the new file lacks history entries that the version sitrep last read
or wrote holds, on records it still has. Those changes are merged back with the three-way
merge (``sitrep.document_merge``):

* **ours** is the file as sitrep last knew it (its records before the journal's changes);
* **theirs** is the file now (its hand edits timed at its modification time, by the login);
* **base**, the version the editor must have read, is rebuilt from ours: each record the save
  lacks entries of is taken back to before those entries (each names the value it replaced:
  a status, a grade, an appended control observation; a record it created did not exist);
  every other record is ours as it is, so every hand edit of the save counts as a change.

A record the save lacks altogether counts as deleted by the analyst, unless it holds an entry
newer than every entry of the save (the editor cannot have seen that version): then it is
kept (or, created since, put back). :func:`merge_back` is pure: documents in, a document out.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitrep.document_merge import Side, entries_not_in, fingerprint, merge_documents
from sitrep.models import META_TABLE, Record, listed
from sitrep.store.document import Document
from sitrep.store.ops import json_copy

LIST_ONLY = ("note", "conflict", "created")  # entries that changed only the history


@dataclass(frozen=True)
class StaleSave:
    """What the store merged back after an editor saved over sitrep's changes."""

    path: str
    changes: int  # sitrep's history entries the save lacked, now back in the file
    records: tuple[tuple[str, str], ...]  # (table, id) of the records they belong to
    conflicts: int  # fields both changed: the later kept, the other in a conflict entry

    def __str__(self) -> str:
        plural = "" if self.changes == 1 else "s"
        text = f"your editor saved over {self.changes} change{plural}; merged back — see history"
        if self.conflicts:
            text += f" ({self.conflicts} conflict(s) recorded)"
        return text


def _newest_entry(doc: Document) -> str:
    """The time of the newest history entry in ``doc`` (what the editor had seen)."""
    newest = ""
    for table, records in doc.items():
        if table == META_TABLE or type(records) is not dict:
            continue
        for record in records.values():
            history = record.get("history") if type(record) is dict else None
            for entry in history if type(history) is list else []:
                at = entry.get("at") if type(entry) is dict else None
                if type(at) is str and at > newest:
                    newest = at
    return newest


def find_lost(previous: Document, doc: Document, by_id: dict[str, dict[str, str]]
              ) -> dict[tuple[str, str], tuple[str, list[Record]]]:
    """(table, id) -> (doc key in ``previous``, the entries ``doc`` lacks) for every record of
    ``previous`` whose changes the new file ``doc`` does not hold. ``by_id`` is the new file's
    index (table -> id -> doc key); a table it lacks is indexed here."""
    lost: dict[tuple[str, str], tuple[str, list[Record]]] = {}
    absent: list[tuple[str, str, str, Record]] = []
    for table, records in previous.items():
        if table == META_TABLE or type(records) is not dict:
            continue
        new_records = doc.get(table)
        if type(new_records) is not dict:
            new_records = {}
        ids = by_id.get(table)
        if ids is None:
            ids = {r["id"]: k for k, r in new_records.items()
                   if type(r) is dict and type(r.get("id")) is str}
        for key, record in records.items():
            if type(record) is not dict:
                continue
            old = record.get("history")
            if type(old) is not list or not old:
                continue
            rid = record.get("id")
            if type(rid) is not str:
                continue
            new = new_records.get(key)  # the usual case: the same doc id in both
            if type(new) is not dict or new.get("id") != rid:
                new_key = ids.get(rid)
                if new_key is None:
                    absent.append((table, rid, key, record))
                    continue
                new = new_records.get(new_key)
            history = new.get("history") if type(new) is dict else None
            n = len(old)
            # history is append-only: its newest entry where it was means all of it is there
            # (one comparison per record: this runs on every hand edit of a 100k-claim file)
            if type(history) is list and len(history) >= n and history[n - 1] == old[-1]:
                continue
            missing = entries_not_in(old, history)
            if missing:
                lost[(table, rid)] = (key, missing)
    if absent:
        seen = _newest_entry(doc)
        for table, rid, key, record in absent:
            unseen = [e for e in record["history"]
                      if type(e) is dict and type(e.get("at")) is str and e["at"] > seen]
            if unseen:
                lost[(table, rid)] = (key, unseen)
    return lost


def before_entries(record: Record, entries: list[Record], theirs: Record | None
                   ) -> Record | None:
    """``record`` as it was before ``entries`` (its newest history entries) were made, or None
    when one of them created it. A whole-record edit names its fields but not their old
    values: those are taken from ``theirs``."""
    if any(e.get("field") == "created" for e in entries):
        return None
    out = dict(record)
    history = record.get("history")
    gone = {fingerprint(e) for e in entries}
    out["history"] = [e for e in history if fingerprint(e) not in gone] if type(
        history) is list else history
    other = theirs or {}
    for entry in reversed(entries):
        name = entry.get("field")
        if type(name) is not str or name in LIST_ONLY:
            continue
        if name == "record":
            for field in listed(entry.get("from")):
                if type(field) is str and field not in ("id", "history"):
                    if field in other:
                        out[field] = other[field]
                    else:
                        out.pop(field, None)
            continue
        current, old, new = out.get(name), entry.get("from"), entry.get("to")
        if type(current) is list and old is None and new in current:  # an appended item
            at = len(current) - 1 - current[::-1].index(new)
            out[name] = current[:at] + current[at + 1:]
        elif "from" in entry:
            if old is None and name not in other:
                out.pop(name, None)
            else:
                out[name] = old
    return out


def merge_back(previous: Document, doc: Document, by_id: dict[str, dict[str, str]], *,
               path: str, ours: tuple[str, str], theirs: tuple[str, str]
               ) -> tuple[Document, StaleSave] | None:
    """The new file ``doc`` with the changes of ``previous`` it lacks merged back, and what
    was done; None when it lacks none (a hand edit made on top of ``previous``).

    ``ours``/``theirs`` are (at, by) of each side's changes that left no history.
    """
    lost = find_lost(previous, doc, by_id)
    if not lost:
        return None
    base: Document = dict(previous)
    copied: set[str] = set()
    for (table, rid), (key, entries) in lost.items():
        if table not in copied:
            base[table] = dict(base[table])
            copied.add(table)
        new_key = by_id.get(table, {}).get(rid)
        their = doc.get(table, {}).get(new_key) if new_key is not None else None
        rebuilt = before_entries(previous[table][key], entries,
                                 their if type(their) is dict else None)
        if rebuilt is None:
            del base[table][key]
        else:
            base[table][key] = rebuilt
    # the file now first: the result keeps the analyst's layout (order, doc ids)
    result = merge_documents(base, Side(doc, *theirs), Side(previous, *ours))
    merged = result.document
    own = {id(r) for records in doc.values() if type(records) is dict for r in records.values()}
    for records in merged.values():
        if type(records) is not dict:
            continue
        for key, record in records.items():
            if id(record) not in own:  # the store changes its records in place: no sharing
                records[key] = json_copy(record)
    notice = StaleSave(path, sum(len(entries) for _, entries in lost.values()),
                       tuple(sorted(lost)), len(result.conflicts))
    return merged, notice
