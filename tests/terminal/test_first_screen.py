"""Issue 10 items 1-3 on the real binary at 80x24: the first screen names every source, the
triage rows say when, who and where, the settlements title shows its position and follows a
filter, and a bad filter term is explained on screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import Start

SOURCES = re.compile(r"CNN B \?6 ✓1 · Pushilin D \?1 · Residents… F 0 · Hayday C \?7 \+1")


@pytest.mark.parametrize("env", [{"NO_COLOR": "1", "TERM": "xterm"},
                                 {"TERM": "xterm-256color"}])
def test_the_first_screen_names_every_source_and_the_triage_rows_say_who_and_where(
        start: Start, db: Path, env: dict[str, str]) -> None:
    term = start("--db", db, columns=80, lines=24, env=env)
    term.wait_for(SOURCES, what="every source with its grade and counts, no key pressed")
    term.wait_for(re.compile(r"2022-09-10 Pushilin Lyman"), what="a triage row's date, "
                  "source and place")
    term.wait_for(re.compile(r"2022-09-10 CNN +Sloviansk"))
    term.wait_for("Settlements 1/9", what="the settlements pane's position")
    term.wait_for("contested 2022-09-10", what="Lyman's control date, not cut")
    text = term.text()
    assert not re.search(r"(?<![\d-])22-09-10", text)  # one date format: 4-digit years


def test_the_settlements_title_follows_a_filter_and_a_bad_term_is_explained(
        start: Start, db: Path) -> None:
    term = start("--db", db, columns=80, lines=24)
    term.wait_for("Settlements 1/9")
    term.write("/")
    term.wait_for(re.compile(r"^/ Filter"), what="the filter line's footer")
    term.write("source:hayday")
    term.wait_for("Settlements 1/9 · 7 match", what="the title following the filter")
    term.wait_for(re.compile(r"Sources CNN B 0 · Pushilin D 0 · Residents… F 0 · Hayday C"))
    term.press("enter")
    term.press("esc")
    term.wait_for("Settlements 1/9 · by latest▼─", what="the filter cleared")
    term.write("/")
    term.wait_for(re.compile(r"^/ Filter"), what="the filter line's footer")
    term.write("status:foo")
    term.wait_for(re.compile(r"^ filter: no status starts with 'foo' \(statuses: unverified"),
                  what="the bad term explained inside 80 columns")
    term.wait_for(re.compile(r"^ confirmed, disputed, false\)"))
