"""Merging a parsed feed into the store. The rules, which the README repeats:

1. **One write, or none.** All changes of one import go to the store as one ``apply`` batch:
   one atomic rewrite of the file (or one journal line each in the dashboard). An import that
   changes nothing does not write at all: the file stays byte-identical.

2. **Identity.** A claim from a JSON Feed is keyed by (feed identity, item id), stored on the
   claim as ``feed`` and ``feed_item_id``; its id ``f-<slug>-<hash>`` is derived from the same
   pair. The feed identity is the feed's ``feed_url``, else its ``home_page_url``, else the
   URL it was fetched from, else its title, else the file path. Records from a sitrep feed
   are keyed by their own ids.

3. **Idempotent.** Each JSON Feed claim remembers ``feed_hash``, a fingerprint of what the item
   said. An item with the same fingerprint is *unchanged* and costs one dict lookup; importing
   the same feed twice reports 0 new, 0 updated the second time and writes nothing. A sitrep
   feed record is unchanged when merging it changes nothing.

4. **Feed-owned fields follow upstream.** When an item changed (text, dates, url, ...), the
   fields the feed owns are updated and one history entry ``field: "record"`` lists them, with
   ``feed`` naming the feed. For a sitrep feed, every field not listed below is feed-owned.

5. **Lists are merged, never cut.** ``tags``, ``settlements``, ``corroborates``,
   ``contradicts``, ``aliases``, ``alt_names``, ``control`` and ``history`` become the local
   list plus what the feed adds. A tag or link the analyst added stays; so does one the feed
   dropped (it may be the analyst's).

6. **Analyst-owned fields are never overwritten.** Claims: ``status``, ``credibility``,
   ``origin``, ``source``, ``notes``, ``against_interest``; sources: ``reliability``,
   ``alignment``, ``notes``; settlements: ``notes``. The feed's value is taken only when the
   local value was not set locally: the latest local history entry about the field (entries
   the incoming record also carries do not count) was written by an import, or, with no
   such entry, the value is still the default or one the incoming record's history shows it
   changed *from* (the local copy is merely behind). Otherwise the local value stays and the
   import reports a **conflict** (field, kept value, feed value). A JSON Feed item speaks to
   status, credibility, origin only through its ``_sitrep`` extension.

7. **Duplicates are flagged, not merged.** A new claim whose text, normalised, equals another
   claim's is imported under its own id and reported as a possible duplicate.

8. **Bad items are rejected, good ones imported.** An item or record that breaks the model
   (missing id, wrong types, unreadable date, no content, unknown settlement or source id) is
   listed with its reason. A bad *feed* never gets here: parsing raises FeedError first.

9. **New sources.** A JSON Feed author is matched to a source by name or alias,
   case-insensitive; an unknown author becomes a new source with reliability F.

10. **One place, one record.** A new settlement of a sitrep feed that is an existing one by
    :func:`sitrep.places.reconcile.reconcile` (a shared external id, or a shared name in any
    spelling and the same region or coordinates within 10 km — never distance alone, never
    across regions) is not created: its names, control observations and ids are united with
    the existing record and the feed's claims point there; the report lists it
    (``kharkov-city → kharkiv``). A probable duplicate is created and reported. A JSON Feed
    item's ``_sitrep`` settlement id that is no id but the name of exactly one settlement in
    some spelling (``kharkov``) links to that settlement, reported the same way.

11. **Feeds never flip a field.** A feed-owned field of a sitrep feed's record takes the
    feed's differing value only when the feed's history records that change and the DB's
    value was not set by another feed, or when this feed set the value before. Otherwise (the
    value came from another feed, or nobody's history says why the two differ) the DB's value
    stays and the disagreement is recorded once: a conflict entry (``field: "conflict"``) with
    both values, which ``sitrep resolve`` closes, and a line of the report. Importing the two
    feeds again and again then changes nothing; after a resolution, a feed's other value is
    reported as a conflict and not taken.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from sitrep.errors import InvalidValueError, NotFoundError, SitrepError
from sitrep.feeds.base import FeedItem, ParsedFeed, Rejection, locate_rejections, printable_id
from sitrep.feeds.jsonfeed import ItemError, convert
from sitrep.feeds.matching import PlaceMatcher, SourceIndex, text_key
from sitrep.feeds.report import (
    Change,
    Conflict,
    Disagreement,
    Duplicate,
    ImportReport,
    Reconciled,
)
from sitrep.gc_pause import gc_paused
from sitrep.models import CONFLICT_FIELD, RESOLVES_KEY, Claim, Record, Settlement, Source
from sitrep.store import check_record

if TYPE_CHECKING:
    from sitrep.store import Store

MARK = "feed"  # history entries written by an import carry {"feed": <feed identity>}
ANALYST_FIELDS = {
    "claims": ("status", "credibility", "origin", "source", "notes", "against_interest"),
    "sources": ("reliability", "alignment", "notes"),
    "settlements": ("notes",),
}
UNION_FIELDS = {
    "claims": ("tags", "settlements", "corroborates", "contradicts"),
    "sources": ("aliases",),
    "settlements": ("alt_names", "control"),
}
DEFAULTS: dict[str, Record] = {
    "claims": Claim(id="", text="").to_record(),
    "sources": Source(id="", name="").to_record(),
    "settlements": Settlement(id="", name="").to_record(),
}
JSONFEED_FIELDS = ("text", "via", "reported_at", "url", "tags", "feed", "feed_item_id",
                   "feed_modified_at", "feed_hash")
# Where a JSON Feed item says what a field of its claim holds: a refusal of the claim names it.
ITEM_FIELDS = {"reported_at": "date_published", "feed_modified_at": "date_modified",
               "url": "url", "tags": "tags", "source": "authors"}
EXTENSION_FIELDS = ("settlements", "status", "credibility", "origin", "event_at",
                    "against_interest", "urls", "evidence", "location")


def merge_feed(
    store: Store,
    parsed: ParsedFeed,
    *,
    analyst: str,
    location: str | None = None,
    dry_run: bool = False,
    extra_ops: Iterable[dict[str, Any]] = (),
    text: bytes | None = None,
) -> ImportReport:
    """Merge ``parsed`` into ``store`` under the rules above; return what happened.

    ``extra_ops`` (e.g. a subscription's new ETag) join the same single write. With
    ``dry_run`` nothing is written. ``text`` is the feed's bytes: when the store refuses the
    write, the InvalidValueError names the line:column of the item it refused (see
    :func:`write_plan`). Other store errors (WriteError, ...) propagate unchanged.
    """
    extra = list(extra_ops)
    with gc_paused():
        plan = plan_feed(store, parsed, analyst=analyst, location=location)
        plan.report.dry_run = dry_run
        if dry_run or not (plan.ops or extra):
            return plan.report
        return write_plan(store, plan, extra, text=text)


@dataclass(slots=True)
class MergePlan:
    """What an import would do: its report, the ops of its one write and, for each record
    those ops put, where it came from in the feed (item id, index, list), to say where a
    refusal of the write points."""

    report: ImportReport
    ops: list[dict[str, Any]]
    origins: dict[tuple[str, str], tuple[str | None, int | None, str]]
    again: Callable[[], MergePlan]  # the same plan, made on the store's view as it is now


def plan_feed(
    store: Store, parsed: ParsedFeed, *, analyst: str, location: str | None = None
) -> MergePlan:
    """Work out the merge without writing (:class:`MergePlan`)."""
    merger = _Merger(store, parsed, analyst, location or parsed.identity)
    if parsed.format == "jsonfeed":
        merger.jsonfeed()
    else:
        merger.native()
    return MergePlan(merger.report, merger.ops, merger.origins,
                     lambda: plan_feed(store, parsed, analyst=analyst, location=location))


def plan_merge(
    store: Store, parsed: ParsedFeed, *, analyst: str, location: str | None = None
) -> tuple[ImportReport, list[dict[str, Any]]]:
    """Work out the merge without writing: the report and the ops one ``apply`` would write."""
    plan = plan_feed(store, parsed, analyst=analyst, location=location)
    return plan.report, plan.ops


def write_plan(store: Store, plan: MergePlan, extra: list[dict[str, Any]] | None = None, *,
               text: bytes | None = None) -> ImportReport:
    """Apply the plan's ops (and ``extra``) in one write; its report, ``written`` set.

    When the store refuses the write because the file changed since the plan was made
    (another process added to a record's history: ``apply`` re-read the file and changed
    nothing), the merge is planned once more on what is there now. A refusal that stands
    raises InvalidValueError (or NotFoundError) naming, when ``text`` is given and the refused
    change is one of the feed's records, where that item is: ``jf.json:6:5: item 1: …``.
    """
    extra = extra or []
    for attempt in (1, 2):
        loads = store.loads
        try:
            plan.report.written = any(store.apply([*plan.ops, *extra]))
            return plan.report
        except (InvalidValueError, NotFoundError) as exc:
            if attempt == 2 or store.loads == loads:
                raise _located(exc, store.refused, plan, text) from None
        dry_run = plan.report.dry_run
        plan = plan.again()
        plan.report.dry_run = dry_run
    raise AssertionError("unreachable")  # pragma: no cover


def _located(exc: InvalidValueError | NotFoundError, refused: dict[str, Any] | None,
             plan: MergePlan, text: bytes | None) -> SitrepError:
    """``exc`` as one line that names the feed's item the refused change came from."""
    record = refused.get("record") if refused is not None else None
    rid = record.get("id") if isinstance(record, dict) else None
    origin = plan.origins.get((str(refused.get("table")), rid)) if (
        refused is not None and isinstance(rid, str)) else None
    if origin is None or text is None:
        return exc
    item_id, index, table = origin
    reason = str(exc)
    if table != "items":  # a sitrep feed's record: named as the parser names one
        reason = f"{table[:-1]} {printable_id(rid)}: {reason.removeprefix(f'{table} {rid!r}: ')}"
    rejection = Rejection(item_id, reason, index, table,
                          exc.field if isinstance(exc, InvalidValueError) else None)
    locate_rejections([rejection], text)
    message = rejection.describe(plan.report.location)
    if isinstance(exc, InvalidValueError):
        return InvalidValueError(message, field=exc.field)
    return NotFoundError(message)


class _Merger:
    def __init__(self, store: Store, parsed: ParsedFeed, analyst: str, location: str) -> None:
        self.store, self.parsed, self.analyst = store, parsed, analyst
        self.report = ImportReport(location, parsed.label, parsed.title, parsed.identity)
        self.report.rejections.extend(parsed.rejected)
        self.ops: list[dict[str, Any]] = []
        self.at = store.changes.now()  # one time for the whole batch
        self.batch: dict[str, set[str]] = {"claims": set(), "sources": set(), "settlements": set()}
        self.queued: dict[tuple[str, str], int] = {}  # (table, id) → its put in self.ops
        self.origins: dict[tuple[str, str], tuple[str | None, int | None, str]] = {}
        self._sources: SourceIndex | None = None
        self._places: PlaceMatcher | None = None
        self._names: dict[str, set[str]] | None = None
        self._merged: dict[str, str] | None = None
        self._texts: dict[bytes, str] | None = None

    # ---------------------------------------------------------------- helpers
    def exists(self, table: str, rid: str) -> bool:
        return rid in self.batch.get(table, ()) or self.store.get(table, rid) is not None

    def entry(self, field: str, note: str, changed: list[str] | None = None) -> Record:
        return {"at": self.at, "by": self.analyst, "field": field, "from": changed, "to": None,
                "note": note, MARK: self.parsed.identity}

    def current(self, table: str, rid: str) -> Record | None:
        """The record as this batch leaves it so far (queued already), else as stored."""
        queued = self.queued.get((table, rid))
        return self.store.get(table, rid) if queued is None else self.ops[queued]["record"]

    def put(self, table: str, record: Record, index: int | None = None,
            item: FeedItem | None = None) -> bool:
        """Queue the put of ``record`` (replacing this batch's earlier put of it: ``record``
        was merged into that one); False (and a rejection naming the feed's item ``item``, or
        record ``index``, and the field) when the store's builder refuses it."""
        try:
            op = self.store.changes.put(table, record, by=self.analyst, field=None,
                                        exists=self.exists, at=self.at)
        except InvalidValueError as exc:
            if (table, record.get("id")) not in self.queued:  # else its earlier put stands
                self.batch[table].discard(record.get("id"))
            field = exc.field
            if item is not None:
                # a claim's field is said by one of the item's; a new source, by its author
                index, field = item.index, _item_field(field) if table == "claims" else None
            self.reject(item.item_id if item is not None else record.get("id"), str(exc),
                        index, table=table, field=field)
            return False
        slot = (table, record["id"])
        self.origins[slot] = ((item.item_id, item.index, "items") if item is not None
                              else (printable_id(record["id"]), index, table))
        if slot in self.queued:
            self.ops[self.queued[slot]] = op
        else:
            self.queued[slot] = len(self.ops)
            self.ops.append(op)
        self.batch[table].add(record["id"])
        return True

    def sources(self) -> SourceIndex:
        if self._sources is None:
            self._sources = SourceIndex(self.store.sources())
        return self._sources

    def duplicate_check(self, claim: Record) -> None:
        if self._texts is None:
            self._texts = {}
            for other in self.store.claims():
                if isinstance(other.get("text"), str) and isinstance(other.get("id"), str):
                    self._texts.setdefault(text_key(other["text"]), other["id"])
        key = text_key(claim["text"])
        first = self._texts.setdefault(key, claim["id"])
        if first != claim["id"] and key:
            self.report.duplicates.append(Duplicate(claim["id"], first))

    def reject(self, item_id: str | None, reason: str, index: int | None = None, *,
               table: str | None = "items", field: str | None = None) -> None:
        if self.parsed.format == "jsonfeed":
            table = "items"  # the claim was made from an item: the item is what to point at
        self.report.rejections.append(Rejection(printable_id(item_id), reason, index, table,
                                                field))

    # ---------------------------------------------------------------- JSON Feed
    def jsonfeed(self) -> None:
        identity = self.parsed.identity
        by_key = {
            (c.get("feed"), c.get("feed_item_id")): c["id"]
            for c in self.store.claims()
            if isinstance(c.get("feed_item_id"), str) and isinstance(c.get("feed"), str)
            and isinstance(c.get("id"), str)
        }
        for item in self.parsed.items:
            cid = by_key.get((identity, item.item_id), item.claim_id)
            local = self.store.get("claims", cid)
            if local is not None and local.get("feed_hash") == item.feed_hash:
                self.report.unchanged += 1
                if "_sitrep" in item.raw and self.converted(item):
                    assert item.claim is not None
                    for field in sorted(item.explicit):
                        if local.get(field) != item.claim[field]:
                            self.conflict("claims", cid, field, local.get(field),
                                          item.claim[field])
                continue
            if local is not None and (local.get("feed"), local.get("feed_item_id")) != (
                identity, item.item_id
            ):
                self.reject(item.item_id, f"claim id {cid!r} is taken by another claim",
                            item.index)
                continue
            if not self.converted(item):
                continue
            incoming = self.resolve_links(item)
            if incoming is None:
                continue
            if local is None:
                self.new_feed_claim(item, incoming)
            else:
                self.update("claims", local, incoming, item)

    def converted(self, item: FeedItem) -> bool:
        """Convert a lazily parsed item; False (and a rejection) when it is bad."""
        if item.claim is not None:
            return True
        try:
            convert(self.parsed, item)
        except ItemError as exc:
            self.reject(item.item_id, str(exc), item.index, field=exc.field)
            return False
        return True

    def resolve_links(self, item: FeedItem) -> Record | None:
        """The item's claim with settlements found (and explicit ones checked), or None."""
        claim = item.claim
        assert claim is not None
        explicit = [self.explicit_settlement(s) or s for s in item.explicit_settlements]
        item.explicit_settlements[:] = list(dict.fromkeys(explicit))
        unknown = [s for s in item.explicit_settlements if not self.exists("settlements", s)]
        if unknown:
            self.reject(item.item_id, f"unknown settlement id {unknown[0]!r} in _sitrep",
                        item.index, field="_sitrep.settlements")
            return None
        origin = claim.get("origin")
        if "origin" in item.explicit and origin is not None and not (
            self.exists("sources", origin) or self.exists("claims", origin)
        ):
            self.reject(item.item_id, f"unknown origin {origin!r} in _sitrep (no such id)",
                        item.index, field="_sitrep.origin")
            return None
        if self._places is None:
            self._places = PlaceMatcher(self.store.settlements())
        found = list(item.explicit_settlements)
        # The item's own settlements say which region an ambiguous name is in.
        hints = [str(r.get("region")) for r in map(self.store.settlement, found)
                 if r and r.get("region")]
        found.extend(s for s in self._places.find(claim["text"], hints) if s not in found)
        claim["settlements"] = found
        claim["source"] = self.source_for(item, create=False) or ""
        return claim

    def source_for(self, item: FeedItem, *, create: bool) -> str | None:
        """The id of the source named by the item's author, created (F) when asked to."""
        index = self.sources()
        sid = index.lookup(item.author)
        if sid is not None or not create:
            return sid
        sid = index.new_id(item.author)
        record = Source(id=sid, name=item.author, url=item.author_url).to_record()
        record["history"] = [self.entry("created", f"new source from feed {self.parsed.title}")]
        index.add(record)
        self.put("sources", record, item=item)
        self.report.created_sources.append(sid)
        return sid

    def new_feed_claim(self, item: FeedItem, claim: Record) -> None:
        if not claim["source"]:
            claim["source"] = self.source_for(item, create=True)
        claim["history"] = [self.entry("created", f"imported from feed {self.parsed.title}")]
        self.duplicate_check(claim)
        if not self.put("claims", claim, item=item):
            return
        self.report.new += 1
        self.report.changes.append(Change("claims", claim["id"], "new"))

    # ---------------------------------------------------------------- sitrep feed
    def native(self) -> None:
        renamed = self.reconcile_settlements()
        for table in ("sources", "settlements", "claims"):
            self.batch[table].update(r["id"] for r in getattr(self.parsed, table))
        self.batch["settlements"].difference_update(renamed)
        for table in ("sources", "settlements", "claims"):
            indexes = self.parsed.indexes.get(table, [])
            for n, record in enumerate(getattr(self.parsed, table)):
                index = indexes[n] if n < len(indexes) else None
                if table == "claims" and renamed:
                    record = _renamed_links(record, renamed)
                problems = check_record(table, None, record, self.exists)
                if problems:
                    self.batch[table].discard(record["id"])
                    self.reject(record["id"], f"{table[:-1]} {printable_id(record['id'])}: "
                                f"{problems[0].field or 'record'}: {problems[0].message}",
                                index, table=table, field=problems[0].field)
                    continue
                if table == "settlements" and record["id"] in renamed:
                    self.merge_into(record, renamed[record["id"]], index)
                    continue
                local = self.current(table, record["id"])
                if local is None:
                    if table == "claims":
                        self.duplicate_check(record)
                    if not self.put(table, record, index):
                        continue
                    self.report.new += 1
                    self.report.changes.append(Change(table, record["id"], "new"))
                else:
                    self.update(table, local, record, index=index)

    # ---------------------------------------------------------------- reconciliation
    def reconcile_settlements(self) -> dict[str, str]:
        """Incoming settlements that are existing ones (``sitrep.places.reconcile``): their
        id → the existing id. Probable duplicates are reported and created."""
        incoming = [r for r in self.parsed.settlements
                    if self.store.get("settlements", r["id"]) is None]
        if not incoming or not self.store.settlements():
            return {}
        from sitrep.places.reconcile import reconcile
        from sitrep.places.unite import merged_into

        existing = self.store.settlements()
        merged = merged_into(existing)
        gazetteer = _gazetteer()
        renamed: dict[str, str] = {}
        for record in incoming:
            if record["id"] in merged:  # merged away by `sitrep places merge`
                renamed[record["id"]] = merged[record["id"]]
                self.report.reconciled.append(Reconciled(
                    record["id"], merged[record["id"]], "same", "merged into it before"))
                continue
            verdict = reconcile(record, existing, gazetteer)
            if verdict.kind in ("same", "probable") and verdict.existing:
                self.report.reconciled.append(
                    Reconciled(record["id"], verdict.existing, verdict.kind, verdict.reason))
                if verdict.kind == "same":
                    renamed[record["id"]] = verdict.existing
        return renamed

    def merge_into(self, record: Record, existing_id: str, index: int | None = None) -> None:
        """Unite an incoming settlement's names, control and ids with the existing one's
        (as this batch leaves it: two of the feed's settlements may be the same place);
        every other field stays as the DB has it."""
        local = self.current("settlements", existing_id)
        assert local is not None
        alt = record.get("alt_names")
        names = [record.get("name"), *(alt if isinstance(alt, list) else [])]
        known = {local.get("name")}
        incoming: Record = {"id": existing_id, "history": record.get("history") or [],
                            "alt_names": [n for n in dict.fromkeys(names)
                                          if isinstance(n, str) and n not in known]}
        if isinstance(record.get("control"), list):
            incoming["control"] = record["control"]
        if isinstance(record.get("ids"), dict):
            local_ids = local.get("ids")
            ids = {**record["ids"], **(local_ids if isinstance(local_ids, dict) else {})}
            if ids != local.get("ids"):
                incoming["ids"] = ids
        self.update("settlements", local, incoming, index=index)

    def explicit_settlement(self, sid: str) -> str | None:
        """A JSON Feed item's ``_sitrep`` settlement id, or the one existing settlement that
        id names as a name in any spelling (``kharkov`` → ``kharkiv``), reported."""
        if self.exists("settlements", sid):
            return sid
        from sitrep.places.names import name_key
        from sitrep.places.reconcile import name_keys

        if self._names is None:
            self._names = {}
            for record in self.store.settlements():
                for key in name_keys(record):
                    self._names.setdefault(key, set()).add(record["id"])
        if self._merged is None:
            from sitrep.places.unite import merged_into

            self._merged = merged_into(self.store.settlements())
        was = self._merged.get(sid)
        found = {was} if was is not None else self._names.get(name_key(sid), set())
        if len(found) != 1:
            return None
        (target,) = found
        if not any(r.incoming == sid for r in self.report.reconciled):
            self.report.reconciled.append(
                Reconciled(sid, target, "same", f"name {name_key(sid)!r}"))
        return target

    # ---------------------------------------------------------------- updating
    def conflict(self, table: str, rid: str, field: str, local: Any, incoming: Any) -> None:
        self.report.conflicts.append(Conflict(table, rid, field, local, incoming))

    def update(
        self, table: str, local: Record, incoming: Record, item: FeedItem | None = None, *,
        index: int | None = None,
    ) -> None:
        """Merge ``incoming`` into ``local`` (rules 4-6); queue a put if anything changed.

        ``item`` is the JSON Feed item ``incoming`` came from (None for a sitrep feed),
        ``index`` the place of a sitrep feed's record in its list.
        """
        rid = local["id"]
        incoming_history = incoming.get("history")
        if not isinstance(incoming_history, list):
            incoming_history = []
        known = {_key(h) for h in incoming_history}
        merged = dict(local)
        changed: list[str] = []
        disagreements: list[Record] = []
        analyst = ANALYST_FIELDS[table]
        union = UNION_FIELDS[table]
        if item is not None:  # JSON Feed: the item speaks only for some fields
            speaks = set(JSONFEED_FIELDS) | set(item.explicit) | {"settlements", "source"}
        else:
            speaks = set(incoming) - {"id", "history"}
        for field in incoming:
            if field not in speaks or field in ("id", "history"):
                continue
            old, new = local.get(field), incoming[field]
            if field in union:
                new = _union(old, new)
            pending_source = field == "source" and item is not None and not new
            if pending_source:
                new = None  # the author is not a known source (yet)
            if old == new:
                continue
            if item is None and field not in analyst and field not in union:
                verdict = self.feed_owned(table, local, field, new, known, incoming_history)
                if verdict is not None:
                    if isinstance(verdict, dict):
                        disagreements.append(verdict)
                    continue
            if field in analyst:
                if _locally_set(local, field, known, DEFAULTS[table].get(field),
                                incoming_history):
                    shown = item.author if pending_source and item is not None else new
                    self.conflict(table, rid, field, old, shown)
                    continue
                if pending_source and item is not None:
                    new = self.source_for(item, create=True)
                    if old == new:
                        continue
            merged[field] = new
            changed.append(field)
        history = list(local["history"]) if isinstance(local.get("history"), list) else []
        have = {_key(h) for h in history}
        added = [h for h in incoming_history if _key(h) not in have]
        if not changed and not added and not disagreements:
            self.report.unchanged += 1
            return
        history.extend(added)
        history.extend(disagreements)
        if changed:
            history.append(self.entry("record", f"updated from feed {self.parsed.title}", changed))
        merged["history"] = history
        again = (table, rid) in self.queued
        if not self.put(table, merged, index, item):
            return
        fields = changed or ["history"]
        earlier = next((c for c in self.report.changes if (c.table, c.record_id) == (
            table, rid)), None) if again else None
        if earlier is not None:  # merged into this batch's earlier change of it: one change
            earlier.fields.extend(f for f in fields if f not in earlier.fields)
            return
        self.report.updated += 1
        self.report.changes.append(Change(table, rid, "updated", fields))

    def feed_owned(self, table: str, local: Record, field: str, new: Any, known: set[bytes],
                   theirs: list[Any]) -> Record | bool | None:
        """Whether a sitrep feed's differing value of a feed-owned field is taken (rule 11).

        None: take it. False: keep the DB's value and write nothing (the disagreement is
        recorded already, or the analyst resolved it: then it is reported as a conflict).
        A conflict entry: keep the DB's value and record both in history, once.
        """
        ours = _latest_about(local.get("history"), field, lambda e: _key(e) not in known)
        mine = {_key(h) for h in local.get("history") or [] if isinstance(h, dict)}
        upstream = _latest_about(theirs, field, lambda e: _key(e) not in mine, created=False)
        if ours is not None and ours.get("field") == CONFLICT_FIELD:
            sides = (ours.get("from"), ours.get("to"))
            if any(isinstance(s, dict) and s.get("value") == new for s in sides):
                return False  # this disagreement is in the history already
        elif ours is not None and ours.get(RESOLVES_KEY) == CONFLICT_FIELD:
            self.conflict(table, local["id"], field, local.get(field), new)
            return False
        elif upstream is not None and (ours is None or ours.get(MARK) in (
                None, self.parsed.identity)):
            return None  # the feed records a change we lack: it follows upstream (rule 4)
        elif upstream is None and ours is not None and ours.get(MARK) == self.parsed.identity:
            return None  # this feed set the value: it keeps it up to date
        kept = local.get(field)
        source = "this DB" if ours is None else str(ours.get(MARK) or ours.get("by") or "?")
        self.report.disagreements.append(
            Disagreement(table, local["id"], field, kept, new, source))
        return {
            "at": self.at, "by": self.analyst, "field": CONFLICT_FIELD, "conflict": field,
            "from": {"by": f"feed {self.parsed.identity}", "at": self.at, "value": new},
            "to": {"by": source if ours is None or ours.get(MARK) is None else f"feed {source}",
                   "at": None if ours is None else ours.get("at"), "value": kept},
            "note": f"feeds disagree on {field}: kept the DB's value; feed"
                    f" {self.parsed.title or self.parsed.identity} says otherwise",
            MARK: self.parsed.identity,
        }


def _item_field(field: str | None) -> str | None:
    """The JSON Feed item's field that says what the claim's ``field`` holds
    (``status`` → ``_sitrep.status``, ``evidence[1].kind`` → ``_sitrep.evidence[1].kind``)."""
    if not field:
        return None
    head = field.split("[", 1)[0].split(".", 1)[0]
    if head in EXTENSION_FIELDS:
        return f"_sitrep.{field}"
    return ITEM_FIELDS.get(head)


def _latest_about(history: Any, field: str, counts: Any, *, created: bool = True
                  ) -> Record | None:
    """The newest history entry that set (or recorded a disagreement on) ``field`` and that
    ``counts(entry)`` accepts; a ``created`` entry sets every field when ``created``."""
    for entry in reversed(history if isinstance(history, list) else []):
        if not isinstance(entry, dict) or not counts(entry):
            continue
        kind, changed = entry.get("field"), entry.get("from")
        if (kind == field or (created and kind == "created")
                or (kind == "record" and isinstance(changed, list) and field in changed)
                or (kind == CONFLICT_FIELD and entry.get("conflict") == field)):
            return entry
    return None


def _renamed_links(claim: Record, renamed: dict[str, str]) -> Record:
    """``claim`` with its settlements pointed at the records they were reconciled to."""
    links = claim.get("settlements")
    if not isinstance(links, list) or not any(s in renamed for s in links if isinstance(s, str)):
        return claim
    pointed = [renamed.get(s, s) if isinstance(s, str) else s for s in links]
    return {**claim, "settlements": list(dict.fromkeys(pointed))}


def _gazetteer() -> Any:
    """The bundled gazetteer (for reconciling spellings like Kharkov), None if unavailable."""
    from sitrep.places import gazetteer

    try:
        return gazetteer.load("UA")
    except (gazetteer.GazetteerUnavailable, ValueError, OSError):
        return None


def _key(entry: Any) -> bytes:
    try:
        return orjson.dumps(entry, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # pragma: no cover - records come from JSON
        return repr(entry).encode()


def _union(local: Any, incoming: Any) -> Any:
    if not isinstance(local, list) or not isinstance(incoming, list):
        return incoming if local is None else local
    extra = [value for value in incoming if value not in local]
    return local + extra if extra else local


def _locally_set(
    record: Record, field: str, incoming: set[bytes], default: Any, theirs: list[Any]
) -> bool:
    """True when the record's value of ``field`` was set by the analyst, not by a feed.

    With no local history about the field, a default value is not the analyst's, nor is a
    value the feed's own history shows it moved away from (the local copy is just behind).
    """
    history = record.get("history")
    for entry in reversed(history if isinstance(history, list) else []):
        if not isinstance(entry, dict):
            continue
        kind, changed = entry.get("field"), entry.get("from")
        about = kind in (field, "created") or (
            kind == "record" and (not isinstance(changed, list) or field in changed)
        )
        if about and (not incoming or _key(entry) not in incoming):
            return MARK not in entry
    value = record.get(field, default)
    if value == default:
        return False
    return not any(
        isinstance(e, dict) and e.get("field") == field and e.get("from") == value for e in theirs
    )
