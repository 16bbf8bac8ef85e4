"""The dashboard's view model: positions, counts, groups and filtering over store records.

Pure Python, no Textual: the widgets only read from it. Claims are laid out at *positions*
``0..n-1`` ordered by source (by name) and, within a source, newest report first, so each
source's claims are one contiguous range. A filter is a *mask* (one byte per position held in
an int, see :mod:`sitrep.query`): per-status and per-source counts are ``(mask & other)
.bit_count()``, and the rows of the claims pane are computed only for the groups on screen.
A status change updates the counts, masks and triage queue incrementally; nothing here costs
O(n) per keystroke except the scan for the one filter term being typed.
"""

from __future__ import annotations

import bisect
import operator
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import compress, islice, repeat
from typing import Any

from sitrep import query as q
from sitrep.tui.model_search import SearchMixin, ones

Record = dict[str, Any]
STATUSES = q.STATUSES
UNVERIFIED = "unverified"
_STATUS = {s: s for s in STATUSES}  # one shared object per status


@dataclass
class Group:
    """One source in the claims pane: positions ``start..end`` and how many pass the filter."""

    source_id: str
    start: int
    end: int
    count: int
    folded: bool = False
    _members: Sequence[int] | None = field(default=None, repr=False)
    _counts: Counter[str] | None = field(default=None, repr=False)


@dataclass
class PlaceStats:
    """Counts shown in the settlements pane for one settlement (over all claims)."""

    claims: int = 0
    unverified: int = 0
    latest: str = ""


def current_control(settlement: Record) -> Record | None:
    """The observation with the latest ``as_of`` (ties: the later one in the list)."""
    best: Record | None = None
    for obs in settlement.get("control") or ():
        if isinstance(obs, dict) and (
            best is None or str(obs.get("as_of", "")) >= str(best.get("as_of", ""))
        ):
            best = obs
    return best


SORT_KEYS = ("latest", "name", "region", "control", "claims", "unverified")
TRIAGE_HEAD = 100  # entries of the triage queue computed for the first frame


class DashboardModel(SearchMixin):
    """Everything the panes show, derived from lists of store records."""

    def __init__(
        self, claims: Iterable[Any], sources: Sequence[Record], settlements: Sequence[Record]
    ) -> None:
        self.sources: dict[str, Record] = {}
        self.places: dict[str, Record] = {}
        for src in sources:
            if isinstance(src.get("id"), str):
                self.sources.setdefault(src["id"], src)
        for place in settlements:
            if isinstance(place.get("id"), str):
                self.places.setdefault(place["id"], place)
        self._source_hay: dict[str, str] = {}
        self._place_hay: dict[str, str] = {}
        self._place_masks: dict[str, int] = {}
        self._status_masks: dict[str, int] = {}
        self.status_version = 0
        self._hays: list[str] | None = None
        self._tags: list[str] | None = None
        self.cache = q.TermCache()
        self.query: q.Query = q.parse("")
        self.matched: int | None = None
        self.flags: bytes | None = None
        self.folded: set[str] = set()
        self.sort_key = "latest"
        self.sort_reverse = False
        self._layout(claims)
        self.refilter()
        self.sort_places()

    # ------------------------------------------------------------------ building
    def source_name(self, sid: str) -> str:
        """Display name of a source (its id when unknown)."""
        return str(self.sources.get(sid, {}).get("name") or sid)

    def place_name(self, pid: str) -> str:
        """Display name of a settlement (its id when unknown)."""
        return str(self.places.get(pid, {}).get("name") or pid)

    def _layout(self, claims: Iterable[Any]) -> None:
        """Positions, groups, status counts, settlement stats and the head of the triage queue.

        At 100k claims the cost is touching the records, not the bytecode: the records are
        read in one pass in file order (memory order) that also buckets them by source and
        counts the settlement stats; every later step works on the columns it took out, at C
        speed where it can. Only what the first frame shows is computed: the triage queue's
        first :data:`TRIAGE_HEAD` entries (the whole queue is built by the warm-up worker, or
        on first need), not the id -> position map. ``claims`` may be a table's ``values()``:
        anything that is not a dict is left out, in the same pass.
        """
        records: list[Record] = []
        keep = records.append
        ids: list[Any] = []
        reported: list[str] = []
        statuses: list[str] = []
        place_files: dict[str, list[int]] = {pid: [] for pid in self.places}
        latest: dict[str, str] = dict.fromkeys(self.places, "")
        bucket = place_files.get
        add_id, add_reported, add_status = ids.append, reported.append, statuses.append
        # one shared object per status: later passes compare and hash hot objects instead of
        # 100k strings scattered over the heap; claims bucketed by source in file order
        status_of = _STATUS.get
        by_source: dict[str, list[int]] = {}
        source_bucket = by_source.get
        i = -1
        for claim in claims:
            if not isinstance(claim, dict):
                continue
            keep(claim)
            i += 1
            get = claim.get
            add_id(get("id"))
            date = get("reported_at")
            if not isinstance(date, str):
                date = ""
            add_reported(date)
            value = get("source")
            if not isinstance(value, str):
                value = ""
            found = source_bucket(value)
            if found is None:
                found = by_source[value] = []
            found.append(i)
            value = get("status") or UNVERIFIED
            add_status(status_of(value, value))
            places = get("settlements")
            if places:
                for pid in places:
                    found = bucket(pid)
                    if found is not None:
                        found.append(i)
                        if date > latest[pid]:
                            latest[pid] = date
        # sources by name, each one's claims newest first (a stable sort per source gives
        # the order of one sort by date then one by source, in far fewer comparisons)
        names = {sid: q.fold(self.source_name(sid)) for sid in by_source}
        ranked = sorted(names, key=lambda s: (names[s], s))
        order: list[int] = []
        groups: list[tuple[str, int, int]] = []
        by_date = reported.__getitem__
        for sid in ranked:
            members = by_source[sid]
            members.sort(key=by_date, reverse=True)
            groups.append((sid, len(order), len(order) + len(members)))
            order += members
        self._order = order
        self._inverse: list[int] | None = None
        self.claims: list[Record] = list(map(records.__getitem__, order))
        self.n = n = len(records)
        self.reported: list[str] = list(map(reported.__getitem__, order))
        self.statuses: list[str] = list(map(statuses.__getitem__, order))
        self._ids: list[Any] | None = list(map(ids.__getitem__, order))
        self._pos: dict[str, int] | None = None
        self.all_mask = ones(n)
        self.group_ranges = groups
        self._group_starts = [g[1] for g in groups]
        # settlements pane: counts over all claims, from file indices
        unv_files = bytes(map(operator.eq, statuses, repeat(UNVERIFIED)))
        stats: dict[str, PlaceStats] = {}
        for pid, found in place_files.items():
            stats[pid] = PlaceStats(
                claims=len(found),
                unverified=sum(map(unv_files.__getitem__, found)) if found else 0,
                latest=latest[pid],
            )
        self.place_stats = stats
        self._place_files = place_files
        self.total_counts: Counter[str] = Counter(statuses)
        self._triage_all: list[int] | None = None
        self._triage_head = self._head_of_triage(TRIAGE_HEAD)

    def _head_of_triage(self, k: int) -> list[int]:
        """The first ``k`` entries of the triage queue, without sorting all of it.

        Each source's claims are newest first, so its oldest unverified ones are the last
        ones of its range: the ``k`` oldest of each source (and any tied with the ``k``-th on
        date) hold the queue's first ``k``.
        """
        flags = bytes(map(operator.eq, self.statuses, repeat(UNVERIFIED)))
        reported = self.reported
        candidates: list[int] = []
        for _sid, start, end in self.group_ranges:
            found = list(compress(range(start, end), flags[start:end]))
            if len(found) > k:
                j = len(found) - k
                edge = reported[found[j]]
                while j > 0 and reported[found[j - 1]] == edge:
                    j -= 1
                found = found[j:]
            candidates += found
        candidates.sort(key=reported.__getitem__)  # stable: ties stay in position order
        return candidates[:k]

    @property
    def triage_all(self) -> list[int]:
        """The whole triage queue: unverified positions, oldest report first (ties: by
        position). Built on first need, or installed by the warm-up worker."""
        queue = self._triage_all
        if queue is None:
            queue = self._triage_all = self.build_triage()[1]
        return queue

    def build_triage(self) -> tuple[int, list[int]]:
        """(status version, the whole triage queue) — for a worker to prebuild; hand the
        result to :meth:`install_triage` on the UI thread."""
        version = self.status_version
        flags = bytes(map(operator.eq, self.statuses, repeat(UNVERIFIED)))
        queue = list(compress(range(self.n), flags))
        queue.sort(key=self.reported.__getitem__)  # stable: ties stay in position order
        return version, queue

    def install_triage(self, version: int, queue: list[int]) -> None:
        """Keep a prebuilt triage queue unless a status changed since it was built."""
        if version == self.status_version and self._triage_all is None:
            self._triage_all = queue

    @property
    def pos(self) -> dict[str, int]:
        """Position of each claim id (the first position for an id used twice)."""
        pos = self._pos
        if pos is None:
            ids = self._ids
            assert ids is not None
            pos = dict(zip(reversed(ids), range(self.n - 1, -1, -1), strict=True))
            self._pos = pos  # may be built by the warm-up worker meanwhile: the same dict
        return pos

    def position(self, claim_id: Any) -> int | None:
        """Position of a claim id (its first one), or None — without building :attr:`pos`
        when it is not there yet (the first frame needs one or two ids, not 100k)."""
        pos = self._pos
        try:
            if pos is not None:
                return pos.get(claim_id)
            ids = self._ids
            assert ids is not None
            return ids.index(claim_id)
        except (ValueError, TypeError):
            return None

    def place_positions(self, pid: str) -> list[int]:
        """Positions of the claims about settlement ``pid`` (ascending; empty if unknown)."""
        inverse = self._inverse
        if inverse is None:
            inverse = self._inverse = [0] * self.n
            list(map(inverse.__setitem__, self._order, range(self.n)))
        return sorted(map(inverse.__getitem__, self._place_files.get(pid, ())))

    def _triage_key(self, p: int) -> tuple[str, int]:
        return (self.reported[p], p)

    def group_at(self, p: int) -> tuple[str, int, int]:
        """The (source id, start, end) range that holds position ``p``."""
        return self.group_ranges[bisect.bisect_right(self._group_starts, p) - 1]

    # ------------------------------------------------------------------ filtering
    def set_query(self, text: str) -> q.Query:
        """Parse and apply a filter; returns the parsed query (with its problems)."""
        self.query = q.parse(text)
        self.refilter()
        return self.query

    def is_visible(self, p: int) -> bool:
        """True when position ``p`` passes the current filter."""
        return self.flags is None or bool(self.flags[p])

    def refilter(self) -> None:
        """Recompute the matched mask, groups, status counts and triage queue."""
        matched = q.evaluate(self.query, self, self.cache)
        self.matched = matched
        self.flags = None if matched is None else q.mask_to_flags(matched, self.n)
        groups: list[Group] = []
        for sid, start, end in self.group_ranges:
            if matched is None:
                count = end - start
            else:
                count = ((matched >> (8 * start)) & ones(end - start)).bit_count()
                if not count:
                    continue
            groups.append(Group(sid, start, end, count, sid in self.folded))
        self.groups = groups
        if matched is None:
            self.counts = Counter(self.total_counts)
        else:
            masks = {s: self.status_mask(s) for s in STATUSES}
            self.counts = Counter({s: (matched & m).bit_count() for s, m in masks.items()})
        self._triage: list[int] = []
        self._triage_iter: Iterator[int] | None = None
        self.rebuild_rows()

    @property
    def total_visible(self) -> int:
        """Number of claims passing the filter."""
        return self.n if self.matched is None else self.matched.bit_count()

    @property
    def triage_count(self) -> int:
        """Number of unverified claims passing the filter."""
        if self.matched is None:
            return self.total_counts[UNVERIFIED]
        return self.counts.get(UNVERIFIED, 0)

    def triage_slice(self, start: int, stop: int) -> list[int]:
        """Positions ``start..stop`` of the filtered triage queue (oldest first)."""
        if self.flags is None:
            if self._triage_all is None and (
                stop <= len(self._triage_head)
                or len(self._triage_head) == self.total_counts[UNVERIFIED]
            ):
                return self._triage_head[start:stop]
            return self.triage_all[start:stop]
        if self._triage_iter is None:
            flags = self.flags
            self._triage_iter = compress(self.triage_all, map(flags.__getitem__, self.triage_all))
        if len(self._triage) < stop:
            self._triage.extend(islice(self._triage_iter, stop - len(self._triage)))
        return self._triage[start:stop]

    def rebuild_rows(self) -> None:
        """Recompute where each group starts in the claims pane's flattened rows."""
        offsets: list[int] = []
        total = 0
        for group in self.groups:
            offsets.append(total)
            total += 1 + (0 if group.folded else group.count)
        self.row_offsets = offsets
        self.row_count = total

    def members(self, group: Group) -> Sequence[int]:
        """Positions of a group's visible claims, newest first."""
        if group._members is None:
            if self.flags is None:
                group._members = range(group.start, group.end)
            else:
                span = range(group.start, group.end)
                group._members = list(compress(span, self.flags[group.start : group.end]))
        return group._members

    def row(self, y: int) -> tuple[Group, int | None]:
        """The claims-pane row ``y``: (group, None) for a group header, else (group, position)."""
        g = bisect.bisect_right(self.row_offsets, y) - 1
        group = self.groups[g]
        k = y - self.row_offsets[g]
        if k == 0:
            return group, None
        return group, self.members(group)[k - 1]

    def row_of_position(self, p: int) -> int | None:
        """The claims-pane row showing position ``p`` (None if filtered out or folded)."""
        for g, group in enumerate(self.groups):
            if group.start <= p < group.end:
                if group.folded or not self.is_visible(p):
                    return None
                members = self.members(group)
                k = p - group.start if isinstance(members, range) else members.index(p)
                return self.row_offsets[g] + 1 + k
        return None

    def group_row(self, source_id: str) -> int | None:
        """The claims-pane row of a source's group header."""
        for g, group in enumerate(self.groups):
            if group.source_id == source_id:
                return self.row_offsets[g]
        return None

    def group_counts(self, group: Group) -> Counter[str]:
        """Counts by status of a group's visible claims (computed when first shown)."""
        if group._counts is None:
            span = self.statuses[group.start : group.end]
            if self.flags is not None:
                span = list(compress(span, self.flags[group.start : group.end]))
            group._counts = Counter(span)
        return group._counts

    def set_folded(self, source_id: str, folded: bool) -> None:
        """Fold or unfold one source's group."""
        (self.folded.add if folded else self.folded.discard)(source_id)
        for group in self.groups:
            if group.source_id == source_id:
                group.folded = folded
        self.rebuild_rows()

    def set_all_folded(self, folded: bool) -> None:
        """Fold or unfold every group."""
        self.folded = {g[0] for g in self.group_ranges} if folded else set()
        for group in self.groups:
            group.folded = folded
        self.rebuild_rows()

    # ------------------------------------------------------------------ settlements pane
    def sort_places(self, key: str | None = None, reverse: bool | None = None) -> None:
        """Order the settlements pane by ``key`` (one of SORT_KEYS)."""
        if key is not None:
            self.sort_key = key
        if reverse is not None:
            self.sort_reverse = reverse
        self.place_rows = sort_places(
            self.places, self.place_stats, self.sort_key, self.sort_reverse
        )

    # ------------------------------------------------------------------ incremental updates
    def claim(self, p: int) -> Record:
        """The record at position ``p``."""
        return self.claims[p]

    def marked_positions(self, ids: set[str]) -> list[int]:
        """Positions of the claims with these ids that still exist."""
        return [self.pos[c] for c in ids if c in self.pos]

    def set_status(self, p: int, status: str) -> str:
        """Show position ``p`` with a new status at once; returns the status it had."""
        before = self.statuses[p]
        if before == status:
            return before
        if (before == UNVERIFIED) != (status == UNVERIFIED):
            self.triage_all  # noqa: B018 - the whole queue, before it changes
        self.statuses[p] = _STATUS.get(status, status)
        self.status_version += 1
        self.cache.forget("status")
        bit = 1 << (8 * p)
        for s in (before, status):
            if s in self._status_masks:
                self._status_masks[s] ^= bit
        self.total_counts[before] -= 1
        self.total_counts[status] += 1
        visible = self.is_visible(p)
        if visible:
            self.counts[before] -= 1
            self.counts[status] += 1
            for group in self.groups:
                if group.start <= p < group.end and group._counts is not None:
                    group._counts[before] -= 1
                    group._counts[status] += 1
        delta = (status == UNVERIFIED) - (before == UNVERIFIED)
        for pid in self.claims[p].get("settlements") or ():
            st = self.place_stats.get(pid)
            if st is not None:
                st.unverified += delta
        if delta:
            at = bisect.bisect_left(self.triage_all, self._triage_key(p), key=self._triage_key)
            if delta < 0:
                if at < len(self.triage_all) and self.triage_all[at] == p:
                    del self.triage_all[at]
            else:
                self.triage_all.insert(at, p)
            self._triage, self._triage_iter = [], None
        return before

    def sync_claim(self, record: Record) -> bool:
        """Take in a claim the store changed; False when only a rebuild can place it."""
        p = self.pos.get(record.get("id"))  # type: ignore[arg-type]
        if p is None:
            return False
        old = self.claims[p]
        if old is not record:
            for name in ("source", "settlements", "reported_at", "text", "quote", "tags"):
                if old.get(name) != record.get(name):
                    return False
            self.claims[p] = record
        self.cache.forget("cred")
        self.set_status(p, record.get("status") or UNVERIFIED)
        return True

    def sync_source(self, record: Record) -> None:
        """Take in a changed source (reliability, names)."""
        sid = str(record.get("id"))
        self.sources[sid] = record
        self._source_hay.pop(sid, None)
        self.cache.forget("grade")
        self.cache.forget("source")
        self.cache.forget(None)

    def sync_place(self, record: Record) -> None:
        """Take in a changed settlement (control, names)."""
        pid = str(record.get("id"))
        self.places[pid] = record
        self._place_hay.pop(pid, None)
        self.cache.forget("place")
        self.cache.forget(None)
        self.sort_places()


def sort_places(
    places: dict[str, Record], stats: dict[str, PlaceStats], key: str, reverse: bool
) -> list[str]:
    """Settlement ids ordered by ``key``; counts and dates sort descending by default."""

    def name(pid: str) -> str:
        return q.fold(str(places[pid].get("name") or pid))

    def control(pid: str) -> tuple[str, str, str]:
        obs = current_control(places[pid]) or {}
        return (str(obs.get("controller") or ""), str(obs.get("as_of") or ""), name(pid))

    keyfuncs: dict[str, Any] = {
        "latest": lambda p: (stats[p].latest, name(p)),
        "name": name,
        "region": lambda p: (q.fold(str(places[p].get("region") or "")), name(p)),
        "control": control,
        "claims": lambda p: (stats[p].claims, name(p)),
        "unverified": lambda p: (stats[p].unverified, name(p)),
    }
    descending = key in ("latest", "claims", "unverified")
    return sorted(places, key=keyfuncs[key], reverse=descending != reverse)
