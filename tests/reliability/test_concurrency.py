"""Concurrent writers: the dashboard's journal-mode Store plus 4 CLI processes, all changing
statuses, grades and notes of the same 4 claims at once for a bounded time.

Afterwards every acknowledged change is in the file exactly once, each writer's changes appear
in each claim's history in the order that writer made them, and the history is a consistent
chain: every status/credibility entry's ``from`` is the previous entry's ``to``, and the record's
current value is the last entry's ``to``. Default 4 s; ``SITREP_LONG=1``: 60 s.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import orjson
import pytest

from sitrep.store import Store

from .helpers import (
    HOT_CLAIMS,
    LONG,
    PYTHON,
    SAMPLE,
    TAG,
    WRITER,
    check_main_file,
    child_env,
    fresh_db,
    history_notes,
    parse_acks,
)

DURATION = 60.0 if LONG else 4.0


def _start(args: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([PYTHON, str(WRITER), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=child_env())


def _check_chain(claim: dict, before: dict, field: str) -> None:
    entries = [h for h in claim["history"][len(before["history"]):] if h["field"] == field]
    expected = before.get(field)
    for entry in entries:
        assert entry["from"] == expected, (claim["id"], field, entry, expected)
        expected = entry["to"]
    assert claim.get(field) == expected, (claim["id"], field, claim.get(field), expected)


def test_dashboard_store_and_four_cli_processes(tmp_path: Path, figures) -> None:
    db = fresh_db(tmp_path)
    duration = str(DURATION)
    writers = {
        "app": _start(["journal", str(db), "--name", "app", "--seed", "1", "--duration",
                       duration, "--fold-every", "4", "--reload-every", "2", "--pause", "0.02"]),
    }
    for n in range(1, 5):
        writers[f"cli{n}"] = _start(["cli", str(db), "--name", f"cli{n}", "--seed", str(n + 1),
                                     "--duration", duration, "--pause", "0.01"])
    acked: dict[str, list[str]] = {}
    for name, proc in writers.items():
        out, err = proc.communicate(timeout=DURATION + 60)
        assert proc.returncode == 0, err.decode()
        assert b"\nfail " not in b"\n" + out, out.decode()
        assert out.endswith(b"done\n")
        acked[name] = parse_acks(out)

    doc = check_main_file(db)
    store = Store.open(db)
    assert store.pending_journal == 0
    notes = history_notes(doc)
    made = sum(len(tags) for tags in acked.values())
    found = sum(1 for tags in acked.values() for tag in tags if notes[tag] == 1)
    doubled = [tag for tag, n in notes.items() if n > 1]
    figures.add("concurrent writers", seconds=int(DURATION), writers=len(writers),
                changes_made=made, changes_found=found, lost=made - found)
    assert not doubled, doubled[:5]
    assert found == made, [t for tags in acked.values() for t in tags if notes[t] != 1][:10]
    assert all(len(tags) > 5 for tags in acked.values()), {k: len(v) for k, v in acked.items()}

    original = orjson.loads(SAMPLE.read_bytes())["claims"]
    before = {c["id"]: c for c in original.values()}
    for claim_id in HOT_CLAIMS:
        claim = store.claim(claim_id)
        assert claim is not None
        tags = [h["note"] for h in claim["history"]
                if isinstance(h.get("note"), str) and TAG.match(h["note"])]
        for name in writers:
            mine = [int(t.rsplit("-", 1)[1]) for t in tags if t.rsplit("-", 1)[0] == name]
            assert mine == sorted(mine), (claim_id, name, mine)
        _check_chain(claim, before[claim_id], "status")
        _check_chain(claim, before[claim_id], "credibility")


@pytest.mark.parametrize("journal", [True, False])
def test_change_from_a_stale_view_is_not_dropped(tmp_path: Path, journal: bool) -> None:
    """Store A still shows "unverified" while another process set "confirmed"; setting
    "unverified" in A must win on disk (it looked like a no-op in A's stale view)."""
    db = fresh_db(tmp_path)
    a = Store.open(db, journal=journal)
    Store.open(db).set_status("c-cnn-new-front", "confirmed", by="b")
    record = a.set_status("c-cnn-new-front", "unverified", by="a")
    assert record["status"] == "unverified"
    assert record["history"][-1]["from"] == "confirmed"
    a.fold()
    assert Store.open(db).claim("c-cnn-new-front")["status"] == "unverified"
