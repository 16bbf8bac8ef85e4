"""Search support for the view model: haystacks and one mask per filter term.

A mixin so :mod:`sitrep.tui.model` stays about layout and counts. Every scan here is a
``map`` over a prebuilt column (``operator.contains``, ``operator.ge``...) turned into a
byte-per-claim mask, so it runs at C speed; names of sources and settlements are matched once
per record and expanded to their claims through contiguous ranges or cached masks.
"""

from __future__ import annotations

import operator
from itertools import compress, repeat
from typing import Any

from sitrep import query as q
from sitrep.models import listed

Record = dict[str, Any]
_FREE_PREFIX = q.Term(None, "").cache_key[:-1]  # a free word's cache key: prefix, word, "\x00"


def ones(length: int) -> int:
    """A mask with ``length`` positions set, starting at position 0."""
    return q.mask_from_flags(b"\x01" * length)


class SearchMixin:
    """Haystacks, ``query.ClaimTable`` and ``query.MaskTable`` for DashboardModel."""

    claims: list[Record]
    n: int
    reported: list[str]
    statuses: list[str]
    all_mask: int
    sources: dict[str, Record]
    places: dict[str, Record]
    group_ranges: list[tuple[str, int, int]]
    _place_files: dict[str, list[int]]
    _source_hay: dict[str, str]
    _place_hay: dict[str, str]
    _place_masks: dict[str, int]
    _status_masks: dict[str, int]
    _hays: list[str] | None
    _tags: list[str] | None
    status_version: int
    cache: q.TermCache

    # ------------------------------------------------------------------ haystacks
    def _names_hay(self, record: Record, *fields: str) -> str:
        parts = [str(record.get("id") or "")]
        for name in fields:
            value = record.get(name)
            if isinstance(value, str):
                parts.append(value)
            elif isinstance(value, list):
                parts.extend(v for v in value if isinstance(v, str))
        return q.normalise("\n".join(parts))

    def source_hay(self, sid: str) -> str:
        """Folded id, name and aliases of a source."""
        hay = self._source_hay.get(sid)
        if hay is None:
            hay = self._names_hay(self.sources.get(sid, {"id": sid}), "name", "aliases")
            self._source_hay[sid] = hay
        return hay

    def place_hay(self, pid: str) -> str:
        """Folded id, name and alternative names of a settlement."""
        hay = self._place_hay.get(pid)
        if hay is None:
            hay = self._names_hay(self.places.get(pid, {"id": pid}), "name", "alt_names")
            self._place_hay[pid] = hay
        return hay

    def text_hays(self) -> list[str]:
        """Folded text and quote per position (built on first use; thread-safe to prebuild)."""
        hays = self._hays
        if hays is None:
            norm = q.normalise
            hays = [norm(f"{c.get('text') or ''}\n{c.get('quote') or ''}") for c in self.claims]
            self._hays = hays
        return hays

    # ------------------------------------------------------------------ query.ClaimTable
    def source_grade(self, source_id: str) -> str | None:
        """Reliability letter of a source."""
        grade = self.sources.get(source_id, {}).get("reliability")
        return grade if isinstance(grade, str) else None

    def source_matches(self, source_id: str, needle: str) -> bool:
        """Source id equals, or names contain, the needle."""
        return needle == q.normalise(source_id) or needle in self.source_hay(source_id)

    def place_matches(self, settlement_id: str, needle: str) -> bool:
        """Settlement id equals, or names contain, the needle."""
        return needle == q.normalise(settlement_id) or needle in self.place_hay(settlement_id)

    # ------------------------------------------------------------------ query.MaskTable
    def place_positions(self, pid: str) -> list[int]:  # implemented by DashboardModel
        raise NotImplementedError

    def status_mask(self, status: str) -> int:
        """Mask of the positions with ``status`` (kept up to date once built)."""
        mask = self._status_masks.get(status)
        if mask is None:
            flags = bytes(map(operator.eq, self.statuses, repeat(status)))
            mask = self._status_masks[status] = q.mask_from_flags(flags)
        return mask

    def build_status_masks(self) -> tuple[int, dict[str, int]]:
        """(status version, a mask per status) — for a worker to prebuild; hand the result
        to :meth:`install_status_masks` on the UI thread."""
        version = self.status_version
        return version, {
            s: q.mask_from_flags(bytes(map(operator.eq, self.statuses, repeat(s))))
            for s in q.STATUSES
        }

    def install_status_masks(self, version: int, masks: dict[str, int]) -> None:
        """Keep prebuilt status masks unless a status changed since they were built."""
        if version == self.status_version:
            for status, mask in masks.items():
                self._status_masks.setdefault(status, mask)

    def place_mask(self, pid: str) -> int:
        """Mask of the positions of claims about settlement ``pid``."""
        mask = self._place_masks.get(pid)
        if mask is None:
            flags = bytearray(self.n)
            for p in self.place_positions(pid):
                flags[p] = 1
            mask = self._place_masks[pid] = q.mask_from_flags(flags)
        return mask

    def _text_flags(self, value: str) -> bytes:
        """One byte per position: does its text or quote contain ``value``.

        While a word is typed, each keystroke's word contains the previous one, so it can only
        match where that one did: when a cached free word inside ``value`` matched few claims,
        only those are scanned.
        """
        hays = self.text_hays()
        narrowest: int | None = None
        for cache_key, mask in self.cache.results.items():
            word = cache_key[len(_FREE_PREFIX):-1]
            if (
                cache_key.startswith(_FREE_PREFIX)
                and word
                and word in value
                and q.Term(None, word).cache_key == cache_key
                and (narrowest is None or mask.bit_count() < narrowest.bit_count())
            ):
                narrowest = mask
        if narrowest is None or narrowest.bit_count() > self.n // 4:
            return bytes(map(operator.contains, hays, repeat(value)))
        flags = bytearray(self.n)
        where = list(compress(range(self.n), q.mask_to_flags(narrowest, self.n)))
        found = map(operator.contains, map(hays.__getitem__, where), repeat(value))
        for p in compress(where, found):
            flags[p] = 1
        return bytes(flags)

    def _sources_mask(self, wanted: Any) -> int:
        mask = 0
        for sid, start, end in self.group_ranges:
            if wanted(sid):
                mask |= ones(end - start) << (8 * start)
        return mask

    def term_mask(self, term: q.Term) -> int:
        """Mask of the positions matching the positive form of ``term``."""
        key, value = term.key, term.value
        if key is None:
            mask = q.mask_from_flags(self._text_flags(value))
            mask |= self._sources_mask(lambda sid: value in self.source_hay(sid))
            for pid in self._place_files:
                if value in self.place_hay(pid):
                    mask |= self.place_mask(pid)
            return mask
        if key == "status":
            mask = 0
            for status in term.values:
                mask |= self.status_mask(status)
            return mask
        if key == "source":
            return self._sources_mask(lambda sid: self.source_matches(sid, value))
        if key == "place":
            mask = 0
            for pid in self._place_files:
                if self.place_matches(pid, value):
                    mask |= self.place_mask(pid)
            return mask
        if key == "tag":
            if self._tags is None:
                norm = q.normalise
                self._tags = [
                    "\x00" + "\x00".join(norm(str(t)) for t in listed(c.get("tags"))) + "\x00"
                    for c in self.claims
                ]
            return q.mask_from_flags(
                bytes(map(operator.contains, self._tags, repeat(f"\x00{value}\x00")))
            )
        if key == "since":
            return q.mask_from_flags(bytes(map(operator.ge, self.reported, repeat(value))))
        if key == "until":
            end = value + "\uffff"
            upto = q.mask_from_flags(bytes(map(operator.le, self.reported, repeat(end))))
            empty = q.mask_from_flags(bytes(map(operator.not_, self.reported)))
            return upto & (self.all_mask ^ empty)
        test = q.term_test(term, self)
        return q.mask_from_flags(bytes(test(c, "") for c in self.claims))
