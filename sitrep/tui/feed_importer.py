"""Feed imports in the dashboard: ``i`` (a path, URL or subscription), ``R``, ``I``.

Imports run in a thread worker, never on the UI thread. Reading the feed (disk or network,
a subscription's conditional GET) happens outside the store lock, so status keys keep saving
and quitting is not held up while a slow server answers; the merge — one ``store.apply``,
appended to the journal like any other change — runs under the same lock as every other store
call (:mod:`sitrep.tui.saver`). The worker posts
:class:`~sitrep.tui.messages.ImportProgressed` while it works and
:class:`~sitrep.tui.messages.ImportFinished` at the end, with a fresh view model when anything
changed; the app swaps it in as after any other store change, keeping each pane on its record.
When the app is closing, a download still running is abandoned and nothing is merged.

A feed that cannot be read is one line (a notification, and in the log); nothing changes.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import Static
from textual.worker import get_current_worker

from sitrep.errors import SitrepError, WriteError
from sitrep.tui.host import Dashboard
from sitrep.tui.messages import BuildReason, ImportFinished, ImportProgressed
from sitrep.tui.model import build_model
from sitrep.tui.safe import safe_text
from sitrep.tui.screens.import_log import ImportLogScreen, LogEntry

if TYPE_CHECKING:
    from sitrep.feeds.subscriptions import PullResult

NOTIFY_WIDTH = 72  # characters of the one line a notification of an import says
NOTIFY_LABEL = 24  # characters of the feed's title in it
NOTIFY_ERROR_WIDTH = 120  # an error's line, its paths cut to their last part
_PATH = re.compile(r"(?<![\w:/.])/(?:[^\s/:()'\"]+/)+([^\s/:()'\"]+)")
PROGRESS_EVERY = 0.1  # seconds between progress messages while a body streams in


def _size(n: int) -> str:
    for unit, scale in (("MB", 1_000_000), ("kB", 1_000)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


def _failed(problem: object) -> str:
    return f"failed, nothing changed: {problem}"


def _unsaved(problem: object) -> str:
    return f"imported but not saved yet ({problem}): kept and retried"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _notice_line(results: list[PullResult], named: bool) -> str:
    """The notification's one line (at most :data:`NOTIFY_WIDTH` characters, two rows of a
    toast on an 80-column screen): the counts that are not zero, per feed for one, summed for
    several, with the feeds that failed named. The whole report is in the log (``I``)."""
    if len(results) == 1:
        (result,) = results
        report = result.report
        label = result.name if named or report is None else (
            report.title or result.name)
        label = _clip(label, NOTIFY_LABEL)
        if result.error is not None or report is None:  # it names the feed already
            return _clip(_PATH.sub(r"\1", str(result.error)), NOTIFY_ERROR_WIDTH)
        if report.not_modified:
            return _clip(f"{label}: not modified since the last pull (HTTP 304)", NOTIFY_WIDTH)
        return _clip(f"{label}: {report.brief()}", NOTIFY_WIDTH)
    totals: dict[str, int] = {}
    for result in results:
        if result.report is not None:
            for name, value in result.report.counts().items():
                totals[name] = totals.get(name, 0) + value
    shown = " · ".join(f"{name} {value}" for name, value in totals.items()
                       if value and name != "unchanged") or "nothing new"
    failed = [r.name for r in results if r.error is not None]
    tail = f"; failed: {', '.join(failed)}" if failed else ""
    return _clip(f"{len(results)} feeds: {shown}{tail}", NOTIFY_WIDTH)


class FeedImporter:
    """The import keys' flow, the import worker and the session's import log."""

    def __init__(self, app: Dashboard) -> None:
        self.app = app
        #: every import of this session with its report (``I`` shows it)
        self.log: list[LogEntry] = []
        #: what the running import is doing, None when none is
        self.importing: str | None = None

    # ------------------------------------------------------------------ keys
    def ask(self) -> None:
        """``i``: ask for a path or URL (or a subscription) and import it."""
        from sitrep.tui.screens.import_modal import ImportModal

        if self._busy():
            return
        self.app.push_screen(ImportModal(self._subscriptions()), self._chosen)

    def pull_all(self) -> None:
        """``R``: pull every subscription (conditional GETs; unchanged feeds write nothing)."""
        if self._busy():
            return
        names = [str(r["id"]) for r in self._subscriptions()]
        if not names:
            self.app.notify("No subscriptions to pull: add one with sitrep feeds add URL.",
                            severity="warning", markup=False)
            return
        self._start("pull all subscriptions", None, names)

    def show_log(self) -> None:
        """``I``: show every import of this session with its report."""
        self.app.clear_notifications()  # the log says it all; no toast on top of it
        self.app.push_screen(ImportLogScreen(self.log))

    def _chosen(self, choice: tuple[str, str] | None) -> None:
        if choice is None or self._busy():
            return
        kind, value = choice
        if kind == "subscription":
            self._start(f"pull {value}", None, [value])
        elif value == "-":
            self.app.notify("Standard input cannot be read from the dashboard: give a path or "
                            "URL (or use sitrep import -).", severity="error", markup=False)
        else:
            self._start(f"import {value}", value, None)

    def _busy(self) -> bool:
        if self.importing is not None:
            self.app.notify(f"An import is running: {safe_text(self.importing)}. Wait for it "
                            "to finish.", severity="warning", markup=False)
            return True
        return False

    def _subscriptions(self) -> list[dict[str, Any]]:
        from sitrep.feeds.subscriptions import subscriptions

        # A read of one small table; a reload swaps the whole document rather than editing
        # it, so at worst this sees the previous one.
        try:
            return [dict(r) for r in subscriptions(self.app.store)]
        except RuntimeError:  # the table changed size under us: the list is only a menu
            return []

    def _start(self, what: str, location: str | None, names: list[str] | None) -> None:
        self.importing = what
        if not self.app.query("#import-progress"):
            self.app.mount(Static("", id="import-progress"), after="#panes")
        self._show(what, "starting")
        self.app.run_worker(lambda: self._work(what, location, names), thread=True,
                            exclusive=True, group="feed-import", exit_on_error=False)

    # ------------------------------------------------------------------ the worker
    def _work(self, what: str, location: str | None, names: list[str] | None) -> None:
        # imported here: the feeds package pulls in httpx, kept off the startup path
        from sitrep.feeds.fetch import read_location
        from sitrep.feeds.importer import import_fetched
        from sitrep.feeds.subscriptions import PullResult, pull_all

        app, store, lock = self.app, self.app.store, self.app.saver.lock
        worker = get_current_worker()
        results: list[PullResult] = []
        changed = False
        write_error: str | None = None
        before = store.version  # a reload inside the merge also needs a fresh view
        last = [0.0]

        def progress(done: int, total: int | None) -> None:
            if worker.is_cancelled:  # the app is closing: abandon the download
                raise SitrepError("cancelled: the dashboard is closing")
            now = time.monotonic()
            if now - last[0] >= PROGRESS_EVERY or (total is not None and done >= total):
                last[0] = now
                of = f" of {_size(total)}" if total else ""
                app.post_message(ImportProgressed(what, f"downloading {_size(done)}{of}"))

        try:
            if location is not None:
                app.post_message(ImportProgressed(what, "reading"))
                try:
                    fetched = read_location(location, progress=progress)
                    app.post_message(ImportProgressed(what, "merging"))
                    if worker.is_cancelled:
                        return
                    with lock:
                        report = import_fetched(store, fetched, analyst=app.analyst)
                    results.append(PullResult(location, report))
                    changed = report.written
                except WriteError as exc:  # applied in memory, kept pending and retried
                    changed, write_error = True, str(exc)
                    results.append(PullResult(location, error=_unsaved(exc)))
                except SitrepError as exc:
                    results.append(PullResult(location, error=_failed(exc)))
            else:
                def started(name: str, n: int, total: int) -> None:
                    app.post_message(ImportProgressed(what, f"pulling {name} ({n}/{total})"))

                pulled = pull_all(store, analyst=app.analyst, names=list(names or ()),
                                  lock=lambda: lock, progress=progress,
                                  started=started, cancelled=lambda: worker.is_cancelled)
                if worker.is_cancelled:
                    return
                for result in pulled:
                    if result.unsaved:  # applied in memory, kept pending and retried
                        changed, write_error = True, result.error
                        result.error = _unsaved(result.error)
                    elif result.error is not None:
                        result.error = _failed(result.error)
                    elif result.report is not None:
                        changed |= result.report.written
                    results.append(result)
            model = None
            changed |= store.version != before
            if changed:
                app.post_message(ImportProgressed(what, "updating the view"))
                with lock:
                    model = build_model(store, app.model)
        except Exception as exc:  # a bug must not leave the import hanging or show a traceback
            problem = f"unexpected {type(exc).__name__}: {exc}"
            results.append(PullResult(location or what, error=(
                f"imported, then failed: {problem}" if changed else _failed(problem))))
            model = None
            if changed:
                with lock:
                    model = build_model(store, app.model)
        when = app.now().astimezone().strftime("%H:%M:%S")
        app.post_message(ImportFinished((when, what, results), model, write_error))

    # ------------------------------------------------------------------ results
    def progressed(self, message: ImportProgressed) -> None:
        """Show what the import is doing."""
        if self.app.screen_stack and self.importing is not None:
            self._show(message.what, message.doing)

    def _show(self, what: str, doing: str) -> None:
        for line in self.app.query("#import-progress").results(Static):
            text = Text(no_wrap=True, overflow="ellipsis", end="")
            text.append(" ⟳ importing ", "bold reverse")
            text.append(f" {safe_text(what)} · {doing}")
            line.update(text)

    def finished(self, message: ImportFinished) -> None:
        """Log the import, take in the new data, and say what happened."""
        app = self.app
        if not app.screen_stack:  # the app is closing
            return
        self.importing = None
        for line in app.query("#import-progress"):
            line.remove()
        self.log.append(message.entry)
        if message.model is not None:
            app.saver.last_change = time.monotonic()  # fold when idle, as after a key
            app.take_model(message.model, BuildReason.IMPORTED)
        if message.write_error is not None:
            app.saver.write_failed = True
            app.say(f"Could not save the import ({message.write_error}); it is kept and "
                    "will be retried.")
            app.update_header()
        _when, what, results = message.entry
        named = len(results) > 1 or what.startswith("pull")
        failed = any(r.error is not None for r in results)
        trouble = any(r.report is not None and (r.report.rejections or r.report.conflicts
                                                or r.report.duplicates) for r in results)
        title = "Import failed" if failed and len(results) == 1 else "Import"
        app.notify(safe_text(_notice_line(results, named)),
                   title=f"{title} · I: import log",
                   severity="error" if failed else "warning" if trouble else "information",
                   markup=False, timeout=12 if failed or trouble else 6)
        if isinstance(app.screen, ImportLogScreen):
            app.screen.refresh_log()
