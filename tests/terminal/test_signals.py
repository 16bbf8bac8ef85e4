"""Defect 4: a hang-up (or SIGTERM, SIGINT) folds the journal into the main file and exits.

The dashboard writes a change to ``NAME.journal`` at once and folds it into the main file
when idle. A hang-up right after a change used to kill it with the change only in the
journal, where ``git diff``, ``cp`` or a colleague do not see it."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from .conftest import Start
from .harness import Terminal

FIRST = "c-cnn-new-front"  # the claim under the cursor at start, unverified in the sample


def claim_status(db: Path, claim_id: str) -> str:
    """The claim's status in the main file on disk."""
    doc = json.loads(db.read_text(encoding="utf-8"))
    return next(c["status"] for c in doc["claims"].values() if c["id"] == claim_id)


def journal(db: Path) -> Path:
    return db.with_name(db.name + ".journal")


def confirm_first_claim(term: Terminal, db: Path) -> None:
    """``v`` on the first claim; wait until the change is in the journal (not yet folded)."""
    term.wait_for("Claims by source")
    term.wait_for("14 unverified")
    term.write("v")
    term.wait_for("13 unverified")
    term.wait_for(lambda _lines: journal(db).exists() and FIRST in journal(db).read_text(),
                  what="the change to reach the journal")
    assert claim_status(db, FIRST) == "unverified"  # only in the journal so far


@pytest.mark.parametrize(
    ("how", "status"),
    [("hang up the line", 128 + signal.SIGHUP), ("SIGHUP", 128 + signal.SIGHUP),
     ("SIGTERM", 128 + signal.SIGTERM), ("SIGINT", 128 + signal.SIGINT)],
)
def test_a_signal_right_after_a_change_leaves_it_in_the_main_file(
    start: Start, db: Path, how: str, status: int
) -> None:
    term = start("--db", db)
    confirm_first_claim(term, db)
    if how == "hang up the line":
        term.hang_up()  # close the pty's master: the kernel sends SIGHUP, as sshd does
    else:
        term.signal(getattr(signal, how))
    assert term.wait_exit() == status
    assert claim_status(db, FIRST) == "confirmed"
    assert not journal(db).exists()


def test_five_hang_ups_in_a_row_each_leave_their_change_in_the_main_file(
    start: Start, db: Path
) -> None:
    keys = ["v", "d", "c", "x", "v"]
    expected = ["confirmed", "disputed", "corroborated", "false", "confirmed"]
    in_main = 0
    for key, status in zip(keys, expected, strict=True):
        term = start("--db", db)
        term.wait_for("Claims by source")
        term.settle(quiet=0.5)
        term.write(key)
        term.wait_for(lambda _lines: journal(db).exists(),
                      what="the change to reach the journal")
        term.hang_up()
        term.wait_exit()
        in_main += claim_status(db, FIRST) == status and not journal(db).exists()
    assert in_main == len(keys)


def test_a_hang_up_of_an_idle_dashboard_ends_it(start: Start, db: Path) -> None:
    """The line drops while the dashboard is idle: the change already folded, nothing being
    written to the terminal. It still exits on the hang-up. (The harness once read the pty in
    a blocking read, which kept the line open after the close until the app wrote again, so
    an idle app was never hung up: 4 of 200 hang-ups "did not exit".)"""
    term = start("--db", db)
    confirm_first_claim(term, db)
    term.wait_for(lambda _lines: not journal(db).exists(), what="the journal to be folded")
    term.settle(quiet=1.0)  # idle: the diffing driver writes nothing now
    term.hang_up()
    assert term.wait_exit(timeout=10) == 128 + signal.SIGHUP
    assert claim_status(db, FIRST) == "confirmed"
