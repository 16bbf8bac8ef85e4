"""``sitrep validate`` says when changes are only in the journal, not in the file yet."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sitrep.store import Store, journal_path

CLAIM = "c-hayday-lysychansk-outskirts"


def validate(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sitrep", "--db", str(db), "validate", *args],
                          capture_output=True, text=True, env=dict(os.environ), timeout=60)


def test_validate_reports_a_journal_waiting_to_be_folded(sample_db: Path) -> None:
    assert validate(sample_db).returncode == 0
    dashboard = Store.open(sample_db, journal=True)  # as the dashboard does
    dashboard.set_status(CLAIM, "disputed", by="dash")
    dashboard.add_note("claims", CLAIM, "seen", by="dash")
    done = validate(sample_db)
    assert done.returncode == 1
    assert f"2 change(s) in {journal_path(sample_db)} are not folded" in done.stderr
    assert "2 change(s) waiting in the journal" in done.stderr and ": ok" not in done.stdout
    rows = json.loads(validate(sample_db, "--json").stdout)
    assert [r["table"] for r in rows] == ["journal"]
    dashboard.fold()
    assert validate(sample_db).returncode == 0


def test_a_journal_already_folded_is_not_reported(sample_db: Path) -> None:
    dashboard = Store.open(sample_db, journal=True)
    dashboard.set_status(CLAIM, "disputed", by="dash")
    journal = journal_path(sample_db).read_bytes()
    dashboard.fold()
    journal_path(sample_db).write_bytes(journal)  # a crash between the fold and the unlink
    done = validate(sample_db)
    assert done.returncode == 0, done.stderr
