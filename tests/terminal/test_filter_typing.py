"""Defect 1: the filter line holds exactly what was typed, in order, however it arrives.

Keys from a paste, a fast typist or an ssh link arrive many to one read; the filter applied
from an older change event once wrote that older value back into the box (and reset the
cursor), scrambling the text."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import Start
from .harness import Terminal

BURSTS = [
    "source:hayday place:lysychansk",
    "place:lysychansk status:unverified",
    "status:unv source:cnn grade:<=C cred:<=3",
    "russian forces leaving svatove now",
    "tag:x since:2022-09 !lyman source:cnn",
    "ukrainian flag kreminna partisans raised",
    "place:svatove place:starobilsk novopskov",
    "grade:<=B cred:<=2 status:confirmed words",
    "!russian !ukrainian !forces !lines vehicles",
    "border crossing into russia lines formed",
    "source:pushilin place:lyman situation north",
    "sloviansk not far from lyman held by ukraine",
    "status:corroborated source:hayday officials",
    "defensive line luhansk region failed build",
    "collaborators military hastily leaving town",
    "new front donetsk luhansk border defenses x",
    "since:2022-06 status:unv place:lysychansk q",
    "abcdefghijklmnopqrstuvwxyz0123456789 zyxw",
    "the quick brown fox jumps over the lazy dog",
    "place:milove status:unv source:cnn grade:<=D",
    "key link in russian supply lines to parts",
    "outskirts reached units ukrainian target new",
]


def open_filter(term: Terminal) -> None:
    """``/`` and wait for the empty filter line."""
    term.write("/")
    term.wait_for("filter: words", what="the filter line to open")


def box_row(lines: list[str]) -> str:
    """The filter line: the row just above the footer."""
    return lines[-2].strip()


def header_filter(lines: list[str]) -> str | None:
    """The filter in force, as the header line says it."""
    m = re.search(r"· filter: (.*?)\s*(?: · |$)", lines[0])
    return m.group(1) if m else None


def wait_applied(term: Terminal, text: str) -> list[str]:
    """Wait until every key of ``text`` has reached the box and the filter in force is what
    the box holds (the header says so); the screen. Scrambled text passes this wait (it has
    the right length) so that the test can count it."""
    def done(lines: list[str]) -> bool:
        box = box_row(lines)
        return len(box) == len(text) and header_filter(lines) == box

    term.wait_for(done, what=f"the box and the header to hold {len(text)} characters")
    return term.settle(quiet=0.3)


def test_twenty_two_bursts_of_thirty_plus_characters_arrive_unscrambled(
    start: Start, db: Path
) -> None:
    assert len(BURSTS) >= 20 and all(len(b) >= 30 for b in BURSTS)
    term = start("--db", db, columns=160, lines=30)
    term.wait_for("Claims by source")
    scrambled = []
    for text in BURSTS:
        open_filter(term)
        term.write(text)  # one write: the app reads it as one burst
        shown = box_row(wait_applied(term, text))
        if shown != text:
            scrambled.append((text, shown))
        term.press("esc")  # clears the filter and closes the line
        term.wait_gone("filter: ")
    assert scrambled == []


def test_a_typist_at_60_ms_a_key_and_ctrl_u_clears_the_whole_line(
    start: Start, db: Path
) -> None:
    term = start("--db", db, columns=160, lines=30)
    term.wait_for("Claims by source")
    open_filter(term)
    text = "place:lysychansk status:unverified"
    term.type(text, delay=0.06)
    assert box_row(wait_applied(term, text)) == text
    term.press("ctrl+u")  # delete everything left of the cursor: the cursor is at the end
    term.wait_for(lambda lines: box_row(lines).startswith("filter: words"),
                  what="ctrl+u to empty the filter line")


def test_a_bracketed_paste_into_the_filter_arrives_whole(start: Start, db: Path) -> None:
    term = start("--db", db, columns=160, lines=30)
    term.wait_for("Claims by source")
    open_filter(term)
    text = "source:hayday place:lysychansk russian occupiers"
    term.paste(text)
    assert box_row(wait_applied(term, text)) == text


def test_slash_and_the_text_in_one_burst_all_reach_the_filter(start: Start, db: Path) -> None:
    """``/`` sent in the same write as the text (a paste of ``/source:…``): every key after
    the slash goes to the filter line, none runs a key of the pane the burst was read in
    (``s`` sorts, ``o`` folds, ``u`` undoes, ``r`` opens the report prompt)."""
    term = start("--db", db, columns=160, lines=30)
    term.wait_for("Claims by source")
    term.write("v")  # a change the ``u`` in "source" would undo
    term.wait_for(lambda lines: "13 unverified" in lines[0], what="v to confirm a claim")
    for text in ("source:hayday place:lysychansk", "russian forces leaving svatove now"):
        term.write("/" + text)
        assert box_row(wait_applied(term, text)) == text
        assert "Write the report" not in term.text()
        term.press("esc")
        term.wait_gone("filter: ")
        lines = term.settle(quiet=0.3)
        assert "16 claims · 13 unverified" in lines[0]  # the confirmation was not undone
