"""A source's track record: how its claims turned out, and the reliability that suggests.

**Record.** The claims whose ``source`` is the source, counted by status (every status listed,
zeros included; a status outside the workflow is counted under its own name). A relayed claim
counts for the source that relayed it: passing on what turned out false is part of a record.

**Resolved claims.** ``confirmed`` and ``corroborated`` claims turned out *valid*; ``false`` ones
*invalid*. ``unverified`` and ``disputed`` ones are not resolved (a dispute is not yet a verdict).

**Suggested reliability.** With fewer than :data:`MIN_RESOLVED` (5) resolved claims the record is
no basis for judging: ``F``. From 5 on, the share of valid claims is estimated with a Beta(1, 1)
prior — a uniform belief before any evidence — whose posterior mean after ``v`` valid of ``r``
resolved is ``(v + 1) / (r + 2)``. The prior keeps a short perfect record from reading as
certainty: 5 of 5 gives 0.86, not 1. The Admiralty letters then follow the mean:

======  =========  ====================================================================
mean    letter     Admiralty
======  =========  ====================================================================
≥ 0.95  A          a history of complete reliability (takes 18 valid of 18, or 37 of 38)
≥ 0.80  B          a history of mostly valid information
≥ 0.60  C          has provided valid information in the past, with doubts
≥ 0.40  D          significant doubts, though valid information in the past
< 0.40  E          a history of invalid information
======  =========  ====================================================================

For example 9 confirmed and 2 false (of 14, 3 unverified) is (9 + 1) / (11 + 2) = 0.77: ``C``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sitrep.models import STATUSES, Record, Status

MIN_RESOLVED = 5
THRESHOLDS: tuple[tuple[float, str], ...] = ((0.95, "A"), (0.80, "B"), (0.60, "C"), (0.40, "D"))
VALID = (Status.CONFIRMED.value, Status.CORROBORATED.value)
INVALID = (Status.FALSE.value,)


def _new_counts() -> dict[str, int]:
    return dict.fromkeys(STATUSES, 0)


def suggest_reliability(valid: int, invalid: int) -> str:
    """The letter the module docstring's rule gives for ``valid`` and ``invalid`` claims."""
    resolved = valid + invalid
    if resolved < MIN_RESOLVED:
        return "F"
    mean = (valid + 1) / (resolved + 2)
    return next((letter for floor, letter in THRESHOLDS if mean >= floor), "E")


@dataclass(frozen=True, slots=True)
class TrackRecord:
    """One source's claims counted by status, and what that record suggests."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        """How many claims the source made."""
        return sum(self.counts.values())

    @property
    def valid(self) -> int:
        """Claims that turned out valid (confirmed or corroborated)."""
        return sum(self.counts.get(s, 0) for s in VALID)

    @property
    def invalid(self) -> int:
        """Claims shown false."""
        return sum(self.counts.get(s, 0) for s in INVALID)

    @property
    def suggested_reliability(self) -> str:
        """The reliability letter the record suggests (``F`` until enough are resolved)."""
        return suggest_reliability(self.valid, self.invalid)

    def to_json(self) -> dict[str, Any]:
        """``record`` and ``suggested_reliability`` for ``sitrep list sources --json``."""
        return {"record": dict(self.counts), "suggested_reliability": self.suggested_reliability}

    def words(self, assigned: Any = None) -> str:
        """The record in one plain line, e.g. ``B assigned · record: 9 confirmed, 2 false of 14
        · suggests C``."""
        shown = [f"{n} {status}" for status, n in self.counts.items()
                 if n and status != Status.UNVERIFIED.value]
        record = f"record: {', '.join(shown) or 'nothing resolved'} of {self.total}"
        parts = [f"{assigned} assigned"] if assigned else []
        return " · ".join([*parts, record, f"suggests {self.suggested_reliability}"])


def track_records(claims: Iterable[Record], sources: Iterable[Record] = ()
                  ) -> dict[str, TrackRecord]:
    """The track record of every source id (those in ``sources`` first, in their order, then
    any other source a claim names), in one pass over the claims."""
    counts: dict[str, dict[str, int]] = {}
    for source in sources:
        sid = source.get("id") if isinstance(source, dict) else None
        if isinstance(sid, str):
            counts.setdefault(sid, _new_counts())
    for claim in claims:
        sid = claim.get("source")
        if not isinstance(sid, str) or not sid:
            continue
        status = claim.get("status", Status.UNVERIFIED.value)
        by_status = counts.get(sid)
        if by_status is None:
            by_status = counts[sid] = _new_counts()
        key = status if isinstance(status, str) else str(status)
        by_status[key] = by_status.get(key, 0) + 1
    return {sid: TrackRecord(c) for sid, c in counts.items()}
