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
acknowledged and is ignored.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path
from typing import Any

import orjson

from sitrep.errors import WriteError
from sitrep.storage import FileStamp, describe_os_error, file_stamp, journal_path


class Journal:
    """Reads and appends the journal beside one DB file."""

    def __init__(self, db_path: Path) -> None:
        self.path = journal_path(db_path)

    def stamp(self) -> FileStamp | None:
        """The journal's stamp, or None when there is none."""
        return file_stamp(self.path)

    def read(self) -> tuple[str | None, list[dict[str, Any]]]:
        """The journal's id and its complete op lines (torn or unreadable lines skipped)."""
        try:
            payload = self.path.read_bytes()
        except FileNotFoundError:
            return None, []
        except OSError:
            return None, []
        journal_id: str | None = None
        ops: list[dict[str, Any]] = []
        for number, line in enumerate(payload.split(b"\n")):
            if not line.strip():
                continue
            try:
                entry = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            if not isinstance(entry, dict):
                continue
            if number == 0 and "sitrep_journal" in entry:
                journal_id = str(entry.get("id"))
            elif isinstance(entry.get("seq"), int) and isinstance(entry.get("op"), str):
                ops.append(entry)
        return journal_id, ops

    def append(self, ops: list[dict[str, Any]], journal_id: str | None, last_seq: int) -> tuple[
        str, int
    ]:
        """Append ``ops`` (numbered after ``last_seq``) durably; return (journal id, last seq)."""
        lines: list[bytes] = []
        try:
            exists = self.path.exists()
            if not exists or journal_id is None:
                journal_id = uuid.uuid4().hex
                last_seq = 0
                lines.append(orjson.dumps({"sitrep_journal": 1, "id": journal_id}))
            for op in ops:
                last_seq += 1
                lines.append(orjson.dumps({"seq": last_seq, **op}))
            with open(self.path, "ab") as handle:
                if exists and handle.tell() > 0:
                    with open(self.path, "rb") as check:
                        check.seek(-1, os.SEEK_END)
                        if check.read(1) != b"\n":  # close a torn line left by a crash
                            handle.write(b"\n")
                handle.write(b"\n".join(lines) + b"\n")
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise WriteError(f"{self.path}: cannot write: {describe_os_error(exc)}") from None
        return journal_id, last_seq

    def remove(self) -> None:
        """Delete the journal (after it was folded into the main file)."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
