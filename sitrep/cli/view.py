"""What ``list`` and ``show`` read: the DB as it is now, or as the file knew it at the end of
``--as-of DATE``.

Now, every question goes to the store (its indexes answer them). As of a date, the records
are :func:`sitrep.analysis.as_of.picture_as_of`'s picture — the one reading of the file's
history that ``report`` and ``export --as-of`` use too — and the same questions are answered
over it, so the printer never knows which it was given.
"""

from __future__ import annotations

from collections import defaultdict

from sitrep import dates
from sitrep.analysis import triage
from sitrep.analysis.as_of import picture_as_of
from sitrep.analysis.origins import Analysis, Analyst
from sitrep.analysis.track_record import TrackRecord, track_records
from sitrep.analysis.triage import ControlTimeline, control_timeline
from sitrep.errors import InvalidValueError
from sitrep.models import Record, listed
from sitrep.store import Store

_TABLES = ("claims", "sources", "settlements")


def option_date(value: str | None, option: str = "--as-of") -> str | None:
    """A date option's value in its stored form (None when not given); InvalidValueError
    names the option."""
    if value is None:
        return None
    try:
        return dates.normalize(value)
    except InvalidValueError as exc:
        raise InvalidValueError(f"{option}: {exc}") from None


class RecordView:
    """Claims, sources and settlements now (``as_of`` None) or as of a date, with the lookups
    the CLI's printer needs (a source by id, the claims about a settlement or by a source)."""

    def __init__(self, store: Store, as_of: str | None = None,
                 stale_days: int = triage.DEFAULT_STALE_DAYS) -> None:
        self.store = store
        self.as_of = as_of
        self.stale_days = stale_days
        self._by_id: dict[str, dict[str, Record]] = {}
        self._claims: list[Record] = []
        self._by_source: dict[str, list[Record]] = defaultdict(list)
        self._by_settlement: dict[str, list[Record]] = defaultdict(list)
        if as_of is None:
            return
        picture = picture_as_of(store.claims(), store.sources(), store.settlements(), as_of)
        self._claims = picture.claims
        for table, records in zip(_TABLES, (picture.claims, picture.sources,
                                            picture.settlements), strict=True):
            self._by_id[table] = {r["id"]: r for r in records if isinstance(r.get("id"), str)}
        for claim in picture.claims:
            source = claim.get("source")
            if isinstance(source, str):
                self._by_source[source].append(claim)
            for sid in dict.fromkeys(listed(claim.get("settlements"))):
                if isinstance(sid, str):
                    self._by_settlement[sid].append(claim)

    def claims(self) -> list[Record]:
        """Every claim in view, in file order."""
        return self.store.claims() if self.as_of is None else self._claims

    def sources(self) -> list[Record]:
        """Every source, in file order (reliability as of the date)."""
        return self.store.sources() if self.as_of is None else list(self._by_id["sources"].values())

    def settlements(self) -> list[Record]:
        """Every settlement, in file order (control observations in force by the date)."""
        if self.as_of is None:
            return self.store.settlements()
        return list(self._by_id["settlements"].values())

    def get(self, table: str, rid: str) -> Record | None:
        """One record of ``table`` by id, or None."""
        return self.store.get(table, rid) if self.as_of is None else self._by_id[table].get(rid)

    def source(self, source_id: str) -> Record | None:
        """A source by id, or None."""
        return self.get("sources", source_id)

    def find(self, rid: str) -> tuple[str, Record] | None:
        """(table, record) for an id in any table (claims first), or None; as of a date, a
        claim reported after it is not found (feeds are not part of the picture)."""
        if self.as_of is None:
            return self.store.find(rid)
        for table in _TABLES:
            record = self._by_id[table].get(rid)
            if record is not None:
                return table, record
        return None

    def claims_for_settlement(self, settlement_id: str) -> list[Record]:
        """Claims in view that name a settlement."""
        if self.as_of is None:
            return self.store.claims_for_settlement(settlement_id)
        return self._by_settlement.get(settlement_id, [])

    def claims_for_source(self, source_id: str) -> list[Record]:
        """Claims in view made by a source."""
        if self.as_of is None:
            return self.store.claims_for_source(source_id)
        return self._by_source.get(source_id, [])

    def filter_claims(self, *, status: str | None = None, source: str | None = None,
                      settlement: str | None = None, since: str | None = None) -> list[Record]:
        """Claims in view matching every given condition, as :meth:`Store.filter_claims`."""
        if self.as_of is None:
            return self.store.filter_claims(status=status, source=source,
                                            settlement=settlement, since=since)
        claims = self._claims
        if source is not None:
            claims = self._by_source.get(source, [])
        if settlement is not None:
            claims = [c for c in claims if settlement in listed(c.get("settlements"))]
        if status is not None:
            claims = [c for c in claims if c.get("status", "unverified") == status]
        if since is not None:
            floor = dates.normalize(since)
            claims = [c for c in claims if isinstance(when := c.get("reported_at"), str)
                      and (when >= floor or when.startswith(floor))]
        return list(claims)

    # ------------------------------------------------------------------ the analysis
    def analysis(self, claim_id: str) -> Analysis | None:
        """What origins and links say about a claim in view (:mod:`sitrep.analysis.origins`),
        stale as of the date (or today) with :attr:`stale_days`."""
        claim = self.get("claims", claim_id)
        if claim is None:
            return None
        return Analyst(self.claims()).analyse(claim_id, triage.is_stale(claim, self.stale_cutoff))

    @property
    def stale_cutoff(self) -> str:
        """The day an unverified claim must be reported before to be stale: the as-of date
        (or today) less :attr:`stale_days`."""
        return triage.stale_cutoff(self.as_of, self.stale_days)

    def track_records(self) -> dict[str, TrackRecord]:
        """Every source's claims in view counted by status, and the reliability suggested."""
        return track_records(self.claims(), self.sources())

    def timeline(self, settlement: Record) -> ControlTimeline:
        """A settlement's control observations in order with the claims in view under them."""
        return control_timeline(settlement, self.claims())
