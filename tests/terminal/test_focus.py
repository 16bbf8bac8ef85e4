"""Defect 7: focus is always visible and where the analyst sees it.

After a pop-up closed, the focused pane's title lost its ``▶`` until the next tab; in a
maximised Detail, enter on a linked claim moved focus into the hidden Claims pane."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import Start

CLAIMS = "▶ Claims by source"


def cursor_row(lines: list[str]) -> int | None:
    """The screen row of the focused list's cursor (``›``, after the pane's padding)."""
    return next((i for i, r in enumerate(lines) if re.match(r"^\s?›", r)), None)


@pytest.mark.parametrize(
    ("key", "shows"),
    [("g", "Grade 1 claim(s)"), ("n", "Note on c-cnn-new-front"), ("?", "app.next_pane"),
     ("I", "Import log")],
)
def test_the_focused_pane_keeps_its_mark_after_a_pop_up_closes(
    start: Start, db: Path, key: str, shows: str
) -> None:
    term = start("--db", db, columns=120, lines=40)
    term.wait_for(CLAIMS)
    term.write(key)
    term.wait_for(shows)
    term.press("esc")
    term.wait_gone(shows)
    term.wait_for(CLAIMS, what="the ▶ on the claims pane after the pop-up closed")
    term.write("j")  # and the keys go to that pane
    term.wait_for(re.compile(r"^›.*✓ conf.*Russian forces"), what="j in the claims pane")


def test_enter_on_a_link_in_a_maximised_detail_shows_where_focus_went(
    start: Start, db: Path
) -> None:
    term = start("--db", db, columns=120, lines=40)
    term.wait_for(CLAIMS)
    for _ in range(5):
        term.write("j")
    term.wait_for(re.compile(r"^›.*Lines of vehicles"), what="the CNN border-crossing claim")
    term.press("enter")
    term.wait_for("▶ Detail")
    term.write("z")
    term.wait_gone("Claims by source")  # Detail fills the screen
    for _ in range(30):  # j down the detail's lines, one at a time, to the link
        row = cursor_row(term.lines())
        if row is not None and "Corroborates" in term.lines()[row]:
            break
        term.write("j")
        term.wait_for(lambda lines, was=row: cursor_row(lines) not in (None, was),
                      what="the detail's cursor to move")
    term.wait_for(re.compile(r"^\s?›.*Corroborates"), what="the cursor on the link")
    term.press("enter")
    # the linked claim is shown in the claims pane, and that pane is on screen and marked
    term.wait_for(CLAIMS, what="the claims pane, focused and visible")
    term.wait_for(re.compile(r"^›.*Pro-Russian officials"), what="the linked claim selected")
