"""Failing disk, the dashboard itself: the real app (headless under Pilot) presses a status key
while the file is read-only (chmod 0444; sitrep checks mode bits even as root), the folder is
read-only, a live process holds the lock longer than the timeout (``SITREP_LOCK_TIMEOUT``), or
the disk is full (a 1 MB tmpfs, where one can be mounted).

Each time: a banner says what went wrong; the change stays on screen and pending (the header
says so); the old file, its backups and the journal stay byte-identical, also after the app's
next retry failed too; once the fault is removed the app's retry writes the change, the banner
goes, and the file ends up with the change exactly once.
"""

from __future__ import annotations

import contextlib
import signal
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitrep.store import Store
from sitrep.tui.widgets.banner import Banner

from .app_driver import current_claim, make_app, screen_text, tag_counts, wait_ready, wait_until
from .helpers import check_main_file, fresh_db
from .test_disk import _hold_lock, _snapshot, small_fs  # noqa: F401 - small_fs is a fixture

WORDS = {"file read-only": "the file is read-only", "folder read-only": "is read-only",
         "lock held by a live process": "another process has held the lock for 0.3s",
         "no space (full tmpfs)": "no space left on the disk"}


@contextlib.contextmanager
def _fault(kind: str, db: Path) -> Iterator[None]:
    if kind == "file read-only":
        db.chmod(0o444)
        try:
            yield
        finally:
            db.chmod(0o644)
    elif kind == "folder read-only":
        mode = stat.S_IMODE(db.parent.stat().st_mode)
        db.parent.chmod(0o555)
        try:
            yield
        finally:
            db.parent.chmod(mode)
    elif kind == "lock held by a live process":
        holder = _hold_lock(db)
        try:
            yield
        finally:
            holder.send_signal(signal.SIGKILL)
            holder.wait()
    else:
        filler = db.parent / "filler"
        with contextlib.suppress(OSError), open(filler, "wb", buffering=0) as handle:
            while True:  # fill the disk to the last byte
                handle.write(b"\0" * 4096)
        with contextlib.suppress(OSError), open(filler, "ab", buffering=0) as handle:
            while True:
                handle.write(b"\0")
        try:
            yield
        finally:
            filler.unlink()


def _files(db: Path) -> dict[str, bytes]:
    """The DB, its backups and journal (not the lock, not the filler of a full disk)."""
    return {k: v for k, v in _snapshot(db.parent).items() if k != "filler"}


@pytest.fixture
def folder(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.node.callspec.params["fault"].startswith("no space"):
        return request.getfixturevalue("small_fs")
    return tmp_path / "data"


@pytest.mark.parametrize("fault", list(WORDS))
async def test_app_keeps_the_change_and_retries(folder: Path, fault: str, monkeypatch,
                                                figures) -> None:
    monkeypatch.setenv("SITREP_LOCK_TIMEOUT", "0.3")
    db = fresh_db(folder)
    app = make_app(db, "app")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot, app)
        claim = current_claim(app)
        assert claim is not None
        banner = app.query_one(Banner)
        before = _files(db)
        with _fault(fault, db):
            app.analyst = "disk-1"
            await pilot.press("v")
            assert await wait_until(pilot, lambda: banner.has_class("-shown"), 5.0)
            assert "Could not save" in banner.message and WORDS[fault] in banner.message, (
                banner.message)
            # the banner's class is set before the next frame is drawn: wait for the screen
            assert await wait_until(pilot, lambda: "!! Could not save" in screen_text(app), 2.0)
            assert app.store.pending == 1 and not app.saver.changes_durable()
            assert "✓ conf" in screen_text(app)  # the change stays on screen (same frame)
            # the app's retry (every second) fails too: still pending, the files untouched
            assert await wait_until(pilot, lambda: "retrying" in banner.message, 3.0), (
                banner.message)
            assert await wait_until(pilot, lambda: "1 change(s) pending" in screen_text(app),
                                    2.0)
            assert app.store.pending == 1
            assert _files(db) == before
        assert await wait_until(pilot, app.saver.changes_durable, 3.0), "the retry never wrote it"
        assert await wait_until(pilot, lambda: not banner.has_class("-shown"), 2.0)
        reopened = Store.open(db, journal=True)  # what a crash now would leave
        assert reopened.claim(claim)["status"] == "confirmed"
        assert tag_counts(reopened.document)["disk-1"] == 1
        await pilot.press("q")
    final = check_main_file(db)
    assert tag_counts(final)["disk-1"] == 1
    figures.add("failing disk (app under Pilot)", cases=1, banner_shown=1, old_file_changed=0,
                change_dropped=0)
