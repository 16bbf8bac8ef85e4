"""Failing disk: read-only folder, read-only file, no space, a lock held by a live or dead process.

For each: the CLI prints one clear line (no traceback) and exits 1; the old file stays
byte-identical (no backup rotated, no temp file left); through the Store API (plain and journal
mode, the dashboard's) the change stays applied in memory and pending, and the next ``flush()``
writes it once the fault is gone. Tests run as root, which the kernel lets write anywhere, so the
store checks mode bits itself; "no space" is RLIMIT_FSIZE (``ulimit -f``) in a subprocess and,
where a tmpfs can be mounted, a really full file system.
"""

from __future__ import annotations

import contextlib
import resource
import signal
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitrep.errors import WriteError
from sitrep.store import Store
from sitrep.store import files as storage

from .helpers import (
    PYTHON,
    ROOT,
    assert_clean_error,
    check_main_file,
    child_env,
    fresh_db,
    history_notes,
    run_sitrep,
)

CLAIM = "c-cnn-new-front"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.endswith(".lock")}


@contextlib.contextmanager
def _fault(kind: str, db: Path) -> Iterator[None]:
    if kind == "folder read-only":
        mode = db.parent.stat().st_mode
        db.parent.chmod(0o555)
        try:
            yield
        finally:
            db.parent.chmod(stat.S_IMODE(mode))
    elif kind == "file read-only":
        db.chmod(0o444)
        try:
            yield
        finally:
            db.chmod(0o644)
    else:
        raise AssertionError(kind)


def _limit_fsize(limit: int):  # noqa: ANN202 - a preexec_fn
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    return apply


FAULTS = ["folder read-only", "file read-only"]


@pytest.mark.parametrize("fault", [*FAULTS, "no space (ulimit -f)"])
def test_cli_refuses_cleanly_and_leaves_the_file(tmp_path: Path, fault: str, figures) -> None:
    db = fresh_db(tmp_path / "data")
    Store.open(db).add_note("claims", CLAIM, "setup-1", by="t")  # so backups and a lock exist
    before = _snapshot(db.parent)
    if fault.startswith("no space"):
        result = run_sitrep(db, "set-status", CLAIM, "confirmed", preexec_fn=_limit_fsize(4096))
        words = "file too large"
    else:
        with _fault(fault, db):
            result = run_sitrep(db, "set-status", CLAIM, "confirmed")
        words = "read-only"
    assert_clean_error(result.returncode, result.stdout, result.stderr, expect=73)
    assert words in result.stderr.decode(), result.stderr
    assert _snapshot(db.parent) == before
    figures.add("failing disk", cases=1, old_file_changed=0, change_dropped=0)


@pytest.mark.parametrize("journal", [False, True], ids=["plain", "journal"])
@pytest.mark.parametrize("fault", FAULTS)
def test_store_keeps_the_change_pending_and_retries(tmp_path: Path, fault: str,
                                                    journal: bool) -> None:
    db = fresh_db(tmp_path / "data")
    store = Store.open(db, journal=journal)
    store.add_note("claims", CLAIM, "setup-1", by="t")
    before = _snapshot(db.parent)
    with _fault(fault, db):
        with pytest.raises(WriteError, match="read-only"):
            store.set_status(CLAIM, "confirmed", by="t", note="disk-1")
        assert store.pending == 1
        assert store.claim(CLAIM)["status"] == "confirmed"  # kept in memory
        with pytest.raises(WriteError):
            store.flush()  # still failing: still pending, still nothing written
        assert store.pending == 1
        assert _snapshot(db.parent) == before
    store.flush()
    assert store.pending == 0
    again = Store.open(db, journal=True)
    assert again.claim(CLAIM)["status"] == "confirmed"
    assert history_notes(again.document)["disk-1"] == 1


NO_SPACE_SCRIPT = textwrap.dedent("""
    import os, resource, sys
    from sitrep.errors import WriteError
    from sitrep.store import Store
    db, journal = sys.argv[1], sys.argv[2] == "journal"
    store = Store.open(db, journal=journal)
    store.add_note("claims", "c-cnn-new-front", "setup-1", by="t")
    print("setup", flush=True)
    input()  # the test takes a snapshot of the files now
    size = os.path.getsize(db + (".journal" if journal else ""))
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + 40, resource.RLIM_INFINITY))
    try:
        store.add_note("claims", "c-cnn-new-front", "disk-1 " + "x" * 200, by="t")
    except WriteError as exc:
        print("refused:", exc)
    print("pending", store.pending)
    sys.stdout.flush()
    input()  # the test compares the files now
    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY,) * 2)
    store.flush()
    print("pending", store.pending)
""")


@pytest.mark.parametrize("journal", [False, True], ids=["plain", "journal"])
def test_store_on_a_full_disk_keeps_the_change_pending(tmp_path: Path, journal: bool) -> None:
    db = fresh_db(tmp_path / "data")
    proc = subprocess.Popen(
        [PYTHON, "-c", NO_SPACE_SCRIPT, str(db), "journal" if journal else "plain"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env(),
        cwd=ROOT, text=True,
    )
    assert proc.stdout is not None and proc.stdin is not None
    assert proc.stdout.readline() == "setup\n"
    before = _snapshot(db.parent)
    proc.stdin.write("\n")
    proc.stdin.flush()
    refused = proc.stdout.readline()
    assert refused.startswith("refused:") and "too large" in refused, refused
    assert proc.stdout.readline() == "pending 1\n"
    assert _snapshot(db.parent) == before  # nothing torn, nothing rotated
    after_setup = Store.open(db, journal=True)
    assert history_notes(after_setup.document)  # the setup note is there, the refused one not
    assert not any(n.startswith("disk-1") for n in _notes(after_setup))
    proc.stdin.write("\n")
    proc.stdin.flush()
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert out == "pending 0\n"
    store = Store.open(db, journal=True)
    assert sum(1 for n in _notes(store) if n.startswith("disk-1")) == 1
    check_main_file(db)


def _notes(store: Store) -> list[str]:
    return [h.get("note") or "" for h in store.claim(CLAIM)["history"]]


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs, or skip where mounting is not allowed."""
    mount = tmp_path / "small"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                            capture_output=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {result.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


@pytest.mark.parametrize("journal", [False, True], ids=["plain", "journal"])
def test_really_full_disk(small_fs: Path, journal: bool, figures) -> None:
    db = fresh_db(small_fs)
    store = Store.open(db, journal=journal)
    store.add_note("claims", CLAIM, "setup-1", by="t")
    filler = small_fs / "filler"
    with contextlib.suppress(OSError), open(filler, "wb", buffering=0) as handle:
        while True:  # fill the disk to the last byte
            handle.write(b"\0" * 4096)
    with contextlib.suppress(OSError), open(filler, "ab", buffering=0) as handle:
        while True:
            handle.write(b"\0")
    before = _snapshot(small_fs)
    with pytest.raises(WriteError, match="no space"):
        store.add_note("claims", CLAIM, "disk-1 " + "x" * 5000, by="t")
    assert store.pending == 1
    assert _snapshot(small_fs) == before
    result = run_sitrep(db, "note", CLAIM, "cli-1 " + "y" * 5000)
    assert_clean_error(result.returncode, result.stdout, result.stderr, expect=73)
    assert "no space" in result.stderr.decode()
    assert _snapshot(small_fs) == before
    filler.unlink()
    store.flush()
    again = Store.open(db, journal=True)
    assert sum(1 for n in _notes(again) if n.startswith("disk-1")) == 1
    figures.add("failing disk", cases=1, old_file_changed=0, change_dropped=0)


HOLDER = textwrap.dedent("""
    import sys, time
    from filelock import FileLock
    lock = FileLock(sys.argv[1])
    lock.acquire()
    print("held", flush=True)
    time.sleep(600)
""")


def _hold_lock(db: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([PYTHON, "-c", HOLDER, str(storage.lock_path(db))],
                            stdout=subprocess.PIPE, text=True, env=child_env())
    assert proc.stdout is not None
    assert proc.stdout.readline() == "held\n"
    return proc


def test_lock_of_a_dead_process_is_released(tmp_path: Path, monkeypatch, figures) -> None:
    """fcntl locks die with their holder: kill -9 the holder and writing works at once."""
    db = fresh_db(tmp_path)
    monkeypatch.setenv("SITREP_LOCK_TIMEOUT", "0.3")
    store = Store.open(db, journal=False)
    holder = _hold_lock(db)
    with pytest.raises(WriteError, match="another process has held the lock"):
        store.set_status(CLAIM, "confirmed", by="t", note="lock-1")
    assert store.pending == 1  # the change is kept while the lock is held
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert storage.lock_path(db).exists()  # the lock file stays; the lock itself is gone
    started = time.monotonic()
    store.flush()
    assert store.pending == 0
    result = run_sitrep(db, "set-status", CLAIM, "disputed")
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 5
    assert history_notes(Store.open(db).document)["lock-1"] == 1
    figures.add("failing disk", cases=1, old_file_changed=0, change_dropped=0)


def test_cli_with_the_lock_held_by_a_live_process(tmp_path: Path, monkeypatch,
                                                 figures) -> None:
    """The lock timeout (10 s) shortened with SITREP_LOCK_TIMEOUT so the test runs quickly."""
    monkeypatch.setenv("SITREP_LOCK_TIMEOUT", "0.5")
    db = fresh_db(tmp_path)
    before = db.read_bytes()
    holder = _hold_lock(db)
    try:
        started = time.monotonic()
        result = run_sitrep(db, "set-status", CLAIM, "confirmed")
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert_clean_error(result.returncode, result.stdout, result.stderr, expect=75)
    assert b"another process has held the lock for 0.5s" in result.stderr, result.stderr
    assert db.read_bytes() == before
    assert 0.5 <= waited < 8
    figures.add("failing disk", cases=1, old_file_changed=0, change_dropped=0)


def test_suite_runs_as_root_or_checks_real_permissions() -> None:
    """Documents the assumption above: as root the kernel ignores mode bits."""
    assert sys.platform != "win32"
