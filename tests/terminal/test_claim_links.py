"""The detail pane lists a claim's links: its URLs, each piece of evidence and its own point,
on the real ``sitrep`` in a terminal, hostile text shown literally."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .conftest import Start

FIRST = "c-cnn-new-front"  # the claim the dashboard opens on


def test_detail_shows_urls_evidence_and_location(start: Start, db: Path) -> None:
    doc = json.loads(db.read_text(encoding="utf-8"))
    claim = next(c for c in doc["claims"].values() if c["id"] == FIRST)
    claim.update(
        urls=["https://t.me/luhanskaVTSA/1234"],
        evidence=[{"url": "https://x.com/g/1", "kind": "geolocation",
                   "note": "[bold]roofs[/bold] \x1b[31mred"}],
        location={"lat": 48.9042, "lon": 38.4418, "precision_m": 50},
    )
    db.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    term = start("--db", db, columns=120, lines=40)
    term.wait_for("Claims by source")
    term.press("enter")
    term.wait_for("▶ Detail")
    term.write("z")  # the detail fills the screen: every line of it is visible
    term.wait_for(re.compile(r"URL: https://t\.me/luhanskaVTSA/1234"), what="the other URL")
    term.wait_for(re.compile(r"Evidence: geolocation https://x\.com/g/1 — \[bold\]roofs"
                             r"\[/bold\] \\x1b\[31mred"), what="the evidence, literally")
    term.wait_for("Location: 48.9042, 38.4418 (±50 m)", what="the claim's own point")
