"""Fixtures for the report and export tests: views of real store files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from sitrep.reports.view import View
from sitrep.store import Store

GENERATED = "2026-12-01T09:30:00Z"
HOSTILE_TEXT = (
    '=HYPERLINK("http://evil.example/x","click") [link](javascript:alert(1)) '
    '![img](http://evil.example/p.png) <script>alert(1)</script> <b>bold</b> **strong** '
    "_em_ `code` | cell | www.evil.example http://evil.example/y a@evil.example &amp; # h "
    "\x1b[31mred\x1b]0;title\x07 \u202eevil\u202c"
)


def view_of(path: Path, **options: Any) -> View:
    """A view of every record in the DB file at ``path``."""
    options.setdefault("generated_at", GENERATED)
    options.setdefault("analyst", "tester")
    return View.of(Store.open(path), **options)


@pytest.fixture
def sample_view(sample_db: Path) -> View:
    """The bundled sample as a view, generated at a fixed time."""
    return view_of(sample_db)


def add_claim(db: Path, **fields: Any) -> None:
    """Add a claim to the DB file by hand (as a person editing it would)."""
    doc = orjson.loads(db.read_bytes())
    claim = {"id": "c-added", "text": "added", "quote": "", "source": "cnn", "via": "",
             "origin": None, "settlements": ["lysychansk"], "reported_at": "2022-09-11",
             "event_at": None, "status": "unverified", "credibility": 3,
             "against_interest": False, "tags": [], "url": "", "notes": "",
             "corroborates": [], "contradicts": [], "history": []}
    claim.update(fields)
    doc["claims"][str(1000 + len(doc["claims"]))] = claim
    db.write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2))


def edit(db: Path, table: str, rid: str, **fields: Any) -> None:
    """Change fields of one record in the DB file by hand."""
    doc = orjson.loads(db.read_bytes())
    record = next(r for r in doc[table].values() if r.get("id") == rid)
    record.update(fields)
    db.write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2))
