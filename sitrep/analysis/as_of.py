"""The picture as the file knew it at the end of a date D ("as of D").

**The end of D.** D is any form :func:`sitrep.dates.parse` reads, normalised first, so it has
the precision it was given: a year, a month, a day or an instant. A stored date is *in force by
the end of D* when its period has begun by the end of D's period (:func:`sitrep.dates.covers`,
one string comparison against :func:`sitrep.dates.horizon`). A date never counts before its
period begins, and counts from its first instant, because it may have happened that early:

=========================  ==============  ==============  =========================
stored                     as of 2022-05   as of 2022-06   as of 2022-06-15T10:00:00Z
=========================  ==============  ==============  =========================
``2022``                   in force        in force        in force (the year began)
``2022-06``                **not yet**     in force        in force (June had begun)
``2022-06-15``             not yet         in force        in force (the day began)
``2022-06-15T10:00:00Z``   not yet         in force        in force (that instant)
``2022-06-15T10:00:01Z``   not yet         in force        not yet
``2022-06-30``             not yet         in force        not yet
``2022-07``                not yet         not yet         not yet
=========================  ==============  ==============  =========================

As of the year ``2022`` everything dated in 2022 is in force; as of the day ``2022-06-15``
every time on that day is. History entries carry instants (``at``), so they compare the same way.

**Claims.** A claim reported after D is left out: its ``reported_at``, else the ``at`` of its
``created`` history entry; with neither it is kept (nothing says when it arrived). Its status
and credibility are those in force at D: the ``from`` of the first change of that field after D
(earliest ``at``, ties in list order), else the current value. A ``from`` of null (the field was
unset) reads as the model's default (``unverified``, 6). A whole-record edit after D
(``field: "record"``, whose ``from`` lists the fields it changed) records no former value: then
the ``to`` of the last change of the field by D is taken, else the current value — a limit of
what the file says. History entries after D are left out of the view's ``history``.

**Sources.** Reliability likewise, from the source's history (an unset one reads as ``F``).

**Settlements.** Control observations whose ``as_of`` has begun by the end of D are kept, so the
control in force in the view (:func:`sitrep.models.current_control`) is the latest observation
on or before D. That is the date the observation is *about*: the June capture of Lysychansk,
reported in September, is in force as of 2022-06-30 (the control timeline shows when the claim
under it was reported).

Records with nothing after D are the very same dict objects, never copied; the others are
shallow copies, so a view never changes the records it was made from. :class:`AsOfView` keeps
the one key per record that decides this, so switching the date is one comparison per record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sitrep import dates
from sitrep.models import Claim, Record, Source, control_observations, current_control, listed

_CLAIM_FIELDS = ("status", "credibility")
_SOURCE_FIELDS = ("reliability",)
_UNSET_CLAIM = Claim(id="", text="")
_DEFAULTS: dict[str, Any] = {
    "status": _UNSET_CLAIM.status,
    "credibility": _UNSET_CLAIM.credibility,
    "reliability": Source(id="", name="").reliability,
}


def horizon_of(when: str) -> str:
    """The :func:`~sitrep.dates.horizon` of ``when`` (any form dates reads; InvalidValueError
    when it cannot be read)."""
    return dates.horizon(dates.as_of_key(when))


def _history(record: Record) -> list[Any]:
    history = record.get("history")
    return history if isinstance(history, list) else []


def _at(entry: Any) -> str | None:
    at = entry.get("at") if isinstance(entry, dict) else None
    return at if isinstance(at, str) else None


def last_change(record: Record) -> str:
    """The latest ``at`` in a record's history, ``""`` when it has none (an entry without a
    readable ``at`` is always in force)."""
    history = record.get("history")
    latest = ""
    if isinstance(history, list):
        for entry in history:  # a plain loop: this runs over every history at every build
            if isinstance(entry, dict):
                at = entry.get("at")
                if isinstance(at, str) and at > latest:
                    latest = at
    return latest


def known_from(claim: Record) -> str:
    """When a claim entered the picture (see the module docstring); ``""`` means always."""
    reported = claim.get("reported_at")
    if isinstance(reported, str):
        return reported
    for entry in _history(claim):
        if isinstance(entry, dict) and entry.get("field") == "created":
            return _at(entry) or ""
    return ""


def value_at(record: Record, field: str, horizon: str) -> Any:
    """The value of ``field`` in force before ``horizon``, read from the record's history."""
    history = _history(record)
    first: tuple[str, Record] | None = None
    for entry in history:
        at = _at(entry)
        if at is None or at < horizon:
            continue
        kind = entry.get("field")
        if (kind == field or (kind == "record" and field in listed(entry.get("from")))) and (
            first is None or at < first[0]
        ):
            first = (at, entry)
    if first is None:
        return record.get(field, _DEFAULTS.get(field))
    entry = first[1]
    if entry.get("field") == field:
        old = entry.get("from")
    else:
        by_then = [
            (at, n, e)
            for n, e in enumerate(history)
            if (at := _at(e)) is not None and at < horizon and e.get("field") == field
        ]
        old = max(by_then)[2].get("to") if by_then else record.get(field)
    return _DEFAULTS.get(field) if old is None else old


def _view(record: Record, horizon: str, fields: tuple[str, ...]) -> Record:
    """A shallow copy of ``record`` as of ``horizon``: ``fields`` from history, history cut."""
    view = dict(record)
    for field in fields:
        value = value_at(record, field, horizon)
        if field in record or value != _DEFAULTS.get(field):
            view[field] = value
    if isinstance(record.get("history"), list):
        view["history"] = [e for e in record["history"] if (at := _at(e)) is None or at < horizon]
    return view


def _claim_at(claim: Record, horizon: str) -> Record | None:
    if known_from(claim) >= horizon:
        return None
    return claim if last_change(claim) < horizon else _view(claim, horizon, _CLAIM_FIELDS)


def claim_at(claim: Record, horizon: str) -> Record | None:
    """:func:`claim_as_of` for a horizon already worked out (:func:`horizon_of`)."""
    return _claim_at(claim, horizon)


def _source_at(source: Record, horizon: str) -> Record:
    return source if last_change(source) < horizon else _view(source, horizon, _SOURCE_FIELDS)


def _observed_later(obs: Any, horizon: str) -> bool:
    return isinstance(obs, dict) and isinstance(obs.get("as_of"), str) and obs["as_of"] >= horizon


def _settlement_at(settlement: Record, horizon: str) -> Record:
    control = settlement.get("control")
    if not isinstance(control, list) or not any(_observed_later(o, horizon) for o in control):
        control = None
    if control is None and last_change(settlement) < horizon:
        return settlement
    view = _view(settlement, horizon, ())
    if control is not None:
        view["control"] = [o for o in control if not _observed_later(o, horizon)]
    return view


def claim_as_of(claim: Record, when: str) -> Record | None:
    """The claim as the file knew it at the end of ``when``; None if reported after it."""
    return _claim_at(claim, horizon_of(when))


def source_as_of(source: Record, when: str) -> Record:
    """The source with the reliability in force at the end of ``when``."""
    return _source_at(source, horizon_of(when))


def settlement_as_of(settlement: Record, when: str) -> Record:
    """The settlement with only the control observations in force by the end of ``when``."""
    return _settlement_at(settlement, horizon_of(when))


def control_at(settlement: Record, when: str) -> Record | None:
    """Who held a settlement as of ``when``: the latest observation whose period began by the
    end of ``when``'s period (ties: the later in the list), or None if none had."""
    return current_control(_settlement_at(settlement, horizon_of(when)))


@dataclass(frozen=True, slots=True)
class Picture:
    """Claims, sources and settlements as of a date (``when`` None: as they are now)."""

    when: str | None
    claims: list[Record]
    sources: list[Record]
    settlements: list[Record]


class AsOfView:
    """The records with, per record, the one key that says whether it changed after a date.

    Built once over the lists (one pass over every history); :meth:`at` then costs one or two
    string comparisons per record that has nothing after the date, and a copy of the few that do.
    The lists are kept as given: build a new view when the records change.
    """

    def __init__(self, claims: Sequence[Record], sources: Sequence[Record] = (),
                 settlements: Sequence[Record] = ()) -> None:
        self.claims, self.sources, self.settlements = list(claims), list(sources), list(settlements)
        self._known = [known_from(c) for c in self.claims]
        self._claim_last = [last_change(c) for c in self.claims]
        self._source_last = [last_change(s) for s in self.sources]
        self._settlement_last = [_settlement_last(s) for s in self.settlements]

    def at(self, when: str | None) -> Picture:
        """The picture at the end of ``when`` (None: now, the records themselves)."""
        if when is None:
            return Picture(None, self.claims, self.sources, self.settlements)
        key = dates.as_of_key(when)
        horizon = dates.horizon(key)
        claims = [
            claim if last < horizon else _view(claim, horizon, _CLAIM_FIELDS)
            for claim, known, last in zip(self.claims, self._known, self._claim_last, strict=True)
            if known < horizon
        ]
        return Picture(key, claims, self.sources_at(horizon), self.settlements_at(horizon))

    def sources_at(self, horizon: str) -> list[Record]:
        """The sources as of ``horizon`` (a :func:`horizon_of`), as :meth:`at` gives them."""
        return [
            source if last < horizon else _view(source, horizon, _SOURCE_FIELDS)
            for source, last in zip(self.sources, self._source_last, strict=True)
        ]

    def settlements_at(self, horizon: str) -> list[Record]:
        """The settlements as of ``horizon``, as :meth:`at` gives them."""
        return [
            place if last < horizon else _settlement_at(place, horizon)
            for place, last in zip(self.settlements, self._settlement_last, strict=True)
        ]


    @property
    def known(self) -> list[str]:
        """When each claim entered the picture (:func:`known_from`), in file order."""
        return self._known

    @property
    def last_changes(self) -> list[str]:
        """The latest history date of each claim (:func:`last_change`), in file order: a claim
        with nothing at or after a horizon is in the picture as it is."""
        return self._claim_last


def _settlement_last(settlement: Record) -> str:
    """The latest date in a settlement's history or control observations."""
    observed = (o["as_of"] for o in control_observations(settlement)
                if isinstance(o.get("as_of"), str))
    return max(last_change(settlement), max(observed, default=""))


def picture_as_of(claims: Sequence[Record], sources: Sequence[Record],
                  settlements: Sequence[Record], when: str | None) -> Picture:
    """The picture at the end of ``when`` in one call (build an :class:`AsOfView` to ask for
    several dates)."""
    return AsOfView(claims, sources, settlements).at(when)
