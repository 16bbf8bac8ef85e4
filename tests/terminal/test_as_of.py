"""The real ``sitrep`` on a pty: ``@`` with a date typed as one burst shows the picture as of
that date (and refuses changes), ``@`` plus enter returns to now; ``a`` accepts a suggested
credibility, ``u`` undoes it, and the file's history records both."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import Start
from .harness import toast_text


def row(lines: list[str], start: str) -> str:
    """The first screen row starting with ``start`` ("" when none does)."""
    return next((line for line in lines if line.startswith(start)), "")


def test_at_and_a_date_as_one_burst_shows_that_picture(start: Start, db: Path) -> None:
    before = db.read_bytes()
    term = start("--db", db)
    term.wait_for(lambda lines: row(lines, " Lysychansk ").split()[1:3] == ["RU", "2022-06"],
                  what="Lysychansk held by Russia since June, now")
    term.write("@2022-05-31\r")  # one write: the app reads it as one burst
    term.wait_for(lambda lines: "as of 2022-05-31" in lines[0]
                  and row(lines, " Lysychansk ").split()[1:3] == ["UA", "2022"],
                  what="the header and Lysychansk as of 2022-05-31")
    assert "0 claims" in term.lines()[0]  # every sample claim was reported on 2022-09-10
    term.write("v")
    term.wait_for(lambda lines: "changes are off" in toast_text(lines),
                  what="the refusal of a status key in the past")
    term.write("<")
    term.wait_for(lambda lines: "as of 2022-05-30" in lines[0], what="a day back")
    term.write("@\r")
    term.wait_for(lambda lines: "as of" not in lines[0] and "16 claims" in lines[0],
                  what="the header back to now")
    assert row(term.lines(), " Lysychansk ").split()[1:3] == ["RU", "2022-06"]
    term.write("q")
    assert term.wait_exit() == 0
    assert db.read_bytes() == before  # nothing was written in the past


def test_a_accepts_the_suggested_credibility_and_u_undoes_it(start: Start, db: Path) -> None:
    term = start("--db", db)
    term.wait_for("Claims by source")
    term.write("/")
    term.wait_for("filter: words", what="the filter line to open")
    term.write("Milove\r")  # one claim: Hayday's exodus claim, corroborated by CNN's lines
    term.wait_for(lambda lines: "filter: Milove" in lines[0], what="the filter")
    term.write("j")
    term.wait_for("c-hayday-exodus-milove", what="the claim in the detail")
    term.write("\r")  # the detail takes focus; z gives it the screen
    term.wait_for("▶ Detail", what="focus on the detail")
    term.write("z")
    term.wait_for("suggested 1", what="the claim's analysis in the detail")
    assert "2 independent origins (hayday, cnn)" in " ".join(term.lines())
    term.write("a")
    term.wait_for(lambda lines: "+ corroborated  grade C1" in " ".join(lines),
                  what="credibility 1 in the detail")
    term.write("u")
    term.wait_for(lambda lines: "+ corroborated  grade C2" in " ".join(lines),
                  what="credibility 2 again after undo")
    term.write("q")
    assert term.wait_exit() == 0
    doc = json.loads(db.read_text(encoding="utf-8"))
    claim = next(c for c in doc["claims"].values() if c["id"] == "c-hayday-exodus-milove")
    assert claim["credibility"] == 2
    changes = [(h["from"], h["to"], h["by"], h.get("note")) for h in claim["history"]
               if h["field"] == "credibility"]
    assert changes[0] == (2, 1, "tester", "accepted the suggested credibility")
    assert changes[1][:3] == (1, 2, "tester") and len(changes) == 2
