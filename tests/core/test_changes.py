"""The builders of every change (sitrep.store.changes), straight on a Store: no front end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sitrep.errors import InvalidValueError, NotFoundError
from sitrep.store import Store

CLAIM = "c-hayday-lysychansk-outskirts"


def fixed_clock() -> datetime:
    return datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture
def store(sample_db: Path) -> Store:
    return Store.open(sample_db, clock=fixed_clock)


def test_the_same_control_observation_twice_is_stored_once(store: Store,
                                                           sample_db: Path) -> None:
    before = len(store.settlement("lyman")["control"])
    store.add_control("lyman", "ua", "2022-09", by="a", note="seen")
    after_first = sample_db.read_bytes()
    store.add_control("lyman", "UA", "September 2022", by="b", note="seen")  # the same, spelt
    assert sample_db.read_bytes() == after_first  # no second entry, no history line
    lyman = Store.open(sample_db).settlement("lyman")
    assert len(lyman["control"]) == before + 1
    store.add_control("lyman", "ua", "2022-09", by="a", note="seen again")  # not the same
    assert len(Store.open(sample_db).settlement("lyman")["control"]) == before + 2


def test_the_cli_records_a_control_observation_once(sample_db: Path) -> None:
    env = {**os.environ, "SITREP_ANALYST": "tester"}
    argv = [sys.executable, "-m", "sitrep", "--db", str(sample_db), "control", "lyman", "ua",
            "--as-of", "September 2022"]
    for _ in range(2):
        assert subprocess.run(argv, capture_output=True, env=env, timeout=60).returncode == 0
    doc = json.loads(sample_db.read_text(encoding="utf-8"))
    lyman = next(s for s in doc["settlements"].values() if s["id"] == "lyman")
    ours = [o for o in lyman["control"] if (o["controller"], o["as_of"]) == ("ua", "2022-09")]
    assert len(ours) == 1


def test_builders_return_ops_and_change_nothing(store: Store, sample_db: Path) -> None:
    before = sample_db.read_bytes()
    op = store.changes.status(CLAIM, "Confirmed", by="a", note="why")
    assert op == {"op": "set", "table": "claims", "at": "2026-01-02T03:04:05Z", "by": "a",
                  "note": "why", "id": CLAIM, "fields": {"status": "confirmed"},
                  "from": {"status": "unverified"}}  # what it replaces, for the journal
    assert store.changes.credibility(CLAIM, "2", by="a")["fields"] == {"credibility": 2}
    assert store.changes.reliability("hayday", "b", by="a")["fields"] == {"reliability": "B"}
    assert store.claim(CLAIM)["status"] == "unverified" and sample_db.read_bytes() == before


@pytest.mark.parametrize(("build", "error", "words"), [
    (lambda c: c.status(CLAIM, "maybe", by="a"), InvalidValueError, "unknown status"),
    (lambda c: c.status("nope", "confirmed", by="a"), NotFoundError, "no claim with id"),
    (lambda c: c.credibility(CLAIM, 7, by="a"), InvalidValueError, "1-6"),
    (lambda c: c.reliability("hayday", "Z", by="a"), InvalidValueError, "A-F"),
    (lambda c: c.note(None, CLAIM, "   ", by="a"), InvalidValueError, "cannot be empty"),
    (lambda c: c.note(None, "nope", "x", by="a"), NotFoundError, "no record with id"),
    (lambda c: c.control("lyman", "nato", "2022", by="a"), InvalidValueError, "controller"),
    (lambda c: c.grade(["hayday"], "B3", by="a"), InvalidValueError, "source takes a"),
    (lambda c: c.grade(["nope"], "B", by="a"), NotFoundError, "no claim or source"),
    (lambda c: c.put("claims", {"id": "x", "text": "t", "source": "nope"}, by="a"),
     InvalidValueError, "missing source"),
    (lambda c: c.put("nonsense", {"id": "x"}, by="a"), InvalidValueError, "unknown table"),
])
def test_builders_refuse_bad_changes(store: Store, build, error, words: str) -> None:
    with pytest.raises(error, match=words):
        build(store.changes)


def test_grade_b3_grades_each_source_once_and_the_claims(store: Store) -> None:
    claims = [c["id"] for c in store.claims_for_source("hayday")][:3]
    ops = store.changes.grade(claims, "B3", by="a")
    assert [(o["table"], o["id"]) for o in ops] == [
        ("sources", "hayday"), *(("claims", c) for c in claims)]
    touched = store.grade(claims, "B3", by="a")
    assert store.source("hayday")["reliability"] == "B"
    assert all(store.claim(c)["credibility"] == 3 for c in claims)
    assert [t for t, _ in touched] == ["sources", "claims", "claims", "claims"]


def test_restore_puts_back_a_value_as_it_was(store: Store) -> None:
    store.set_credibility(CLAIM, 2, by="a")
    store.apply([store.changes.restore("claims", CLAIM, "credibility", None, by="a")])
    assert store.claim(CLAIM)["credibility"] is None
    entry = store.claim(CLAIM)["history"][-1]
    assert (entry["field"], entry["from"], entry["to"]) == ("credibility", 2, None)
