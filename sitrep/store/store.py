"""The Store: owns the DB file, keeps it and the indexes in step, and never loses a change.

Every change is an op (``sitrep.store.ops``) applied in memory and then made durable:

* ``journal=False`` (the CLI): the whole file is rewritten atomically under the lock.
* ``journal=True`` (the dashboard): the op is appended to ``NAME.journal`` (one fsync'd line);
  ``fold()`` writes the main file and drops the journal when the dashboard is idle.

Before writing anything the store compares the file's (inode, size, mtime_ns) and the
journal's with what it read. If either changed — another sitrep, a CLI command, a person saving
in vim by rename — it re-reads the file, replays the journal and re-applies its own unsaved
ops on top, so it never overwrites someone else's edit. A change that cannot be written (disk
full, read-only, lock held) stays pending in memory and is retried by the next ``flush()``.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sitrep.errors import DataFileError, InvalidValueError, NotFoundError, WriteError
from sitrep.models import (
    META_TABLE,
    Record,
    current_control,
)
from sitrep.store.changes import ChangesMixin
from sitrep.store.chunked_read import read_document_chunked
from sitrep.store.files import (
    BACKUP_COUNT,
    FileStamp,
    atomic_write,
    backup_path,
    file_stamp,
    locked,
    read_document,
    read_lock,
    remove_stale_temps,
    settled,
)
from sitrep.store.index import Index
from sitrep.store.journal import Journal
from sitrep.store.ops import Op, apply_op, json_copy, touched
from sitrep.store.queries import QueryMixin
from sitrep.store.serialise import dump_document_pieces

Clock = Callable[[], datetime]


class Store(ChangesMixin, QueryMixin):
    """One sitrep DB file, its indexes, and every change made to it."""

    def __init__(
        self,
        path: Path | str,
        *,
        journal: bool = False,
        clock: Clock | None = None,
        backups: int = BACKUP_COUNT,
    ) -> None:
        self.path = Path(path)
        self.journal_mode = journal
        self.backups = backups
        self._clock: Clock = clock or (lambda: datetime.now(UTC))
        self._journal = Journal(self.path)
        self._doc: dict[str, dict[str, Any]] = {}
        self._index = Index()
        self._stamp: FileStamp | None = None
        self._journal_stamp: FileStamp | None = None
        self._journal_id: str | None = None
        self._journal_seq = 0
        self._journal_ops = 0
        self._pending: list[Op] = []
        self._text_cache: dict[str, str] = {}
        self._search: tuple[list[str], list[Record]] | None = None
        self.version = 0
        self.loads = 0  # times the file was (re)read; a caller that sees it move must redraw
        self.file_error: DataFileError | None = None
        self.rejected: list[tuple[Op, str]] = []

    # ------------------------------------------------------------------ loading
    @classmethod
    def open(cls, path: Path | str, **options: Any) -> Store:
        """Open the DB at ``path`` (a missing file is an empty DB, created on first write)."""
        store = cls(path, **options)
        with read_lock(store.path):
            store._load_locked(strict=True)
        return store

    def changed_on_disk(self) -> bool:
        """True when the file or the journal differs from what this store last read or wrote."""
        return (
            file_stamp(self.path) != self._stamp
            or self._journal.stamp() != self._journal_stamp
        )

    def reload(self) -> bool:
        """Re-read the file if it changed on disk; True when the view changed.

        Raises DataFileError when the file is now invalid; the last good state stays in memory
        and nothing is written to the main file until it is valid again.
        """
        if not self.changed_on_disk():
            return False
        with read_lock(self.path):
            self._load_locked(strict=True)
        return True

    def _load_locked(self, *, strict: bool) -> None:
        # Parsing allocates millions of objects none of which is garbage yet: pausing the
        # cyclic collector meanwhile saves about a third of the load time at 100k claims.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            self._load_locked_inner(strict=strict)
        finally:
            # The loaded records live as long as the store: moving them out of the young
            # generations spares the next collections a walk over ~3 million objects (0.3 s).
            gc.freeze()
            if was_enabled:
                gc.enable()

    def _load_locked_inner(self, *, strict: bool) -> None:
        before = file_stamp(self.path)
        try:
            # the claims table a few MB at a time when the file is in sitrep's own layout:
            # half the peak memory of one loads() at 100k claims, and no slower
            found = read_document_chunked(self.path)
            doc, stamp = found if found is not None else read_document(self.path)
            if stamp is None and self._stamp is not None:
                # Gone since we read it: moved, deleted, or an editor (vim) renamed it away
                # and is writing the new version. Not an empty DB: keep the last good view
                # and write nothing until it is back.
                raise DataFileError(
                    self.path,
                    "the file has disappeared (moved, deleted, or being saved by an editor);"
                    " nothing is written to it until it is back",
                    backup=next((b for n in (1, 2, 3) if (b := backup_path(self.path, n))
                                 .exists()), None),
                )
        except DataFileError as exc:
            self.file_error = exc
            # an editor that finishes writing the file just after the failed read must make
            # the next look read it again, not leave the error standing
            self._stamp = settled(before, file_stamp(self.path)) or self._stamp
            # Keep numbering after what other processes appended meanwhile (their ops show up
            # once the file is readable again); reusing their seqs would confuse a later fold.
            journal_id, journal_ops = self._journal.read()
            if journal_id is not None:
                self._journal_id = journal_id
                self._journal_seq = max([self._journal_seq, *(op["seq"] for op in journal_ops)])
            self._journal_stamp = self._journal.stamp()
            if strict or not self.journal_mode:
                raise
            return
        journal_id, journal_ops = self._journal.read()
        folded = _meta(doc).get("journal_folded")
        if not isinstance(folded, dict) or not isinstance(folded.get("seq"), int):
            folded = {}  # a hand-mangled marker: replay the whole journal rather than crash
        skip_to = folded.get("seq", 0) if folded.get("id") == journal_id else 0
        index = Index()
        index.rebuild(doc)
        rejected: list[tuple[Op, str]] = []
        replayed = 0
        for op in journal_ops:
            if op["seq"] <= skip_to:
                continue
            replayed += 1
            reason = _try_apply(doc, index, op)
            if reason:
                rejected.append((op, reason))
        pending: list[Op] = []
        for op in self._pending:
            reason = _try_apply(doc, index, op)
            if reason:
                rejected.append((op, reason))
            else:
                pending.append(op)
        self._doc, self._index, self._pending = doc, index, pending
        self._stamp, self._journal_stamp = stamp, self._journal.stamp()
        self._journal_id = journal_id
        self._journal_seq = max((op["seq"] for op in journal_ops), default=0)
        self._journal_ops = replayed
        self._text_cache.clear()
        self._search = None
        self.rejected.extend(rejected)
        self.file_error = None
        self.version += 1
        self.loads += 1

    # ------------------------------------------------------------------ writing
    @property
    def pending(self) -> int:
        """Changes applied in memory that are not yet durable (a write failed)."""
        return len(self._pending)

    @property
    def pending_journal(self) -> int:
        """Changes in the journal that are not yet folded into the main file."""
        return self._journal_ops

    def apply(self, ops: Iterable[Op]) -> list[bool]:
        """Apply ops all-or-nothing in memory, then make them durable.

        Returns, per op, whether it changed anything. Raises NotFoundError/InvalidValueError
        (nothing changed) or WriteError/DataFileError (applied in memory, kept pending).
        """
        batch = [op for op in ops]
        with contextlib.ExitStack() as stack:
            # Apply on top of what is on disk *now*, under the lock: applied to a stale view, a
            # change that looked like a no-op there (status already "confirmed" here, while
            # another process set it to "disputed") would be dropped instead of written.
            try:
                stack.enter_context(locked(self.path))
                lock_error = None
            except WriteError as exc:
                lock_error = exc
            if lock_error is None and self.changed_on_disk():
                self._load_locked(strict=False)
            results = self._apply_in_memory(batch)
            effective = [op for op, changed in zip(batch, results, strict=True) if changed]
            if effective:
                self._pending.extend(effective)
                self.version += 1
                if lock_error is not None:
                    raise lock_error
                self._flush_locked()
        return results

    def _apply_in_memory(self, batch: list[Op]) -> list[bool]:
        snapshots: dict[tuple[str, str], Any] = {}
        new_keys: list[tuple[str, str]] = []
        results: list[bool] = []
        try:
            for op in batch:
                table, key = touched(op, self._doc, self._index)
                if key is not None and (table, key) not in snapshots:
                    snapshots[(table, key)] = json_copy(self._doc[table][key])
                size = len(self._doc.get(table, {}))
                results.append(apply_op(self._doc, self._index, op))
                if len(self._doc[table]) > size:  # a put inserted under the newest doc key
                    new_keys.append((table, str(self._index.max_key[table])))
                rid = op.get("id") or op.get("record", {}).get("id")
                if table == "claims" and isinstance(rid, str):
                    self._forget_text(rid)
        except RecursionError:
            self._rollback(snapshots, new_keys)
            raise InvalidValueError(
                "the record is nested too deeply for sitrep to change; fix it by hand first"
            ) from None
        except Exception:
            self._rollback(snapshots, new_keys)
            raise
        return results

    def _rollback(self, snapshots: dict[tuple[str, str], Any], new_keys: list[tuple[str, str]]
                  ) -> None:
        for table, key in new_keys:
            record = self._doc[table].pop(key, None)
            if isinstance(record, dict):
                self._index.remove(table, key, record)
        for (table, key), record in snapshots.items():
            current = self._doc[table].get(key)
            if isinstance(current, dict):
                self._index.remove(table, key, current, replacing=True)
            self._doc[table][key] = record
            self._index.add(table, key, record)
        self._text_cache.clear()
        self._search = None

    def flush(self) -> None:
        """Make pending changes durable (journal append or atomic rewrite).

        Raises WriteError or DataFileError and keeps the changes pending when that fails.
        """
        if not self._pending:
            return
        with locked(self.path):
            self._flush_locked()

    def _flush_locked(self) -> None:
        if self.changed_on_disk():
            self._load_locked(strict=False)
        if not self._pending:
            return
        if self.journal_mode:
            self._journal_id, self._journal_seq = self._journal.append(
                self._pending, self._journal_id, self._journal_seq
            )
            self._journal_ops += len(self._pending)
            self._journal_stamp = self._journal.stamp()
            self._pending = []
            return
        self._write_main_locked()

    def fold(self) -> bool:
        """Fold the journal and pending changes into the main file; True if it wrote.

        Raises the DataFileError of an invalid main file (nothing is written over it).
        """
        with locked(self.path):
            if self.changed_on_disk():
                self._load_locked(strict=False)
            if self.file_error is not None:
                raise self.file_error
            if not self._pending and not self._journal_ops and not self._journal.stamp():
                # Nothing to fold, but a write killed since the last one may have left its
                # temp file (as large as the DB): the dashboard folds when idle and on quit.
                remove_stale_temps(self.path)
                return False
            self._write_main_locked()
            return True

    def _write_main_locked(self) -> None:
        if self.file_error is not None:
            raise self.file_error
        if self._journal_id is not None:
            meta = _meta(self._doc, create=True)
            meta["journal_folded"] = {"id": self._journal_id, "seq": self._journal_seq}
        self._stamp = atomic_write(
            self.path, dump_document_pieces(self._doc), backups=self.backups
        )
        self._journal.remove()
        self._journal_stamp = None
        self._journal_id, self._journal_seq, self._journal_ops = None, 0, 0
        self._pending = []

    # ------------------------------------------------------------------ raw access
    @property
    def document(self) -> dict[str, dict[str, Any]]:
        """The whole document as in the file (read-only by convention)."""
        return self._doc

    def get(self, table: str, rid: str) -> Record | None:
        """The record with id ``rid`` in ``table``, or None."""
        if not isinstance(rid, str):  # e.g. a claim's "source" that a hand edit made a list
            return None
        key = self._index.by_id.get(table, {}).get(rid)
        return self._doc.get(table, {}).get(key) if key is not None else None

    def current_control(self, settlement_id: str) -> Record | None:
        """The latest control observation of a settlement."""
        record = self.get("settlements", settlement_id)
        return current_control(record) if record else None


def _try_apply(doc: dict[str, Any], index: Index, op: Op) -> str | None:
    """Apply an op during a reload; a failure is a reason string (the op is rejected)."""
    malformed = (KeyError, TypeError, AttributeError, ValueError, RecursionError)
    try:  # a journal line edited or mangled by hand must not stop the file from opening
        table, key = touched(op, doc, index)
        snapshot = json_copy(doc[table][key]) if key is not None else None
    except malformed as exc:
        return f"malformed change ({type(exc).__name__})"
    try:
        apply_op(doc, index, op)
    except (NotFoundError, InvalidValueError, *malformed) as exc:
        if key is not None and snapshot is not None:
            current = doc[table].get(key)
            if isinstance(current, dict):
                index.remove(table, key, current, replacing=True)
            doc[table][key] = snapshot
            index.add(table, key, snapshot)
        return str(exc) or type(exc).__name__
    return None


def _meta(doc: dict[str, Any], *, create: bool = False) -> dict[str, Any]:
    table = doc.get(META_TABLE)
    if not isinstance(table, dict):
        if not create:
            return {}
        table = doc[META_TABLE] = {}
    for record in table.values():
        if isinstance(record, dict):
            return record
    if not create:
        return {}
    table["1"] = {"schema": 1}
    return table["1"]

