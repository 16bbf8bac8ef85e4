"""Defect 2: a change key never touches a marked claim the filter hides without asking.

Mark two CNN claims, filter to ``source:push``: ``v`` used to confirm the hidden CNN claims
and say nothing. Now it asks "3 marked, 2 hidden by the filter: apply to all 3? y/n"
(y: all, n: only the shown, esc: nothing), and a change on marked claims says what it did.
The first esc clears the filter, the next the marks (saying how many)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .conftest import Start
from .harness import Terminal, toast_text

HIDDEN = ("c-cnn-new-front", "c-cnn-lysychansk-last-city")
SHOWN = "c-pushilin-lyman-tough"
QUESTION = "3 marked, 2 hidden by the filter: apply to all 3? y/n"


def statuses(db: Path) -> dict[str, str]:
    """Claim id -> status in the main file."""
    doc = json.loads(db.read_text(encoding="utf-8"))
    return {c["id"]: c["status"] for c in doc["claims"].values()}


def mark_two_cnn_and_the_pushilin_claim(term: Terminal) -> None:
    """space on the first CNN claim, j, space on the third; filter to source:push; space on
    the Pushilin claim. Two marks are hidden by the filter, one is shown."""
    term.wait_for("▶ Claims by source")
    term.write(" ")
    term.wait_for("1 marked")
    term.write("j")
    term.wait_for(re.compile(r"^›.*Lysychansk was the last"), what="the third CNN claim")
    term.write(" ")
    term.wait_for("2 marked")
    term.write("/")
    term.wait_for("filter: words")
    term.write("source:push\r")
    term.wait_for("filter: source:push")
    term.wait_for("▶ Claims by source")
    if not term.wait_for(lambda lines: any(r.startswith("›") and "Lyman" in r for r in lines)
                         or any(r.startswith("›") and "Pushilin" in r for r in lines)):
        raise AssertionError("no cursor")
    if any(r.startswith("›") and "Pushilin" in r for r in term.lines()):
        term.write("j")  # off the group header, onto the claim
        term.wait_for(re.compile(r"^›.*Lyman"), what="the Pushilin claim")
    term.write(" ")
    term.wait_for("3 marked")


def test_v_with_hidden_marks_asks_and_esc_changes_nothing(start: Start, db: Path) -> None:
    before = db.read_bytes()
    term = start("--db", db, columns=120, lines=40)
    mark_two_cnn_and_the_pushilin_claim(term)
    term.write("v")
    term.wait_for(QUESTION)
    term.press("esc")
    term.wait_gone(QUESTION)
    term.wait_for(lambda lines: "Nothing changed." in toast_text(lines), what="Nothing changed.")
    term.write("q")
    assert term.wait_exit() == 0
    assert db.read_bytes() == before


def test_n_changes_only_the_shown_and_y_all_each_saying_what_it_did(
    start: Start, db: Path
) -> None:
    term = start("--db", db, columns=120, lines=40)
    mark_two_cnn_and_the_pushilin_claim(term)
    term.write("v")
    term.wait_for(QUESTION)
    term.write("n")
    term.wait_for(lambda lines: "confirmed 1 claim · u undoes" in toast_text(lines),
                  what="confirmed 1 claim · u undoes")
    term.write("u")
    term.wait_for("Undone: 1 change(s).")
    term.write("v")
    term.wait_for(QUESTION)
    term.write("y")
    term.wait_for(lambda lines: "confirmed 3 claims · u undoes" in toast_text(lines),
                  what="confirmed 3 claims · u undoes")
    term.write("q")
    assert term.wait_exit() == 0
    after = statuses(db)
    assert [after[c] for c in (*HIDDEN, SHOWN)] == ["confirmed"] * 3


def test_first_esc_clears_the_filter_the_next_the_marks_saying_how_many(
    start: Start, db: Path
) -> None:
    term = start("--db", db, columns=120, lines=40)
    mark_two_cnn_and_the_pushilin_claim(term)
    term.press("esc")
    term.wait_gone("filter: source:push")
    assert "3 marked" in term.lines()[0]
    term.press("esc")
    term.wait_for(lambda lines: "cleared 3 marks" in toast_text(lines), what="cleared 3 marks")
    assert "marked" not in term.lines()[0]
