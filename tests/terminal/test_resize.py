"""Defect 5: after every resize the screen is the screen of a fresh start at that size.

The app laid out for the size it had before the resize (its resize handler ran before
Textual had taken in the new size), so a layout switch came one resize late."""

from __future__ import annotations

import difflib
from pathlib import Path

from .conftest import Start
from .harness import TerminalTimeout

# 60x18 is below the minimum size (70x16): in and out of the "too small" screen
SIZES = [(120, 40), (60, 18), (120, 40), (80, 24), (140, 45), (70, 20), (110, 30),
         (109, 30), (70, 16), (60, 18), (80, 24), (120, 40)]


def fresh_screen(start: Start, db: Path, columns: int, lines: int) -> list[str]:
    """The screen of the app started at this size, once it has drawn everything."""
    term = start("--db", db, columns=columns, lines=lines)
    # the dashboard, or below the minimum size the screen that says so
    term.wait_for(lambda rows: any("Claims by source" in r or "terminal too small" in r
                                   for r in rows), what="the first screen")
    screen = term.settle(quiet=0.8)
    term.kill()
    return screen


def test_every_resize_gives_the_screen_of_a_fresh_start(start: Start, db: Path) -> None:
    expected = {size: fresh_screen(start, db, *size) for size in set(SIZES)}
    first = SIZES[0]
    term = start("--db", db, columns=first[0], lines=first[1])
    term.wait_for(lambda lines: lines == expected[first], what="the first screen")
    tried = equal = 0
    misses = []
    for size in SIZES[1:]:
        term.resize(*size)
        tried += 1
        try:
            term.wait_for(lambda lines, want=expected[size]: lines == want, timeout=15,
                          what=f"the fresh-start screen at {size}")
            equal += 1
        except TerminalTimeout:
            diff = "\n".join(difflib.unified_diff(expected[size], term.lines(), lineterm=""))
            misses.append(f"{size}:\n{diff}")
    assert (tried, equal) == (len(SIZES) - 1, len(SIZES) - 1), "\n".join(misses)
