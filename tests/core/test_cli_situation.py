"""The situation picture in the CLI: ``--as-of``, a claim's analysis, a source's record, a
settlement's control timeline, the ``stale:`` filter term — on real copies of the sample."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.cli.app import main

LOST = "c-cnn-lysychansk-lost-june"
FRONT = "c-cnn-new-front"


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    """``sitrep --db DB ARGS`` in this process: (exit code, stdout, stderr)."""
    code = main(["--db", str(db), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def as_json(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> object:
    code, out, err = run(capsys, db, *args, "--json")
    assert code == 0, err
    return json.loads(out)


# ---------------------------------------------------------------------------------- --as-of
def test_as_of_leaves_out_claims_reported_later(capsys: pytest.CaptureFixture[str],
                                                sample_db: Path) -> None:
    now = as_json(capsys, sample_db, "list", "claims")
    assert now and all(c["reported_at"] == "2022-09-10" for c in now)
    assert as_json(capsys, sample_db, "list", "claims", "--as-of", "2022-09-09") == []
    # any form dates reads; the whole day counts
    same = as_json(capsys, sample_db, "list", "claims", "--as-of", "10 September 2022")
    assert [c["id"] for c in same] == [c["id"] for c in now]
    code, _, err = run(capsys, sample_db, "show", LOST, "--as-of", "2022-09-09")
    assert code == 1 and "as of 2022-09-09" in err


def test_as_of_reads_status_from_history(capsys: pytest.CaptureFixture[str],
                                         sample_db: Path) -> None:
    assert run(capsys, sample_db, "set-status", FRONT, "confirmed")[0] == 0
    assert as_json(capsys, sample_db, "show", FRONT)["status"] == "confirmed"
    then = as_json(capsys, sample_db, "show", FRONT, "--as-of", "2022-09-10")
    assert then["status"] == "unverified"
    assert all(h["field"] == "created" for h in then["history"])
    listed = as_json(capsys, sample_db, "list", "claims", "--status", "unv", "--as-of", "2022-09")
    assert FRONT in [c["id"] for c in listed]
    assert FRONT not in [c["id"] for c in as_json(capsys, sample_db, "list", "claims",
                                                  "--status", "unv")]


def test_as_of_settlement_control_respects_precision(capsys: pytest.CaptureFixture[str],
                                                     sample_db: Path) -> None:
    def control(when: str) -> str:
        place = as_json(capsys, sample_db, "show", "lysychansk", "--as-of", when)
        return max(place["control"], key=lambda o: o["as_of"])["controller"]

    assert control("2022-05-31") == "ua"
    assert control("2022-06") == "ru"  # "as of 2022-06" counts from June
    assert control("2022-06-01") == "ru"
    code, out, _ = run(capsys, sample_db, "list", "settlements", "--as-of", "2022-05-31")
    row = next(line for line in out.splitlines() if line.startswith("lysychansk"))
    assert " ua 2022 " in row and row.split()[-2:] == ["0", "0"]  # no claims known yet


def test_as_of_is_a_global_option(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    code, out, err = run(capsys, sample_db, "--as-of", "2022-09-09", "list", "claims", "--json")
    assert code == 0 and json.loads(out) == [], err
    code, out, _ = run(capsys, sample_db, "--as-of", "2022-05", "show", "lysychansk", "--json")
    assert code == 0 and {o["controller"] for o in json.loads(out)["control"]} == {"ua"}


@pytest.mark.parametrize("argv", [
    ["list", "claims", "--as-of", "not a date"],
    ["show", LOST, "--as-of", "2022-13"],
    ["--as-of", "someday", "list", "claims"],
    ["--as-of", "2022-06", "set-status", FRONT, "confirmed"],  # a change is never in the past
])
def test_bad_as_of_is_a_usage_error(capsys: pytest.CaptureFixture[str], sample_db: Path,
                                    argv: list[str]) -> None:
    before = sample_db.read_bytes()
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(sample_db), *argv])
    assert exc.value.code == 2
    assert "--as-of" in capsys.readouterr().err
    assert sample_db.read_bytes() == before
