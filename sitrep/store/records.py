"""The loaded records and the read-only questions answered from them and their index.

The Store holds one :class:`Records`: the document as in the file, its :class:`Index`, and
the caches of searchable text that a change to a claim invalidates."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import compress

from sitrep import dates
from sitrep.analysis.as_of import control_at
from sitrep.models import STATUSES, Record, current_control
from sitrep.store.document import Document
from sitrep.store.index import Index


class Records:
    """Lookups and filters over one loaded document; every method is O(matches) where indexed.

    ``doc`` and ``index`` are changed in place by the ops (``sitrep.store.ops``); whoever
    changes a claim calls :meth:`forget_text` for it.
    """

    def __init__(self, doc: Document | None = None, index: Index | None = None) -> None:
        self.doc: Document = doc if doc is not None else {}
        if index is None:
            index = Index()
            index.rebuild(self.doc)
        self.index = index
        self._text_cache: dict[str, str] = {}
        self._search: tuple[list[str], list[Record]] | None = None

    def reset(self, doc: Document, index: Index) -> None:
        """Hold a newly loaded document and its index (the caches start empty)."""
        self.doc, self.index = doc, index
        self.forget_texts()

    def get(self, table: str, rid: str) -> Record | None:
        """The record with id ``rid`` in ``table``, or None."""
        if not isinstance(rid, str):  # e.g. a claim's "source" that a hand edit made a list
            return None
        key = self.index.by_id.get(table, {}).get(rid)
        return self.doc.get(table, {}).get(key) if key is not None else None

    def exists(self, table: str, rid: str) -> bool:
        """True when ``table`` has a record with id ``rid`` (the lookup validation takes)."""
        return self.get(table, rid) is not None

    def _records(self, table: str) -> list[Record]:
        return [r for r in self.doc.get(table, {}).values() if isinstance(r, dict)]

    def claims(self) -> list[Record]:
        """Every claim record, in file order."""
        return self._records("claims")

    def sources(self) -> list[Record]:
        """Every source record, in file order."""
        return self._records("sources")

    def settlements(self) -> list[Record]:
        """Every settlement record, in file order."""
        return self._records("settlements")

    def claim(self, rid: str) -> Record | None:
        """The claim with id ``rid``, or None."""
        return self.get("claims", rid)

    def source(self, rid: str) -> Record | None:
        """The source with id ``rid``, or None."""
        return self.get("sources", rid)

    def settlement(self, rid: str) -> Record | None:
        """The settlement with id ``rid``, or None."""
        return self.get("settlements", rid)

    def find(self, rid: str) -> tuple[str, Record] | None:
        """(table, record) for an id in any table (claims first), or None."""
        for table in ("claims", "sources", "settlements", "feeds"):
            record = self.get(table, rid)
            if record is not None:
                return table, record
        return None

    def claims_for_settlement(self, settlement_id: str) -> list[Record]:
        """Claims that name a settlement."""
        return list(self.index.by_settlement.get(settlement_id, {}).values())

    def claims_for_source(self, source_id: str) -> list[Record]:
        """Claims made by a source."""
        return list(self.index.by_source.get(source_id, {}).values())

    def claims_with_status(self, status: str) -> list[Record]:
        """Claims with a verification status."""
        return list(self.index.by_status.get(status, {}).values())

    def counts_by_status(self, claims: Iterable[Record] | None = None) -> dict[str, int]:
        """How many claims (all, or those given) have each status; known statuses first."""
        if claims is None:
            counts = {s: len(self.index.by_status.get(s, ())) for s in STATUSES}
            for status, ids in self.index.by_status.items():
                if status not in counts and ids:
                    counts[status] = len(ids)
            return counts
        counts = dict.fromkeys(STATUSES, 0)
        for claim in claims:
            value = claim.get("status")
            key = value if isinstance(value, str) else "?"
            counts[key] = counts.get(key, 0) + 1
        return counts

    def claim_text(self, claim: Record) -> str:
        """The casefolded searchable text of a claim (text, quote, via, tags), cached."""
        rid = claim.get("id")
        cached = self._text_cache.get(rid) if isinstance(rid, str) else None
        if cached is not None:
            return cached
        text = searchable_text(claim)
        if isinstance(rid, str):
            self._text_cache[rid] = text
        return text

    def _search_rows(self) -> tuple[list[str], list[Record]]:
        """Searchable texts and the claims they belong to, in file order, built once per load."""
        if self._search is None:
            claims = self.claims()
            self._search = ([searchable_text(c) for c in claims], claims)
        return self._search

    def forget_text(self, claim_id: str) -> None:
        """Drop cached search text after a claim changed."""
        self._text_cache.pop(claim_id, None)
        self._search = None

    def forget_texts(self) -> None:
        """Drop every cached search text (after a rollback)."""
        self._text_cache.clear()
        self._search = None

    def filter_claims(
        self,
        *,
        status: str | None = None,
        source: str | None = None,
        settlement: str | None = None,
        since: str | None = None,
        text: str | None = None,
    ) -> list[Record]:
        """Claims matching every given condition, starting from the narrowest index.

        ``since`` is any date sitrep reads; a claim matches when it was reported in or after
        that period. ``text`` matches words in text, quote, channel and tags.
        """
        sets: list[dict[str, Record]] = []
        claims: list[Record] = []
        if status is not None:
            sets.append(self.index.by_status.get(status, {}))
        if source is not None:
            sets.append(self.index.by_source.get(source, {}))
        if settlement is not None:
            sets.append(self.index.by_settlement.get(settlement, {}))
        if sets:
            sets.sort(key=len)
            narrowest, others = sets[0], sets[1:]
            if not others:
                claims = list(narrowest.values())
            else:
                claims = [
                    record for rid, record in narrowest.items()
                    if all(rid in other for other in others)
                ]
        words = text.casefold().split() if text else []
        if not sets and words:
            # no index narrows it: one scan of the lower-cased texts (not a copy of every
            # claim first, which alone costs more than the scan at 100k)
            texts, claims = self._search_rows()
            for word in words:
                mask = [word in t for t in texts]
                texts, claims = list(compress(texts, mask)), list(compress(claims, mask))
            words = []
        elif not sets:
            claims = self.claims()
        if since is not None:
            floor = dates.normalize(since)
            claims = [
                c
                for c in claims
                if isinstance(c.get("reported_at"), str)
                and (c["reported_at"] >= floor or c["reported_at"].startswith(floor))
            ]
        haystack = self.claim_text
        for word in words:
            claims = [c for c in claims if word in haystack(c)]
        return claims

    def current_control(self, settlement_id: str) -> Record | None:
        """The latest control observation of a settlement."""
        record = self.get("settlements", settlement_id)
        return current_control(record) if record else None

    def control_as_of(self, settlement_id: str, when: str) -> Record | None:
        """Who held a settlement as of ``when`` (:func:`sitrep.analysis.as_of.control_at`), or
        None if nothing was observed by then."""
        record = self.get("settlements", settlement_id)
        return None if record is None else control_at(record, when)


def searchable_text(claim: Record) -> str:
    """The casefolded text a free-word search looks in: text, quote, channel and tags."""
    parts = [claim.get("text"), claim.get("quote"), claim.get("via")]
    tags = claim.get("tags")
    if isinstance(tags, list):
        parts.extend(tags)
    return " ".join(p for p in parts if isinstance(p, str)).casefold()
