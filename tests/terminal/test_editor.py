"""Defect 3: an editor that cannot start, or exits non-zero, gives the dashboard back.

``EDITOR=nonexistent-ed`` then ``e`` used to leave a blank screen with keys echoed raw: the
exception escaped Textual's ``suspend()`` block, which then never resumed the app."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from .conftest import Start
from .harness import Terminal, toast_text


def dashboard_answers(term: Terminal) -> None:
    """The dashboard is drawn and takes keys: ``j`` moves the cursor to the second claim."""
    term.wait_for("Claims by source")
    term.wait_for("▶ Claims by source")
    term.write("j")
    term.wait_for(re.compile(r"^›.*✓ conf.*Russian forces"), what="j to move the cursor")


@pytest.mark.parametrize("key", ["e", "N"])
def test_an_editor_that_is_not_installed_is_named_and_the_dashboard_comes_back(
    start: Start, db: Path, key: str
) -> None:
    before = db.read_bytes()
    term = start("--db", db, columns=120, lines=30, env={"EDITOR": "nonexistent-ed"},
                 drop=("VISUAL",))
    term.wait_for("▶ Claims by source")
    term.write(key)
    want = "cannot run editor 'nonexistent-ed': not found; set $VISUAL or $EDITOR"
    term.wait_for(lambda lines: want in toast_text(lines), what=want)
    dashboard_answers(term)
    term.write("q")
    assert term.wait_exit() == 0
    assert db.read_bytes() == before
    assert not db.with_name(db.name + ".journal").exists()


def test_an_editor_that_fails_says_so_and_restores_the_terminal(
    start: Start, db: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    editor = folder / "broken-ed"  # a desktop editor without a display, say
    editor.write_text("#!/bin/sh\necho 'broken-ed: cannot open display' >&2\nexit 3\n")
    editor.chmod(0o755)
    before = db.read_bytes()
    path = f"{folder}:{os.environ.get('PATH', '/usr/bin:/bin')}"
    term = start("--db", db, columns=120, lines=30, env={"VISUAL": "broken-ed", "PATH": path})
    term.wait_for("▶ Claims by source")
    mark = len(term.raw)
    term.write("e")
    want = "editor 'broken-ed' exited with status 3: nothing written."
    term.wait_for(lambda lines: want in toast_text(lines), what=want)
    resumed = term.raw_since(mark)
    # suspended and resumed: the alternate screen left and entered again, keys read raw again
    assert b"\x1b[?1049l" in resumed and resumed.rindex(b"\x1b[?1049h") > resumed.index(
        b"\x1b[?1049l")
    dashboard_answers(term)
    assert db.read_bytes() == before


def test_u_takes_back_an_edit_made_in_the_editor(
    start: Start, db: Path, tmp_path: Path
) -> None:
    """An edit as JSON, then ``u``: the claim's old text is back on screen and in the file
    (the undo used to be refused: it put the old record whole, history and all, and history
    is append-only)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    editor = folder / "rewrite-ed"  # rewrites the claim's text, as an analyst would
    editor.write_text(f"#!{sys.executable}\nimport json, sys\n"
                      "record = json.load(open(sys.argv[1]))\n"
                      "record['text'] = 'ZZ rewritten'\n"
                      "json.dump(record, open(sys.argv[1], 'w'))\n")
    editor.chmod(0o755)
    path = f"{folder}:{os.environ.get('PATH', '/usr/bin:/bin')}"
    term = start("--db", db, columns=120, lines=30, env={"VISUAL": "rewrite-ed", "PATH": path})
    term.wait_for("▶ Claims by source")
    cursor_row = str(term.wait_for(
        lambda lines: next((row[:50] for row in lines if row.startswith("›")), None),
        what="the cursor row"))
    term.write("e")
    term.wait_for(re.compile(r"^›.*ZZ rewritten"), what="the rewritten text on the cursor row")
    term.write("u")
    term.wait_for(lambda lines: "Undone: 1 change(s)." in toast_text(lines), what="undone")
    term.wait_for(lambda lines: any(row.startswith(cursor_row) for row in lines),
                  what=f"the cursor row as it was: {cursor_row}")
    assert not any("Refused" in line for line in term.lines())
    term.write("q")
    assert term.wait_exit() == 0
    claims = json.loads(db.read_text(encoding="utf-8"))["claims"].values()
    assert not [c for c in claims if c["text"] == "ZZ rewritten"]
    (edited,) = [c for c in claims if c["history"] and c["history"][-1].get("note") == "undo"]
    assert [h["field"] for h in edited["history"][-2:]] == ["record", "record"]
