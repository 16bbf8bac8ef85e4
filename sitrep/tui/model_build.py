"""Building the dashboard's view model: the one pass over the claims and what derives from it.

:class:`ModelBuild` lays the claims out at positions (by source name, newest report first),
counts the settlement stats and the head of the triage queue — everything the first frame
shows, and no more. The rest (the whole triage queue, the id -> position map, settlement
positions) is built on first need or by the warm-up worker. :mod:`sitrep.tui.model` keeps the
queries and incremental updates over what is built here.
"""

from __future__ import annotations

import bisect
import functools
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate, compress, repeat
from typing import Any

from sitrep import query as q
from sitrep.analysis import triage
from sitrep.analysis.as_of import known_from
from sitrep.analysis.origins import Links, claims_by_id
from sitrep.models import control_observations, current_control, listed
from sitrep.search import ones

Record = dict[str, Any]
STATUSES = q.STATUSES
UNVERIFIED = "unverified"
_FALSE = "false"
_STATUS = {s: s for s in STATUSES}  # one shared object per status


@dataclass
class PlaceStats:
    """Counts shown in the settlements pane for one settlement (over all claims)."""

    claims: int = 0
    unverified: int = 0
    latest: str = ""


SORT_KEYS = ("latest", "name", "region", "control", "claims", "unverified")
TRIAGE_HEAD = 100  # entries of the triage queue computed for the first frame


def _gathered(gather: operator.itemgetter | None, values: list[Any]) -> list[Any]:
    """``values`` in the order ``gather`` picks them (a list of 0 or 1 values as it is)."""
    return list(gather(values)) if gather is not None else list(values)


def _picker(indices: list[int]) -> Any:
    """A function giving the items of a list at ``indices`` (in that order) as a list."""
    if len(indices) > 1:
        gather = operator.itemgetter(*indices)
        return lambda values: list(gather(values))
    return lambda values: [values[i] for i in indices]


def _first_day(known: str) -> str:
    """``known`` as :func:`sitrep.analysis.triage.entered_before` compares it with a cutoff
    day (its period's first day); ``""`` for a claim with no date (never stale)."""
    return triage.first_day(known) if known else ""  # the one spelling of that rule


class ModelBuild:
    """Mixin for DashboardModel: the layout pass and the structures derived from it."""

    sources: dict[str, Record]
    places: dict[str, Record]
    status_version: int
    #: the day an unverified claim must be reported before to be stale
    stale_cutoff: str
    _impact: set[int] | None = None
    _linked: list[int] | None = None
    _control_found: set[int] | None = None
    #: the date whose picture the model shows (stored form, e.g. ``2022-06-30``); None: now
    as_of: str | None = None

    _order_list: list[int] | None = None
    #: how a past model works its claims' file order out on first need
    _order_of: Callable[[], list[int]] | None = None

    @property
    def _order(self) -> list[int]:
        """The file index of the claim at each position (in the list the model was built
        from; for a past model, in its picture's claims)."""
        order = self._order_list
        if order is None:
            assert self._order_of is not None
            order = self._order_list = self._order_of()
        return order

    @_order.setter
    def _order(self, order: list[int]) -> None:
        self._order_list = order

    def source_name(self, sid: str) -> str:
        """Display name of a source (its id when unknown)."""
        return str(self.sources.get(sid, {}).get("name") or sid)

    def place_name(self, pid: str) -> str:
        """Display name of a settlement (its id when unknown)."""
        place = self.places.get(pid) if isinstance(pid, str) else None
        return str((place or {}).get("name") or pid)

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
        unverified: dict[str, int] = dict.fromkeys(self.places, 0)
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
            value = status_of(value, value)
            add_status(value)
            places = get("settlements")
            if places and type(places) is list:  # a hand edit may leave a number here
                is_unverified = value is UNVERIFIED
                for pid in places:
                    found = bucket(pid)
                    if found is not None:
                        found.append(i)
                        if date > latest[pid]:
                            latest[pid] = date
                        if is_unverified:
                            unverified[pid] += 1
        # sources by name, each one's claims newest first (a stable sort per source gives
        # the order of one sort by date then one by source, in far fewer comparisons)
        names = {sid: q.normalise(self.source_name(sid)) for sid in by_source}
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
        # itemgetter gathers twice as fast as map(list.__getitem__) at 100k
        gather = operator.itemgetter(*order) if len(order) > 1 else None
        self.claims: list[Record] = _gathered(gather, records)
        self.n = n = len(records)
        self.reported: list[str] = _gathered(gather, reported)
        self.statuses: list[str] = _gathered(gather, statuses)
        self._ids: list[Any] | None = _gathered(gather, ids)
        self._pos: dict[str, int] | None = None
        self.all_mask = ones(n)
        self.group_ranges = groups
        self._group_starts = [g[1] for g in groups]
        # settlements pane: counts over all claims, taken in the pass above
        stats: dict[str, PlaceStats] = {
            pid: PlaceStats(claims=len(found), unverified=unverified[pid], latest=latest[pid])
            for pid, found in place_files.items()
        }
        self.place_stats = stats
        self._place_files = place_files
        self.total_counts: Counter[str] = Counter(statuses)
        self._triage_all: list[int] | None = None

    def _layout_past(self, layout: AsOfLayout, horizon: str,
                     copy: Callable[[Record, str], Record | None]) -> None:
        """What :meth:`_layout` and the triage queue give for the claims of a past picture
        (those entered before ``horizon``, :func:`sitrep.analysis.as_of.horizon_of`), cut from
        ``layout`` (the model of the same records now); ``copy`` gives a claim as of the
        horizon (:func:`sitrep.analysis.as_of.claim_at`). The settlements must be set.

        Every step is a pass at C speed over the layout's columns or a slice of the lists
        the layout keeps sorted (no record is read but the few changed after the date, no
        sort): at 100k claims the model of a date costs a few tens of milliseconds instead
        of a layout pass. The claims' file order in the past (:attr:`_order`) is worked out
        on first need: the panes do not read it.
        """
        base = layout.model
        n_base = base.n
        # string comparisons over 100k dates scattered in memory are slow: the layout keeps
        # each date's rank among them, and a date compares with the horizon by rank
        entered = layout.known_order.below(horizon)
        everyone = entered == n_base  # a date after every report: the columns are copied
        keep = b"\x01" * n_base if everyone else layout.known_mask.below(entered)
        pick = list if everyone else _picker(list(compress(range(n_base), keep)))
        # layout position -> position in the past, for the positions in it
        starts: Sequence[int] = (range(n_base + 1) if everyone
                                 else list(accumulate(keep, initial=0)))
        # the claims changed after the date (copies with the status then), few: of the
        # claims changed after they entered, those last changed after the horizon and in
        last = bisect.bisect_left(layout.revised_last, layout.last_order.below(horizon))
        changed = sorted(compress(layout.revised[last:],
                                  layout.revised_known.below(entered)[last:]))
        copies: dict[int, tuple[str, str]] = {}  # layout position -> (status now, then)
        records: list[tuple[int, Record]] = []
        statuses_now = base.statuses
        for b in changed:
            record = layout.copy_of(b, horizon, copy)
            value = record.get("status") or UNVERIFIED
            copies[b] = (statuses_now[b], _STATUS.get(value, value))
            records.append((b, record))
        self.claims = claims = pick(base.claims)
        self.n = n = len(claims)
        self.reported = pick(base.reported)
        self.statuses = statuses = pick(statuses_now)
        for b, record in records:
            claims[starts[b]] = record
            statuses[starts[b]] = copies[b][1]
        self._ids = ids = pick(base._ids or [])
        self._pos = None
        self._inverse = None
        files = _PastFileIndex(layout, entered, pick)
        self._order_list = None
        self._order_of = files.order
        self.group_ranges = [(sid, starts[a], starts[b]) for sid, a, b in base.group_ranges
                             if starts[b] > starts[a]]
        self._group_starts = [g[1] for g in self.group_ranges]
        self.all_mask = ones(n)
        self._place_files = _PastPlaceFiles(layout, horizon, files)
        stats: dict[str, PlaceStats] = {}
        for pid, (known, latest, waiting) in layout.place_columns.items():
            k = bisect.bisect_left(known, horizon)
            stats[pid] = PlaceStats(claims=k, unverified=waiting[k],
                                    latest=latest[k - 1] if k else "")
        for b, (before, after) in copies.items():
            delta = (after == UNVERIFIED) - (before == UNVERIFIED)
            places = base.claims[b].get("settlements")
            if delta and places and type(places) is list:
                for pid in places:
                    st = stats.get(pid)
                    if st is not None:
                        st.unverified += delta
        self.place_stats = stats
        # the counts: of the claims in, by status now (each status's claims by when they
        # entered), less the changed ones' status now, plus their status then
        counts = Counter({value: bisect.bisect_left(known, entered)
                          for value, known in layout.status_known.items()})
        for before, after in copies.values():
            counts[before] -= 1
            counts[after] += 1
        self.total_counts = +counts  # no status with none

        def status_then(b: int) -> str:
            found = copies.get(b)
            return statuses_now[b] if found is None else found[1]

        # the links: the layout's, less the claims not in yet and the names only they gave
        linked = base._linked or []
        linking = [starts[b] for b in linked[:layout.linking] if keep[b]]
        self._linked = linking + [starts[b] for b, named_by in layout.named
                                  if named_by < entered and keep[b]]
        control = triage.control_claims(self.places.values())
        self._control_found = {p for b in layout.resting
                               if keep[b] and ids[p := starts[b]] in control}
        # the first tier (layout positions): control rests on it, or it contradicts a claim
        # not false about one of its settlements (both in the picture)
        tier = {b for b in layout.resting if keep[b] and ids[starts[b]] in control}
        for b, other in layout.same_place:
            if keep[b] and keep[other] and status_then(other) != _FALSE:
                tier.add(b)
        self._impact = {starts[b] for b in tier}
        # the triage queue: the first tier in the layout's order of it, then the claims
        # waiting in the layout's (entered, file order) order, stale ones first
        first = [starts[b] for b in layout.tier_order
                 if b in tier and status_then(b) == UNVERIFIED]
        waiting = layout.waiting_now  # unverified now, in that order; the entered come first
        count = bisect.bisect_left(layout.waiting_known, entered)
        day = layout.day_order.below(self.stale_cutoff)
        if layout.waiting_days_sorted:  # the dated ones' first days do not go down
            lo = min(layout.waiting_undated, count)
            hi = max(lo, min(count, bisect.bisect_left(layout.waiting_day, day, lo)))
            stale, rest = waiting[lo:hi], waiting[:lo] + waiting[hi:count]
        else:
            flags = bytes(map(day.__gt__, layout.waiting_day[:count]))
            stale = list(compress(waiting, flags))
            rest = list(compress(waiting, map(operator.not_, flags)))
        # what the date changes: the first tier and the claims not unverified then leave
        # the lists, the claims unverified then but not now come in
        gone = set(tier)
        come_stale: list[int] = []
        come_rest: list[int] = []
        for b, (before, after) in copies.items():
            if (after == UNVERIFIED) == (before == UNVERIFIED) or b in tier:
                continue
            if after != UNVERIFIED:
                gone.add(b)
            elif layout.first_day[b] < day:
                come_stale.append(b)
            else:
                come_rest.append(b)
        place = layout.known_index.__getitem__
        triage_all = first
        for part, come in ((stale, come_stale), (rest, come_rest)):
            part = _spliced(part, gone, come, place)
            triage_all += part if everyone else map(starts.__getitem__, part)
        self._triage_all = triage_all

    def _head_of_triage(self, k: int) -> list[int]:
        """The first ``k`` entries of the triage queue, without sorting all of it.

        Each source's claims are newest first, so its oldest unverified ones are the last
        ones of its range (claims with no date last of all): the ``k`` oldest of each source
        (with any tied with the ``k``-th on date, and every undated one) and the claims of
        the first tier (:meth:`impact_positions`) hold the queue's first ``k``.
        """
        flags = bytes(map(operator.eq, self.statuses, repeat(UNVERIFIED)))
        reported = self.reported
        candidates: set[int] = {p for p in self.impact_positions() if flags[p]}
        for _sid, start, end in self.group_ranges:
            found = list(compress(range(start, end), flags[start:end]))
            undated = 0
            while undated < len(found) and not reported[found[-1 - undated]]:
                undated += 1
            if len(found) > k + undated:
                j = len(found) - k - undated
                edge = reported[found[j]]
                while j > 0 and reported[found[j - 1]] == edge:
                    j -= 1
                found = found[j:]
            candidates.update(found)
        return sorted(candidates, key=self.triage_key)[:k]

    def impact_positions(self) -> set[int]:
        """Positions of the claims of the triage queue's first tier (see
        :func:`sitrep.analysis.triage.impact_ids`), worked out once per model (and again
        after :meth:`forget_impact`)."""
        found = self._impact
        if found is None:
            linked = self.contradiction_claims()
            ids = triage.impact_ids(linked, self.places.values())
            by_id = {c.get("id"): p for c, p in zip(linked, self._linked or (), strict=True)}
            found = {by_id[i] for i in ids if i in by_id}
            rest = ids.difference(by_id)  # control claims without a contradiction link
            if rest and self._control_found is not None:
                found.update(p for p in self._control_found if self._ids_at(p) in rest)
            else:
                found.update(self._positions_of(rest))
            self._impact = found
        return found

    def contradiction_claims(self) -> list[Record]:
        """The claims with a ``contradicts`` link and the claims those links name, each with
        the status shown (a key changes it before the store has written it): all the
        contradiction rules (impact, disputes) need, a few records instead of all of them."""
        linked = self._linked
        if linked is None:
            linked = [p for p, c in enumerate(self.claims) if c.get("contradicts")]
            named = {o for p in linked for o in listed(self.claims[p].get("contradicts"))
                     if isinstance(o, str)}
            if named:
                # the claims named, found in one pass over the ids: the first frame does not
                # build the whole id -> position map for a few thousand links
                have = set(linked)
                # the control claims' positions come in the same pass (impact_positions)
                control = triage.control_claims(self.places.values())
                found = self._positions_of(named | control)
                self._control_found = {p for p in found if self._ids_at(p) in control}
                linked += [p for p in found if p not in have and self._ids_at(p) in named]
            self._linked = linked
        return [dict(self.claims[p], status=self.statuses[p]) for p in linked]

    def _ids_at(self, p: int) -> Any:
        return self._ids[p] if self._ids is not None else self.claims[p].get("id")

    def _positions_of(self, wanted: set[Any]) -> list[int]:
        """Positions of these claim ids (the first of each), in one pass over the ids while
        the id -> position map is not built yet (the first frame does not build it)."""
        if not wanted:
            return []
        if self._pos is not None:
            return [p for p in map(self._pos.get, wanted) if p is not None]
        ids = self._ids
        assert ids is not None
        firsts: dict[Any, int] = {}
        for p, cid in enumerate(ids):
            if cid in wanted and cid not in firsts:
                firsts[cid] = p
        return list(firsts.values())

    def links_contradiction(self, p: int) -> bool:
        """True when the claim at ``p`` contradicts another or is contradicted."""
        if self._linked is None:
            self.contradiction_claims()
        return p in (self._linked or ())

    def forget_impact(self) -> None:
        """A status or a control changed what the first tier holds: work it out again."""
        self._impact = None
        self._control_found = None
        self._triage_all = None

    def triage_key(self, p: int) -> tuple[int, str, int]:
        """Where position ``p`` sorts in the triage queue: impact tier, date, file order
        (:func:`sitrep.analysis.triage.triage_key`)."""
        claim = self.claims[p]
        if p in self.impact_positions():
            tier = 0
        else:
            tier = 1 if triage.entered_before(claim, self.stale_cutoff) else 2
        return (tier, self.reported[p] or known_from(claim), self._order[p])

    @property
    def triage_all(self) -> list[int]:
        """The whole triage queue: unverified positions in impact order (see
        :func:`sitrep.analysis.triage.triage_queue`). Built on first need, or installed by
        the warm-up worker."""
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
        queue.sort(key=self.triage_key)
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


class AsOfLayout:
    """The layout of every claim of an :class:`~sitrep.analysis.as_of.AsOfView` — a model of
    its records, built once per version of them and never changed after — and the columns
    that do not depend on the date, from which the model of any date is cut
    (:meth:`ModelBuild._layout_past`) instead of laid out again.

    What a date changes is which claims are in (a claim never moves: its source and report
    date are the same in every picture, so the past layout is a subsequence of this one), the
    status of the few claims changed after it, and what follows from those.
    """

    def __init__(self, model: ModelBuild, known: list[str], last: list[str]) -> None:
        self.model = model
        order = model._order
        n = model.n
        ids = model._ids or []
        #: whether the past can be cut from this layout; False when a claim id is used twice
        #: or is not hashable (which of two equal ids is "the first" depends on who is in)
        self.usable = n == len(known) == len(last) and _distinct(ids)
        if not self.usable:
            return
        known_here = [known[i] for i in order]
        #: every position, in triage order but for the tiers: (entered the picture, file order)
        self.by_known = sorted(range(n), key=lambda p: (known_here[p], order[p]))
        #: when each claim entered the picture (file order, and here), when it last changed,
        #: and the first day it was stale after, as ranks (:class:`_DateRanks`)
        self.known_order = _DateRanks(known)
        self.known_file = self.known_order.ranks(known)
        self.known_here = [self.known_file[i] for i in order]
        self.known_mask = _RankMask(self.known_here, n)
        self.last_order = _DateRanks(last)
        self.last_here = self.last_order.ranks([last[i] for i in order])
        days = [_first_day(k) for k in known_here]
        self.day_order = _DateRanks([d for d in days if d])
        self.first_day = self.day_order.ranks(days)
        # per settlement: its claims (file indices) by when they entered, with the running
        # latest report and count of unverified ones now
        inverse = [0] * n
        list(map(inverse.__setitem__, order, range(n)))
        self.inverse = inverse
        self.place_columns: dict[str, tuple[list[str], list[str], list[int]]] = {}
        self.place_files: dict[str, list[int]] = {}
        for pid, files in model._place_files.items():
            files = sorted(files, key=lambda i: (known[i], i))
            self.place_files[pid] = files
            here = [inverse[i] for i in files]
            self.place_columns[pid] = (
                [known[i] for i in files],
                list(accumulate((model.reported[b] for b in here), max)),
                list(accumulate((model.statuses[b] == UNVERIFIED for b in here), initial=0)),
            )
        model.contradiction_claims()  # the links, found once
        linked = model._linked or []
        #: how many of the linked positions have a ``contradicts`` of their own (the rest are
        #: the claims those links name)
        self.linking = sum(1 for p in linked if model.claims[p].get("contradicts"))
        #: the claims named by a link only: (position, the earliest entered of those naming
        #: it, as a rank): in the past exactly when one of those is
        namers: dict[Any, int] = {}
        for p in linked[:self.linking]:
            for other in listed(model.claims[p].get("contradicts")):
                if isinstance(other, str):
                    namers[other] = min(namers.get(other, n), self.known_here[p])
        self.named = [(p, namers[ids[p]]) for p in linked[self.linking:]]
        self._copies: dict[tuple[int, int], Record] = {}
        self._history_dates: dict[int, list[str]] = {}
        # the claims any control observation rests on (a past control is an earlier one)
        resting = {o.get("claim") for place in model.places.values()
                   for o in control_observations(place)}
        self.resting = model._positions_of({c for c in resting if isinstance(c, str)})
        #: (position, another it contradicts or is contradicted by, about one of the same
        #: settlements), as :func:`sitrep.analysis.triage.impact_ids` reads the links
        self.same_place = _same_place([model.claims[p] for p in linked], linked)
        self._sort_for_switches(known, last)
        # one object per report date: a switch gathers 100k of them, and gathering shared
        # objects does not touch 100k places in memory (3x faster at 100k)
        shared: dict[str, str] = {}
        model.reported[:] = [shared.setdefault(d, d) for d in model.reported]

    def _sort_for_switches(self, known: list[str], last: list[str]) -> None:
        """The lists a date switch takes slices of instead of sorting or reading every claim.

        The claims changed after they entered (the only ones a date can show changed) by
        when they last changed; the first tier's candidates in triage order; the claims
        unverified now in (entered, file order) order, with when they entered and the first
        day they are stale after (ranks).
        """
        model = self.model
        n = model.n
        order = model._order
        revised = [b for b in range(n) if known[order[b]] < last[order[b]]]
        revised.sort(key=self.last_here.__getitem__)
        self.revised = revised
        self.revised_last = [self.last_here[b] for b in revised]
        self.revised_known = _RankMask([self.known_here[b] for b in revised], n)
        known_index = [0] * n
        list(map(known_index.__setitem__, self.by_known, range(n)))
        #: each position's place in :attr:`by_known`
        self.known_index = known_index
        # a claim's date in the triage key is its report's, or when it entered (the same
        # in every picture it is in), and the file order of the past is the layout's, less
        # the claims not in
        candidates = set(self.resting) | {b for b, _ in self.same_place}
        self.tier_order = sorted(candidates, key=lambda b: (
            model.reported[b] or known[order[b]], order[b]))
        statuses = model.statuses
        self.waiting_now = [b for b in self.by_known if statuses[b] == UNVERIFIED]
        self.waiting_known = [self.known_here[b] for b in self.waiting_now]
        self.waiting_day = [self.first_day[b] for b in self.waiting_now]
        # the claims that entered always (no date) come first and are never stale; if the
        # first days of the others do not go down, the stale ones are a slice of the rest
        self.waiting_undated = sum(1 for b in self.waiting_now if not known[order[b]])
        dated = self.waiting_day[self.waiting_undated:]
        self.waiting_days_sorted = all(map(operator.le, dated, dated[1:]))
        status_known: dict[str, list[int]] = {}
        for b in self.by_known:
            status_known.setdefault(statuses[b], []).append(self.known_here[b])
        #: each status's claims (now) by when they entered, as ranks
        self.status_known = status_known


    def copy_of(self, p: int, horizon: str, copy: Callable[[Record, str], Record | None]
                ) -> Record:
        """The claim at position ``p`` as of ``horizon`` (``copy``: a claim changed after the
        horizon as of it), kept: the copy depends only on which of its history entries are
        before the horizon, so the next day's model (``<`` ``>``) reuses nearly all of them."""
        record = self.model.claims[p]
        dates = self._history_dates.get(p)
        if dates is None:
            history = record.get("history")
            dates = self._history_dates[p] = sorted(
                at for e in (history if isinstance(history, list) else ())
                if isinstance(e, dict) and isinstance(at := e.get("at"), str))
        key = (p, bisect.bisect_left(dates, horizon))
        found = self._copies.get(key)
        if found is None:
            found = copy(record, horizon)
            assert found is not None  # in the picture: entered before the horizon
            self._copies[key] = found
        return found


class _RankMask:
    """Ranks (0 to ``top``) kept as base-256 digit strings, so the mask of those below a bound
    is a few ``bytes.translate`` and big-int and/or (C speed over bytes) instead of one
    comparison per rank."""

    def __init__(self, ranks: list[int], top: int) -> None:
        self.n = len(ranks)
        self.width = max(1, (top.bit_length() + 7) // 8)
        shifts = [8 * k for k in reversed(range(self.width))]  # most significant first
        self.digits = [bytes([(r >> shift) & 255 for r in ranks]) for shift in shifts]

    def below(self, bound: int) -> bytes:
        """``b"\\x01"`` for each rank below ``bound``, ``b"\\x00"`` for the others."""
        n = self.n
        if bound >= 256 ** self.width:
            return b"\x01" * n
        below = 0
        same = int.from_bytes(b"\x01" * n)  # the digits so far equal the bound's
        for k, digits in enumerate(self.digits):
            digit = (bound >> (8 * (self.width - 1 - k))) & 255
            below |= same & int.from_bytes(digits.translate(_digits_below(digit)))
            same &= int.from_bytes(digits.translate(_digits_equal(digit)))
        return below.to_bytes(n)


@functools.cache
def _digits_below(digit: int) -> bytes:
    return bytes(d < digit for d in range(256))


@functools.cache
def _digits_equal(digit: int) -> bytes:
    return bytes(d == digit for d in range(256))


class _DateRanks:
    """Dates as ranks among a list of them: ``date < horizon`` exactly when
    ``rank(date) < below(horizon)``; an empty date ranks after all (it is never before)."""

    def __init__(self, dates: list[str]) -> None:
        self.sorted = sorted(dates)
        self._rank: dict[str, int] = {}
        for i, value in enumerate(self.sorted):
            self._rank.setdefault(value, i)
        self._rank.setdefault("", len(self.sorted))

    def ranks(self, dates: list[str]) -> list[int]:
        """The rank of each date (each one of the list given, or empty)."""
        return list(map(self._rank.__getitem__, dates))

    def below(self, horizon: str) -> int:
        """The rank a date must be below to be before ``horizon``."""
        return bisect.bisect_left(self.sorted, horizon)


def _same_place(claims: list[Record], positions: list[int]) -> list[tuple[int, int]]:
    by_id = claims_by_id(claims)
    at = {c.get("id"): p for c, p in zip(claims, positions, strict=True)}
    pairs = []
    for cid, others in Links(by_id).contradicted_by.items():
        places = _places(by_id[cid])
        pairs += [(at[cid], at[o]) for o in others if places and places & _places(by_id[o])]
    return pairs


def _places(claim: Record) -> set[str]:
    return {p for p in listed(claim.get("settlements")) if isinstance(p, str)}


def _spliced(part: list[int], gone: set[int], come: list[int],
             place: Callable[[int], int]) -> list[int]:
    """``part`` (positions ascending by ``place``) less those in ``gone``, with those of
    ``come`` put in at their places: slices of ``part`` between the few changes."""
    events = sorted([*(b for b in gone), *come], key=place)
    if not events:
        return part
    coming = set(come)
    out: list[int] = []
    start = 0
    for b in events:
        at = bisect.bisect_left(part, place(b), start, key=place)
        if b in coming:
            out += part[start:at]
            out.append(b)
            start = at
        elif at < len(part) and part[at] == b:
            out += part[start:at]
            start = at + 1
    out += part[start:]
    return out


class _PastFileIndex:
    """The file indices of a past picture's claims (in its list of claims, file order),
    worked out on first need from the layout's: a past model does not read them to show."""

    def __init__(self, layout: AsOfLayout, entered: int, pick: Callable[[list[int]], list[int]]
                 ) -> None:
        self.layout, self.entered, self.pick = layout, entered, pick
        self._rank: list[int] | None = None

    @property
    def rank(self) -> list[int]:
        """File index (of the records now) -> file index in the past (of those in it)."""
        rank = self._rank
        if rank is None:
            entered = self.entered
            rank = list(accumulate(map(entered.__gt__, self.layout.known_file), initial=-1))
            del rank[0]
            self._rank = rank
        return rank

    def order(self) -> list[int]:
        """The past model's :attr:`ModelBuild._order`."""
        return list(map(self.rank.__getitem__, self.pick(self.layout.model._order)))


class _PastPlaceFiles(dict[str, list[int]]):
    """A past model's claims per settlement (file indices), cut from the layout's on first
    need (the settlements pane's positions of one settlement)."""

    def __init__(self, layout: AsOfLayout, horizon: str, files: _PastFileIndex) -> None:
        super().__init__()
        self.layout, self.horizon, self.files = layout, horizon, files

    def get(self, pid: str, default: Any = None) -> Any:
        """The file indices (in the past) of the claims about ``pid``."""
        if pid not in self:
            columns = self.layout.place_columns.get(pid)
            if columns is None:
                return default
            k = bisect.bisect_left(columns[0], self.horizon)
            rank = self.files.rank
            self[pid] = [rank[i] for i in self.layout.place_files[pid][:k]]
        return self[pid]


def _distinct(ids: Iterable[Any]) -> bool:
    seen: set[Any] = set()
    try:
        for cid in ids:
            if cid in seen:
                return False
            seen.add(cid)
    except TypeError:
        return False
    return True


def sort_places(
    places: dict[str, Record], stats: dict[str, PlaceStats], key: str, reverse: bool,
    sink: bool = False,
) -> list[str]:
    """Settlement ids ordered by ``key``; counts and dates sort descending by default, ties
    by name A-Z whichever way the column runs. With ``sink``, settlements with no claim in
    ``stats`` (none passing the filter) follow the others, in the same order."""

    def name(pid: str) -> tuple[str, str]:
        return (q.normalise(str(places[pid].get("name") or pid)), pid)

    def control(pid: str) -> tuple[str, str]:
        obs = current_control(places[pid]) or {}
        return (str(obs.get("controller") or ""), str(obs.get("as_of") or ""))

    keyfuncs: dict[str, Any] = {
        "latest": lambda p: stats[p].latest,
        "name": lambda p: 0,
        "region": lambda p: q.normalise(str(places[p].get("region") or "")),
        "control": control,
        "claims": lambda p: stats[p].claims,
        "unverified": lambda p: stats[p].unverified,
    }
    descending = key in ("latest", "claims", "unverified")
    by_name = sorted(places, key=name, reverse=key == "name" and reverse)
    ordered = sorted(by_name, key=keyfuncs[key], reverse=descending != reverse)  # stable
    if sink:
        ordered.sort(key=lambda p: not stats[p].claims)
    return ordered
