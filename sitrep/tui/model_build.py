"""Building the dashboard's view model: the one pass over the claims and what derives from it.

:class:`ModelBuild` lays the claims out at positions (by source name, newest report first),
counts the settlement stats and the head of the triage queue — everything the first frame
shows, and no more. The rest (the whole triage queue, the id -> position map, settlement
positions) is built on first need or by the warm-up worker. :mod:`sitrep.tui.model` keeps the
queries and incremental updates over what is built here.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress, repeat
from typing import Any

from sitrep import query as q
from sitrep.analysis import triage
from sitrep.analysis.as_of import known_from
from sitrep.models import current_control, listed
from sitrep.search import ones

Record = dict[str, Any]
STATUSES = q.STATUSES
UNVERIFIED = "unverified"
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
