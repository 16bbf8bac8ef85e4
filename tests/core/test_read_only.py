"""Reading the DB creates no file and takes no lock, and still reads a consistent state."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep.store import Store
from sitrep.store.journal import Journal

CLAIM = "c-hayday-lysychansk-outskirts"
READ_ONLY = [
    ("list", "claims"), ("list", "settlements"), ("list", "sources"),
    ("list", "claims", "--json"), ("show", CLAIM), ("show", CLAIM, "--json"),
    ("validate",), ("validate", "--json"), ("restore",), ("restore", "--json"),
    ("export", "--format", "feed"), ("feeds", "list"),
]


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SITREP_ANALYST": "reader"}
    return subprocess.run([sys.executable, "-m", "sitrep", "--db", str(db), *args],
                          capture_output=True, text=True, env=env, timeout=60)


@pytest.mark.parametrize("args", READ_ONLY, ids=" ".join)
def test_a_read_only_command_creates_no_file(sample_db: Path, args: tuple[str, ...]) -> None:
    assert run(sample_db, "set-status", CLAIM, "disputed").returncode == 0  # a backup exists
    (sample_db.parent / f"{sample_db.name}.lock").unlink(missing_ok=True)
    before = sorted(p.name for p in sample_db.parent.iterdir())
    done = run(sample_db, *args)
    assert done.returncode in (0, 1), done.stderr  # validate may find problems: not our point
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in sample_db.parent.iterdir()) == before


def test_a_fold_between_reading_the_file_and_the_journal_is_not_missed(
        sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the lock, a dashboard may fold (write the file, drop the journal) between a
    reader's read of the file and of the journal: the old file and no journal would lose the
    change. The file's stamp shows it was replaced, and the reader reads both again."""
    dashboard = Store.open(sample_db, journal=True)
    dashboard.set_status(CLAIM, "false", by="dash")  # in the journal only
    assert dashboard.pending_journal == 1
    real_read = Journal.read
    folds = []

    def fold_first(journal: Journal):  # type: ignore[no-untyped-def]
        if not folds:
            folds.append(dashboard.fold())
        return real_read(journal)

    monkeypatch.setattr(Journal, "read", fold_first)
    reader = Store.open(sample_db)
    assert folds == [True]
    assert reader.claim(CLAIM)["status"] == "false"
    assert not reader.changed_on_disk()
