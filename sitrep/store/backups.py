"""The rotating backups kept beside the DB file, and restoring one of them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sitrep.errors import DataFileError, NotFoundError
from sitrep.store.files import (
    BACKUP_COUNT,
    atomic_write,
    backup_path,
    check_document,
    locked,
    parse_json,
    read_bytes,
)


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


def list_backups(db_path: Path, count: int = BACKUP_COUNT) -> list[dict[str, Any]]:
    """The backups that exist, newest first, with size, time and whether each is readable."""
    rows = []
    for n in range(1, count + 1):
        path = backup_path(db_path, n)
        if not path.exists():
            continue
        st = path.stat()
        rows.append({
            "number": n,
            "path": str(path),
            "size": st.st_size,
            "modified": datetime.fromtimestamp(st.st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "status": backup_status(path),
        })
    return rows


def newest_good_backup(db_path: Path, count: int = BACKUP_COUNT) -> Path | None:
    """The newest backup that parses, to name in the error about a broken main file."""
    for row in list_backups(db_path, count):
        if row["status"] == "ok":
            return Path(row["path"])
    return None


def restore_backup(db_path: Path, number: int) -> Path:
    """Put backup ``number`` back as the DB file (atomically; the current file is backed up)."""
    source = backup_path(db_path, number)
    payload = read_bytes(source)
    if payload is None:
        raise NotFoundError(f"no backup {number} of {db_path} ({source} does not exist)")
    check_document(parse_json(payload, source), source)
    with locked(db_path):
        atomic_write(db_path, payload)
    return source
