"""Defect 6: a minimum size (70x16), at or above which every pane shows three rows and the
footer never cuts a word; below it one screen says so, and the dashboard comes back when the
terminal grows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import Start
from .harness import Terminal

TITLES = ("Settlements", "Claims by source", "Detail")


def title_rows(lines: list[str]) -> dict[str, int]:
    """Screen row of each pane title (Verification shares the Settlements row)."""
    found: dict[str, int] = {}
    for i, row in enumerate(lines):
        for title in TITLES:
            # a title may carry the pane's note: "Settlements 1/9 · by latest▼"
            if title not in found and re.search(rf"[─━](▶ )?{title}( [^─━]*)?[─━]", row):
                found[title] = i
    return found


def footer_words(lines: list[str]) -> list[str]:
    return lines[-1].split()


def pane_rows(lines: list[str]) -> dict[str, list[str]]:
    """The content rows of Settlements, Claims and Detail (their left part on a shared row)."""
    rows = title_rows(lines)
    top, claims, detail = rows["Settlements"], rows["Claims by source"], rows["Detail"]
    last = len(lines) - 1  # the footer
    if detail == claims:  # the wide layout: Claims and Detail side by side
        cut = lines[claims].index("Detail") - 1
        below = lines[claims + 1:last]
        return {"Settlements": lines[top + 1:claims], "Claims": [r[:cut] for r in below],
                "Detail": [r[cut:] for r in below]}
    return {"Settlements": lines[top + 1:claims], "Claims": lines[claims + 1:detail],
            "Detail": lines[detail + 1:last]}


def wide_footers(start: Start, db: Path) -> list[list[str]]:
    """The footer's words for each pane in focus order, then with the filter line open, on a
    terminal wide enough for every key."""
    term = start("--db", db, columns=200, lines=40)
    term.wait_for("▶ Claims by source")
    return each_footer(term)


def each_footer(term: Terminal, want: list[list[str]] | None = None) -> list[list[str]]:
    """The footer's words for each pane in focus order, then with the filter line open.

    Without ``want`` each footer is read once the screen has been quiet for a while (the
    footer may be redrawn a frame after the focus moved); with it, each footer is waited for
    until it equals its expected words, so a slow machine is given time and a wrong footer
    still fails, showing the screen."""
    footers = []

    def read(i: int) -> list[str]:
        if want is None:
            return footer_words(term.settle(quiet=1.0))
        term.wait_for(lambda lines: footer_words(lines) == want[i], what=f"footer {want[i]}")
        return want[i]

    for i, title in enumerate(("Claims by source", "Detail", "Settlements", "Verification")):
        term.wait_for(f"▶ {title}")
        footers.append(read(i))
        term.press("tab")
    term.wait_for("▶ Claims by source")
    term.write("/")
    term.wait_for("filter: words")
    footers.append(read(4))
    term.press("esc")
    return footers


@pytest.mark.parametrize("size", [(70, 16), (79, 16), (80, 24), (110, 16), (72, 19)])
def test_at_or_above_the_minimum_every_pane_has_three_rows_and_the_footer_is_whole(
    start: Start, db: Path, size: tuple[int, int]
) -> None:
    wide = wide_footers(start, db)
    term = start("--db", db, columns=size[0], lines=size[1])
    term.wait_for("▶ Claims by source")
    panes = pane_rows(term.settle(quiet=0.5))
    assert len(panes["Settlements"]) >= 4  # the column header and three settlements
    # the sources line, then CNN's group (the sticky line), then its rows
    assert len(panes["Claims"]) >= 3 and "▾ CNN" in panes["Claims"][1]
    assert "Pushilin D ?1" in panes["Claims"][0]
    assert len(panes["Detail"]) >= 3
    term.write("/")  # the filter line takes a line from the panes: still three rows each
    term.wait_for("filter: words")
    panes = pane_rows(term.settle(quiet=0.5)[:-1])
    assert min(len(panes["Settlements"]) - 1, len(panes["Claims"]),
               len(panes["Detail"])) >= 3
    term.press("esc")
    if size[0] < 80:  # the command palette's hint makes room for the keys
        wide = [want[:-2] if want[-2:] == ["▏^p", "palette"] else want for want in wide]
    each_footer(term, wide)  # waits for each wide footer; fails showing the screen if it differs


@pytest.mark.parametrize("size", [(60, 18), (69, 24), (100, 15)])
def test_below_the_minimum_one_screen_says_so_and_the_dashboard_comes_back(
    start: Start, db: Path, size: tuple[int, int]
) -> None:
    before = db.read_bytes()
    term = start("--db", db, columns=size[0], lines=size[1])
    term.wait_for(f"terminal too small ({size[0]}x{size[1]}): sitrep needs at least 70x16")
    term.write("v")  # keys do nothing to claims nobody can see
    term.wait_for("(v ignored · q quits)")  # read and dropped before the terminal grows
    term.resize(65, 14)
    term.wait_for("terminal too small (65x14): sitrep needs at least 70x16")
    term.resize(80, 24)
    term.wait_for("▶ Claims by source")
    term.wait_gone("terminal too small")
    term.wait_for(lambda lines: "14 unverified" in lines[0], what="the header, v did nothing")
    term.write("q")
    assert term.wait_exit() == 0
    assert db.read_bytes() == before
