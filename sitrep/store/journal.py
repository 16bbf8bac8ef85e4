"""The change journal: one fsync'd JSON line per change, beside the DB file.

Rewriting a 74 MB file after every key would stall the dashboard, so the dashboard makes each
change durable by appending it here (about a millisecond) and folds the journal into the main
file when idle. ``Store.open`` replays a journal left behind, so a crash loses nothing.

Format (``NAME.journal``)::

    {"sitrep_journal": 1, "id": "<uuid>"}        header, first line
    {"seq": 1, "op": "set", ...}                  one change per line

When the store folds, it writes ``_meta.journal_folded = {"id", "seq"}`` into the main file
*before* deleting the journal; a crash between the two leaves a journal whose lines are all
skipped on the next open, never applied twice. A torn last line (a crash mid-append) was never
acknowledged and is ignored; an append that fails part way (disk full) is cut off again, so the
change stays pending in memory and is never half in the journal.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path
from typing import Any

import orjson

from sitrep.errors import DataFileError, WriteError
from sitrep.store.files import (
    FileStamp,
    check_writable,
    describe_os_error,
    file_stamp,
    fsync_dir,
    settled,
)


def journal_path(path: Path) -> Path:
    """The change journal kept beside the DB file ``path`` by the dashboard."""
    return path.with_name(f"{path.name}.journal")


class Journal:
    """Reads and appends the journal beside one DB file."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.path = journal_path(db_path)

    def stamp(self) -> FileStamp | None:
        """The journal's stamp, or None when there is none."""
        return file_stamp(self.path)

    def read(self) -> tuple[str | None, list[dict[str, Any]], FileStamp | None]:
        """The journal's id, its complete op lines (torn or unreadable lines skipped) and the
        stamp to remember for them (``files.settled``: an append during the read, which takes
        no lock, makes the next look read it again).

        A journal that exists but cannot be read is a DataFileError: reading past it would let
        the next fold delete changes nobody has seen.
        """
        before = self.stamp()
        try:
            payload = self.path.read_bytes()
        except FileNotFoundError:
            return None, [], None
        except OSError as exc:
            raise DataFileError(self.path, f"cannot read: {describe_os_error(exc)}") from None
        journal_id: str | None = None
        ops: list[dict[str, Any]] = []
        for line in payload.split(b"\n"):
            if not line.strip():
                continue
            try:
                entry = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            if not isinstance(entry, dict):
                continue
            if journal_id is None and "sitrep_journal" in entry:  # first header wins
                journal_id = str(entry.get("id"))
            elif isinstance(entry.get("seq"), int) and isinstance(entry.get("op"), str):
                ops.append(entry)
        return journal_id, ops, settled(before, self.stamp())

    def append(self, ops: list[dict[str, Any]], journal_id: str | None, last_seq: int) -> tuple[
        str, int
    ]:
        """Append ``ops`` (numbered after ``last_seq``) durably; return (journal id, last seq).

        Raises WriteError (nothing appended) when the DB file or its folder is read-only or the
        disk refuses the write.
        """
        check_writable(self.db_path)
        lines: list[bytes] = []
        size = -1
        try:
            size = os.path.getsize(self.path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise WriteError(f"{self.path}: cannot write: {describe_os_error(exc)}") from None
        if size < 0 or journal_id is None:
            journal_id = uuid.uuid4().hex
            last_seq = 0
            lines.append(orjson.dumps({"sitrep_journal": 1, "id": journal_id}))
        for op in ops:
            last_seq += 1
            lines.append(orjson.dumps({"seq": last_seq, **op}))
        payload = b"\n".join(lines) + b"\n"
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                if size > 0:
                    with open(self.path, "rb") as check:
                        check.seek(size - 1)
                        if check.read(1) != b"\n":  # close a torn line left by a crash
                            payload = b"\n" + payload
                view = memoryview(payload)
                while view:  # unbuffered, so a failed write leaves nothing queued to retry
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            except OSError:
                # Cut off whatever part of the lines got in (disk full, file size limit):
                # the ops stay pending in memory and must not be half in the journal.
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, max(size, 0))
                    os.fsync(fd)
                raise
            finally:
                os.close(fd)
            if size < 0:
                fsync_dir(self.path.parent)
        except OSError as exc:
            if size < 0:
                with contextlib.suppress(OSError):
                    os.unlink(self.path)
            raise WriteError(f"{self.path}: cannot write: {describe_os_error(exc)}") from None
        return journal_id, last_seq

    def remove(self) -> None:
        """Delete the journal (after it was folded into the main file)."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
