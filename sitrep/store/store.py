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

The Store holds its parts: the loaded :class:`~sitrep.store.records.Records` (and their
index), the :class:`~sitrep.store.changes.Changes` that build every op, the
:class:`~sitrep.store.journal.Journal` and the :class:`~sitrep.store.backups.Backups`.
"""

from __future__ import annotations

import contextlib
import getpass
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sitrep.errors import DataFileError, InvalidValueError, NotFoundError, WriteError
from sitrep.gc_pause import gc_paused
from sitrep.models import META_TABLE, Record
from sitrep.store.backups import BACKUP_COUNT, Backups, backup_path
from sitrep.store.changes import Changes, Clock
from sitrep.store.chunked_read import read_document_chunked
from sitrep.store.document import Document, dump_document_pieces
from sitrep.store.document import read_document as parse_document_file
from sitrep.store.files import (
    FileStamp,
    atomic_write,
    file_stamp,
    locked,
    remove_stale_temps,
    settled,
)
from sitrep.store.index import Index
from sitrep.store.journal import Journal
from sitrep.store.json_keys import DuplicateKey
from sitrep.store.ops import Op, apply_op, json_copy, touched
from sitrep.store.records import Records
from sitrep.store.replay import replay_op
from sitrep.store.stale import StaleSave, merge_back

SETTLE_TRIES = 5  # reads of a file that keeps changing under an unlocked read, before giving up
INSERTED = None  # a file record snapshot standing for "not in the file": the op inserted it


def read_document(path: Path | str, *, duplicates: list[DuplicateKey] | None = None
                  ) -> tuple[Document, FileStamp | None]:
    """Read and parse a DB file whole (``sitrep validate``); an error names the newest good
    backup. A missing file reads as an empty document."""
    path = Path(path)
    try:
        return parse_document_file(path, duplicates=duplicates)
    except DataFileError as exc:
        raise Backups(path).name_in(exc) from None


def write_document(path: Path | str, doc: Document, *, backups: bool = True) -> FileStamp:
    """Write a whole document to ``path`` in sitrep's layout, atomically (a merge's result).

    With ``backups`` it is a DB file: written under its lock, the version it replaces kept as
    backup 1. Without, it is a scratch copy (git's temporary file of a merge): no lock file,
    no backups beside it.
    """
    path = Path(path)
    if not backups:
        return atomic_write(path, dump_document_pieces(doc))
    with locked(path):
        return atomic_write(path, dump_document_pieces(doc), before_replace=Backups(path).rotate)


class Store:
    """One sitrep DB file, its records and indexes, and every change made to it."""

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
        self.backups = Backups(self.path, keep=backups)
        self.records = Records()
        self.changes = Changes(self.records, clock or (lambda: datetime.now(UTC)))
        self._journal = Journal(self.path)
        self._stamp: FileStamp | None = None
        self._journal_stamp: FileStamp | None = None
        self._journal_id: str | None = None
        self._journal_seq = 0
        self._journal_ops = 0
        self._pending: list[Op] = []
        self.version = 0
        self.loads = 0  # times the file was (re)read; a caller that sees it move must redraw
        self.file_error: DataFileError | None = None
        self.rejected: list[tuple[Op, str]] = []
        self.refused: Op | None = None  # the op that made the last apply() fail, if one did
        # (table, doc key) -> the record as it is in the file, for each record the journal's
        # or pending changes changed in memory since the file was read or written (INSERTED:
        # not in the file): with the records, what the file held, for a stale save's merge
        self._file_records: dict[tuple[str, str], Any] = {}
        self._stale_write = False  # a stale save was merged back: the file must be rewritten
        self.stale_saves: list[StaleSave] = []  # what was merged back, for the front end

    # ------------------------------------------------------------------ loading
    @classmethod
    def open(cls, path: Path | str, **options: Any) -> Store:
        """Open the DB at ``path`` (a missing file is an empty DB, created on first write).

        Reading takes no lock and creates no file: see :meth:`_read`."""
        store = cls(path, **options)
        store._load(strict=True)
        return store

    def take_stale_saves(self) -> list[StaleSave]:
        """The stale saves merged back since the last call (the front end tells the analyst)."""
        found, self.stale_saves = self.stale_saves, []
        return found

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
        self._load(strict=True)
        if self._stale_write:  # an editor's stale save was merged back: write the result
            with contextlib.suppress(WriteError), locked(self.path):
                if self.changed_on_disk():
                    self._load(strict=False)
                if self._stale_write and self.file_error is None:
                    self._write_main_locked()
        return True

    def _read(self) -> tuple[Document, FileStamp | None, str | None, list[Op], FileStamp | None]:
        """The main file and the journal as one consistent pair, without the lock.

        A writer replaces the main file by one rename and only then drops (or starts) the
        journal, so the main file read, then the journal, is consistent unless the main file
        was replaced meanwhile, which its stamp shows: then both are read again. A file that
        keeps changing is left with the stamp ``files.UNSETTLED`` and read at the next look.
        """
        for _ in range(SETTLE_TRIES):
            # the claims table a few MB at a time when the file is in sitrep's own layout:
            # half the peak memory of one loads() at 100k claims, and no slower
            found = read_document_chunked(self.path)
            doc, stamp = found if found is not None else parse_document_file(self.path)
            journal_id, journal_ops, journal_stamp = self._journal.read()
            if file_stamp(self.path) == stamp:
                break
        return doc, stamp, journal_id, journal_ops, journal_stamp

    def _load(self, *, strict: bool) -> None:
        # Parsing allocates millions of objects none of which is garbage yet: pausing the
        # cyclic collector meanwhile saves about a third of the load time at 100k claims.
        with gc_paused():
            self._load_paused(strict=strict)

    def _descends_from_ours(self) -> bool:
        """True when the file now is ours, or a sitrep write made it from ours: that write
        kept ours as backup 1 (a hard link, same stamp). Anything else may be a stale save."""
        if self.loads == 0 or self._stamp is None:
            return True
        return file_stamp(self.path) == self._stamp or (
            file_stamp(backup_path(self.path, 1)) == self._stamp)

    def _file_view(self) -> Document:
        """The file as this store last read or wrote it: the records, with those changed in
        memory since (by the journal, by pending changes) as they are in the file."""
        doc = self.records.doc
        if not self._file_records:
            return doc
        view = dict(doc)
        for (table, key), record in self._file_records.items():
            if view[table] is doc[table]:
                view[table] = dict(doc[table])
            if record is INSERTED:
                view[table].pop(key, None)
            else:
                view[table][key] = record
        return view

    def _merge_back(self, previous: Document, doc: Document, index: Index,
                    stamp: FileStamp | None) -> Document | None:
        """``doc`` with the changes of ``previous`` that an editor's save dropped merged back
        (``sitrep.store.stale``), or None when it dropped none."""
        now = datetime.now(UTC)
        ours_at = _stamp_time(self._stamp) or dates_iso(now)
        theirs_at = _stamp_time(stamp) or dates_iso(now)
        found = merge_back(previous, doc, index.by_id, path=str(self.path),
                           ours=(ours_at, "sitrep"), theirs=(theirs_at, _login()))
        if found is None:
            return None
        merged, notice = found
        self.stale_saves.append(notice)
        self._stale_write = True
        return merged

    def _load_paused(self, *, strict: bool) -> None:
        before = file_stamp(self.path)
        previous = None if self._descends_from_ours() else self._file_view()
        try:
            doc, stamp, journal_id, journal_ops, journal_stamp = self._read()
            if stamp is None and self._stamp is not None:
                # Gone since we read it: moved, deleted, or an editor (vim) renamed it away
                # and is writing the new version. Not an empty DB: keep the last good view
                # and write nothing until it is back.
                raise DataFileError(
                    self.path,
                    "the file has disappeared (moved, deleted, or being saved by an editor);"
                    " nothing is written to it until it is back",
                    backup=self.backups.newest(),
                )
        except DataFileError as exc:
            self.file_error = self.backups.name_in(exc)
            # an editor that finishes writing the file just after the failed read must make
            # the next look read it again, not leave the error standing
            self._stamp = settled(before, file_stamp(self.path)) or self._stamp
            # Keep numbering after what other processes appended meanwhile (their ops show up
            # once the file is readable again); reusing their seqs would confuse a later fold.
            journal_id, journal_ops, self._journal_stamp = self._journal.read()
            if journal_id is not None:
                self._journal_id = journal_id
                self._journal_seq = max([self._journal_seq, *(op["seq"] for op in journal_ops)])
            if strict or not self.journal_mode:
                raise
            return
        index = Index()
        index.rebuild(doc)
        if previous is not None and stamp is not None:
            merged = self._merge_back(previous, doc, index, stamp)
            if merged is not None:
                doc = merged
                index = Index()
                index.rebuild(doc)
        rejected: list[tuple[Op, str]] = []
        file_records: dict[tuple[str, str], Any] = {}
        file_side = (_stamp_time(stamp) or dates_iso(datetime.now(UTC)), _login())
        unfolded = unfolded_ops(doc, journal_id, journal_ops)
        replayed = len(unfolded)
        for op in unfolded:
            reason = _try_apply(doc, index, op, file_records, file_side)
            if reason:
                rejected.append((op, reason))
        pending: list[Op] = []
        for op in self._pending:
            reason = _try_apply(doc, index, op, file_records)
            if reason:
                rejected.append((op, reason))
            else:
                pending.append(op)
        self._file_records = file_records
        self.records.reset(doc, index)
        self._pending = pending
        self._stamp, self._journal_stamp = stamp, journal_stamp
        self._journal_id = journal_id
        self._journal_seq = max((op["seq"] for op in journal_ops), default=0)
        self._journal_ops = replayed
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
        (nothing changed; ``refused`` is the op refused, for a caller that can say where it
        came from) or WriteError/DataFileError (applied in memory, kept pending).
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
                self._load(strict=False)
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
        doc, index = self.records.doc, self.records.index
        snapshots: dict[tuple[str, str], Any] = {}
        new_keys: list[tuple[str, str]] = []
        results: list[bool] = []
        self.refused = None
        try:
            for op in batch:
                self.refused = op
                table, key = touched(op, doc, index)
                if key is not None and (table, key) not in snapshots:
                    snapshots[(table, key)] = json_copy(doc[table][key])
                size = len(doc.get(table, {}))
                if op["op"] == "set" and key is not None and isinstance(op.get("fields"), dict):
                    # what the change really replaces, now, under the lock (the builder saw an
                    # older view): the journal's replay compares it with the file
                    current = doc[table][key]
                    op["from"] = {name: current.get(name) for name in op["fields"]}
                results.append(apply_op(doc, index, op))
                if len(doc[table]) > size:  # a put inserted under the newest doc key
                    new_keys.append((table, str(index.max_key[table])))
                rid = op.get("id") or op.get("record", {}).get("id")
                if table == "claims" and isinstance(rid, str):
                    self.records.forget_text(rid)
            self.refused = None
        except RecursionError:
            self._rollback(snapshots, new_keys)
            raise InvalidValueError(
                "the record is nested too deeply for sitrep to change; fix it by hand first"
            ) from None
        except Exception:
            self._rollback(snapshots, new_keys)
            raise
        for slot, record in snapshots.items():
            self._file_records.setdefault(slot, record)
        for slot in new_keys:
            self._file_records.setdefault(slot, INSERTED)
        return results

    def _rollback(self, snapshots: dict[tuple[str, str], Any], new_keys: list[tuple[str, str]]
                  ) -> None:
        doc, index = self.records.doc, self.records.index
        for table, key in new_keys:
            record = doc[table].pop(key, None)
            if isinstance(record, dict):
                index.remove(table, key, record)
        for (table, key), record in snapshots.items():
            current = doc[table].get(key)
            if isinstance(current, dict):
                index.remove(table, key, current, replacing=True)
            doc[table][key] = record
            index.add(table, key, record)
        self.records.forget_texts()

    def flush(self) -> None:
        """Make pending changes durable (journal append or atomic rewrite).

        Raises WriteError or DataFileError and keeps the changes pending when that fails.
        """
        if not self._pending and not self._stale_write:
            return
        with locked(self.path):
            self._flush_locked()

    def _flush_locked(self) -> None:
        if self.changed_on_disk():
            self._load(strict=False)
        if self._stale_write:  # a stale save merged back: the whole file, not the journal
            self._write_main_locked()
            return
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
                self._load(strict=False)
            if self.file_error is not None:
                raise self.file_error
            if not (self._pending or self._journal_ops or self._journal.stamp()
                    or self._stale_write):
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
            meta = _meta(self.records.doc, create=True)
            meta["journal_folded"] = {"id": self._journal_id, "seq": self._journal_seq}
        self._stamp = atomic_write(
            self.path, dump_document_pieces(self.records.doc), before_replace=self.backups.rotate
        )
        self._journal.remove()
        self._journal_stamp = None
        self._journal_id, self._journal_seq, self._journal_ops = None, 0, 0
        self._pending = []
        self._file_records = {}
        self._stale_write = False

    # ------------------------------------------------------------------ reads
    @property
    def document(self) -> Document:
        """The whole document as in the file (read-only by convention)."""
        return self.records.doc

    def get(self, table: str, rid: str) -> Record | None:
        """The record with id ``rid`` in ``table``, or None."""
        return self.records.get(table, rid)

    def find(self, rid: str) -> tuple[str, Record] | None:
        """(table, record) for an id in any table (claims first), or None."""
        return self.records.find(rid)

    def claims(self) -> list[Record]:
        """Every claim record, in file order."""
        return self.records.claims()

    def sources(self) -> list[Record]:
        """Every source record, in file order."""
        return self.records.sources()

    def settlements(self) -> list[Record]:
        """Every settlement record, in file order."""
        return self.records.settlements()

    def claim(self, rid: str) -> Record | None:
        """The claim with id ``rid``, or None."""
        return self.records.get("claims", rid)

    def source(self, rid: str) -> Record | None:
        """The source with id ``rid``, or None."""
        return self.records.get("sources", rid)

    def settlement(self, rid: str) -> Record | None:
        """The settlement with id ``rid``, or None."""
        return self.records.get("settlements", rid)

    def claims_for_settlement(self, settlement_id: str) -> list[Record]:
        """Claims that name a settlement."""
        return self.records.claims_for_settlement(settlement_id)

    def claims_for_source(self, source_id: str) -> list[Record]:
        """Claims made by a source."""
        return self.records.claims_for_source(source_id)

    def claims_with_status(self, status: str) -> list[Record]:
        """Claims with a verification status."""
        return self.records.claims_with_status(status)

    def counts_by_status(self, claims: Iterable[Record] | None = None) -> dict[str, int]:
        """How many claims (all, or those given) have each status; known statuses first."""
        return self.records.counts_by_status(claims)

    def filter_claims(self, *, status: str | None = None, source: str | None = None,
                      settlement: str | None = None, since: str | None = None,
                      text: str | None = None) -> list[Record]:
        """Claims matching every given condition (see :meth:`Records.filter_claims`)."""
        return self.records.filter_claims(status=status, source=source, settlement=settlement,
                                          since=since, text=text)

    def current_control(self, settlement_id: str) -> Record | None:
        """The latest control observation of a settlement."""
        return self.records.current_control(settlement_id)

    def control_as_of(self, settlement_id: str, when: str) -> Record | None:
        """Who held a settlement as of ``when`` (see :meth:`Records.control_as_of`)."""
        return self.records.control_as_of(settlement_id, when)

    # ------------------------------------------------------------------ named changes
    def set_status(self, claim_id: str, status: str, *, by: str, note: str | None = None
                   ) -> Record:
        """Change a claim's verification status (history records who, when, why)."""
        self.apply([self.changes.status(claim_id, status, by=by, note=note)])
        return self.changes.require("claims", claim_id)

    def set_credibility(self, claim_id: str, grade: str | int, *, by: str,
                        note: str | None = None) -> Record:
        """Change a claim's Admiralty credibility (1-6)."""
        self.apply([self.changes.credibility(claim_id, grade, by=by, note=note)])
        return self.changes.require("claims", claim_id)

    def set_reliability(self, source_id: str, grade: str, *, by: str, note: str | None = None
                        ) -> Record:
        """Change a source's Admiralty reliability (A-F)."""
        self.apply([self.changes.reliability(source_id, grade, by=by, note=note)])
        return self.changes.require("sources", source_id)

    def grade(self, record_ids: Iterable[str], grade: str | tuple[str | None, int | None], *,
              by: str, note: str | None = None) -> list[tuple[str, Record]]:
        """Grade claims or sources (``B3`` on a claim also grades its source); returns the
        (table, record) pairs it touched, sources first."""
        ops = self.changes.grade(record_ids, grade, by=by, note=note)
        self.apply(ops)
        return [(op["table"], self.changes.require(op["table"], op["id"])) for op in ops]

    def add_control(self, settlement_id: str, controller: str, as_of: str, *, by: str,
                    claim: str | None = None, note: str | None = None) -> Record:
        """Record who controls a settlement as of a date (stored once however often)."""
        self.apply([self.changes.control(settlement_id, controller, as_of, by=by, claim=claim,
                                         note=note)])
        return self.changes.require("settlements", settlement_id)

    def add_note(self, table: str | None, record_id: str, text: str, *, by: str) -> Record:
        """Append a note to a record's history (``table`` None: find the id in any table)."""
        op = self.changes.note(table, record_id, text, by=by)
        self.apply([op])
        return self.changes.require(op["table"], record_id)

    def put(self, table: str, record: Record, *, by: str, note: str | None = None,
            field: str = "record") -> Record:
        """Insert ``record``, or replace the record with its id; history stays append-only."""
        self.apply([self.changes.put(table, record, by=by, note=note, field=field)])
        return self.changes.require(table, record["id"])

    def resolve(self, record_id: str, field: str, value: str | None, *, by: str,
                note: str | None = None) -> tuple[str, Record]:
        """Resolve the open conflict on ``field`` of a record by picking a value (see
        :meth:`Changes.resolve`); returns (table, record)."""
        op = self.changes.resolve(record_id, field, value, by=by, note=note)
        self.apply([op])
        return op["table"], self.changes.require(op["table"], record_id)

    def merge_settlements(self, keep_id: str, drop_id: str, *, by: str,
                          note: str | None = None) -> tuple[Record, int]:
        """Make DROP part of KEEP (see :meth:`Changes.merge_settlements`) in one write;
        returns KEEP's record and how many claims now name it instead of DROP."""
        ops = self.changes.merge_settlements(keep_id, drop_id, by=by, note=note)
        self.apply(ops)
        return self.changes.require("settlements", keep_id), len(ops) - 2

    def delete(self, table: str, record_id: str, *, by: str) -> None:
        """Remove a record (references to it become validation problems, shown by validate)."""
        self.apply([self.changes.delete(table, record_id, by=by)])


def unfolded_ops(doc: Document, journal_id: str | None, ops: list[Op]) -> list[Op]:
    """The journal's ops that the main file ``doc`` does not hold yet (its ``_meta`` marker
    names the journal and the last seq folded into it)."""
    folded = _meta(doc).get("journal_folded")
    if not isinstance(folded, dict) or not isinstance(folded.get("seq"), int):
        folded = {}  # a hand-mangled marker: replay the whole journal rather than crash
    skip_to = folded.get("seq", 0) if folded.get("id") == journal_id else 0
    return [op for op in ops if op["seq"] > skip_to]


def waiting_in_journal(path: Path | str, doc: Document) -> int:
    """How many changes the journal beside ``path`` holds that its main file ``doc`` does not
    (a dashboard's changes not yet folded in: ``sitrep validate`` reports them)."""
    journal_id, ops, _ = Journal(Path(path)).read()
    return len(unfolded_ops(doc, journal_id, ops))


def _login() -> str:
    """Who saved a hand edit: the login name (its changes carry no analyst)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def dates_iso(moment: datetime) -> str:
    """A moment in the file's form (UTC, to the second)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _stamp_time(stamp: FileStamp | None) -> str | None:
    """The modification time of the version a stamp names, in the file's form."""
    if stamp is None or stamp.mtime_ns < 0:
        return None
    return dates_iso(datetime.fromtimestamp(stamp.mtime_ns / 1e9, UTC))


def _try_apply(doc: dict[str, Any], index: Index, op: Op,
               file_records: dict[tuple[str, str], Any],
               file_side: tuple[str, str] | None = None) -> str | None:
    """Apply an op during a reload; a failure is a reason string (the op is rejected). With
    ``file_side`` (at, by of the file's hand edits) it is a journal line: replayed by
    ``sitrep.store.replay``'s rules. ``file_records`` gets the file's version of what it
    changes."""
    malformed = (KeyError, TypeError, AttributeError, ValueError, RecursionError)
    try:  # a journal line edited or mangled by hand must not stop the file from opening
        table, key = touched(op, doc, index)
        snapshot = json_copy(doc[table][key]) if key is not None else None
    except malformed as exc:
        return f"malformed change ({type(exc).__name__})"
    records = doc.get(table) if isinstance(table, str) else None
    size = len(records) if isinstance(records, dict) else 0
    try:
        if file_side is not None:
            replay_op(doc, index, op, file_side)
        else:
            apply_op(doc, index, op)
    except (NotFoundError, InvalidValueError, *malformed) as exc:
        if key is not None and snapshot is not None:
            current = doc[table].get(key)
            if isinstance(current, dict):
                index.remove(table, key, current, replacing=True)
            doc[table][key] = snapshot
            index.add(table, key, snapshot)
        return str(exc) or type(exc).__name__
    if key is not None:
        file_records.setdefault((table, key), snapshot)
    elif len(doc.get(table, {})) > size:
        file_records.setdefault((table, str(index.max_key[table])), INSERTED)
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

