"""The CLI's traps (issue 8, defect 8): a wrong --db folder, demo --db, a global --by, exit
codes, prefixes, what control prints, history in words. Through ``sitrep.cli.main`` on real
files, and the real binary where the exit code is what is tested."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep.cli import main
from sitrep.cli.app import EXIT_CODES
from tests.reliability.helpers import run_main

CLAIM = "c-hayday-lysychansk-outskirts"
README = Path(__file__).resolve().parents[2] / "README.md"


def _claim(db: Path, cid: str = CLAIM) -> dict:
    return next(c for c in json.loads(db.read_text())["claims"].values() if c["id"] == cid)


def test_a_missing_folder_is_an_error_naming_it(tmp_path: Path) -> None:
    db = tmp_path / "no" / "such" / "dir" / "db.json"
    for argv in (["list", "claims"], ["set-status", CLAIM, "confirmed"], ["show", CLAIM],
                 ["validate"], ["restore"], ["feeds", "list"], []):
        code, out, err = run_main(["--db", str(db), *argv])
        assert code == 66, (argv, err)
        assert f"the folder {db.parent} does not exist" in err and out == "", argv
    assert not (tmp_path / "no").exists()  # no folder, no lock file made


def test_a_missing_file_in_a_folder_is_no_db_yet_then_created(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    code, out, err = run_main(["--db", str(db), "list", "sources"])
    assert code == 0 and f"no DB yet at {db}" in err
    code, _, err = run_main(["--db", str(db), "feeds", "add", "http://x.example/f.json"])
    assert code == 0, err
    assert db.exists()
    code, _, err = run_main(["--db", str(db), "list", "sources"])
    assert code == 0 and "no DB yet" not in err


def test_demo_db_makes_a_fresh_copy_there_and_refuses_to_overwrite(tmp_path: Path) -> None:
    db = tmp_path / "demo.json"
    code, out, _ = run_main(["demo", "--db", str(db), "--no-ui"])
    assert code == 0 and out.strip() == str(db)
    sample = Path(__file__).resolve().parents[2] / "sample_data" / "sitrep.json"
    assert db.read_bytes() == sample.read_bytes()
    assert main(["--db", str(db), "set-status", CLAIM, "confirmed"]) == 0
    changed = db.read_bytes()
    code, _, err = run_main(["--db", str(db), "demo", "--no-ui"])
    assert code == 1 and "--force" in err and db.read_bytes() == changed
    code, _, _ = run_main(["demo", "--db", str(db), "--no-ui", "--force"])
    assert code == 0 and db.read_bytes() == sample.read_bytes()
    code, _, err = run_main(["demo", "--db", str(tmp_path / "nope" / "d.json"), "--no-ui"])
    assert code == 66 and "nope" in err


def test_by_is_a_global_option(sample_db: Path) -> None:
    assert main(["--by", "alice", "--db", str(sample_db), "set-status", CLAIM, "conf"]) == 0
    assert _claim(sample_db)["history"][-1]["by"] == "alice"
    assert main(["--db", str(sample_db), "note", CLAIM, "seen", "--by", "bob"]) == 0
    assert _claim(sample_db)["history"][-1]["by"] == "bob"
    assert main(["--by", "carol", "--db", str(sample_db), "grade", CLAIM, "2"]) == 0
    assert _claim(sample_db)["history"][-1]["by"] == "carol"


def test_by_reaches_the_dashboard(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sitrep.tui

    seen: dict[str, object] = {}

    def fake_run(path: Path, *, analyst: str | None = None, **display: object) -> int:
        seen.update(path=path, analyst=analyst)
        return 0

    monkeypatch.setattr(sitrep.tui, "run_dashboard", fake_run)
    assert main(["--by", "alice", "--db", str(sample_db)]) == 0
    assert seen == {"path": sample_db, "analyst": "alice"}


@pytest.mark.parametrize(("argv", "code"), [
    (["no-such-command"], 2),
    (["list", "claims", "--nope"], 2),
    (["list", "claims", "--status", "c"], 2),  # ambiguous
    (["show"], 2),
    (["show", "nope"], 1),
    (["validate"], 0),
])
def test_exit_codes_are_distinct_and_documented(sample_db: Path, argv: list[str],
                                                code: int) -> None:
    result = subprocess.run([sys.executable, "-m", "sitrep", "--db", str(sample_db), *argv],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr


def test_every_exit_code_is_in_the_readme() -> None:
    readme = README.read_text()
    for code in EXIT_CODES:
        assert f"| {code} |" in readme, code


def test_unique_prefixes_are_accepted_and_ambiguous_ones_name_the_choices(
        sample_db: Path) -> None:
    code, out, _ = run_main(["--db", str(sample_db), "list", "claims", "--status", "unv",
                             "--json"])
    assert code == 0 and {c["status"] for c in json.loads(out)} == {"unverified"}
    assert main(["--db", str(sample_db), "set-status", CLAIM, "conf"]) == 0
    assert _claim(sample_db)["status"] == "confirmed"
    code, _, err = run_main(["--db", str(sample_db), "set-status", CLAIM, "c"])
    assert code == 2 and "could be corroborated, confirmed" in err
    code, _, err = run_main(["--db", str(sample_db), "control", "lyman", "u", "--as-of", "2022"])
    assert code == 2 and "could be ua, unknown" in err
    code, out, _ = run_main(["--db", str(sample_db), "list", "sett"])
    assert code == 0 and "lysychansk" in out
    code, _, err = run_main(["--db", str(sample_db), "list", "s"])
    assert code == 2 and "could be settlements, sources" in err
    code, _, err = run_main(["--db", str(sample_db), "set-status", CLAIM, "maybe"])
    assert code == 2 and "choose from unverified, corroborated" in err
    assert _claim(sample_db)["status"] == "confirmed"


def test_control_prints_what_was_recorded_and_history_is_words(sample_db: Path) -> None:
    code, out, _ = run_main(["--db", str(sample_db), "control", "lyman", "ua", "--as-of",
                             "September 2022", "--claim", "c-pushilin-lyman-tough"])
    assert code == 0
    assert out.startswith("lyman: recorded ua as of 2022-09 (c-pushilin-lyman-tough)")
    assert "current control stays contested as of 2022-09-10" in out
    code, out, _ = run_main(["--db", str(sample_db), "show", "lyman"])
    history = [line for line in out.splitlines() if "control:" in line]
    assert history and history[-1].endswith("control: ua as of 2022-09 (c-pushilin-lyman-tough)")
    assert "{" not in history[-1]
