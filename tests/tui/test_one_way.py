"""One way to make each change: the CLI and the dashboard refuse the same change with the same
words, because both build it with the store's builders (sitrep.store.changes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import ready

FIRST = "c-cnn-new-front"  # the first claim row of the sample, under CNN
REFUSAL = f"claim {FIRST!r} has no known source to grade B"


def _orphan(db: Path) -> bytes:
    """Point the first claim at a source that does not exist; return the file's bytes."""
    doc = json.loads(db.read_text(encoding="utf-8"))
    for claim in doc["claims"].values():
        if claim["id"] == FIRST:
            claim["source"] = "no-such-source"
    db.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return db.read_bytes()


def test_cli_refuses_b3_on_a_claim_with_an_unknown_source(db: Path) -> None:
    before = _orphan(db)
    done = subprocess.run([sys.executable, "-m", "sitrep", "--db", str(db), "grade", FIRST,
                           "B3"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert REFUSAL in done.stderr
    assert db.read_bytes() == before


async def test_dashboard_refuses_b3_on_a_claim_with_an_unknown_source(db: Path, make_app
                                                                      ) -> None:
    before = _orphan(db)
    app = make_app(db)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot, app)
        app.jump_to_claim(FIRST)
        await pilot.pause()
        p = app.current_position()
        assert p is not None and app.model is not None and app.model.claims[p]["id"] == FIRST
        await pilot.press("g", "B", "3")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any(REFUSAL in m for m in messages), messages
        assert app.session.undo_stack == []  # the refused step is not left to undo
        await pilot.press("q")
    assert db.read_bytes() == before  # the claim's credibility was not changed either
