"""The dashboard's view model: positions, counts, groups and filtering over store records.

Pure Python, no Textual: the widgets only read from it. Claims are laid out at *positions*
``0..n-1`` ordered by source (by name) and, within a source, newest report first, so each
source's claims are one contiguous range. A filter is a *mask* (one byte per position held in
an int, see :mod:`sitrep.query`): per-status and per-source counts are ``(mask & other)
.bit_count()``, and the rows of the claims pane are computed only for the groups on screen.
A status change updates the counts, masks and triage queue incrementally; nothing here costs
O(n) per keystroke except the scan for the one filter term being typed. The layout pass
itself is in :mod:`sitrep.tui.model_build`; what a filter matches is decided by the core's
:class:`sitrep.search.ClaimSearch`, which the model owns over its columns and keeps up to date.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import compress, islice
from typing import TYPE_CHECKING, Any

from sitrep import query as q
from sitrep.analysis import triage
from sitrep.models import listed
from sitrep.search import ClaimSearch, ones
from sitrep.tui.model_build import (
    _STATUS,
    SORT_KEYS,
    STATUSES,
    TRIAGE_HEAD,
    UNVERIFIED,
    AsOfLayout,
    ModelBuild,
    PlaceStats,
    Record,
    current_control,
    sort_places,
)

if TYPE_CHECKING:
    from sitrep.store import Store

_FALSE = "false"

__all__ = [
    "SORT_KEYS",
    "STATUSES",
    "TRIAGE_HEAD",
    "UNVERIFIED",
    "DashboardModel",
    "Group",
    "PlaceStats",
    "Record",
    "current_control",
    "sort_places",
]


@dataclass
class Group:
    """One source in the claims pane: positions ``start..end`` and how many pass the filter."""

    source_id: str
    start: int
    end: int
    count: int
    collapsed: bool = False
    _members: Sequence[int] | None = field(default=None, repr=False)
    _counts: Counter[str] | None = field(default=None, repr=False)


class DashboardModel(ModelBuild):
    """Everything the panes show, derived from lists of store records."""

    def __init__(
        self, claims: Iterable[Any], sources: Sequence[Record], settlements: Sequence[Record],
        *, stale_cutoff: str | None = None, stale_days: int = triage.DEFAULT_STALE_DAYS,
        past: tuple[AsOfLayout, str, Callable[[Record, str], Record | None]] | None = None,
    ) -> None:
        """The model of ``claims`` (a table's values may be given: what is not a dict is left
        out). ``past``: (the layout of the records now, their claims as of a date) — the
        model of that date cut from the layout; ``claims`` is then not read."""
        self.sources: dict[str, Record] = {}
        self.places: dict[str, Record] = {}
        for src in sources:
            if isinstance(src.get("id"), str):
                self.sources.setdefault(src["id"], src)
        for place in settlements:
            if isinstance(place.get("id"), str):
                self.places.setdefault(place["id"], place)
        self.status_version = 0
        self.query: q.Query = q.parse("")
        self.matched: int | None = None
        self.flags: bytes | None = None
        self.collapsed: set[str] = set()
        self.sort_key = "latest"
        self.sort_reverse = False
        #: the stale window (days) the disputed pictures are judged in
        self.stale_days = stale_days
        self.stale_cutoff = stale_cutoff or triage.stale_cutoff(days=stale_days)
        self._place_view: dict[str, PlaceStats] | None = None
        self._newest_cache: dict[str, list[int]] = {}
        self._disputed: dict[str, list[str]] | None = None
        if past is None:
            self._layout(claims)
        else:
            self._layout_past(*past)
        self.search = ClaimSearch(
            self.claims, self.sources, self.places, statuses=self.statuses,
            reported=self.reported, source_ranges=self.group_ranges,
            place_positions=self.place_positions, stale_cutoff=self.stale_cutoff,
        )
        if past is None:
            self._triage_head = self._head_of_triage(TRIAGE_HEAD)
        else:
            self._triage_head = self.triage_all[:TRIAGE_HEAD]
        self.refilter()
        self.sort_places()

    # ------------------------------------------------------------------ lookups
    def set_stale_cutoff(self, cutoff: str) -> None:
        """The stale window moved (another as-of date or ``stale_days``): the ``stale:``
        term, the stale marks and the triage queue's tiers follow."""
        self.stale_cutoff = cutoff
        self.search.stale_changed(cutoff)
        self._triage_all = None
        self._triage_head = self._head_of_triage(TRIAGE_HEAD)
        self.refilter()

    def is_stale(self, p: int) -> bool:
        """True for position ``p`` when it is unverified and waiting past the stale window
        (the status shown, which a key may have changed before the store wrote it)."""
        return self.statuses[p] == UNVERIFIED and triage.entered_before(
            self.claims[p], self.stale_cutoff)

    def against_interest(self, p: int) -> bool:
        """True when the claim at ``p`` is a statement against its source's interest."""
        return self.claims[p].get("against_interest") is True

    @property
    def disputed(self) -> dict[str, list[str]]:
        """Settlement id -> why its picture is disputed
        (:func:`sitrep.analysis.triage.disputed_settlements`), for the disputed ones."""
        found = self._disputed
        if found is None:
            found = self._disputed = triage.disputed_settlements(
                self.contradiction_claims(), self.places.values(), self.stale_days)
        return found

    def source_grade(self, source_id: str) -> str | None:
        """Reliability letter of a source (None when unknown)."""
        return self.search.source_grade(source_id)

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
        matched = self.search.evaluate(self.query)
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
            groups.append(Group(sid, start, end, count, sid in self.collapsed))
        self.groups = groups
        if matched is None:
            self.counts = Counter(self.total_counts)
        else:
            masks = {s: self.search.status_mask(s) for s in STATUSES}
            self.counts = Counter({s: (matched & m).bit_count() for s, m in masks.items()})
        self._triage: list[int] = []
        self._triage_iter: Iterator[int] | None = None
        self._place_view = None
        self.rebuild_rows()
        if hasattr(self, "place_rows"):
            self.sort_places()

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
        """Positions ``start..stop`` of the filtered triage queue (impact order)."""
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
            total += 1 + (0 if group.collapsed else group.count)
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
        """The claims-pane row showing position ``p`` (None if filtered out or collapsed)."""
        for g, group in enumerate(self.groups):
            if group.start <= p < group.end:
                if group.collapsed or not self.is_visible(p):
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

    def source_summary(self) -> list[tuple[str, Counter[str]]]:
        """Every source (those without a claim too), by name, with the counts by status of
        its claims passing the filter."""
        by_group = {g.source_id: g for g in self.groups}
        known = set(self.sources) | {g[0] for g in self.group_ranges}
        ordered = sorted(known, key=lambda s: (q.normalise(self.source_name(s)), s))
        return [(sid, self.group_counts(by_group[sid]) if sid in by_group else Counter())
                for sid in ordered]

    def set_collapsed(self, source_id: str, collapsed: bool) -> None:
        """Collapse or expand one source's group."""
        (self.collapsed.add if collapsed else self.collapsed.discard)(source_id)
        for group in self.groups:
            if group.source_id == source_id:
                group.collapsed = collapsed
        self.rebuild_rows()

    def set_all_collapsed(self, collapsed: bool) -> None:
        """Collapse or expand every group."""
        self.collapsed = {g[0] for g in self.group_ranges} if collapsed else set()
        for group in self.groups:
            group.collapsed = collapsed
        self.rebuild_rows()

    # ------------------------------------------------------------------ settlements pane
    def sort_places(self, key: str | None = None, reverse: bool | None = None) -> None:
        """Order the settlements pane by ``key`` (one of SORT_KEYS)."""
        if key is not None:
            self.sort_key = key
        if reverse is not None:
            self.sort_reverse = reverse
        self.place_rows = sort_places(
            self.places, self.place_view, self.sort_key, self.sort_reverse,
            sink=self.matched is not None,
        )

    @property
    def place_view(self) -> dict[str, PlaceStats]:
        """The settlements pane's counts: over the claims passing the filter (all of them
        when there is none). Under a filter, one pass over the matched claims, once per
        filter; a status change then updates them as it does :attr:`place_stats`."""
        if self.matched is None:
            return self.place_stats
        view = self._place_view
        if view is None:
            # counts from masks (a few big-int ANDs per settlement); the latest report is the
            # first passing claim in the settlement's claims newest first
            matched, flags = self.matched, self.flags
            assert flags is not None
            waiting = matched & self.search.status_mask(UNVERIFIED)
            reported = self.reported
            view = {}
            for pid in self.places:
                mask = self.search.place_mask(pid)
                st = view[pid] = PlaceStats(claims=(matched & mask).bit_count(),
                                            unverified=(waiting & mask).bit_count())
                if st.claims:
                    st.latest = next((reported[p] for p in self._place_newest(pid) if flags[p]),
                                     "")
            self._place_view = view
        return view

    def _place_newest(self, pid: str) -> list[int]:
        """Positions of the claims about ``pid``, newest report first (built on first need)."""
        cache = self._newest_cache
        found = cache.get(pid)
        if found is None:
            found = cache[pid] = sorted(self.place_positions(pid),
                                        key=self.reported.__getitem__, reverse=True)
        return found

    @property
    def places_matching(self) -> int:
        """How many settlements have a claim passing the filter."""
        return sum(1 for st in self.place_view.values() if st.claims)

    # ------------------------------------------------------------------ incremental updates
    def marked_positions(self, ids: set[str]) -> list[int]:
        """Positions of the claims with these ids that still exist."""
        return [self.pos[c] for c in ids if c in self.pos]

    def set_status(self, p: int, status: str) -> str:
        """Show position ``p`` with a new status at once; returns the status it had."""
        before = self.statuses[p]
        if before == status:
            return before
        # a claim shown false (or no longer) changes what puts another claim first
        regroup = _FALSE in (before, status) and self.links_contradiction(p)
        if regroup:
            self._disputed = None
        elif (before == UNVERIFIED) != (status == UNVERIFIED):
            self.triage_all  # noqa: B018 - the whole queue, before it changes
        self.statuses[p] = _STATUS.get(status, status)
        self.status_version += 1
        self.search.status_changed(p, before, status)
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
        views = [self.place_stats]
        if visible and self._place_view is not None:
            views.append(self._place_view)
        for pid in listed(self.claims[p].get("settlements")):
            for stats in views:
                st = stats.get(pid)
                if st is not None:
                    st.unverified += delta
        if regroup:
            self.forget_impact()
            self._triage_head = self._head_of_triage(TRIAGE_HEAD)
            self._triage, self._triage_iter = [], None
        elif delta:
            at = bisect.bisect_left(self.triage_all, self.triage_key(p), key=self.triage_key)
            if delta < 0:
                if at < len(self.triage_all) and self.triage_all[at] == p:
                    del self.triage_all[at]
            else:
                self.triage_all.insert(at, p)
            self._triage, self._triage_iter = [], None
        return before

    def sync_claim(self, record: Record) -> bool:
        """Take in a claim the store changed; False when only a rebuild can place it."""
        p = self.pos.get(str(record.get("id")))
        if p is None:
            return False
        old = self.claims[p]
        if old is not record:
            for name in ("source", "settlements", "reported_at", "text", "quote", "tags",
                         "contradicts"):
                if old.get(name) != record.get(name):
                    return False
            self.claims[p] = record
        self.search.claim_changed()
        self.set_status(p, record.get("status") or UNVERIFIED)
        return True

    def sync_source(self, record: Record) -> None:
        """Take in a changed source (reliability, names)."""
        sid = str(record.get("id"))
        self.sources[sid] = record
        self.search.source_changed(sid)

    def sync_place(self, record: Record) -> None:
        """Take in a changed settlement (control, names)."""
        pid = str(record.get("id"))
        self.places[pid] = record
        self.search.place_changed(pid)
        self.forget_impact()  # the control in force may rest on another claim now
        self._disputed = None
        self._triage_head = self._head_of_triage(TRIAGE_HEAD)
        self._triage, self._triage_iter = [], None
        self.sort_places()

    # ------------------------------------------------------------------ warm-up (a worker)
    def build_status_masks(self) -> tuple[int, dict[str, int]]:
        """(status version, a mask per status) — for a worker to prebuild; hand the result
        to :meth:`install_status_masks` on the UI thread."""
        return self.status_version, self.search.build_status_masks()

    def install_status_masks(self, version: int, masks: dict[str, int]) -> None:
        """Keep prebuilt status masks unless a status changed since they were built."""
        if version == self.status_version:
            self.search.install_status_masks(masks)

    def text_hays(self) -> list[str]:
        """The free-word haystacks (built here on first use; a worker prebuilds them)."""
        return self.search.text_hays()

    def place_mask(self, pid: str) -> int:
        """Mask of the positions of claims about settlement ``pid`` (a worker prebuilds)."""
        return self.search.place_mask(pid)


def build_model(store: Store, like: DashboardModel | None = None,
                stale_days: int | None = None) -> DashboardModel:
    """A view model of the store's records, keeping filter, collapsed groups and sort of ``like``;
    stale after ``stale_days`` (None: ``like``'s window, else the default)."""
    if stale_days is None:
        stale_days = like.stale_days if like is not None else triage.DEFAULT_STALE_DAYS
    # the claims table itself: the model's one pass leaves out what is not a record (a list
    # of them first would touch 100k records once more)
    claims = store.document.get("claims")
    model = DashboardModel(
        claims.values() if isinstance(claims, dict) else store.claims(),
        store.sources(),
        store.settlements(),
        stale_days=stale_days,
    )
    return carry_over(model, like)


def carry_over(model: DashboardModel, like: DashboardModel | None) -> DashboardModel:
    """``model`` with the filter, collapsed groups and sort of ``like`` (a rebuild, mostly in a
    worker: nothing left for the UI thread); ``like`` None: as built."""
    if like is not None:
        model.triage_all  # noqa: B018 - the whole queue
        model.collapsed = set(like.collapsed)
        model.sort_places(like.sort_key, like.sort_reverse)
        model.set_query(like.query.text)
    return model
