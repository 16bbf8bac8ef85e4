"""Every message the dashboard's workers post back to the UI thread, in one place.

Workers (:mod:`sitrep.tui.saver`, :mod:`sitrep.tui.feed_importer`, :mod:`sitrep.tui.as_of`)
never touch a widget: they post one of these, thread-safe, and the app's handler of the same
name (``on_saved``, ``on_model_built``, ``on_import_finished``, …) takes it in on the UI thread.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any

from textual.message import Message

from sitrep.errors import SitrepError

if TYPE_CHECKING:
    from sitrep.tui.model import DashboardModel
    from sitrep.tui.screens.import_log import LogEntry
    from sitrep.tui.session import Job

Record = dict[str, Any]


class BuildReason(Enum):
    """Why a fresh view model was built."""

    OPENED = "opened"
    MERGED = "merged"  # a store call re-read the file and merged what it found
    RELOADED = "reloaded"  # the file or the journal changed on disk
    EDITED = "edited"  # a change of ours moved a claim to another group or order
    IMPORTED = "imported"
    AS_OF = "as-of"  # the picture of another date


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
    """A fresh view model, after opening, after the file changed on disk, or of a date."""

    def __init__(self, model: DashboardModel, reason: BuildReason) -> None:
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


class ImportProgressed(Message):
    """What the running import is doing (reading, downloading N of M, merging)."""

    def __init__(self, what: str, doing: str) -> None:
        super().__init__()
        self.what = what
        self.doing = doing


class ImportFinished(Message):
    """An import (or a pull of several feeds) ended; ``model`` is set when data changed."""

    def __init__(self, entry: LogEntry, model: DashboardModel | None,
                 write_error: str | None) -> None:
        super().__init__()
        self.entry = entry
        self.model = model
        self.write_error = write_error
