"""What the dashboard writes over a slow link (issue 10): start-up draws the screen once,
opening the filter line changes its own row, not every pane's, a cursor move restyles the
cursor's band (not two whole rows) and a focus change the panes' titles (not their border
lines). The byte figures themselves are measured in benchmarks/bench_bytes.py; these are the
screen shapes the figures rest on."""

from __future__ import annotations

from pathlib import Path

from .conftest import Start
from .harness import Terminal

ERASE_SCREEN = b"\x1b[2J"


def test_start_up_draws_the_screen_once(start: Start, db: Path) -> None:
    # Fitted to the grid's size before it had one, the pane rows were the shortest ones for
    # the first frame and the whole screen was erased and drawn again after the first resize.
    term = start("--db", db, columns=80, lines=24, env={"TERM": "xterm-256color"})
    term.wait_for("▶ Claims by source")
    term.wait_for("palette", what="the footer (it comes last)")
    term.settle(1.0)
    assert term.raw.count(ERASE_SCREEN) == 1
    # one frame: the focus mark and the footer's keys, which came in two more frames, are
    # held back by the driver until the screen is whole
    assert term.raw.count(b"\x1b[?2026h") == 1, term.raw.count(b"\x1b[?2026h")
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


def styled_cells(term: Terminal) -> list[list[tuple[object, ...]]]:
    """Every cell with its character, colours and attributes."""
    with term._lock:
        screen = term.screen
        return [[(c.data, c.fg, c.bg, c.bold, c.underscore, c.reverse)
                 for c in (screen.buffer[y][x] for x in range(screen.columns))]
                for y in range(screen.lines)]


def changed_per_row(before: list[list[tuple[object, ...]]],
                    after: list[list[tuple[object, ...]]]) -> dict[int, int]:
    """Row -> how many of its cells changed."""
    out = {}
    for y, (a, b) in enumerate(zip(before, after, strict=True)):
        n = sum(1 for p, q in zip(a, b, strict=True) if p != q)
        if n:
            out[y] = n
    return out


def test_a_cursor_move_restyles_the_cursor_band_not_two_whole_rows(
        start: Start, db: Path) -> None:
    # A restyled cell travels again with its text: a whole-row highlight cost ~160 cells a
    # move. The highlight covers the marker, the marks and the date (15 cells).
    term = start("--db", db, columns=80, lines=24, env={"TERM": "xterm-256color"})
    term.wait_for("▶ Claims by source")
    term.settle(1.0)
    lines = term.lines()
    cursor_row = next(y for y, r in enumerate(lines) if r.startswith("›"))
    before = styled_cells(term)
    term.write("j")
    term.wait_for(lambda ls: ls[cursor_row + 1].startswith("›"), what="the cursor one down")
    term.settle(0.5)
    changed = changed_per_row(before, styled_cells(term))
    assert 0 < changed.get(cursor_row, 0) <= 16, changed
    assert 0 < changed.get(cursor_row + 1, 0) <= 16, changed
    assert after_band_unstyled(term, cursor_row + 1)


def after_band_unstyled(term: Terminal, y: int) -> bool:
    """The cursor's row beyond its band looks like any other row (not reversed)."""
    with term._lock:
        row = term.screen.buffer[y]
        return bool(row[0].reverse) and not any(row[x].reverse for x in range(20, 70))


def test_tab_moves_the_focus_mark_in_the_titles_not_the_border_lines(
        start: Start, db: Path) -> None:
    # A heavy line on the focused pane redrew two whole border lines (480 B of box drawing
    # characters at 3 bytes each) on every focus change; the title carries the mark.
    term = start("--db", db, columns=80, lines=24, env={"TERM": "xterm-256color"})
    term.wait_for("▶ Claims by source")
    term.settle(1.0)
    before = styled_cells(term)
    term.write("\t")
    term.wait_for("▶ Detail", what="the focus on the detail pane")
    term.settle(0.5)
    lines = term.lines()
    changed = changed_per_row(before, styled_cells(term))
    claims_title = next(y for y, r in enumerate(lines) if "Claims by source" in r)
    detail_title = next(y for y, r in enumerate(lines) if "Detail" in r)
    assert changed.get(claims_title, 0) <= len("▶ Claims by source") + 2, changed
    assert changed.get(detail_title, 0) <= len("▶ Detail") + 2, changed
