"""The file primitives underneath the store: stamps, the lock, safe reads, atomic writes.

TinyDB's own JSONStorage keeps a handle open and rewrites the file in place: an editor that
saves by renaming a new file over the old one makes it write into a deleted file, and a crash
mid-write leaves half a file. Everything here instead

* opens, reads and closes (no handle is held between operations);
* writes a temporary file in the same folder, fsyncs it, lets a hook run (the backups' rotation:
  ``NAME.bak.1`` newest … ``NAME.bak.3``) and ``os.replace``s it into place, then fsyncs the
  folder, so a reader or a crash sees the old file or the new one, never a mix;
* takes a cross-process lock (``NAME.lock``, via filelock: fcntl on POSIX, released by the OS
  when its holder dies) around every read-modify-write; reads take no lock (a write is one
  rename, and the stamps below tell a reader that the file moved under it);
* identifies what it read by (inode, size, mtime_ns), so the store can tell when someone else —
  another sitrep, or a person in vim — changed the file, and re-read instead of clobbering.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from filelock import FileLock, Timeout

from sitrep.errors import DataFileError, LockTimeoutError, WriteError

LOCK_TIMEOUT = 10.0  # seconds; SITREP_LOCK_TIMEOUT overrides it (see lock_timeout)


class FileStamp(NamedTuple):
    """What identifies one version of a file on disk."""

    ino: int
    size: int
    mtime_ns: int


# The stamp of a read during which the file changed: it equals no real stamp, so whoever holds
# it sees the file as changed and reads it again. Remembering the stamp taken after such a read
# would pair old bytes with the new version's stamp (an editor writing in place, finishing just
# after the read), and the new version would never be read; the stamp taken before it would
# miss a change made between the stat and the read.
UNSETTLED = FileStamp(-1, -1, -1)


def settled(before: FileStamp | None, after: FileStamp | None) -> FileStamp | None:
    """The stamp to remember for bytes read between the stamps ``before`` and ``after``."""
    return after if after == before else UNSETTLED


def file_stamp(path: Path) -> FileStamp | None:
    """The stamp of ``path`` now, or None if it does not exist."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return FileStamp(st.st_ino, st.st_size, st.st_mtime_ns)


def lock_path(path: Path) -> Path:
    """The lock file that guards ``path``."""
    return path.with_name(f"{path.name}.lock")


def read_bytes(path: Path) -> bytes | None:
    """The whole file, or None when it does not exist. Unreadable → DataFileError."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise DataFileError(path, "is a folder, not a sitrep file") from None
    except OSError as exc:
        raise DataFileError(path, f"cannot read: {exc.strerror or exc}") from None


def is_read_only(path: Path) -> bool:
    """True when the file's mode has no write bit (respected even for root)."""
    try:
        return os.stat(path).st_mode & 0o222 == 0
    except FileNotFoundError:
        return False


def check_writable(path: Path) -> None:
    """Raise WriteError when ``path`` or its folder is read-only by its mode bits.

    The kernel lets root write anyway, so the bits are checked here: a person who made the file
    or the folder read-only means it, whoever runs sitrep.
    """
    if is_read_only(path):
        raise WriteError(f"{path}: the file is read-only; change not written")
    if is_read_only(path.parent):
        raise WriteError(f"{path}: the folder {path.parent} is read-only; change not written")


def remove_stale_temps(path: Path) -> None:
    """Delete temp files a crashed write left beside ``path`` (call with the lock held: no
    other sitrep is writing one then)."""
    for stale in path.parent.glob(f".{glob_escape(path.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            os.unlink(stale)


def glob_escape(name: str) -> str:
    """``name`` with glob metacharacters escaped."""
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in name)


def fsync_dir(folder: Path) -> None:
    """Make a new or renamed directory entry in ``folder`` durable (best effort)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(
    path: Path, payload: bytes | Iterable[bytes], *,
    before_replace: Callable[[Path], None] | None = None,
) -> FileStamp:
    """Replace ``path`` with ``payload`` (bytes, or pieces of bytes) atomically.

    ``before_replace(path)`` runs once the new bytes are durable in the temp file and just
    before it is renamed over ``path`` (the backups' rotation, ``sitrep.store.backups``).

    Raises WriteError (with the reason in words) when the file is read-only, the folder is not
    writable or the disk is full; the old file is then untouched. Call it with the lock held
    (``locked``): it also removes temp files that a crashed write left behind.
    """
    folder = path.parent
    check_writable(path)
    tmp_name = None
    try:
        remove_stale_temps(path)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            for piece in [payload] if isinstance(payload, bytes) else payload:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
            # the stamp of what we wrote, taken before it becomes the file (a rename keeps the
            # inode and mtime): a stat after the rename could catch an editor's save instead
            st = os.fstat(handle.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp_name, os.stat(path).st_mode & 0o7777)
        if before_replace is not None:
            before_replace(path)
        os.replace(tmp_name, path)
        tmp_name = None
        fsync_dir(folder)
    except OSError as exc:
        raise WriteError(f"{path}: cannot write: {describe_os_error(exc)}") from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return FileStamp(st.st_ino, st.st_size, st.st_mtime_ns)


def describe_os_error(exc: OSError) -> str:
    """A short human reason for an OSError (no traceback, no errno soup)."""
    import errno

    reasons = {
        errno.ENOSPC: "no space left on the disk",
        errno.EDQUOT: "disk quota exceeded",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied (folder or file not writable)",
        errno.EPERM: "operation not permitted",
        errno.EFBIG: "file too large for this system's limits",
    }
    return reasons.get(exc.errno or 0, exc.strerror or str(exc))


def lock_timeout() -> float:
    """How long to wait for another process's lock: ``SITREP_LOCK_TIMEOUT`` seconds when set
    to a positive number, else ``LOCK_TIMEOUT`` (10 s)."""
    raw = os.environ.get("SITREP_LOCK_TIMEOUT", "").strip()
    try:
        value = float(raw) if raw else LOCK_TIMEOUT
    except ValueError:
        return LOCK_TIMEOUT
    return value if 0 < value < float("inf") else LOCK_TIMEOUT


def _lock_held(path: Path, timeout: float) -> LockTimeoutError:
    return LockTimeoutError(
        f"{path}: another process has held the lock for {timeout:g}s ({lock_path(path)})"
    )


@contextlib.contextmanager
def locked(path: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the cross-process lock of ``path`` for the duration of the block (waiting up to
    ``timeout`` seconds, by default ``lock_timeout()``)."""
    timeout = lock_timeout() if timeout is None else timeout
    lock = FileLock(str(lock_path(path)), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise _lock_held(path, timeout) from None
    except OSError as exc:
        raise WriteError(
            f"{path}: cannot create the lock file: {describe_os_error(exc)}"
        ) from None
    try:
        yield
    finally:
        lock.release()
