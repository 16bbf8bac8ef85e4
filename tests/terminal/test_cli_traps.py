"""Defect 8: the CLI's traps, seen where a user meets them: the real ``sitrep`` on a terminal.

The core tests (``tests/core/test_cli_traps.py``) cover every case through ``main``; these run
the installed binary on a pty, so what is asserted is what a person reads and the exit status
a shell sees."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import Start

CLAIM = "c-hayday-lysychansk-outskirts"
WIDE = 250  # a message on one row, whatever the length of the test's temporary path


def _record(db: Path, table: str, rid: str) -> dict:
    return next(r for r in json.loads(db.read_text())[table].values() if r["id"] == rid)


def _claim(db: Path, cid: str) -> dict:
    return _record(db, "claims", cid)


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_a_missing_folder_is_named_with_its_own_exit_code(start: Start, tmp_path: Path) -> None:
    db = tmp_path / "no" / "such" / "dir" / "db.json"
    for argv in (["list", "claims"], ["set-status", CLAIM, "confirmed"], []):  # [] = dashboard
        term = start("--db", db, *argv, columns=WIDE)
        assert term.wait_exit() == 66, term.text()
        screen = term.text()
        assert f"sitrep: {db}: the folder {db.parent} does not exist" in screen
        assert "Traceback" not in screen
    assert not (tmp_path / "no").exists()  # no folder made, no lock beside it


def test_read_only_commands_leave_no_file_beside_the_db(start: Start, db: Path) -> None:
    before = _files(db.parent)
    for argv in (["list", "claims"], ["show", CLAIM], ["validate"], ["restore"],
                 ["export", "--format", "csv"]):
        term = start("--db", db, *argv, columns=WIDE)
        assert term.wait_exit() == 0, (argv, term.text())
        assert _files(db.parent) == before, argv


def test_a_mistyped_command_and_an_unreadable_db_exit_differently(start: Start, db: Path,
                                                                  tmp_path: Path) -> None:
    term = start("--db", db, "lsit", "claims", columns=WIDE)
    assert term.wait_exit() == 2
    assert "invalid choice: 'lsit'" in term.text()
    broken = tmp_path / "broken.json"
    broken.write_text('{"claims": {"1": {"id": "c-1",}}}\n')
    term = start("--db", broken, "list", "claims", columns=WIDE)
    assert term.wait_exit() == 65
    screen = term.text()
    assert f"{broken}:1:" in screen and "Traceback" not in screen
    assert broken.read_text() == '{"claims": {"1": {"id": "c-1",}}}\n'  # left as it was


def test_prefixes_are_taken_and_an_ambiguous_one_names_the_choices(start: Start,
                                                                   db: Path) -> None:
    term = start("--db", db, "set-status", CLAIM, "conf", columns=WIDE)
    assert term.wait_exit() == 0, term.text()
    assert _claim(db, CLAIM)["status"] == "confirmed"
    term = start("--db", db, "set-status", CLAIM, "c", columns=WIDE)
    assert term.wait_exit() == 2
    assert "could be corroborated, confirmed" in term.text()
    term = start("--db", db, "list", "claims", "--status", "conf", columns=WIDE)
    assert term.wait_exit() == 0
    assert CLAIM in term.text()


def test_control_says_what_it_recorded_and_stores_it_once(start: Start, db: Path) -> None:
    argv = ("--db", db, "control", "lyman", "ua", "--as-of", "September 2022", "--claim",
            "c-pushilin-lyman-tough")
    term = start(*argv, columns=WIDE)
    assert term.wait_exit() == 0
    assert "lyman: recorded ua as of 2022-09 (c-pushilin-lyman-tough)" in term.text()
    observations = len(_record(db, "settlements", "lyman")["control"])
    term = start(*argv, columns=120)  # the same observation again
    assert term.wait_exit() == 0
    assert len(_record(db, "settlements", "lyman")["control"]) == observations


def test_by_names_the_analyst_of_a_change_made_in_the_dashboard(start: Start, db: Path) -> None:
    term = start("--by", "alice", "--db", db, columns=120, lines=30)
    term.wait_for("▶ Claims by source")
    term.wait_for("› ⧖")  # the first claim, unverified, has the cursor
    term.write("v")
    term.wait_for("c-cnn-new-front  ✓ confirmed")
    term.write("q")
    assert term.wait_exit() == 0
    claim = _claim(db, "c-cnn-new-front")
    assert claim["status"] == "confirmed"
    assert claim["history"][-1]["by"] == "alice"


def test_demo_db_opens_a_fresh_copy_there(start: Start, tmp_path: Path) -> None:
    target = tmp_path / "mine" / "demo.json"
    target.parent.mkdir()
    term = start("demo", "--db", target, columns=120, lines=30)
    term.wait_for("▶ Claims by source")
    assert "demo.json" in term.lines()[0]
    term.write("q")
    assert term.wait_exit() == 0
    assert len(json.loads(target.read_text())["claims"]) == 16
