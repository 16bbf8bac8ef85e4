"""What a report or an export is made of: a :class:`View` of the records and its scope.

The caller (the CLI, later the dashboard) filters the records and applies the as-of date
before building the view; every format renders exactly the records it is given. The view
adds only lookups over them, built once on first use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sitrep.models import Record
from sitrep.reports import fields


@dataclass(frozen=True)
class View:
    """The records to export, the scope they were chosen by, and optional analysis.

    ``origins`` maps a claim id to its number of independent origins, when that analysis was
    run; ``generated_at`` is when the export is made (ISO, UTC), passed in so output can be
    reproduced; ``as_of`` and ``scope`` (the filter expression) are shown, not applied;
    ``analyst`` is who exports (the author of the analyst's opinions in STIX).
    """

    settlements: Sequence[Record] = ()
    sources: Sequence[Record] = ()
    claims: Sequence[Record] = ()
    scope: str = ""
    as_of: str | None = None
    generated_at: str = ""
    analyst: str = ""
    origins: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, store: Any, **options: Any) -> View:
        """A view of every record of ``store`` (anything with claims(), sources() and
        settlements() returning records), with ``options`` as the view's other fields."""
        return cls(
            settlements=store.settlements(), sources=store.sources(), claims=store.claims(),
            **options,
        )

    @cached_property
    def source_by_id(self) -> dict[str, Record]:
        """Sources by id (the first of two with the same id)."""
        return _by_id(self.sources)

    @cached_property
    def settlement_by_id(self) -> dict[str, Record]:
        """Settlements by id (the first of two with the same id)."""
        return _by_id(self.settlements)

    @cached_property
    def claim_by_id(self) -> dict[str, Record]:
        """Claims by id (the first of two with the same id)."""
        return _by_id(self.claims)

    @cached_property
    def claims_by_settlement(self) -> dict[str, list[Record]]:
        """The claims about each settlement id, in view order."""
        found: dict[str, list[Record]] = {}
        for claim in self.claims:
            for sid in dict.fromkeys(fields.strings(claim.get("settlements"))):
                found.setdefault(sid, []).append(claim)
        return found

    @cached_property
    def claims_by_source(self) -> dict[str, list[Record]]:
        """The claims of each source id, in view order."""
        found: dict[str, list[Record]] = {}
        for claim in self.claims:
            found.setdefault(fields.text(claim.get("source")), []).append(claim)
        return found

    def source_of(self, claim: Record) -> Record | None:
        """The claim's source record, or None when it is not in the view."""
        return self.source_by_id.get(fields.text(claim.get("source")))

    def grade(self, claim: Record) -> str:
        """The claim's Admiralty grade with its source's reliability, e.g. ``B3``."""
        return fields.grade(self.source_of(claim), claim)


def _by_id(records: Sequence[Record]) -> dict[str, Record]:
    found: dict[str, Record] = {}
    for record in records:
        rid = record.get("id")
        if isinstance(rid, str) and rid not in found:
            found[rid] = record
    return found
