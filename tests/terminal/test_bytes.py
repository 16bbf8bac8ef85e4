"""What the dashboard writes over a slow link (issue 10): start-up draws the screen once, and
opening the filter line changes its own row, not every pane's. The byte figures themselves are
measured in benchmarks/bench_bytes.py; these are the screen shapes the figures rest on."""

from __future__ import annotations

from pathlib import Path

from .conftest import Start

ERASE_SCREEN = b"\x1b[2J"


def test_start_up_draws_the_screen_once(start: Start, db: Path) -> None:
    # Fitted to the grid's size before it had one, the pane rows were the shortest ones for
    # the first frame and the whole screen was erased and drawn again after the first resize.
    term = start("--db", db, columns=80, lines=24, env={"TERM": "xterm-256color"})
    term.wait_for("▶ Claims by source")
    term.wait_for("palette", what="the footer (it comes last)")
    term.settle(1.0)
    assert term.raw.count(ERASE_SCREEN) == 1
    lines = term.lines()
    assert lines[17].startswith("─Detail"), "the grid's stacked rows at 80x24: 8 1fr 6"


def unfocused(row: str) -> str:
    """A row as it reads once its pane lost the focus (heavy border, ▶ and the cursor's ›
    gone)."""
    return row.replace("▶ ", "").replace("━", "─").replace("›", " ").rstrip("─")


def test_the_filter_line_opens_over_one_row_and_the_panes_stay_put(
        start: Start, db: Path) -> None:
    term = start("--db", db, columns=80, lines=24)
    term.wait_for("▶ Claims by source")
    before = term.settle(1.0)
    term.write("/")
    term.wait_for("filter: words", what="the filter line to open")
    after = term.settle(0.5)
    assert after[-2].strip().startswith("filter: words")  # just above the footer
    assert after[-1].startswith("/ Filter"), "the footer keeps the filter line's keys"
    moved = [y for y, (a, b) in enumerate(zip(before, after, strict=True))
             if y != len(after) - 2 and unfocused(a) != unfocused(b) and y != len(after) - 1]
    assert moved == [], [(before[y], after[y]) for y in moved]
