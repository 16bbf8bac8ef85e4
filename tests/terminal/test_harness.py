"""The harness itself: the real app starts at the pty's size, hears keys, resizes and signals.

These pass on any dashboard that draws its panes; the defect tests build on them.
"""

from __future__ import annotations

import signal
from pathlib import Path

from .conftest import Start
from .harness import BRACKETED_PASTE_ON


def test_the_app_draws_its_panes_at_the_pty_size_and_q_quits(start: Start, db: Path) -> None:
    term = start("--db", db, columns=100, lines=30)
    term.wait_for("Claims by source")
    term.wait_for("Settlements")
    assert term.size == (100, 30)
    assert all(len(row) <= 100 for row in term.lines())
    assert b"\x1b[" in term.raw  # the raw bytes are kept for the byte counters
    term.press("q")
    assert term.wait_exit() == 0


def test_a_resize_reaches_the_app(start: Start, db: Path) -> None:
    term = start("--db", db, columns=80, lines=24)
    term.wait_for("Claims by source")
    term.resize(130, 40)
    # the footer moves to the new last row, and the panes to the new width
    term.wait_for(lambda lines: len(lines) == 40 and "^p palette" in lines[-1]
                  and len(lines[1]) > 100)
    assert term.size == (130, 40)


def test_the_app_enables_bracketed_paste_and_a_paste_reaches_the_filter(
    start: Start, db: Path
) -> None:
    term = start("--db", db)
    term.wait_for("Claims by source")
    term.wait_raw(BRACKETED_PASTE_ON)
    term.write("/")
    term.wait_for("filter: words")  # the filter line's placeholder: the box is open
    term.paste("zzqqnothing")
    term.wait_for("zzqqnothing")


def test_sigterm_ends_the_app(start: Start, db: Path) -> None:
    term = start("--db", db)
    term.wait_for("Claims by source")
    term.signal(signal.SIGTERM)
    term.wait_exit()
    assert not term.alive()


def test_environment_reaches_the_app(start: Start, db: Path, tmp_path: Path) -> None:
    term = start("--db", db, env={"TERM": "xterm", "NO_COLOR": "1"})
    term.wait_for("Claims by source")
    assert b"\x1b[38;2;" not in term.settle()[0].encode() and b"\x1b[38;2;" not in term.raw
