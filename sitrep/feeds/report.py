"""What an import did: counts, and for each item that was not simply unchanged, why."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sitrep.feeds.base import Rejection


@dataclass(slots=True)
class Change:
    """A record the import added or updated (``fields``: what changed, for updates)."""

    table: str
    record_id: str
    outcome: str  # "new" or "updated"
    fields: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {"table": self.table, "id": self.record_id, "outcome": self.outcome,
                "fields": self.fields}


@dataclass(slots=True)
class Conflict:
    """A field where the feed disagrees with a value the analyst owns; the analyst's was kept."""

    table: str
    record_id: str
    field: str
    local: Any
    incoming: Any

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {"table": self.table, "id": self.record_id, "field": self.field,
                "kept": self.local, "feed": self.incoming}

    def __str__(self) -> str:
        return (f"{self.record_id} {self.field}: kept {_short(self.local)} (yours),"
                f" feed says {_short(self.incoming)}")


@dataclass(slots=True)
class Disagreement:
    """A feed-owned field another feed (or a change this feed does not know) set to another
    value: the value in the DB was kept and both are recorded once in the record's history."""

    table: str
    record_id: str
    field: str
    kept: Any
    incoming: Any
    kept_from: str  # the feed (or analyst) the kept value came from

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {"table": self.table, "id": self.record_id, "field": self.field,
                "kept": self.kept, "kept_from": self.kept_from, "feed": self.incoming}

    def __str__(self) -> str:
        return (f"{self.record_id} {self.field}: kept {_short(self.kept)} (from"
                f" {self.kept_from}), this feed says {_short(self.incoming)}")


@dataclass(slots=True)
class Duplicate:
    """A new claim whose text is near-identical to another claim's: imported, but flagged."""

    record_id: str
    other_id: str

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {"id": self.record_id, "duplicate_of": self.other_id}


@dataclass(slots=True)
class Reconciled:
    """An incoming settlement found to be an existing one (``same``: its claims and control
    now point there, names united) or probably one (``probable``: created, check it)."""

    incoming: str
    existing: str
    kind: str  # "same" or "probable"
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {"incoming": self.incoming, "existing": self.existing, "kind": self.kind,
                "reason": self.reason}


@dataclass
class ImportReport:
    """The outcome of importing one feed (or of finding it unchanged)."""

    location: str
    format: str = ""
    title: str = ""
    identity: str = ""
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    reconciled: list[Reconciled] = field(default_factory=list)
    created_sources: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False
    not_modified: bool = False

    @property
    def rejected(self) -> int:
        """How many items or records were rejected."""
        return len(self.rejections)

    def counts(self) -> dict[str, int]:
        """The five headline numbers."""
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": self.rejected, "conflicts": len(self.conflicts)}

    def summary(self) -> str:
        """One line: ``new 3 · updated 1 · unchanged 16 · rejected 0 · conflicts 0``."""
        if self.not_modified:
            return "not modified since the last pull (HTTP 304): nothing to do"
        return " · ".join(f"{name} {value}" for name, value in self.counts().items())

    def to_dict(self) -> dict[str, Any]:
        """The whole report as JSON-ready data (``sitrep import --json``)."""
        return {
            "location": self.location,
            "format": self.format,
            "title": self.title,
            "feed": self.identity,
            "counts": self.counts(),
            "dry_run": self.dry_run,
            "written": self.written,
            "not_modified": self.not_modified,
            "created_sources": self.created_sources,
            "rejections": [r.to_dict() for r in self.rejections],
            "conflicts": [c.to_dict() for c in self.conflicts],
            "disagreements": [d.to_dict() for d in self.disagreements],
            "duplicates": [d.to_dict() for d in self.duplicates],
            "changes": [c.to_dict() for c in self.changes],
            "reconciled": [r.to_dict() for r in self.reconciled],
            "warnings": self.warnings,
        }

    def by_kind(self) -> dict[tuple[str, str], list[str]]:
        """The ids of the records added and updated, per (outcome, table), in import order."""
        found: dict[tuple[str, str], list[str]] = {}
        for change in self.changes:
            found.setdefault((change.outcome, change.table), []).append(change.record_id)
        return found

    def brief(self) -> str:
        """The counts that are not zero, on one short line (a notification):
        ``new 20 · rejected 1``; ``nothing new`` when all are zero but unchanged."""
        counts = {**self.counts(), "disagreements": len(self.disagreements),
                  "duplicates": len(self.duplicates)}
        shown = [f"{name} {value}" for name, value in counts.items()
                 if value and name != "unchanged"]
        if not shown:
            return f"nothing new ({self.unchanged} unchanged)"
        return " · ".join(shown)

    def lines(self, limit: int = 5) -> list[str]:
        """The report for a person, a summary: a heading, the counts, the counts per table
        and kind with at most ``limit`` ids each (``and N more``), then at most ``limit`` of
        each kind of detail worth reading (the whole lists: ``to_dict``, ``--json``)."""
        name = f"{self.title!r} ({self.format})" if self.format else self.location
        out = [f"{'dry run: would import' if self.dry_run else 'imported'} {name}"
               f" from {self.location}", "  " + self.summary()]
        out.extend(f"  warning: {w}" for w in self.warnings)
        for (outcome, table), ids in self.by_kind().items():
            out.append(f"  {outcome} {table} {len(ids)}: {_some(ids, limit)}")
        if self.created_sources:
            out.append("  new sources (reliability F): "
                       + _some(self.created_sources, limit))
        sections = (
            ("rejected", [r.describe(self.location) for r in self.rejections]),
            ("conflicts (your values kept)", [str(c) for c in self.conflicts]),
            ("feeds disagree (the DB's value kept; both recorded in history)",
             [str(d) for d in self.disagreements]),
            ("possible duplicates (imported, check them)",
             [f"{d.record_id} looks like {d.other_id}" for d in self.duplicates]),
            ("settlements reconciled (one place, one record)",
             [f"{r.incoming} → {r.existing} ({r.reason})" for r in self.reconciled
              if r.kind == "same"]),
            ("probable duplicate settlements (created, check them)",
             [f"{r.incoming} may be {r.existing} ({r.reason})" for r in self.reconciled
              if r.kind == "probable"]),
        )
        for heading, rows in sections:
            if rows:
                out.append(f"{heading}:")
                out.extend(f"  {row}" for row in rows[:limit])
                if len(rows) > limit:
                    out.append(f"  … and {len(rows) - limit} more (see --json)")
        if self.dry_run:
            out.append("dry run: nothing was written")
        elif not self.written and not self.not_modified:
            out.append("nothing changed: the DB file was not written")
        return out


def _some(ids: list[str], limit: int) -> str:
    """At most ``limit`` ids, then ``and N more``."""
    shown = ", ".join(ids[:limit])
    return f"{shown} and {len(ids) - limit} more" if len(ids) > limit else shown


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
