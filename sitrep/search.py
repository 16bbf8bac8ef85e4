"""What a filter matches: the dashboard's `/` language evaluated over claims (pure, no I/O).

:mod:`sitrep.query` parses the language; this module is the one place that decides which
claims a term matches, for every front end: the dashboard's view model owns a
:class:`ClaimSearch` over its laid-out columns and keeps it up to date as claims change, and
``sitrep list claims --filter`` / ``--text`` call :func:`search_claims`. Both give the same
set of claims for the same text (``tests/core/test_search.py`` runs a table of expressions
through both).

The rule, per term (``value`` casefolded, apostrophes dropped, see :func:`query.normalise`):

======================  ===============================================================
free word               in the claim's text or quote, or in the id, name or aliases of
                        its source, or in the id, name or alt_names of one of its
                        (known) settlements
``status:``             the claim's status (``unverified`` when missing) is one named
``source:``             the source's id equals it, or its id/name/aliases contain it
``place:``              a (known) settlement's id equals it or its names contain it
``tag:``                a tag equals it, casefolded
``grade:``/``cred:``    the source's reliability letter / the claim's credibility compares
``since:``/``until:``   ``reported_at`` is on or after / within or before the period
``event:``              ``event_at`` is within the period, or compares (``>=``, ``<=``,
                        ``>``, ``<``: :func:`sitrep.query.event_test`); none: no match
``stale:yes``           :func:`sitrep.analysis.triage.is_stale` against the search's
                        ``stale_cutoff`` (default: today less ``DEFAULT_STALE_DAYS``)
======================  ===============================================================

Speed (what the dashboard needs at 100k claims): every scan is a ``map`` over a prebuilt
column (``operator.contains``, ``operator.ge``...) turned into a byte-per-claim mask, so it
runs at C speed; names of sources and settlements are matched once per record and expanded to
their claims through contiguous ranges or cached masks; a free word being typed only rescans
the claims the previous keystroke's word matched.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from itertools import compress, repeat
from typing import Any

from sitrep import query as q
from sitrep.models import STATUSES, listed

Record = dict[str, Any]
_FREE_PREFIX = q.Term(None, "").cache_key[:-1]  # a free word's cache key: prefix, word, "\x00"


def ones(length: int) -> int:
    """A mask with ``length`` positions set, starting at position 0."""
    return q.mask_from_flags(b"\x01" * length)


def _column(claims: Sequence[Record], name: str, default: str) -> list[str]:
    """One string field of every claim (anything that is not a non-empty string: default)."""
    out: list[str] = []
    for claim in claims:
        value = claim.get(name)
        out.append(value if isinstance(value, str) and value else default)
    return out


class ClaimSearch:
    """``query.ClaimTable`` and ``query.MaskTable`` over claims at positions ``0..n-1``.

    ``claims``, ``sources`` and ``places`` (and the ``statuses`` and ``reported`` columns when
    given) are held, not copied: the owner may change an element in place and then call
    :meth:`status_changed`, :meth:`source_changed` or :meth:`place_changed`. A caller that
    has already laid the claims out by source passes ``source_ranges`` (each source's
    positions as one ``(id, start, end)`` range) and ``place_positions``; otherwise both are
    derived here.
    """

    def __init__(
        self,
        claims: Sequence[Record],
        sources: dict[str, Record],
        places: dict[str, Record],
        *,
        statuses: list[str] | None = None,
        reported: list[str] | None = None,
        source_ranges: Sequence[tuple[str, int, int]] | None = None,
        place_positions: Callable[[str], Iterable[int]] | None = None,
        stale_cutoff: str | None = None,
    ) -> None:
        self.claims = claims
        # the day a claim must be reported before to be stale (triage.stale_cutoff; None:
        # a week before today, worked out on first use); the owner moves it with stale_changed
        self.stale_cutoff = stale_cutoff
        self.n = len(claims)
        self.sources = sources
        self.places = places
        # as the dashboard lays them out: a missing status is unverified, a number stays a
        # number (and matches no status)
        self.statuses: list[str] = statuses if statuses is not None else [
            c.get("status") or "unverified" for c in claims]
        self.reported: list[str] = reported if reported is not None else [
            date if isinstance(date := c.get("reported_at"), str) else "" for c in claims
        ]
        self.all_mask = ones(self.n)
        self._source_ranges = source_ranges
        self._source_masks: dict[str, int] | None = None
        self._place_positions = place_positions or self._derived_place_positions
        self._place_files: dict[str, list[int]] | None = None
        self._source_hay: dict[str, str] = {}
        self._place_hay: dict[str, str] = {}
        self._place_masks: dict[str, int] = {}
        self._status_masks: dict[str, int] = {}
        self._hays: list[str] | None = None
        self._tags: list[str] | None = None
        self._events: list[str] | None = None
        self.cache = q.TermCache()

    # ------------------------------------------------------------------ evaluation
    def evaluate(self, query: q.Query) -> int | None:
        """The mask of the claims matching ``query`` (None when it has no terms); term masks
        are cached between calls, so each keystroke recomputes only the term being typed."""
        return q.evaluate(query, self, self.cache)

    # ------------------------------------------------------------------ haystacks
    @staticmethod
    def _names_hay(record: Record, *fields: str) -> str:
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
        """Normalised text and quote per position (built on first use; thread-safe to prebuild)."""
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

    def claim_stale(self, claim: Record) -> bool:
        """True for an unverified claim reported before :attr:`stale_cutoff`."""
        # imported here: the CLI loads this module at start-up, and few filters ask
        from sitrep.analysis import triage

        if self.stale_cutoff is None:
            self.stale_cutoff = triage.stale_cutoff()
        return triage.is_stale(claim, self.stale_cutoff)

    # ------------------------------------------------------------------ keeping up
    def status_changed(self, p: int, before: str, after: str) -> None:
        """Position ``p``'s status went from ``before`` to ``after`` (already in the column)."""
        self.cache.forget("status")
        self.cache.forget("stale")  # only unverified claims are stale
        bit = 1 << (8 * p)
        for s in (before, after):
            if s in self._status_masks:
                self._status_masks[s] ^= bit

    def stale_changed(self, cutoff: str) -> None:
        """The stale window moved (another as-of date, or ``stale_days``): ``stale:`` is
        recomputed with ``cutoff`` (:func:`sitrep.analysis.triage.stale_cutoff`)."""
        self.stale_cutoff = cutoff
        self.cache.forget("stale")

    def claim_changed(self) -> None:
        """A claim's credibility or event date may have changed (its record was replaced
        in place)."""
        self.cache.forget("cred")
        self.cache.forget("event")
        self._events = None

    def source_changed(self, sid: str) -> None:
        """A source's names or reliability changed (its record in ``sources`` replaced)."""
        self._source_hay.pop(sid, None)
        self.cache.forget("grade")
        self.cache.forget("source")
        self.cache.forget(None)

    def place_changed(self, pid: str) -> None:
        """A settlement's names changed (its record in ``places`` replaced)."""
        self._place_hay.pop(pid, None)
        self.cache.forget("place")
        self.cache.forget(None)

    # ------------------------------------------------------------------ query.MaskTable
    def _derived_place_positions(self, pid: str) -> list[int]:
        files = self._place_files
        if files is None:
            files = {p: [] for p in self.places}
            for i, claim in enumerate(self.claims):
                places = claim.get("settlements")
                # as the dashboard's layout pass buckets them: only a list names settlements
                for sid in places if type(places) is list else ():
                    found = files.get(sid) if isinstance(sid, str) else None
                    if found is not None and (not found or found[-1] != i):
                        found.append(i)
            self._place_files = files
        return files.get(pid, [])

    def status_mask(self, status: str) -> int:
        """Mask of the positions with ``status`` (kept up to date once built)."""
        mask = self._status_masks.get(status)
        if mask is None:
            flags = bytes(map(operator.eq, self.statuses, repeat(status)))
            mask = self._status_masks[status] = q.mask_from_flags(flags)
        return mask

    def build_status_masks(self) -> dict[str, int]:
        """A mask per status, for a worker to prebuild; hand it to
        :meth:`install_status_masks` on the owner's thread if no status changed meanwhile."""
        return {
            s: q.mask_from_flags(bytes(map(operator.eq, self.statuses, repeat(s))))
            for s in STATUSES
        }

    def install_status_masks(self, masks: dict[str, int]) -> None:
        """Keep prebuilt status masks (those not built since)."""
        for status, mask in masks.items():
            self._status_masks.setdefault(status, mask)

    def place_mask(self, pid: str) -> int:
        """Mask of the positions of claims about settlement ``pid``."""
        mask = self._place_masks.get(pid)
        if mask is None:
            flags = bytearray(self.n)
            for p in self._place_positions(pid):
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

    def _sources_mask(self, wanted: Callable[[str], bool]) -> int:
        if self._source_ranges is not None:
            mask = 0
            for sid, start, end in self._source_ranges:
                if wanted(sid):
                    mask |= ones(end - start) << (8 * start)
            return mask
        masks = self._source_masks
        if masks is None:
            column = _column(self.claims, "source", "")
            masks = self._source_masks = {
                sid: q.mask_from_flags(bytes(map(operator.eq, column, repeat(sid))))
                for sid in dict.fromkeys(column)
            }
        mask = 0
        for sid, found in masks.items():
            if wanted(sid):
                mask |= found
        return mask

    def term_mask(self, term: q.Term) -> int:
        """Mask of the positions matching the positive form of ``term``."""
        key, value = term.key, term.value
        if key is None:
            mask = q.mask_from_flags(self._text_flags(value))
            mask |= self._sources_mask(lambda sid: value in self.source_hay(sid))
            for pid in self.places:
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
            for pid in self.places:
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
        if key == "stale":
            return q.mask_from_flags(bytes(map(self.claim_stale, self.claims)))
        if key == "since":
            return q.mask_from_flags(bytes(map(operator.ge, self.reported, repeat(value))))
        if key == "until":
            end = value + "\uffff"
            upto = q.mask_from_flags(bytes(map(operator.le, self.reported, repeat(end))))
            empty = q.mask_from_flags(bytes(map(operator.not_, self.reported)))
            return upto & (self.all_mask ^ empty)
        if key == "event":
            if self._events is None:
                self._events = [d if isinstance(d := c.get("event_at"), str) else ""
                                for c in self.claims]
            return q.mask_from_flags(bytes(map(q.event_test(term.op, value), self._events)))
        test = q.term_test(term, self)
        return q.mask_from_flags(bytes(test(c, "") for c in self.claims))


def free_words(text: str) -> q.Query:
    """``text`` as a query of free words only (``sitrep list claims --text``): each word (or
    ``"quoted phrase"``) must be found as a free word of the filter language is, and no word
    is read as ``key:value`` or ``!negation``."""
    terms = tuple(q.Term(None, q.normalise(token)) for token in q.tokenize(text))
    return q.Query(text, terms)


def search_claims(
    claims: Sequence[Record], sources: Iterable[Record], places: Iterable[Record],
    query: q.Query, stale_cutoff: str | None = None,
) -> list[Record]:
    """The claims (in their order) that ``query`` matches, by the dashboard's rule;
    ``stale_cutoff`` is the day ``stale:yes`` claims were reported before (default: a week
    before today)."""
    by_id: dict[str, dict[str, Record]] = {"sources": {}, "places": {}}
    for table, records in (("sources", sources), ("places", places)):
        for record in records:
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                by_id[table].setdefault(record["id"], record)
    search = ClaimSearch(claims, by_id["sources"], by_id["places"], stale_cutoff=stale_cutoff)
    found = search.evaluate(query)
    if found is None:
        return list(claims)
    return list(compress(claims, q.mask_to_flags(found, len(claims))))
