"""``r``: write the SITREP of the current view (the filter in force, and the as-of date when the
view has one) to a file, then offer to open it in ``$PAGER``.

The file is named in a prompt; the default is ``sitrep-report-DATE.txt`` in the folder sitrep
was started from (DATE: the view's as-of date, else today). ``.md`` or ``.markdown`` gives
Markdown, any other name the 80-column text. The report is what ``sitrep report --filter EXPR
--as-of DATE`` writes (:func:`sitrep.reports.scope.scoped_view`, then
:func:`sitrep.reports.formats.render_report`), built in a worker. The file is written
atomically (a temporary file beside it, fsync'd, then linked or renamed into place) and an
existing file is replaced only after a ``y``; one made meanwhile is never overwritten.
"""

from __future__ import annotations

import contextlib
import os
import shlex
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sitrep import dates
from sitrep.errors import SitrepError
from sitrep.tui.screens.yes_no_modal import FileNameModal, YesNoModal
from sitrep.tui.suspend import Suspending, run_suspended
from sitrep.user_files import write_new_file

if TYPE_CHECKING:
    from sitrep.query import Query
    from sitrep.store import Store
    from sitrep.tui.model import DashboardModel
    from sitrep.tui.saver import Saver

MARKDOWN_SUFFIXES = (".md", ".markdown")
DEFAULT_PAGER = "less"


class Host(Suspending, Protocol):
    """What the report key uses of the app that holds it (the dashboard, or a test's)."""

    model: DashboardModel | None
    store: Store
    analyst: str
    saver: Saver  # its lock: the store's one user at a time

    def now(self) -> datetime: ...


@dataclass(frozen=True)
class Written:
    """A report on disk: where, and how many claims it covers."""

    path: Path
    claims: int


def report_format(path: Path) -> str:
    """``markdown`` for a ``.md``/``.markdown`` name, else ``text``."""
    return "markdown" if path.suffix.lower() in MARKDOWN_SUFFIXES else "text"


class ReportExport:
    """The report key's flow: name the file, confirm a replacement, build and write in a
    worker, then offer the pager."""

    def __init__(self, app: Host, folder: Path | None = None) -> None:
        self.app = app
        #: where the default file name points (and relative names are read from)
        self.folder = folder

    def view_as_of(self) -> str | None:
        """The as-of date of the view on screen (a stored date), or None: now."""
        state = getattr(self.app, "as_of", None)  # the dashboard's AsOfState (sitrep.tui.as_of)
        when = getattr(state, "when", None)
        return when if isinstance(when, str) and when else None

    def default_name(self) -> str:
        """``sitrep-report-DATE.txt``: DATE is the view's as-of date, else today."""
        day = self.view_as_of() or dates.utc_now_iso(self.app.now())
        return f"sitrep-report-{day[:10]}.txt"

    def start(self) -> None:
        """Ask for the file name (the default filled in)."""
        if self.app.model is None:
            return
        query = self.app.model.query.text
        scope = f" of {query}" if query else ""
        when = self.view_as_of()
        title = f"Write the report{scope}{f' as of {when}' if when else ''} to:"
        self.app.push_screen(FileNameModal(title, self.default_name()), self._named)

    def _named(self, name: str | None) -> None:
        if not name:
            return
        path = Path(name).expanduser()
        if not path.is_absolute():
            path = (self.folder or Path.cwd()) / path
        if path.is_dir():
            self.app.notify(f"{path} is a folder: name a file. Nothing written.",
                            severity="error", markup=False, timeout=8)
            return
        if not path.parent.is_dir():
            self.app.notify(f"no folder {path.parent}: nothing written.", severity="error",
                            markup=False, timeout=8)
            return
        if path.exists():
            def answered(yes: bool | None) -> None:
                if yes:
                    self._write(path, replace=True)
                else:
                    self.app.notify(f"{path.name} kept as it was: nothing written.",
                                    timeout=4, markup=False)

            self.app.push_screen(YesNoModal(f"{path} exists: replace it? y/n",
                                            "y: replace it · n or esc: keep it"), answered)
            return
        self._write(path, replace=False)

    def _write(self, path: Path, *, replace: bool) -> None:
        model = self.app.model
        if model is None:
            return
        query = model.query
        as_of = self.view_as_of()
        self.app.notify(f"writing the report to {path.name}…", timeout=2, markup=False)
        self.app.run_worker(lambda: self._build_and_write(path, query, as_of, replace),
                            thread=True, group="report", exit_on_error=False)

    def _build_and_write(self, path: Path, query: Query, as_of: str | None,
                         replace: bool) -> None:
        """In a worker: a copy of every record taken under the store lock (a change made
        meanwhile waits for that, not for the whole report), then the view, its report and the
        file, with the store free."""
        from sitrep.reports.formats import render_report
        from sitrep.reports.scope import scoped_view

        app = self.app
        store = app.store
        try:
            with app.saver.lock:
                # shallow copies: the store changes a record's fields in place
                records = [[dict(r) for r in rows] for rows in
                           (store.claims(), store.sources(), store.settlements())]
            claims, sources, settlements = records
            view = scoped_view(claims, sources, settlements, query=query, as_of=as_of,
                               generated_at=dates.utc_now_iso(app.now()),
                               analyst=app.analyst, origins=True)
            text = render_report(view, format=report_format(path))
            write_new_file(path, text.encode("utf-8"), replace=replace)
        except FileExistsError:
            self._say(f"{path} appeared meanwhile: kept as it is, nothing written.", "error")
            return
        except OSError as exc:
            self._say(f"cannot write {path}: {exc.strerror or exc}. Nothing written.", "error")
            return
        except SitrepError as exc:
            self._say(f"cannot write the report: {exc}. Nothing written.", "error")
            return
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            app.call_from_thread(self._written, Written(path, len(view.claims)))

    def _say(self, message: str, severity: str) -> None:
        with contextlib.suppress(RuntimeError):
            self.app.call_from_thread(self.app.notify, message, severity=severity,
                                      markup=False, timeout=10)

    def _written(self, written: Written) -> None:
        pager = self.pager()
        noun = "claim" if written.claims == 1 else "claims"
        question = (f"Wrote the report of {written.claims} {noun} to {written.path}. "
                    f"Open it in {pager}? y/n")
        self.app.push_screen(YesNoModal(question, "y: open it · n or esc: back"),
                             lambda yes: self.open_in_pager(written.path) if yes else None)

    def pager(self) -> str:
        """The pager in force: ``$PAGER``, else less."""
        return os.environ.get("PAGER") or DEFAULT_PAGER

    def open_in_pager(self, path: Path) -> None:
        """Show ``path`` in ``$PAGER``; the dashboard comes back after it, or with one message
        when it cannot start or fails."""
        pager = self.pager()
        status = run_suspended(self.app, pager, [str(path)], role="pager", variables="$PAGER")
        if status:
            name = (shlex.split(pager) or [pager])[0]
            self.app.notify(f"pager {name!r} exited with status {status}; the report is in "
                            f"{path}", severity="warning", markup=False, timeout=8)
