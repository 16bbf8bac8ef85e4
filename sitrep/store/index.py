"""In-memory indexes over the document, so lookups and filters do not scan every record."""

from __future__ import annotations

from collections import defaultdict
from itertools import repeat
from typing import Any

from sitrep.models import TABLES, Record

ClaimSets = defaultdict[str, dict[str, Record]]


def _ids(value: Any) -> list[str]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


class Index:
    """Maps ids to doc keys, and claims by settlement, source and status.

    Claim sets map claim id to the claim record itself (insertion-ordered, so removal is O(1)
    and iteration follows the order records were indexed): a filter on one field is then a copy
    of the set's values. Records change in place, and a replaced record is removed and added
    again, so the values stay the live records.

    Only ``by_id`` is built by :meth:`rebuild`; the claim sets are built on first use, from
    the claims in ``by_id`` order. That is the order eager indexing would give them too (every
    ``add`` appends an id to ``by_id`` and to its sets, every ``remove`` takes it from both), and
    it keeps them off the load path: the dashboard never asks for them, and building them is
    three quarters of indexing 100k claims.
    """

    def __init__(self) -> None:
        self.by_id: dict[str, dict[str, str]]
        self._max_key: dict[str, int]
        self._doc: dict[str, Any]
        self._sets: tuple[ClaimSets, ClaimSets, ClaimSets] | None
        self._clear()

    def _clear(self) -> None:
        """Forget everything (a new index, as :meth:`rebuild` starts from)."""
        self.by_id = {t: {} for t in TABLES}
        self._max_key = {}
        self._doc = {}
        self._sets = None

    @property
    def max_key(self) -> dict[str, int]:
        """The biggest doc key per table, as loaded or handed out since.

        Computed on first use (only inserts need it) or before the first removal, so a key
        deleted since the load is never handed out again.
        """
        for table in self._doc:
            self._note_max(table)
        return self._max_key

    def _note_max(self, table: str) -> None:
        if table not in self._max_key:
            records = self._doc.get(table) or {}
            # a key such as "²" passes isdigit() and fails int(), as it always did
            self._max_key[table] = max(map(int, filter(str.isdigit, records)), default=0)

    @property
    def by_settlement(self) -> ClaimSets:
        """Claim ids by settlement id."""
        return self._claim_sets()[0]

    @property
    def by_source(self) -> ClaimSets:
        """Claim ids by source id."""
        return self._claim_sets()[1]

    @property
    def by_status(self) -> ClaimSets:
        """Claim ids by status."""
        return self._claim_sets()[2]

    def rebuild(self, doc: dict[str, dict[str, Any]]) -> None:
        """Index every record of ``doc`` from scratch."""
        self._clear()
        self._doc = doc
        for table, records in doc.items():
            self.by_id.setdefault(table, {})
            if table == "claims":
                self.by_id["claims"] = _first_ids(records)
            else:
                for key, record in records.items():
                    if isinstance(record, dict):
                        self.add(table, key, record)

    def _claim_sets(self) -> tuple[ClaimSets, ClaimSets, ClaimSets]:
        sets = self._sets
        if sets is None:
            sets = self._sets = (defaultdict(dict), defaultdict(dict), defaultdict(dict))
            records = self._doc.get("claims")
            records = records if isinstance(records, dict) else {}
            for rid, key in self.by_id.get("claims", {}).items():
                record = records.get(key)
                if isinstance(record, dict):
                    self._add_claim(rid, record)
        return sets

    def _add_claim(self, rid: str, record: Record) -> None:
        assert self._sets is not None
        by_settlement, by_source, by_status = self._sets
        for sid in _ids(record.get("settlements")):
            by_settlement[sid][rid] = record
        source = record.get("source")
        if isinstance(source, str):
            by_source[source][rid] = record
        status = record.get("status")
        if isinstance(status, str):
            by_status[status][rid] = record

    def next_key(self, table: str) -> str:
        """A fresh doc key for ``table`` (past any key a person added by hand)."""
        self.max_key[table] = self.max_key.get(table, 0) + 1
        return str(self.max_key[table])

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
        if table == "claims" and self._sets is not None:
            self._add_claim(rid, record)

    def remove(self, table: str, key: str, record: Record, *, replacing: bool = False) -> None:
        """Forget one record (only if it is the one indexed under its id).

        ``replacing``: the same key gets a new version at once, so it is not freed and the
        biggest key (a scan of every key, ~13 ms at 100k) need not be noted first.
        """
        if not replacing:
            self._note_max(table)
        rid = record.get("id")
        if not isinstance(rid, str):
            return
        ids = self.by_id.get(table, {})
        if ids.get(rid) != key:
            return
        del ids[rid]
        if table == "claims" and self._sets is not None:
            by_settlement, by_source, by_status = self._sets
            for sid in _ids(record.get("settlements")):
                by_settlement[sid].pop(rid, None)
            source = record.get("source")
            if isinstance(source, str):
                by_source[source].pop(rid, None)
            status = record.get("status")
            if isinstance(status, str):
                by_status[status].pop(rid, None)


def _first_ids(records: dict[str, Any]) -> dict[str, str]:
    """id -> doc key for every record with a string id (the first one wins), in file order.

    The hot loop of a load at 100k claims; the common file (every record a dict with a unique
    string id) takes one ``dict(zip(...))`` at C speed, anything else the careful loop.
    """
    rids: list[Any]
    try:
        rids = list(map(dict.get, records.values(), repeat("id")))
    except TypeError:  # a record that is not an object
        rids = []
    if rids and all(map(str.__instancecheck__, rids)):
        every: dict[str, str] = dict(zip(rids, records, strict=True))
        if len(every) == len(rids):
            return every
    ids: dict[str, str] = {}
    for key, record in records.items():
        if isinstance(record, dict):
            rid = record.get("id")
            if isinstance(rid, str) and rid not in ids:
                ids[rid] = key
    return ids
