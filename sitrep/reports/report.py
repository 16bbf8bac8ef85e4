"""The SITREP's content: what a situation report of a view says, before any layout.

:func:`build` reads a :class:`~sitrep.reports.view.View` into a :class:`Sitrep` of plain
values (data not yet escaped); ``report_text`` and ``report_markdown`` lay it out, escaping
as they write; ``sitrep.reports.formats.render_report`` does both. The sections, in order:

1. situation by settlement: current control and since when, what it rests on, changes of
   control in the period (``since``), and the claims about the place with status and grade;
2. claims by status, confirmed and corroborated first, then disputed, false, unverified;
3. what changed in the period: status, grade, control changes and notes from the history;
4. still unverified, oldest first, flagged when older than ``stale_days``;
5. sources with reliability and their claims by status; then numbered references (links).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sitrep import dates
from sitrep.models import RELIABILITY_MEANING, Record
from sitrep.reports import fields
from sitrep.reports.view import View

FORMATS = ("text", "markdown")
STALE_DAYS = 14
# History fields the "what changed" section reports ("created" is not a change).
CHANGE_FIELDS = ("status", "credibility", "reliability", "control", "note", "record")


@dataclass
class References:
    """Links numbered in order of first mention."""

    numbers: dict[str, int] = field(default_factory=dict)

    @property
    def urls(self) -> list[str]:
        """The links in the order of their numbers."""
        return list(self.numbers)

    def number(self, value: object) -> int | None:
        """The reference number of an http(s) URL (a new one is added), or None."""
        if not value:
            return None
        url = fields.http_url(value)
        if url is None:
            return None
        return self.numbers.setdefault(url, len(self.numbers) + 1)


@dataclass
class ClaimRef:
    """A claim as the settlement section names it: id, status, grade."""

    id: str
    status: str
    grade: str


@dataclass
class ClaimEntry:
    """One claim with what a reader needs to weigh it."""

    id: str
    status: str
    grade: str
    source: str
    text: str
    quote: str
    event: str
    reported: str
    places: list[str]
    via: str
    notes: str
    origin: str
    against_interest: bool
    independent_origins: int | None
    reference: int | None
    stale: bool = False

    def details(self) -> list[str]:
        """Channel, origin, independent-origin count and reference, as plain phrases."""
        found = [f"via {self.via}" if self.via else "",
                 f"origin {self.origin}" if self.origin else "",
                 f"independent origins: {self.independent_origins}"
                 if self.independent_origins is not None else "",
                 f"[{self.reference}]" if self.reference else ""]
        return [p for p in found if p]


@dataclass
class ControlChange:
    """A change of controller between two observations of one settlement."""

    as_of: str
    before: str
    after: str
    claim: ClaimRef | None


@dataclass
class SettlementEntry:
    """The situation in one settlement."""

    id: str
    name: str
    region: str
    country: str
    controller: str | None
    since: str | None
    note: str
    rests_on: ClaimRef | None
    rests_on_id: str
    changes: list[ControlChange]
    claims: list[ClaimRef]


@dataclass
class Change:
    """One history entry in the period: what changed on which record, by whom and why."""

    at: str
    record: str
    field: str
    before: str
    after: str
    by: str
    note: str


@dataclass
class SourceEntry:
    """A source with its reliability and its claims in the view by status."""

    id: str
    name: str
    reliability: str | None
    role: str
    counts: dict[str, int]
    reference: int | None


@dataclass
class Sitrep:
    """Everything a SITREP says, section by section, as plain (unescaped) values."""

    scope: str
    as_of: str | None
    since: str | None
    generated_at: str
    stale_days: int
    totals: dict[str, int]
    settlements: list[SettlementEntry]
    claims: dict[str, list[ClaimEntry]]
    changes: list[Change]
    unverified: list[ClaimEntry]
    sources: list[SourceEntry]
    references: list[str]
    unplaced: int = 0


def build(view: View, *, since: str | None = None, stale_days: int = STALE_DAYS) -> Sitrep:
    """The SITREP of ``view``; ``since`` (a stored date) bounds the period of changes."""
    since = fields.date(since) if since else None
    refs = References()
    reference_day = fields.date(view.as_of) or fields.date(view.generated_at)
    pairs = [(c, _claim_entry(view, c, refs, reference_day, stale_days)) for c in view.claims]
    by_status: dict[str, list[ClaimEntry]] = {s: [] for s in fields.STATUS_ORDER}
    for _, entry in pairs:
        by_status[entry.status].append(entry)
    unverified = [entry for _, entry in sorted(
        ((c, e) for c, e in pairs if e.status == "unverified"),
        key=lambda pair: (fields.date(pair[0].get("reported_at")) or "", pair[1].id),
    )]
    return Sitrep(
        scope=view.scope,
        as_of=fields.date(view.as_of),
        since=since,
        generated_at=view.generated_at,
        stale_days=stale_days,
        totals={"settlements": len(view.settlements), "sources": len(view.sources),
                "claims": len(view.claims), **fields.counts_by_status(list(view.claims))},
        settlements=[_settlement_entry(view, s, since) for s in view.settlements],
        claims=by_status,
        changes=_changes(view, since),
        unverified=unverified,
        sources=[_source_entry(view, s, refs) for s in view.sources],
        references=refs.urls,
        unplaced=sum(1 for c in view.claims if not fields.strings(c.get("settlements"))),
    )


def _ref(view: View, claim_id: str) -> ClaimRef | None:
    claim = view.claim_by_id.get(claim_id)
    if claim is None:
        return None
    return ClaimRef(claim_id, fields.status(claim), view.grade(claim))


def _claim_entry(view: View, claim: Record, refs: References, reference_day: str | None,
                 stale_days: int) -> ClaimEntry:
    source = view.source_of(claim)
    places = []
    for sid in dict.fromkeys(fields.strings(claim.get("settlements"))):
        settlement = view.settlement_by_id.get(sid)
        places.append(fields.text(settlement.get("name")) or sid if settlement else sid)
    origin_id = fields.text(claim.get("origin"))
    origin = origin_id
    if origin_id in view.source_by_id:
        origin = fields.text(view.source_by_id[origin_id].get("name")) or origin_id
    count = view.origins.get(fields.text(claim.get("id")))
    status = fields.status(claim)
    reported = fields.date(claim.get("reported_at"))
    return ClaimEntry(
        id=fields.text(claim.get("id")),
        status=status,
        grade=view.grade(claim),
        source=(fields.text(source.get("name")) if source else "")
        or fields.text(claim.get("source")) or "unknown source",
        text=fields.text(claim.get("text")),
        quote=fields.text(claim.get("quote")),
        event=fields.date_label(claim.get("event_at")),
        reported=fields.date_label(claim.get("reported_at")),
        places=places,
        via=fields.text(claim.get("via")),
        notes=fields.text(claim.get("notes")),
        origin=origin,
        against_interest=claim.get("against_interest") is True,
        independent_origins=count if isinstance(count, int) else None,
        reference=refs.number(claim.get("url")),
        stale=status == "unverified" and _older_than(reported, reference_day, stale_days),
    )


def _older_than(day: str | None, reference: str | None, days: int) -> bool:
    if day is None or reference is None:
        return False
    later, earlier = fields.start(reference), fields.start(day)
    return bool(later and earlier and (later - earlier).days > days)


def _settlement_entry(view: View, settlement: Record, since: str | None) -> SettlementEntry:
    current, held_since = fields.control_since(settlement)
    history = fields.observations(settlement)
    changes = []
    for before, after in zip(history, history[1:], strict=False):
        as_of = fields.date(after.get("as_of")) or ""
        if fields.controller(before) != fields.controller(after) and (
                since is None or as_of >= since):
            changes.append(ControlChange(as_of, fields.controller(before),
                                         fields.controller(after),
                                         _ref(view, fields.text(after.get("claim")))))
    sid = fields.text(settlement.get("id"))
    rests_on_id = fields.text(current.get("claim")) if current else ""
    return SettlementEntry(
        id=sid,
        name=fields.text(settlement.get("name")) or sid,
        region=fields.text(settlement.get("region")),
        country=fields.text(settlement.get("country")),
        controller=fields.controller(current) if current else None,
        since=held_since,
        note=fields.text(current.get("note")) if current else "",
        rests_on=_ref(view, rests_on_id) if rests_on_id else None,
        rests_on_id=rests_on_id,
        changes=changes,
        claims=[ClaimRef(fields.text(c.get("id")), fields.status(c), view.grade(c))
                for c in view.claims_by_settlement.get(sid, [])],
    )


def _changes(view: View, since: str | None) -> list[Change]:
    as_of = fields.date(view.as_of)
    found = []
    for record in (*view.settlements, *view.sources, *view.claims):
        rid = fields.text(record.get("id"))
        for entry in fields.history(record):
            kind = fields.text(entry.get("field"))
            at = fields.date(entry.get("at"))
            if kind not in CHANGE_FIELDS or at is None:
                continue
            if (since and at < since) or (as_of and not dates.covers(at, as_of)):
                continue
            found.append(Change(at, rid, kind, _value(entry.get("from")),
                                _value(entry.get("to")), fields.text(entry.get("by")),
                                fields.text(entry.get("note"))))
    found.sort(key=lambda c: c.at)
    return found


def _value(value: object) -> str:
    if isinstance(value, dict):  # a control observation
        return " ".join(p for p in (fields.controller(value), fields.text(value.get("as_of")))
                        if p)
    return fields.text(value)


def _source_entry(view: View, source: Record, refs: References) -> SourceEntry:
    sid = fields.text(source.get("id"))
    return SourceEntry(
        id=sid,
        name=fields.text(source.get("name")) or sid,
        reliability=fields.reliability(source),
        role=fields.text(source.get("role")),
        counts=fields.counts_by_status(view.claims_by_source.get(sid, [])),
        reference=refs.number(source.get("url")),
    )


def reliability_label(letter: str | None) -> str:
    """``B (usually reliable)``, or ``? (not graded)``."""
    return f"{letter} ({RELIABILITY_MEANING[letter]})" if letter else "? (not graded)"

