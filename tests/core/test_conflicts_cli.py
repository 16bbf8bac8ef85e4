"""Conflicts a merge recorded, in the CLI: found by the filter language's ``conflict:`` term,
shown in words by ``sitrep show``, resolved by ``sitrep resolve`` (a history entry)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest

from sitrep import query
from sitrep.cli import main
from sitrep.models import open_conflicts
from sitrep.store import Store

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "sitrep.json"
A = "c-cnn-new-front"
CONFLICT = {"at": "2026-11-25T10:00:00Z", "by": "sitrep merge", "field": "conflict",
            "conflict": "status",
            "from": {"by": "alice", "at": "2026-11-25T09:00:00Z", "value": "false"},
            "to": {"by": "bob", "at": "2026-11-25T10:00:00Z", "value": "confirmed"},
            "note": "status changed on both sides"}


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    for record in doc["claims"].values():
        if record["id"] == A:
            record["status"] = "confirmed"
            record["history"].append(CONFLICT)
    path = tmp_path / "db.json"
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def claim(db: Path, cid: str) -> dict[str, Any]:
    return Store.open(db).claim(cid) or {}


class Table:
    """The neighbours query.term_test asks about (none needed for conflict:)."""

    def source_grade(self, source_id: str) -> str | None:
        return None

    def source_matches(self, source_id: str, needle: str) -> bool:
        return False

    def place_matches(self, settlement_id: str, needle: str) -> bool:
        return False


def matching(db: Path, text: str) -> list[str]:
    parsed = query.parse(text)
    assert parsed.problems == ()
    return [c["id"] for c in Store.open(db).claims()
            if query.matches(parsed, c, "", Table())]


def test_conflict_term(db: Path) -> None:
    """conflict:yes finds the claim with an open conflict, conflict:no and !conflict:yes the
    rest; a wrong answer is a problem of the query, not a crash."""
    assert matching(db, "conflict:yes") == [A]
    rest = matching(db, "conflict:no")
    assert A not in rest and len(rest) == 15
    assert matching(db, "!conflict:yes") == rest
    assert query.parse("conflict:maybe").problems


def test_list_claims_filter_conflict(db: Path) -> None:
    code, out, _ = run("--db", str(db), "list", "claims", "--filter", "conflict:yes")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()[1:]] == [A]


def test_show_prints_both_values_in_words(db: Path) -> None:
    code, out, _ = run("--db", str(db), "show", A)
    assert code == 0
    assert "conflicts         1 open" in out
    assert ("conflict on status: kept confirmed (bob, 2026-11-25T10:00:00Z); not kept false"
            " (alice, 2026-11-25T09:00:00Z) — open: sitrep resolve c-cnn-new-front status"
            " VALUE") in out


def test_resolve_picks_a_value_and_is_history(db: Path) -> None:
    """Picking the value not kept changes the field; the entry is marked as the resolution,
    the conflict is no longer open, and the claim leaves conflict:yes."""
    code, out, err = run("--db", str(db), "resolve", A, "status", "false", "--by", "carol")
    assert code == 0, err
    assert out == f"{A}: status false (conflict resolved)\n"
    record = claim(db, A)
    assert record["status"] == "false"
    last = record["history"][-1]
    assert (last["field"], last["from"], last["to"], last["by"], last["resolves"]) == (
        "status", "confirmed", "false", "carol", "conflict")
    assert open_conflicts(record) == []
    assert matching(db, "conflict:yes") == []
    code, out, _ = run("--db", str(db), "show", A)
    assert "status confirmed → false (resolves the conflict)" in out and "open:" not in out


def test_resolve_keeping_the_current_value_is_recorded_too(db: Path) -> None:
    code, _, err = run("--db", str(db), "resolve", A, "status", "confirmed")
    assert code == 0, err
    record = claim(db, A)
    assert record["status"] == "confirmed"
    assert record["history"][-1]["resolves"] == "conflict"
    assert open_conflicts(record) == []


def test_resolve_refuses_what_is_not_a_choice(db: Path) -> None:
    before = db.read_bytes()
    code, _, err = run("--db", str(db), "resolve", A, "status", "disputed")
    assert code == 1
    assert "pick one of: confirmed, false" in err
    code, _, err = run("--db", str(db), "resolve", A, "credibility", "3")
    assert code == 1 and "no open conflict on 'credibility'" in err
    assert db.read_bytes() == before


def test_resolve_by_field_takes_the_second_of_two_conflicts_and_leaves_the_first(
    db: Path
) -> None:
    """With conflicts on status and credibility, ``sitrep resolve ID credibility VALUE``
    resolves that one only: status stays open, in ``show`` and in conflict:yes."""
    doc = json.loads(db.read_text(encoding="utf-8"))
    for record in doc["claims"].values():
        if record["id"] == A:
            record["credibility"] = 2
            record["history"].append({**CONFLICT, "conflict": "credibility",
                                      "from": {**CONFLICT["from"], "value": 5},
                                      "to": {**CONFLICT["to"], "value": 2}})
    db.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert [e["conflict"] for e in open_conflicts(claim(db, A))] == ["status", "credibility"]
    code, out, err = run("--db", str(db), "resolve", A, "credibility", "5")
    assert code == 0, err
    assert out == f"{A}: credibility 5 (conflict resolved)\n"
    record = claim(db, A)
    assert record["credibility"] == 5 and record["status"] == "confirmed"
    assert [e["conflict"] for e in open_conflicts(record)] == ["status"]
    assert matching(db, "conflict:yes") == [A]
    code, out, _ = run("--db", str(db), "show", A)
    assert f"open: sitrep resolve {A} status" in out
    assert f"open: sitrep resolve {A} credibility" not in out
