"""Backups: each write keeps the previous version (NAME.bak.1 newest .. NAME.bak.3), ``sitrep
restore`` lists and restores them, and a corrupt or truncated main file names its newest good
backup in the error (CLI exit 2, file untouched)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.errors import DataFileError
from sitrep.store import Store
from sitrep.store.backups import backup_path

from .helpers import assert_clean_error, fresh_db, run_main, run_sitrep

CLAIM = "c-cnn-new-front"


def _write_versions(db: Path, n: int) -> list[bytes]:
    versions = [db.read_bytes()]
    for i in range(n):
        code, _, err = run_main(["--db", str(db), "note", CLAIM, f"bak-{i}"])
        assert code == 0, err
        versions.append(db.read_bytes())
    return versions


def test_rotation_keeps_the_three_previous_versions(tmp_path: Path, figures) -> None:
    db = fresh_db(tmp_path)
    versions = _write_versions(db, 5)
    for n in (1, 2, 3):
        assert backup_path(db, n).read_bytes() == versions[-1 - n]
    assert not backup_path(db, 4).exists()
    result = run_sitrep(db, "restore", "--json")
    rows = json.loads(result.stdout)
    assert [r["number"] for r in rows] == [1, 2, 3]
    assert all(r["status"] == "ok" for r in rows)
    text = run_sitrep(db, "restore")
    assert text.returncode == 0 and len(text.stdout.splitlines()) == 3
    result = run_sitrep(db, "restore", "2")
    assert result.returncode == 0, result.stderr
    assert db.read_bytes() == versions[-3]
    assert backup_path(db, 1).read_bytes() == versions[-1]  # the replaced file is kept
    figures.add("backups", writes=5, versions_kept=3, restored=1)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "html", "empty"])
def test_broken_main_file_names_its_newest_good_backup(tmp_path: Path, damage: str,
                                                       figures) -> None:
    db = fresh_db(tmp_path)
    versions = _write_versions(db, 3)
    good = versions[-1]
    broken = {
        "truncated": good[: len(good) // 2],
        "garbage": good.replace(b'"claims"', b'"claims" oops', 1),
        "html": b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>\n",
        "empty": b"",
    }[damage]
    db.write_bytes(broken)
    for argv in (["list", "claims"], ["validate"], ["set-status", CLAIM, "confirmed"],
                 ["note", CLAIM, "x"]):
        code, out, err = run_main(["--db", str(db), *argv])
        assert_clean_error(code, out, err, expect=65)
        assert f"newest good backup: {backup_path(db, 1)}" in err, err
        assert db.read_bytes() == broken
    result = run_sitrep(db, "show", CLAIM)  # the real binary too
    assert_clean_error(result.returncode, result.stdout, result.stderr, expect=65)
    assert b"sitrep restore" in result.stderr
    with pytest.raises(DataFileError) as info:
        Store.open(db)
    assert info.value.backup == backup_path(db, 1)
    backup_path(db, 1).write_bytes(b"{")  # the newest backup is broken too: name the next
    with pytest.raises(DataFileError) as info:
        Store.open(db, journal=True)
    assert info.value.backup == backup_path(db, 2)
    assert run_sitrep(db, "restore", "2").returncode == 0
    assert db.read_bytes() == versions[-3]
    figures.add("backups", broken_files=1, named_good_backup=1)


def test_dashboard_reload_of_a_broken_file_names_the_backup(tmp_path: Path) -> None:
    db = fresh_db(tmp_path)
    store = Store.open(db, journal=True)
    store.add_note("claims", CLAIM, "app-1", by="app")
    store.fold()
    db.write_bytes(db.read_bytes()[:100])
    with pytest.raises(DataFileError) as info:
        store.reload()
    assert info.value.backup == backup_path(db, 1)
    assert "sitrep restore" in str(info.value)
    assert store.claim(CLAIM) is not None  # the last good view stays


def test_restore_errors_are_clean(tmp_path: Path) -> None:
    db = fresh_db(tmp_path)
    _write_versions(db, 1)
    before = db.read_bytes()
    code, out, err = run_main(["--db", str(db), "restore", "3"])
    assert_clean_error(code, out, err, expect=1)
    backup_path(db, 1).write_bytes(b"[1, 2")
    code, out, err = run_main(["--db", str(db), "restore", "1"])
    assert_clean_error(code, out, err, expect=65)
    assert db.read_bytes() == before
    code, out, err = run_main(["--db", str(db), "restore"])
    assert code == 0 and "unreadable" in out
