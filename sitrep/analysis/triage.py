"""Where the analyst's attention goes: stale claims, the triage queue's order, settlements whose
picture is disputed, and a settlement's control over time.

**Stale.** An ``unverified`` claim is stale when it was reported more than ``stale_days`` whole
days before the reference day: today (UTC), or the last day of the as-of date's period (the
end of ``2022-06`` is 30 June; of ``2022`` 31 December). The default, :data:`DEFAULT_STALE_DAYS`
= 7, is a week: on a moving front a report nobody checked for a week no longer says where
things stand. A claim reported in a month or year counts from its first day, as everywhere in
sitrep (so "2022-08" is older than 7 days on 8 August), and one with no ``reported_at`` from
its ``created`` history entry; with neither it is never stale.

**The triage queue** holds the ``unverified`` claims, most impact first:

1. claims a settlement's control in force rests on (an observation's ``claim``), and claims that
   contradict (either direction) another claim, not ``false``, naming one of the same
   settlements;
2. then stale claims;
3. then the rest;

oldest first within each (by when they were reported; ties in file order).

**A disputed picture.** A settlement is disputed when two claims naming it contradict each
other (neither ``false``), or when its control in force says ``ua`` or ``ru`` and an earlier
observation of the other side lies within ``stale_days`` before it (both sides claimed it
within the window). ``contested`` is an agreed picture of fighting, not a dispute.

**Control timeline.** Each observation in ``as_of`` order (ties in list order) with the claim
it rests on, that claim's source, status and ``reported_at``, and a plain-text strip of who held
it when, e.g. ``2022 ua → 2022-06 ru`` (consecutive observations of one controller merge).
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sitrep import dates
from sitrep.analysis.as_of import known_from
from sitrep.analysis.origins import Links, claims_by_id
from sitrep.errors import InvalidValueError
from sitrep.models import (
    Controller,
    Record,
    Status,
    control_observations,
    current_control,
    listed,
)

DEFAULT_STALE_DAYS = 7
_UNVERIFIED = Status.UNVERIFIED.value
_FALSE = Status.FALSE.value
_SIDES = {Controller.UA.value: Controller.RU.value, Controller.RU.value: Controller.UA.value}


# ---------------------------------------------------------------------------------- stale
def reference_day(when: str | None = None, now: datetime | None = None) -> date:
    """The day ages are measured against: the last day of ``when``'s period, else today (UTC)."""
    if when is None:
        return (now or datetime.now(UTC)).astimezone(UTC).date()
    fuzzy = dates.parse(when)
    start = fuzzy.start
    if fuzzy.precision is dates.Precision.YEAR:
        return date(start.year, 12, 31)
    if fuzzy.precision is dates.Precision.MONTH:
        return date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    return start.date()


def stale_cutoff(when: str | None = None, days: int = DEFAULT_STALE_DAYS,
                 now: datetime | None = None) -> str:
    """The day string a claim must be reported before to be stale (``known_from < cutoff``)."""
    return (reference_day(when, now) - timedelta(days=days)).isoformat()


def first_day(stored: str) -> str:
    """A stored date with its period's first day spelled out ("2022-09" → "2022-09-01"), so
    it compares with a day string by its start (as a prefix it would sort before that day)."""
    if len(stored) == 4:
        return stored + "-01-01"
    if len(stored) == 7:
        return stored + "-01"
    return stored


def _older(known: str, cutoff: str) -> bool:
    return bool(known) and first_day(known) < cutoff


def is_stale(claim: Record, cutoff: str) -> bool:
    """True for an unverified claim that entered the picture before ``cutoff`` (a day)."""
    return claim.get("status", _UNVERIFIED) == _UNVERIFIED and _older(known_from(claim), cutoff)


def stale_ids(claims: Iterable[Record], when: str | None = None,
              days: int = DEFAULT_STALE_DAYS, now: datetime | None = None) -> set[str]:
    """Ids of the stale claims (see the module docstring), as of ``when`` or now."""
    cutoff = stale_cutoff(when, days, now)
    return {c["id"] for c in claims if isinstance(c.get("id"), str) and is_stale(c, cutoff)}


# ---------------------------------------------------------------------------------- triage
@dataclass(frozen=True, slots=True)
class Triaged:
    """One entry of the triage queue: the claim, its tier (0 first) and why it is there."""

    claim: Record
    tier: int
    why: str


def control_claims(settlements: Iterable[Record]) -> set[str]:
    """Ids of the claims the settlements' control in force rests on."""
    ids = set()
    for place in settlements:
        claim = (current_control(place) or {}).get("claim")
        if isinstance(claim, str):
            ids.add(claim)
    return ids


def _places(claim: Record) -> set[str]:
    return {p for p in listed(claim.get("settlements")) if isinstance(p, str)}


def _contradicting_same_place(claims: list[Record]) -> set[str]:
    by_id = claims_by_id(claims)
    links = Links(by_id)
    found = set()
    for cid, others in links.contradicted_by.items():
        places = _places(by_id[cid])
        if places and any(by_id[o].get("status") != _FALSE and places & _places(by_id[o])
                          for o in others):
            found.add(cid)
    return found


def triage_queue(claims: Iterable[Record], settlements: Iterable[Record],
                 when: str | None = None, days: int = DEFAULT_STALE_DAYS,
                 now: datetime | None = None) -> list[Triaged]:
    """The unverified claims in impact order (see the module docstring)."""
    claims = list(claims)
    resting = control_claims(settlements)
    contradicting = _contradicting_same_place(claims)
    cutoff = stale_cutoff(when, days, now)
    queue: list[tuple[int, str, int, Triaged]] = []
    for n, claim in enumerate(claims):
        if claim.get("status", _UNVERIFIED) != _UNVERIFIED:
            continue
        cid = claim.get("id")
        known = known_from(claim)
        if cid in resting:
            entry = Triaged(claim, 0, "control rests on it")
        elif cid in contradicting:
            entry = Triaged(claim, 0, "contradicts a claim about the same place")
        elif _older(known, cutoff):
            entry = Triaged(claim, 1, "stale")
        else:
            entry = Triaged(claim, 2, "")
        queue.append((entry.tier, known, n, entry))
    queue.sort(key=lambda item: item[:3])
    return [item[3] for item in queue]


def impact_ids(claims: Iterable[Record], settlements: Iterable[Record]) -> set[str]:
    """Ids of the claims the queue's first tier is made of, whatever their status: those a
    settlement's control in force rests on, and those contradicting (either direction) a
    claim, not ``false``, about one of the same settlements. The claims may be any subset
    that holds every claim with a ``contradicts`` link and the claims those links name."""
    return control_claims(settlements) | _contradicting_same_place(list(claims))


def entered_before(claim: Record, cutoff: str) -> bool:
    """True when the claim entered the picture before ``cutoff`` (a day), whatever its
    status: an unverified claim that did is stale (:func:`is_stale`)."""
    return _older(known_from(claim), cutoff)


def triage_key(claim: Record, index: int, impact: Collection[str], cutoff: str
               ) -> tuple[int, str, int]:
    """Where an unverified claim sorts in the triage queue: (tier, when it was reported, its
    index in the file), the order :func:`triage_queue` gives, for a caller that keeps the
    queue itself (the dashboard inserts a claim set back to unverified with a bisect)."""
    if claim.get("id") in impact:
        tier = 0
    elif entered_before(claim, cutoff):
        tier = 1
    else:
        tier = 2
    return (tier, known_from(claim), index)


# ---------------------------------------------------------------------------------- disputes
def _days_between(earlier: str, later: str) -> int | None:
    try:
        return (dates.parse(later).start - dates.parse(earlier).start).days
    except InvalidValueError:
        return None


def disputed_settlements(claims: Iterable[Record], settlements: Iterable[Record],
                         days: int = DEFAULT_STALE_DAYS) -> dict[str, list[str]]:
    """Settlement id → why its picture is disputed, for each disputed settlement."""
    claims = list(claims)
    by_id = claims_by_id(claims)
    out: dict[str, list[str]] = {}
    for claim in claims:
        cid = claim.get("id")
        if not isinstance(cid, str) or claim.get("status") == _FALSE:
            continue
        for other_id in listed(claim.get("contradicts")):
            other = by_id.get(other_id) if isinstance(other_id, str) else None
            if other is None or other is claim or other.get("status") == _FALSE:
                continue
            for place_id in sorted(_places(claim) & _places(other)):
                out.setdefault(place_id, []).append(f"{cid} contradicts {other_id}")
    for place in settlements:
        pid, latest = place.get("id"), current_control(place)
        if not isinstance(pid, str) or latest is None:
            continue
        other_side = _SIDES.get(str(latest.get("controller")))
        for obs in control_observations(place):
            if obs is latest or obs.get("controller") != other_side:
                continue
            if not isinstance(obs.get("as_of"), str):
                continue
            gap = _days_between(obs["as_of"], latest["as_of"])
            if gap is not None and 0 <= gap <= days:
                out.setdefault(pid, []).append(
                    f"{obs['controller']} as of {obs['as_of']} and {latest['controller']} as of"
                    f" {latest['as_of']}, within {days} days")
    return out


# ---------------------------------------------------------------------------------- timeline
@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One control observation with what it rests on."""

    as_of: str
    controller: str
    claim: str | None
    status: str | None
    source: str | None
    reported_at: str | None
    note: str | None

    def to_json(self) -> dict[str, Any]:
        """The entry as a JSON object."""
        return {
            "as_of": self.as_of,
            "controller": self.controller,
            "claim": self.claim,
            "status": self.status,
            "source": self.source,
            "reported_at": self.reported_at,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class ControlTimeline:
    """A settlement's control observations in order, and the strip of who held it when."""

    entries: list[TimelineEntry]
    strip: str

    def to_json(self) -> dict[str, Any]:
        """The timeline as a JSON object."""
        return {"entries": [e.to_json() for e in self.entries], "strip": self.strip}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def control_timeline(settlement: Record, claims: Mapping[str, Record] | Collection[Record]
                     ) -> ControlTimeline:
    """The settlement's control timeline; ``claims`` by id (or a list of claims) for what each
    observation rests on. A claim not among them — missing, or in an as-of view reported after
    the date — shows no status, source or ``reported_at``."""
    if not isinstance(claims, Mapping):
        claims = claims_by_id(claims)
    observed = [o for o in control_observations(settlement) if isinstance(o.get("as_of"), str)]
    observed.sort(key=lambda o: o["as_of"])
    entries = []
    for obs in observed:
        cid = _text(obs.get("claim"))
        claim = claims.get(cid) if cid is not None else None
        entries.append(TimelineEntry(
            as_of=obs["as_of"],
            controller=str(obs.get("controller")),
            claim=cid,
            status=_text(claim.get("status", _UNVERIFIED)) if claim is not None else None,
            source=_text(claim.get("source")) if claim is not None else None,
            reported_at=_text(claim.get("reported_at")) if claim is not None else None,
            note=_text(obs.get("note")),
        ))
    return ControlTimeline(entries, control_strip(entries))


def control_strip(entries: Iterable[TimelineEntry]) -> str:
    """Who held it when, in one plain line: ``2022 ua → 2022-06 ru`` (runs of one controller
    merged; ``no control observed`` when there is nothing)."""
    runs: list[tuple[str, str]] = []
    for entry in entries:
        if not runs or runs[-1][1] != entry.controller:
            runs.append((entry.as_of, entry.controller))
    return " → ".join(f"{at} {who}" for at, who in runs) or "no control observed"
