"""Store I/O for the dashboard, all in thread workers that post messages back.

The UI thread never touches the disk. Every store call (writes, flush retries, polling for
outside edits, reloads, folding the journal) runs in a worker under one lock, so the store is
used by one thread at a time. Writes are queued jobs; a failed write keeps the change pending
in the store and is retried, never dropped.
"""

from __future__ import annotations

import gc
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from textual import work
from textual.message import Message

from sitrep.analysis.triage import DEFAULT_STALE_DAYS
from sitrep.errors import DataFileError, SitrepError, WriteError
from sitrep.gc_pause import keep_loaded
from sitrep.store import Store
from sitrep.tui.model import DashboardModel

Record = dict[str, Any]


@dataclass
class Job:
    """One change to make through the store: ``run(store)`` returns the touched records."""

    label: str
    run: Callable[[Store], list[tuple[str, Record]]]
    revert: Callable[[], None] | None = None
    undo: list[tuple[str, str, str, Any]] = field(default_factory=list)
    # What the analyst typed (an edit as JSON): kept for the next ``e`` if the store refuses it.
    draft: tuple[str, str, str] | None = None


class Saved(Message):
    """A job went through the store (durable, or pending after a WriteError)."""

    def __init__(self, job: Job, records: list[tuple[str, Record]], reloaded: bool,
                 error: SitrepError | None = None) -> None:
        super().__init__()
        self.job = job
        self.records = records
        self.reloaded = reloaded
        self.error = error


class Refused(Message):
    """The store refused a job (invalid value, missing record): nothing changed."""

    def __init__(self, job: Job, error: SitrepError) -> None:
        super().__init__()
        self.job = job
        self.error = error


class ModelBuilt(Message):
    """A fresh view model, after opening or after the file changed on disk."""

    def __init__(self, model: DashboardModel, reason: str) -> None:
        super().__init__()
        self.model = model
        self.reason = reason


class StatusMasks(Message):
    """Status masks prebuilt in a worker, installed on the UI thread if still current."""

    def __init__(self, model: DashboardModel, version: int, masks: dict[str, int]) -> None:
        super().__init__()
        self.model = model
        self.version = version
        self.masks = masks


class TriageQueue(Message):
    """The whole triage queue prebuilt in a worker, installed on the UI thread if still
    current (the first frame has only its head)."""

    def __init__(self, model: DashboardModel, version: int, queue: list[int]) -> None:
        super().__init__()
        self.model = model
        self.version = version
        self.queue = queue


class FileProblem(Message):
    """Reading (DataFileError) or writing (WriteError) the file failed, or recovered (None);
    kind ``merged``: the store merged back what an editor's stale save dropped (``notice``)."""

    def __init__(self, error: SitrepError | None, kind: str, notice: str = "") -> None:
        super().__init__()
        self.error = error
        self.kind = kind
        self.notice = notice


def build_model(store: Store, like: DashboardModel | None = None,
                stale_days: int | None = None) -> DashboardModel:
    """A view model of the store's records, keeping filter, folds and sort of ``like``;
    stale after ``stale_days`` (None: ``like``'s window, else the default)."""
    if stale_days is None:
        stale_days = like.stale_days if like is not None else DEFAULT_STALE_DAYS
    # the claims table itself: the model's one pass leaves out what is not a record (a list
    # of them first would touch 100k records once more)
    claims = store.document.get("claims")
    model = DashboardModel(
        claims.values() if isinstance(claims, dict) else store.claims(),
        store.sources(),
        store.settlements(),
        stale_days=stale_days,
    )
    return carry_over(model, like)


def carry_over(model: DashboardModel, like: DashboardModel | None) -> DashboardModel:
    """``model`` with the filter, folds and sort of ``like`` (a rebuild, mostly in a worker:
    nothing left for the UI thread); ``like`` None: as built."""
    if like is not None:
        model.triage_all  # noqa: B018 - the whole queue
        model.folded = set(like.folded)
        model.sort_places(like.sort_key, like.sort_reverse)
        model.set_query(like.query.text)
    return model


class StoreWorkers:
    """Mixin for the App: the job queue and the workers that run store calls.

    ``post_message`` (thread-safe) and the ``@work`` machinery come from the App.
    """

    store: Store
    model: DashboardModel | None
    post_message: Callable[[Message], bool]
    #: the app's :class:`sitrep.tui.as_of.AsOfState` (its ``stale_days``, from config.toml)
    as_of: Any

    def init_store_workers(self) -> None:
        """Set up the queue and the lock (call from App.__init__)."""
        self._jobs: deque[Job] = deque()
        self._store_lock = threading.Lock()
        self.last_change = 0.0
        #: Seconds after the last change reached the store before the journal is folded
        #: when idle (a test that looks at the journal sets it to infinity).
        self.fold_delay = 2.0
        self.file_invalid = False
        self.write_failed = False
        self.jobs_submitted = 0
        self.jobs_done = 0
        self._gc_paused = False
        self._gc_unfreeze = False

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
        self._jobs.append(job)
        self.jobs_submitted += 1
        self.last_change = time.monotonic()
        self.call_after_refresh(self._drain_jobs)  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="store-write", exit_on_error=False)
    def _drain_jobs(self) -> None:
        with self._store_lock:
            while self._jobs:
                job = self._jobs.popleft()
                loads = self.store.loads
                try:
                    records = job.run(self.store)
                except WriteError as exc:
                    self.jobs_done += 1  # applied, kept pending: changes_durable() says no
                    self.post_message(Saved(job, [], self.store.loads != loads, exc))
                    self._show_merged(loads)
                    continue
                except SitrepError as exc:
                    self.jobs_done += 1
                    self.post_message(Refused(job, exc))
                    self._show_merged(loads)
                    continue
                self.jobs_done += 1
                # idle is counted from when the change reached the journal, not from the key:
                # a long job (an import) is not folded the moment it lands
                self.last_change = time.monotonic()
                self.post_message(Saved(job, records, self.store.loads != loads))
                self._show_merged(loads)

    def _show_merged(self, loads: int) -> None:
        """After a store call that may have re-read the file (a write, a retry, a fold): if it
        did, show what it merged. The poller will not, since the store is up to date now."""
        if self.store.loads != loads:
            keep_loaded()  # the records just re-read live as long as the app
            self.post_message(ModelBuilt(build_model(self.store, self.model), "merged"))
            self._tell_merged_back()

    def _tell_merged_back(self) -> None:
        for notice in self.store.take_stale_saves():
            self.post_message(FileProblem(None, "merged", str(notice)))

    @work(thread=True, exclusive=True, group="store-flush", exit_on_error=False)
    def retry_pending(self) -> None:
        """Try again to make pending changes durable."""
        with self._store_lock:
            loads = self.store.loads
            try:
                self.store.flush()
            except WriteError as exc:
                self.post_message(FileProblem(exc, "write"))
                return
            except DataFileError:
                return
            finally:
                self._show_merged(loads)
            self.post_message(FileProblem(None, "write"))

    @work(thread=True, exclusive=True, group="store-poll", exit_on_error=False)
    def poll_disk(self) -> None:
        """Reload when the file or journal changed on disk (a hand edit, another process)."""
        if not self._store_lock.acquire(blocking=False):
            return
        try:
            if not self.store.changed_on_disk():
                return
            try:
                changed = self.store.reload()
            except DataFileError as exc:
                self.post_message(FileProblem(exc, "read"))
                return
            if self.file_invalid:
                self.post_message(FileProblem(None, "read"))
            if changed:
                keep_loaded()  # the records just re-read live as long as the app
                self.post_message(ModelBuilt(build_model(self.store, self.model), "reloaded"))
                self._tell_merged_back()
        finally:
            self._store_lock.release()

    @work(thread=True, exclusive=True, group="store-fold", exit_on_error=False)
    def fold_journal(self) -> None:
        """Fold the journal into the main file (when idle)."""
        if not self._store_lock.acquire(blocking=False):
            return
        loads = self.store.loads
        try:
            if self.store.pending_journal and not self.store.file_error:
                self.store.fold()
        except DataFileError as exc:
            self.post_message(FileProblem(exc, "read"))
        except WriteError as exc:
            self.post_message(FileProblem(exc, "write"))
        finally:
            self._show_merged(loads)
            self._store_lock.release()

    def load_model(self) -> None:
        """Build the first view model and show it in the very first frame.

        The store is already in memory, so this is CPU work, not I/O: in a worker it would
        only share the interpreter with frames that say "loading…" (at 100k claims that made
        the first full frame 0.5 s later). The search index is warmed in a worker once the
        first frame is on screen.

        The cyclic GC is off until that frame is drawn: a collection while the model's
        100k-entry lists are young reads every record they point to (at 100k claims, 30 ms of
        gen-0 and 15 ms of gen-1 collections inside the first frame). Once it is drawn, what
        is alive is frozen (``gc.freeze()``, as ``run_dashboard`` does after loading), so no
        later full collection walks those lists again in the middle of a keystroke (35 ms at
        100k); an app that froze a clean slate unfreezes it when it closes.
        """
        self._gc_paused = gc.isenabled()
        gc.disable()
        with self._store_lock:
            model = build_model(self.store, stale_days=self.as_of.stale_days)
        self.on_model_built(ModelBuilt(model, "opened"))  # type: ignore[attr-defined]
        drawn = threading.Event()

        def first_frame_drawn() -> None:
            if self._gc_paused:
                self._gc_unfreeze = gc.get_freeze_count() == 0
                gc.freeze()
            self.resume_gc()
            drawn.set()

        self.call_after_refresh(first_frame_drawn)  # type: ignore[attr-defined]
        self.warm_search(model, drawn)

    def resume_gc(self) -> None:
        """Turn the cyclic GC back on if :meth:`load_model` turned it off (once)."""
        if self._gc_paused:
            self._gc_paused = False
            gc.enable()

    def on_unmount(self) -> None:
        """Give the GC back: on if the app closed before its first frame, and what the app
        froze unfrozen (a test process runs many apps)."""
        self.resume_gc()
        if self._gc_unfreeze:
            self._gc_unfreeze = False
            gc.unfreeze()

    @work(thread=True, exclusive=True, group="store-open", exit_on_error=False)
    def warm_search(self, model: DashboardModel, drawn: threading.Event) -> None:
        """Build the free-word haystacks and place masks while the analyst reads (started at
        once, so waiting for the app's workers includes it, but idle until the first frame is
        drawn, so it does not share the interpreter with that frame)."""
        drawn.wait(5.0)
        self.post_message(TriageQueue(model, *model.build_triage()))
        model.pos  # noqa: B018 - the id -> position map, left out of the first frame
        self.post_message(StatusMasks(model, *model.build_status_masks()))
        model.text_hays()
        for pid in list(model.places):
            model.place_mask(pid)

    def on_status_masks(self, message: StatusMasks) -> None:
        """Install status masks a worker built (the first filter keystroke needs them all)."""
        message.model.install_status_masks(message.version, message.masks)

    def on_triage_queue(self, message: TriageQueue) -> None:
        """Install the triage queue a worker built (a status key or a scroll needs it)."""
        message.model.install_triage(message.version, message.queue)

    def idle_tick(self) -> None:
        """Every second: retry failed writes; fold the journal ``fold_delay`` (2 s) after the
        last change reached the store."""
        if self.write_failed or self.store.pending:
            self.retry_pending()
        elif (
            self.store.pending_journal
            and not self._jobs
            and not self.file_invalid
            and time.monotonic() - self.last_change > self.fold_delay
        ):
            self.fold_journal()

    def fold_now(self) -> str | None:
        """On quit: make everything durable in the main file; a reason if that failed."""
        with self._store_lock:
            try:
                while self._jobs:
                    job = self._jobs.popleft()
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
