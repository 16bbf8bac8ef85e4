"""Defect 3: an editor that cannot start, or exits non-zero, gives the dashboard back.

``EDITOR=nonexistent-ed`` then ``e`` used to leave a blank screen with keys echoed raw: the
exception escaped Textual's ``suspend()`` block, which then never resumed the app."""

from __future__ import annotations

import os
import re
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
