"""The dashboard's store I/O, all in thread workers that post messages back.

The UI thread never touches the disk. Every store call (writes, flush retries, polling for
outside edits, reloads, folding the journal) runs in a worker under one lock (:attr:`Saver.lock`,
also taken by the feed importer, the date switch and the report writer), so the store is used
by one thread at a time. Writes are queued jobs; a failed write keeps the change pending in the
store and is retried, never dropped.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

from sitrep.errors import DataFileError, SitrepError, WriteError
from sitrep.gc_pause import FirstFramePause, keep_loaded
from sitrep.store import Store
from sitrep.tui.app_calls import AppCalls
from sitrep.tui.messages import (
    BuildReason,
    FileProblem,
    ModelBuilt,
    Refused,
    Saved,
    StatusMasks,
    TriageQueue,
)
from sitrep.tui.model import DashboardModel, build_model
from sitrep.tui.session import Job


class Host(AppCalls, Protocol):
    """What the saver uses of the app that holds it (a Textual App)."""

    @property
    def model(self) -> DashboardModel | None:
        """The view model shown now (a rebuild keeps its filter, collapsed groups and sort)."""


class Saver:
    """The job queue, the store lock and the workers that run store calls."""

    def __init__(self, host: Host, store: Store) -> None:
        self.host = host
        self.store = store
        self.jobs: deque[Job] = deque()
        #: the store's one user at a time
        self.lock = threading.Lock()
        self.last_change = 0.0
        #: Seconds after the last change reached the store before the journal is folded
        #: when idle (a test that looks at the journal sets it to infinity).
        self.fold_delay = 2.0
        self.file_invalid = False
        self.write_failed = False
        self.jobs_submitted = 0
        self.jobs_done = 0
        self._gc = FirstFramePause()

    def _worker(self, work: Callable[[], None], group: str) -> None:
        self.host.run_worker(work, thread=True, exclusive=True, group=group,
                             exit_on_error=False)

    def changes_durable(self) -> bool:
        """True when every change submitted so far has been through the store and none is
        pending: each is in the journal or the main file, so a crash now loses none of them.

        The header says the same to the analyst ("saving…", "N change(s) pending"); this is the
        signal for scripts and tests (the fault suite acknowledges a change only after it).
        """
        return self.jobs_done == self.jobs_submitted and not self.store.pending

    def submit(self, job: Job) -> None:
        """Queue a change; the writer starts right after the next frame is drawn, so the
        key's effect is on screen before the worker thread competes for the interpreter."""
        self.jobs.append(job)
        self.jobs_submitted += 1
        self.last_change = time.monotonic()
        self.host.call_after_refresh(lambda: self._worker(self._drain_jobs, "store-write"))

    def _drain_jobs(self) -> None:
        post = self.host.post_message
        with self.lock:
            while self.jobs:
                job = self.jobs.popleft()
                loads = self.store.loads
                try:
                    records = job.run(self.store)
                except WriteError as exc:
                    self.jobs_done += 1  # applied, kept pending: changes_durable() says no
                    post(Saved(job, [], self.store.loads != loads, exc))
                    self._show_merged(loads)
                    continue
                except SitrepError as exc:
                    self.jobs_done += 1
                    post(Refused(job, exc))
                    self._show_merged(loads)
                    continue
                self.jobs_done += 1
                # idle is counted from when the change reached the journal, not from the key:
                # a long job (an import) is not folded the moment it lands
                self.last_change = time.monotonic()
                post(Saved(job, records, self.store.loads != loads))
                self._show_merged(loads)

    def _show_merged(self, loads: int) -> None:
        """After a store call that may have re-read the file (a write, a retry, a fold): if it
        did, show what it merged. The poller will not, since the store is up to date now."""
        if self.store.loads != loads:
            keep_loaded()  # the records just re-read live as long as the app
            self.host.post_message(ModelBuilt(build_model(self.store, self.host.model),
                                              BuildReason.MERGED))
            self._tell_merged_back()

    def _tell_merged_back(self) -> None:
        for notice in self.store.take_stale_saves():
            self.host.post_message(FileProblem(None, "merged", str(notice)))

    def retry_pending(self) -> None:
        """Try again, in a worker, to make pending changes durable."""
        self._worker(self._retry_pending, "store-flush")

    def _retry_pending(self) -> None:
        with self.lock:
            loads = self.store.loads
            try:
                self.store.flush()
            except WriteError as exc:
                self.host.post_message(FileProblem(exc, "write"))
                return
            except DataFileError:
                return
            finally:
                self._show_merged(loads)
            self.host.post_message(FileProblem(None, "write"))

    def poll_disk(self) -> None:
        """In a worker: reload when the file or journal changed on disk (a hand edit,
        another process)."""
        self._worker(self._poll_disk, "store-poll")

    def _poll_disk(self) -> None:
        if not self.lock.acquire(blocking=False):
            return
        try:
            if not self.store.changed_on_disk():
                return
            try:
                changed = self.store.reload()
            except DataFileError as exc:
                self.host.post_message(FileProblem(exc, "read"))
                return
            if self.file_invalid:
                self.host.post_message(FileProblem(None, "read"))
            if changed:
                keep_loaded()  # the records just re-read live as long as the app
                self.host.post_message(ModelBuilt(build_model(self.store, self.host.model),
                                                  BuildReason.RELOADED))
                self._tell_merged_back()
        finally:
            self.lock.release()

    def fold_journal(self) -> None:
        """In a worker: fold the journal into the main file (when idle)."""
        self._worker(self._fold_journal, "store-fold")

    def _fold_journal(self) -> None:
        if not self.lock.acquire(blocking=False):
            return
        loads = self.store.loads
        try:
            if self.store.pending_journal and not self.store.file_error:
                self.store.fold()
        except DataFileError as exc:
            self.host.post_message(FileProblem(exc, "read"))
        except WriteError as exc:
            self.host.post_message(FileProblem(exc, "write"))
        finally:
            self._show_merged(loads)
            self.lock.release()

    def open_model(self, stale_days: int) -> DashboardModel:
        """The first view model, built now, for the very first frame.

        The store is already in memory, so this is CPU work, not I/O: in a worker it would
        only share the interpreter with frames that say "loading…" (at 100k claims that made
        the first full frame 0.5 s later). The collector stays off until that frame is drawn
        (:class:`sitrep.gc_pause.FirstFramePause`); then :meth:`warm_up` builds the rest of the
        search index in a worker.
        """
        self._gc.begin()
        with self.lock:
            return build_model(self.store, stale_days=stale_days)

    def warm_up(self, model: DashboardModel) -> None:
        """After the first frame: the collector back on, and in a worker the triage queue,
        the status masks, the free-word haystacks and the place masks (started at once, so
        waiting for the app's workers includes it, but idle until the frame is drawn, so it
        does not share the interpreter with that frame)."""
        drawn = threading.Event()

        def first_frame_drawn() -> None:
            self._gc.first_frame_drawn()
            drawn.set()

        def warm() -> None:
            drawn.wait(5.0)
            self.host.post_message(TriageQueue(model, *model.build_triage()))
            model.pos  # noqa: B018 - the id -> position map, left out of the first frame
            self.host.post_message(StatusMasks(model, *model.build_status_masks()))
            model.text_hays()
            for pid in list(model.places):
                model.place_mask(pid)

        self.host.call_after_refresh(first_frame_drawn)
        self._worker(warm, "store-open")

    def close(self) -> None:
        """The app closes: give the collector back (see :class:`FirstFramePause`)."""
        self._gc.close()

    def idle_tick(self) -> None:
        """Every second: retry failed writes; fold the journal ``fold_delay`` (2 s) after the
        last change reached the store."""
        if self.write_failed or self.store.pending:
            self.retry_pending()
        elif (
            self.store.pending_journal
            and not self.jobs
            and not self.file_invalid
            and time.monotonic() - self.last_change > self.fold_delay
        ):
            self.fold_journal()

    def fold_now(self) -> str | None:
        """On quit: make everything durable in the main file; a reason if that failed."""
        with self.lock:
            try:
                while self.jobs:
                    job = self.jobs.popleft()
                    self.jobs_done += 1
                    try:
                        job.run(self.store)
                    except WriteError:
                        pass
                    except SitrepError:
                        continue
                if self.store.pending:
                    self.store.flush()
                if self.store.pending_journal and not self.store.file_error:
                    self.store.fold()
            except SitrepError as exc:
                return str(exc)
        return None
