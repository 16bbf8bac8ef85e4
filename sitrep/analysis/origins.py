"""Where a claim comes from, how many independent origins stand behind it, and the credibility
that suggests.

**Root origin.** A claim's ``origin`` is the id of a claim it repeats or of a source it relays
(null: the source speaks for itself). Follow it claim by claim to the end: the root is the
source id (or unknown id) the last ``origin`` names, or — when the last claim has no origin —
that claim's own ``source``. An id that is both a claim's and a source's is taken as the claim
(the chain goes on). A claim with neither origin nor source is its own root.

**Circular reporting.** A chain that comes back to a claim already on it has no root: A cites B
who cites A. Every claim whose chain runs into the loop is *circular*, and names the loop's ids
in chain order, starting from the smallest id. For counting, a loop is one origin, named by its
first id.

**Links.** ``corroborates`` and ``contradicts`` are read in both directions: when A lists B as
corroborating, B is corroborated by A and A by B (agreement and contradiction are mutual).
Links to ids that are not claims, and a claim's links to itself, are ignored.

**Independent origins.** The distinct root origins among the claim and the claims that
corroborate it, leaving out claims whose status is ``false`` (a claim shown untrue supports
nothing, nor contradicts anything). Relays of one root never count twice, so a claim
corroborated only by relays of itself has 1. A claim *is contradicted* when a claim linked by
``contradicts`` (not ``false``) has a root other than its own: a source disagreeing with itself
is not "other information".

**Suggested credibility** (Admiralty definitions; the first rule that applies):

===  ======================================================================================
5    the claim's status is ``false`` (shown untrue: "improbable")
6    circular and fewer than 2 independent origins: the chain has no base ("cannot be judged")
3    contradicted (or ``disputed``) but with 2+ independent origins or against interest:
     information both ways ("possibly true … agrees with some other information")
5    contradicted (or ``disputed``) otherwise ("contradicted by other information")
1    2+ independent origins ("confirmed by other independent sources")
2    against interest — the speaker had reason not to say it — or status ``corroborated`` /
     ``confirmed`` (the analyst holds support the links do not show): "probably true, not
     confirmed"
3    otherwise: one origin, nothing against it ("possibly true, not confirmed"); 4 ("not
     logical") needs a judgement of the content only the analyst can make
===  ======================================================================================

So 1 is never suggested with fewer than two independent origins, whatever the status says.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sitrep.models import Record, Status, listed

_FALSE = Status.FALSE.value
_SUPPORTED = (Status.CORROBORATED.value, Status.CONFIRMED.value)
_DISPUTED = Status.DISPUTED.value


def _claim_id(claim: Any) -> str | None:
    rid = claim.get("id") if isinstance(claim, dict) else None
    return rid if isinstance(rid, str) else None


def _terminal(claim: Record, cid: str) -> str:
    """The root named by a claim whose origin is not another claim."""
    origin = claim.get("origin")
    if isinstance(origin, str) and origin:
        return origin
    source = claim.get("source")
    return source if isinstance(source, str) and source else cid


def claims_by_id(claims: Iterable[Record]) -> dict[str, Record]:
    """Claims by id; the first claim with an id is the one used (``sitrep validate`` reports an
    id given twice), and a record without a string id is left out."""
    by_id: dict[str, Record] = {}
    for claim in claims:
        cid = claim.get("id") if isinstance(claim, dict) else None
        if isinstance(cid, str) and cid not in by_id:
            by_id[cid] = claim
    return by_id


class Origins:
    """The root origin (or the loop) of every claim, each chain walked once (claims by id as
    :func:`claims_by_id` gives them)."""

    def __init__(self, claims: Iterable[Record]) -> None:
        self.by_id = claims_by_id(claims)
        self._root: dict[str, str] = {}
        self._loop: dict[str, tuple[str, ...]] = {}
        self._loops: list[tuple[str, ...]] = []
        by_id, root, in_loop = self.by_id, self._root, self._loop
        for cid, claim in by_id.items():
            if cid in root or cid in in_loop:
                continue
            origin = claim.get("origin")
            if isinstance(origin, str) and origin in by_id:
                self._walk(cid)
            else:  # most claims: no chain to walk
                root[cid] = _terminal(claim, cid)
        #: what counts as each claim's one origin: its root, or its loop's first id
        self.key: dict[str, str] = dict(root)
        for cid, loop in self._loop.items():
            self.key[cid] = loop[0]

    def _next(self, cid: str) -> str | None:
        origin = self.by_id[cid].get("origin")
        return origin if isinstance(origin, str) and origin in self.by_id else None

    def _walk(self, cid: str) -> None:
        path: list[str] = []
        on_path: dict[str, int] = {}
        while True:
            if cid in self._root:
                root = self._root[cid]
                break
            loop = self._loop.get(cid)
            if loop is None and cid in on_path:  # came back: the loop is the path from there
                ring = path[on_path[cid]:]
                first = ring.index(min(ring))
                loop = tuple(ring[first:] + ring[:first])
                self._loops.append(loop)
            if loop is not None:
                for member in path:
                    self._loop[member] = loop
                return
            on_path[cid] = len(path)
            path.append(cid)
            nxt = self._next(cid)
            if nxt is None:
                root = _terminal(self.by_id[cid], cid)
                break
            cid = nxt
        for member in path:
            self._root[member] = root

    def root(self, claim_id: str) -> str | None:
        """The root origin of a claim (None: circular, or no such claim)."""
        return self._root.get(claim_id)

    def loop(self, claim_id: str) -> tuple[str, ...] | None:
        """The loop a claim's chain runs into, or None."""
        return self._loop.get(claim_id)

    def origin_of(self, claim_id: str) -> str:
        """What counts as the claim's one origin: its root, or its loop's first id."""
        return self.key.get(claim_id, claim_id)

    def loops(self) -> list[tuple[str, ...]]:
        """Every loop once, in the order found (file order of the first claim reaching it)."""
        return list(self._loops)


def root_origin(claim: Record, claims: Iterable[Record]) -> str | None:
    """The root origin of one claim among ``claims`` (None when its chain is circular)."""
    cid = _claim_id(claim)
    if cid is None:
        return _terminal(claim, "")
    return Origins([claim, *claims]).root(cid)


def origin_loops(claims: Iterable[Record]) -> list[tuple[str, ...]]:
    """Every circular-reporting loop among ``claims`` (ids in chain order, smallest first)."""
    return Origins(claims).loops()


def _link(links: dict[str, dict[str, None]], cid: str, value: Any, known: Collection[str]
          ) -> None:
    for other in listed(value):
        if isinstance(other, str) and other != cid and other in known:
            links.setdefault(cid, {})[other] = None
            links.setdefault(other, {})[cid] = None


class Links:
    """``corroborates`` and ``contradicts`` read both ways, built in one pass over the claims
    (given by id, as :attr:`Origins.by_id` holds them)."""

    def __init__(self, by_id: Mapping[str, Record]) -> None:
        self.corroborated_by: dict[str, dict[str, None]] = {}
        self.contradicted_by: dict[str, dict[str, None]] = {}
        for cid, claim in by_id.items():
            corroborates, contradicts = claim.get("corroborates"), claim.get("contradicts")
            if corroborates:  # most claims link nothing: two lookups and on
                _link(self.corroborated_by, cid, corroborates, by_id)
            if contradicts:
                _link(self.contradicted_by, cid, contradicts, by_id)

    def corroborating(self, claim_id: str) -> list[str]:
        """Ids of the claims that corroborate ``claim_id`` (either direction)."""
        return list(self.corroborated_by.get(claim_id, ()))

    def contradicting(self, claim_id: str) -> list[str]:
        """Ids of the claims that contradict ``claim_id`` (either direction)."""
        return list(self.contradicted_by.get(claim_id, ()))


def suggest_credibility(status: Any, independent: int, contradicted: bool, against_interest: bool,
                        circular: bool) -> int:
    """The credibility the module docstring's table gives for these facts about a claim."""
    if status == _FALSE:
        return 5
    if circular and independent < 2:
        return 6
    if contradicted or status == _DISPUTED:
        return 3 if independent >= 2 or against_interest else 5
    if independent >= 2:
        return 1
    if against_interest or status in _SUPPORTED:
        return 2
    return 3


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the links and origins say about one claim (``sitrep show CLAIM --json``).

    Immutable, so claims with the same facts share one (most claims: one origin, no links).
    """

    root_origins: tuple[str, ...]
    independent_origins: int
    corroborated_by: tuple[str, ...]
    contradicted_by: tuple[str, ...]
    suggested_credibility: int | None
    circular: tuple[str, ...] | None
    stale: bool

    def to_json(self) -> dict[str, Any]:
        """The ``analysis`` object as JSON."""
        return {
            "root_origins": list(self.root_origins),
            "independent_origins": self.independent_origins,
            "corroborated_by": list(self.corroborated_by),
            "contradicted_by": list(self.contradicted_by),
            "suggested_credibility": self.suggested_credibility,
            "circular": list(self.circular) if self.circular is not None else None,
            "stale": self.stale,
        }

    def words(self) -> str:
        """The analysis in one plain line, e.g. ``2 reports · 1 independent origin (hayday) ·
        suggested 3``."""
        reports = 1 + len(self.corroborated_by)
        n = self.independent_origins
        parts = [
            f"{reports} report{'s' if reports != 1 else ''}",
            f"{n} independent origin{'s' if n != 1 else ''} ({', '.join(self.root_origins)})",
        ]
        if self.contradicted_by:
            parts.append(f"contradicted by {len(self.contradicted_by)}")
        if self.circular:
            parts.append("circular: " + " → ".join((*self.circular, self.circular[0])))
        if self.stale:
            parts.append("stale")
        if self.suggested_credibility is not None:
            parts.append(f"suggested {self.suggested_credibility}")
        return " · ".join(parts)


class Analyst:
    """Origins and links over a set of claims, to analyse any of them cheaply."""

    def __init__(self, claims: Iterable[Record]) -> None:
        self.origins = Origins(claims)
        self.links = Links(self.origins.by_id)

    def analyse(self, claim_id: str, stale: bool = False) -> Analysis | None:
        """The analysis of one claim (None when no claim has that id)."""
        claim = self.origins.by_id.get(claim_id)
        return None if claim is None else self._analyse(claim_id, claim, stale)

    def _analyse(self, cid: str, claim: Record, stale: bool) -> Analysis:
        by_id, key = self.origins.by_id, self.origins.key
        own = key[cid]
        corroborators = tuple(self.links.corroborated_by.get(cid, ()))
        roots = {own: None}
        for other in corroborators:
            if by_id[other].get("status") != _FALSE:
                roots[key[other]] = None
        contradictors = tuple(self.links.contradicted_by.get(cid, ()))
        contradicted = any(by_id[o].get("status") != _FALSE and key[o] != own
                           for o in contradictors)
        loop = self.origins.loop(cid)
        suggested = suggest_credibility(claim.get("status"), len(roots), contradicted,
                                        claim.get("against_interest") is True, loop is not None)
        return Analysis(tuple(roots), len(roots), corroborators, contradictors, suggested, loop,
                        stale)

    def analyse_all(self, stale: Collection[str] = ()) -> dict[str, Analysis]:
        """The analysis of every claim by id (``stale``: ids of the stale claims)."""
        key, loops = self.origins.key, self.origins._loop
        linked = self.links.corroborated_by.keys() | self.links.contradicted_by.keys()
        shared: dict[tuple[str, str | None, bool, bool], Analysis] = {}
        out: dict[str, Analysis] = {}
        for cid, claim in self.origins.by_id.items():
            if cid in linked or cid in loops:
                out[cid] = self._analyse(cid, claim, cid in stale)
                continue
            # most claims: one origin, no links, no loop — the analysis depends on four facts
            status = claim.get("status")
            facts = (key[cid], status if isinstance(status, str) else None,
                     claim.get("against_interest") is True, cid in stale)
            analysis = shared.get(facts)
            if analysis is None:
                suggested = suggest_credibility(facts[1], 1, False, facts[2], False)
                analysis = shared[facts] = Analysis((facts[0],), 1, (), (), suggested, None,
                                                    facts[3])
            out[cid] = analysis
        return out


def analyse(claims: Iterable[Record], stale: Collection[str] = ()) -> dict[str, Analysis]:
    """The analysis of every claim by id, in one pass for the index and one per claim.

    ``stale`` holds the ids of stale claims (:func:`sitrep.analysis.triage.stale_ids`); it is
    passed in because staleness depends on the date and the configured window.
    """
    return Analyst(claims).analyse_all(stale)
