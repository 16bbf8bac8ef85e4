"""``sitrep places merge`` on a failing disk: one write or none, never half a merge."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from sitrep.store import Store
from tests.core.test_places_merge import write_two_kharkivs

from .helpers import assert_clean_error, run_sitrep


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.endswith(".lock")}


@pytest.mark.parametrize("fault", ["file read-only", "folder read-only"])
def test_a_merge_that_cannot_be_written_changes_nothing(tmp_path: Path, fault: str,
                                                        figures) -> None:
    db = write_two_kharkivs(tmp_path / "data" / "sitrep.json")
    Store.open(db).add_note("claims", "c-1", "setup", by="t")  # a backup and a lock exist
    before = _snapshot(db.parent)
    target = db if fault == "file read-only" else db.parent
    mode = stat.S_IMODE(target.stat().st_mode)
    target.chmod(0o444 if target == db else 0o555)
    try:
        result = run_sitrep(db, "places", "merge", "kharkiv", "kharkiv-uk")
    finally:
        target.chmod(mode)
    assert_clean_error(result.returncode, result.stdout, result.stderr, expect=73)
    assert b"read-only" in result.stderr
    assert _snapshot(db.parent) == before  # the file, its backups: all as they were
    store = Store.open(db)
    assert store.settlement("kharkiv-uk") is not None
    assert store.claim("c-2")["settlements"] == ["kharkiv-uk", "izium"]
    figures.add("failing disk", cases=1, old_file_changed=0, change_dropped=0)
    done = run_sitrep(db, "places", "merge", "kharkiv", "kharkiv-uk")
    assert done.returncode == 0, done.stderr
    assert Store.open(db).settlement("kharkiv-uk") is None
