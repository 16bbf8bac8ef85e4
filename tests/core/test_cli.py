"""The CLI end to end, through a real subprocess on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

CLAIM = "c-hayday-lysychansk-outskirts"


def run(*args: str, db: Path | None = None, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "SITREP_ANALYST": "cli-tester", **(env or {})}
    argv = [sys.executable, "-m", "sitrep", *(["--db", str(db)] if db else []), *args]
    return subprocess.run(argv, capture_output=True, text=True, env=full_env, timeout=60)


def test_help_for_every_command() -> None:
    top = run("--help")
    assert top.returncode == 0
    for command in ("demo", "validate", "list", "show", "set-status", "grade", "control",
                    "note", "restore"):
        assert command in top.stdout
        result = run(command, "--help")
        assert result.returncode == 0 and "usage: sitrep" in result.stdout, command


def test_list_json_has_file_field_names(sample_db: Path) -> None:
    result = run("list", "claims", "--settlement", "lysychansk", "--json", db=sample_db)
    assert result.returncode == 0, result.stderr
    claims = json.loads(result.stdout)
    assert claims and all("lysychansk" in c["settlements"] for c in claims)
    on_disk = json.loads(sample_db.read_text())["claims"]
    first = next(c for c in on_disk.values() if c["id"] == claims[0]["id"])
    assert list(first) == list(claims[0])


def test_list_filters(sample_db: Path) -> None:
    result = run("list", "claims", "--status", "corroborated", "--json", db=sample_db)
    assert {c["status"] for c in json.loads(result.stdout)} == {"corroborated"}
    result = run("list", "claims", "--since", "Sep 2022", "--source", "hayday", db=sample_db)
    assert result.returncode == 0 and "hayday" in result.stdout
    assert run("list", "sources", "--json", db=sample_db).returncode == 0
    assert "lysychansk" in run("list", "settlements", db=sample_db).stdout


def test_db_from_environment(sample_db: Path) -> None:
    result = run("show", CLAIM, "--json", env={"SITREP_DB": str(sample_db)})
    assert result.returncode == 0 and json.loads(result.stdout)["id"] == CLAIM


def test_changes_persist_with_history(sample_db: Path) -> None:
    assert run("set-status", CLAIM, "corroborated", "--note", "queues", db=sample_db
               ).returncode == 0
    assert run("grade", CLAIM, "B2", db=sample_db).returncode == 0
    assert run("grade", "cnn", "A", db=sample_db).returncode == 0
    assert run("control", "lysychansk", "contested", "--as-of", "2022-09-11", "--claim", CLAIM,
               db=sample_db).returncode == 0
    assert run("note", CLAIM, "phoned the desk", db=sample_db).returncode == 0
    claim = json.loads(run("show", CLAIM, "--json", db=sample_db).stdout)
    assert claim["status"] == "corroborated" and claim["credibility"] == 2
    assert [h["field"] for h in claim["history"][-3:]] == ["status", "credibility", "note"]
    assert claim["history"][-1]["by"] == "cli-tester"
    hayday = json.loads(run("show", "hayday", "--json", db=sample_db).stdout)
    assert hayday["reliability"] == "B"
    human = run("show", CLAIM, db=sample_db).stdout
    assert "phoned the desk" in human and "status unverified → corroborated — queues" in human


def test_user_errors_are_one_line_and_leave_the_file_alone(sample_db: Path) -> None:
    before = sample_db.read_bytes()
    cases = [
        (("show", "nope"), 1),
        (("set-status", "nope", "confirmed"), 1),
        (("grade", CLAIM, "Z9"), 1),
        (("grade", "cnn", "3"), 1),
        (("control", "lysychansk", "ua", "--as-of", "someday"), 1),
        (("control", "atlantis", "ua", "--as-of", "2022-09-10"), 1),
        (("list", "settlements", "--status", "confirmed"), 1),
    ]
    for args, code in cases:
        result = run(*args, db=sample_db)
        assert result.returncode == code, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, args
        assert result.stderr.startswith("sitrep: ")
    assert sample_db.read_bytes() == before


def test_unreadable_file_exits_65(tmp_path: Path) -> None:
    db = tmp_path / "bad.json"
    db.write_text('{\n  "claims": {\n    "1": {"id": "x",,}\n  }\n}\n')
    before = db.read_bytes()
    for args in (("list", "claims"), ("set-status", "x", "confirmed"), ("validate",)):
        result = run(*args, db=db)
        assert result.returncode == 65, args
        assert f"{db}:3:" in result.stderr and "Traceback" not in result.stderr
    assert db.read_bytes() == before


def test_validate_reports_every_problem(sample_db: Path) -> None:
    assert run("validate", db=sample_db).returncode == 0
    raw = json.loads(sample_db.read_text())
    raw["claims"]["90"] = {"id": "c-bad", "text": "x", "source": "ghost", "status": "maybe",
                           "credibility": 9, "reported_at": "someday",
                           "settlements": ["atlantis"]}
    raw["claims"]["91"] = {"id": "c-bad", "text": "dup", "source": "cnn"}
    raw["sources"]["90"] = {"id": "s-bad", "name": "S", "reliability": "Q"}
    sample_db.write_text(json.dumps(raw, indent=2))
    result = run("validate", db=sample_db)
    assert result.returncode == 1
    text = result.stdout
    for expected in ("'ghost'", "'maybe'", "credibility", "'someday'", "'atlantis'",
                     "duplicate id 'c-bad'", "reliability must be A-F"):
        assert expected in text, expected
    problems = json.loads(run("validate", "--json", db=sample_db).stdout)
    assert {"table", "id", "field", "message"} <= set(problems[0])


def test_validate_names_the_line_of_a_syntax_error(tmp_path: Path) -> None:
    db = tmp_path / "s.json"
    lines = ['{', '  "claims": {', '    "1": {', '      "id": "x"', '      "text": "y"', '    }',
             '  }', '}']
    db.write_text("\n".join(lines))
    result = run("validate", db=db)
    assert result.returncode == 65
    assert f"{db}:5:" in result.stderr  # the missing comma is found at line 5


def test_hostile_text_is_printed_safely(sample_db: Path) -> None:
    raw = json.loads(sample_db.read_text())
    raw["sources"]["50"] = {"id": "evil", "name": "\x1b]0;pwned\x07[bold]X\x1b[31m\u202e",
                            "reliability": "F"}
    sample_db.write_text(json.dumps(raw))
    result = run("list", "sources", db=sample_db)
    assert result.returncode == 0
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "[bold]X" in result.stdout and "\\x1b" in result.stdout


def test_pipe_to_head_does_not_traceback(sample_db: Path) -> None:
    cmd = f"{sys.executable} -m sitrep --db {sample_db} list claims | head -1"
    result = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=60)
    assert "Traceback" not in result.stderr


def test_demo_no_ui_makes_a_fresh_copy() -> None:
    result = run("demo", "--no-ui")
    assert result.returncode == 0
    copy = Path(result.stdout.strip())
    assert copy.exists() and json.loads(copy.read_text())["claims"]


def test_restore_lists_and_restores(sample_db: Path) -> None:
    original = sample_db.read_bytes()
    run("set-status", CLAIM, "false", db=sample_db)
    listing = json.loads(run("restore", "--json", db=sample_db).stdout)
    assert listing[0]["number"] == 1 and listing[0]["status"] == "ok"
    assert run("restore", "1", db=sample_db).returncode == 0
    assert sample_db.read_bytes() == original


def test_show_names_a_retracted_note(sample_db: Path) -> None:
    from sitrep.store import Store

    assert run("note", CLAIM, "drone footage checked", db=sample_db).returncode == 0
    store = Store.open(sample_db)  # what the dashboard's undo of that note writes
    store.apply([store.changes.retract_note("claims", CLAIM, "drone footage checked",
                                            by="tester")])
    last = store.claim(CLAIM)["history"][-1]
    assert (last["field"], last["from"], last["to"], last["note"]) == (
        "note", "drone footage checked", None, "retracted")
    shown = run("show", CLAIM, db=sample_db)
    assert shown.returncode == 0, shown.stderr
    assert "note: drone footage checked" in shown.stdout
    assert "note retracted: drone footage checked" in shown.stdout


def test_note_from_standard_input(sample_db: Path) -> None:
    argv = [sys.executable, "-m", "sitrep", "--db", str(sample_db), "note", CLAIM, "-"]
    env = {**os.environ, "SITREP_ANALYST": "cli-tester"}
    done = subprocess.run(argv, input="Two sources,\none photo.\n", capture_output=True,
                          text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    claim = next(c for c in json.loads(sample_db.read_text())["claims"].values()
                 if c["id"] == CLAIM)
    assert claim["history"][-1]["note"] == "Two sources,\none photo."
    before = sample_db.read_bytes()
    empty = subprocess.run(argv, input="  \n", capture_output=True, text=True, env=env,
                           timeout=60)
    assert empty.returncode == 1 and "empty" in empty.stderr and "Traceback" not in empty.stderr
    assert sample_db.read_bytes() == before
