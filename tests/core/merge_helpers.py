"""Shared by the merge tests: small documents, history entries, content comparison."""

from __future__ import annotations

from typing import Any

import orjson

from sitrep.document_merge import MergeResult, Side, merge_documents
from sitrep.models import Claim, Settlement, Source
from sitrep.store.ops import json_copy
from sitrep.store.validate import Problem

T0 = "2026-01-01T00:00:00Z"


def entry(at: str, by: str, field: str, old: Any = None, new: Any = None,
          note: str | None = None) -> dict[str, Any]:
    """A history entry as the store writes it."""
    return {"at": at, "by": by, "field": field, "from": old, "to": new, "note": note}


def small_document() -> dict[str, Any]:
    """Two settlements, a source, three claims, _meta and feeds, as the store lays them out."""
    claims = [
        Claim(id=f"c{n}", text=f"claim {n}", source="src", settlements=["s1"], status="unverified",
              credibility=3, history=[entry(T0, "seed", "created")]).to_record()
        for n in (1, 2, 3)
    ]
    return {
        "_meta": {"1": {"schema": 1}},
        "settlements": {
            "1": Settlement(id="s1", name="Lysychansk", alt_names=["Лисичанськ"]).to_record(),
            "2": Settlement(id="s2", name="Svatove").to_record(),
        },
        "sources": {"1": Source(id="src", name="CNN", reliability="B").to_record()},
        "claims": {str(n): c for n, c in enumerate(claims, start=1)},
        "feeds": {},
    }


def copy(doc: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of a document."""
    return json_copy(doc)


def merge(base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any],
          ours_at: str = "2026-01-05T00:00:00Z", theirs_at: str = "2026-01-06T00:00:00Z",
          ours_by: str = "alice", theirs_by: str = "bob") -> MergeResult:
    """merge_documents with two analysts and their file times."""
    return merge_documents(base, Side(ours, ours_at, ours_by), Side(theirs, theirs_at, theirs_by))


def content(doc: dict[str, Any]) -> dict[str, list[bytes]]:
    """A document's content: each table's records whatever their doc ids, order and key order."""
    return {
        name: sorted(orjson.dumps(record, option=orjson.OPT_SORT_KEYS)
                     for record in table.values())
        for name, table in doc.items()
    }


def by_id(doc: dict[str, Any], table: str) -> dict[str, Any]:
    """The records of a table by their id."""
    return {r["id"]: r for r in doc.get(table, {}).values() if isinstance(r, dict) and "id" in r}


def problem_keys(problems: list[Problem], renamed: dict[str, str] | None = None) -> set[tuple]:
    """Problems without their doc ids (which a merge may change), renamed ids mapped back."""
    renamed = renamed or {}
    return {(p.table, renamed.get(p.record_id, p.record_id), p.field, p.message)
            for p in problems}
