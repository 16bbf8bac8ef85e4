"""Byte-for-byte goldens of the exports, so that making a format faster never changes what it
writes: the sample, and a synthetic 1k set (``benchmarks/generate.py``) salted with the cells
that take a format's slow paths (quotes, commas, newlines, formula starts, ``;`` and ``\\`` in
list items, escapes, bidi, numbers and lists where strings belong, links and locations).

The goldens are SHA-256 digests in ``golden_exports.json``. After a change of output made on
purpose, rewrite them with ``SITREP_UPDATE_GOLDEN=1 pytest tests/reports/test_golden.py`` and
say why in the commit.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate
from sitrep.reports.formats import export
from sitrep.reports.view import View

from .conftest import GENERATED, view_of

GOLDEN = Path(__file__).with_name("golden_exports.json")
RUNS = [("csv", "claims"), ("csv", "settlements"), ("csv", "sources"), ("geojson", None),
        ("feed", None), ("kml", None), ("misp", None)]
TRICKY = [
    'says "hello", then leaves', "line one\r\nline two\nthree", "=SUM(A1)", "+1", "-x", "@me",
    "\tindented", "semi;colon", "back\\slash", "\x1b[31mred\x1b]0;t\x07", "\u202eevil\u202c",
    "", " ", "trailing,", '"', "ünïcödé Харків", "\x85nel\x9bcsi", "a\u2028b",
]


def salted(n_claims: int = 1000) -> dict[str, Any]:
    """A generated DB whose records carry every kind of awkward value, deterministically."""
    doc = generate(n_claims, seed=14)
    rng = random.Random(1413)
    claims = list(doc["claims"].values())
    for i, claim in enumerate(claims):
        pick = TRICKY[i % len(TRICKY)]
        if i % 3 == 0:
            claim["text"] = f"{TRICKY[i // 3 % len(TRICKY)]} {claim['text']}"
        if i % 5 == 0:
            claim["tags"] = [*claim["tags"], pick, "x;y", "z\\w"]
        if i % 7 == 0:
            claim["urls"] = [f"https://example.org/{i}", pick, "https://example.org/dup"]
        if i % 11 == 0:
            claim["evidence"] = [{"url": f"https://archive.org/{i}", "kind": "archive",
                                  "note": pick},
                                 {"url": pick or "x", "kind": "video"}]
        if i % 13 == 0:
            claim["location"] = {"lat": round(rng.uniform(44, 52), 5),
                                 "lon": round(rng.uniform(22, 40), 5),
                                 **({"precision_m": rng.choice([10, 50.5, 1000])}
                                    if i % 2 else {})}
        if i % 17 == 0:
            claim["via"], claim["notes"], claim["quote"] = pick, pick, pick
        if i % 97 == 0:
            claim.update(text=7, quote=1.5, tags="lone", settlements="nowhere", url=3,
                         credibility=True, status="odd", reported_at="last week")
        if i % 101 == 0:
            claim.update(location={"lat": "x", "lon": 1}, evidence="none", urls=5)
    for i, settlement in enumerate(doc["settlements"].values()):
        if i % 9 == 0:
            settlement["name"] = f"{TRICKY[i % len(TRICKY)]}{settlement['name']}"
            settlement["alt_names"] = [*settlement["alt_names"], "a;b"]
        if i % 23 == 0:
            settlement["lat"] = "north"
    for i, source in enumerate(doc["sources"].values()):
        if i % 4 == 0:
            source["name"] = f"{TRICKY[i % len(TRICKY)]}{source['name']}"
            source["role"] = TRICKY[(i + 3) % len(TRICKY)]
    return doc


def _synthetic_view() -> View:
    doc = salted()
    return View(settlements=list(doc["settlements"].values()),
                sources=list(doc["sources"].values()), claims=list(doc["claims"].values()),
                generated_at=GENERATED, analyst="tester")


def _digests(view_for: Any) -> dict[str, str]:
    found = {}
    for fmt, table in RUNS:
        data = export(fmt, view_for(), **({"table": table} if table else {})).data
        found[f"{fmt} {table or ''}".strip()] = hashlib.sha256(data).hexdigest()
    return found


@pytest.mark.parametrize("data_set", ["sample", "synthetic 1k"])
def test_exports_are_byte_for_byte_the_goldens(sample_db: Path, data_set: str) -> None:
    if data_set == "sample":
        found = _digests(lambda: view_of(sample_db))
    else:
        found = _digests(_synthetic_view)
    goldens = json.loads(GOLDEN.read_text()) if GOLDEN.exists() else {}
    if os.environ.get("SITREP_UPDATE_GOLDEN"):
        goldens[data_set] = found
        GOLDEN.write_text(json.dumps(goldens, indent=2, sort_keys=True) + "\n")
    assert found == goldens[data_set]


def test_the_salted_set_reaches_the_awkward_paths() -> None:
    claims = list(salted()["claims"].values())
    assert sum("location" in c for c in claims) >= 70
    assert any(isinstance(c["text"], str) and c["text"].startswith("=") for c in claims)
    assert any(c.get("text") == 7 for c in claims)
