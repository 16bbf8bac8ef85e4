"""In-memory indexes over the document, so lookups and filters do not scan every record."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sitrep.models import TABLES, Record


def _ids(value: Any) -> list[str]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


class Index:
    """Maps ids to doc keys, and claims by settlement, source and status.

    Claim sets are dicts used as insertion-ordered sets, so removal is O(1) and iteration
    follows the order records were indexed (file order after a load).
    """

    def __init__(self) -> None:
        self.by_id: dict[str, dict[str, str]] = {t: {} for t in TABLES}
        self.by_settlement: defaultdict[str, dict[str, None]] = defaultdict(dict)
        self.by_source: defaultdict[str, dict[str, None]] = defaultdict(dict)
        self.by_status: defaultdict[str, dict[str, None]] = defaultdict(dict)
        self.max_key: dict[str, int] = {}

    def rebuild(self, doc: dict[str, dict[str, Any]]) -> None:
        """Index every record of ``doc`` from scratch."""
        self.__init__()  # type: ignore[misc]
        for table, records in doc.items():
            self.by_id.setdefault(table, {})
            biggest = 0
            if table == "claims":
                biggest = self._rebuild_claims(records)
            else:
                for key, record in records.items():
                    if key.isdigit():
                        biggest = max(biggest, int(key))
                    if isinstance(record, dict):
                        self.add(table, key, record)
            self.max_key[table] = biggest

    def _rebuild_claims(self, records: dict[str, Any]) -> int:
        """The hot loop of a load at 100k claims: ``add`` inlined for the common shapes."""
        ids = self.by_id.setdefault("claims", {})
        by_settlement, by_source, by_status = self.by_settlement, self.by_source, self.by_status
        biggest = 0
        for key, record in records.items():
            if key.isdigit() and int(key) > biggest:
                biggest = int(key)
            if type(record) is not dict:
                continue
            rid = record.get("id")
            if type(rid) is not str or rid in ids:
                continue
            ids[rid] = key
            places = record.get("settlements")
            if type(places) is list:
                for sid in places:
                    if type(sid) is str:
                        by_settlement[sid][rid] = None
            source = record.get("source")
            if type(source) is str:
                by_source[source][rid] = None
            status = record.get("status")
            if type(status) is str:
                by_status[status][rid] = None
        return biggest

    def next_key(self, table: str) -> str:
        """A fresh doc key for ``table`` (past any key a person added by hand)."""
        self.max_key[table] = self.max_key.get(table, 0) + 1
        return str(self.max_key[table])

    def note_key(self, table: str, key: str) -> None:
        """Remember a doc key so that ``next_key`` never reuses it."""
        if key.isdigit():
            self.max_key[table] = max(self.max_key.get(table, 0), int(key))

    def add(self, table: str, key: str, record: Record) -> None:
        """Index one record (the first record with a given id wins; duplicates are validation
        problems, kept as they are)."""
        rid = record.get("id")
        if not isinstance(rid, str):
            return
        ids = self.by_id.setdefault(table, {})
        if rid in ids:
            return
        ids[rid] = key
        if table == "claims":
            for sid in _ids(record.get("settlements")):
                self.by_settlement[sid][rid] = None
            source = record.get("source")
            if isinstance(source, str):
                self.by_source[source][rid] = None
            status = record.get("status")
            if isinstance(status, str):
                self.by_status[status][rid] = None

    def remove(self, table: str, key: str, record: Record) -> None:
        """Forget one record (only if it is the one indexed under its id)."""
        rid = record.get("id")
        if not isinstance(rid, str):
            return
        ids = self.by_id.get(table, {})
        if ids.get(rid) != key:
            return
        del ids[rid]
        if table == "claims":
            for sid in _ids(record.get("settlements")):
                self.by_settlement[sid].pop(rid, None)
            source = record.get("source")
            if isinstance(source, str):
                self.by_source[source].pop(rid, None)
            status = record.get("status")
            if isinstance(status, str):
                self.by_status[status].pop(rid, None)
