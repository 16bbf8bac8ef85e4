"""The rotating backups kept beside the DB file: making them, naming them, restoring one.

Every rewrite of the main file keeps the version it replaces as ``NAME.bak.1`` (a hard link
to the old inode, so it costs no copy), moving ``NAME.bak.1`` to ``.bak.2`` and so on up to
``keep``. :meth:`Backups.rotate` is the hook ``atomic_write`` runs just before its rename.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sitrep.errors import DataFileError, NotFoundError
from sitrep.store.document import check_document, parse_json
from sitrep.store.files import atomic_write, locked, read_bytes

BACKUP_COUNT = 3


def backup_path(path: Path, n: int) -> Path:
    """The n-th newest backup of ``path`` (1 = the version before the last write)."""
    return path.with_name(f"{path.name}.bak.{n}")


def backup_status(path: Path) -> str:
    """``ok`` when a backup parses as a sitrep document, else the reason it does not."""
    try:
        payload = read_bytes(path)
        if payload is None:
            return "missing"
        check_document(parse_json(payload, path), path)
    except DataFileError as exc:
        return f"unreadable: {exc.message}"
    return "ok"


class Backups:
    """The ``keep`` rotating backups of one DB file."""

    def __init__(self, db_path: Path | str, keep: int = BACKUP_COUNT) -> None:
        self.db_path = Path(db_path)
        self.keep = keep

    def path(self, n: int) -> Path:
        """The n-th newest backup (1 = the version before the last write)."""
        return backup_path(self.db_path, n)

    def existing(self) -> Iterator[Path]:
        """The backups that exist, newest first."""
        for n in range(1, max(self.keep, BACKUP_COUNT) + 1):
            path = self.path(n)
            if path.exists():
                yield path

    def newest(self) -> Path | None:
        """The newest backup that exists (readable or not), or None."""
        return next(self.existing(), None)

    def rotate(self, path: Path) -> None:
        """Keep the current ``path`` as backup 1, shifting the older ones (the write hook)."""
        keep = self.keep
        if keep <= 0 or not path.exists():
            return
        for n in range(keep, 1, -1):
            older = backup_path(path, n - 1)
            if older.exists():
                os.replace(older, backup_path(path, n))
        newest = backup_path(path, 1)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(newest)
        try:
            os.link(path, newest)  # cheap: the old inode lives on under the backup name
        except OSError:
            with open(path, "rb") as src, open(newest, "wb") as dst:
                dst.write(src.read())

    def rows(self) -> list[dict[str, Any]]:
        """The backups that exist, newest first, with size, time and whether each is readable."""
        rows = []
        for n in range(1, self.keep + 1):
            path = self.path(n)
            if not path.exists():
                continue
            st = path.stat()
            rows.append({
                "number": n,
                "path": str(path),
                "size": st.st_size,
                "modified": datetime.fromtimestamp(st.st_mtime, UTC).strftime(
                    "%Y-%m-%dT%H:%M:%SZ"),
                "status": backup_status(path),
            })
        return rows

    def newest_good(self) -> Path | None:
        """The newest backup that parses, to name in the error about a broken main file."""
        for row in self.rows():
            if row["status"] == "ok":
                return Path(row["path"])
        return None

    def name_in(self, exc: DataFileError) -> DataFileError:
        """``exc`` naming the newest good backup when it is about the DB file and names none."""
        if exc.backup is None and exc.path == self.db_path:
            exc.backup = self.newest_good()
        return exc

    def restore(self, number: int) -> Path:
        """Put backup ``number`` back as the DB file (atomically; the current file becomes
        backup 1)."""
        source = self.path(number)
        payload = read_bytes(source)
        if payload is None:
            raise NotFoundError(
                f"no backup {number} of {self.db_path} ({source} does not exist)")
        check_document(parse_json(payload, source), source)
        with locked(self.db_path):
            atomic_write(self.db_path, payload, before_replace=self.rotate)
        return source
