"""SitrepApp: the dashboard. Screens and widgets arrange; the store and the model decide.

The app owns the parts (session, saver, triage keys, feed importer, record editor, the date
shown, the analysis) and binds the keys; its one screen,
:class:`~sitrep.tui.screens.dashboard.DashboardScreen`, holds the layout, focus and repaint.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from textual import events
from textual.actions import ActionParseResult
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.dom import DOMNode
from textual.driver import Driver
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input

from sitrep.analysis.triage import DEFAULT_STALE_DAYS
from sitrep.config import load_settings
from sitrep.errors import InvalidValueError
from sitrep.keymap import read_keymap
from sitrep.paths import config_dir, default_analyst
from sitrep.store import Store
from sitrep.tui import typeahead
from sitrep.tui.as_of import AsOfState
from sitrep.tui.commands import key_name, palette_commands, shown_keys
from sitrep.tui.conflicts import ConflictCount, ConflictResolver
from sitrep.tui.feed_importer import FeedImporter
from sitrep.tui.insight import Insight
from sitrep.tui.keymap import APP_BINDINGS
from sitrep.tui.keynames import key_problem
from sitrep.tui.messages import (
    BuildReason,
    FileProblem,
    ImportFinished,
    ImportProgressed,
    ModelBuilt,
    Refused,
    Saved,
    StatusMasks,
    TriageQueue,
)
from sitrep.tui.model import DashboardModel
from sitrep.tui.record_editor import RecordEditor
from sitrep.tui.report_export import ReportExport
from sitrep.tui.saver import Saver
from sitrep.tui.screens.dashboard import DashboardScreen
from sitrep.tui.screens.help_screen import HelpScreen
from sitrep.tui.screens.too_small import TooSmallScreen
from sitrep.tui.session import Session
from sitrep.tui.triage import Triage
from sitrep.tui.widgets.claims_pane import ClaimsPane
from sitrep.tui.widgets.detail_pane import DetailPane
from sitrep.tui.widgets.pane_grid import GRID_MIN
from sitrep.tui.widgets.row_list import RowList
from sitrep.tui.widgets.settlements_pane import SettlementsPane
from sitrep.tui.widgets.verification_pane import VerificationPane

#: The smallest terminal the dashboard draws in (smaller: one screen says so). 70 columns
#: hold the longest footer (the settlements pane's keys, 67) without cutting a word; 16
#: lines hold the header, every pane's border and three rows (Settlements also its column
#: header), the filter line and the footer.
MIN_SIZE = (70, GRID_MIN + 3)
#: The longest the start-up screen is held back to go out as one frame (seconds).
FIRST_FRAME_WAIT = 0.5
#: Seconds the notification of keymap.toml's problems stays.
KEYMAP_NOTICE = 30
#: The signals that fold the journal into the main file and exit (status 128 + N).
EXIT_SIGNALS = (signal.SIGHUP, signal.SIGTERM, signal.SIGINT)


class SitrepApp(App[int]):
    """The sitrep dashboard over one Store opened with ``journal=True``.

    It owns its parts and wires them: the :class:`Session` (marks, undo, the change keys'
    rules), the :class:`Saver` (the store's workers), the :class:`Triage` keys, the
    :class:`FeedImporter`, the :class:`RecordEditor`, the date shown (:class:`AsOfState`), the
    analysis (:class:`Insight`), conflicts and the report. Its one screen, the
    :class:`DashboardScreen`, keeps the layout, focus, the filter line and the repaint. The
    app binds the keys (each key's action is one call into the part that does it), takes
    each new model in, answers resizes and signals, and starts and stops.
    """

    CSS_PATH = "sitrep.tcss"
    TITLE = "sitrep"
    BINDINGS: ClassVar[list[BindingType]] = list(APP_BINDINGS)

    def __init__(
        self,
        store: Store,
        *,
        now: Callable[[], datetime] | None = None,
        analyst: str | None = None,
        config: Path | None = None,
        poll_interval: float = 0.75,
        driver_class: type[Driver] | None = None,
        low_bandwidth: bool = False,
    ) -> None:
        super().__init__(driver_class=driver_class)
        #: update the detail pane only once a held key stops repeating (slow links)
        self.low_bandwidth = low_bandwidth
        self.store = store
        self.now = now or (lambda: datetime.now(UTC))
        self.config_folder = config if config is not None else config_dir()
        self.poll_interval = poll_interval
        self.model: DashboardModel | None = None
        self.session = Session(analyst or default_analyst())
        self.saver = Saver(self, store)
        self.keymap_problems: list[str] = []
        #: the date the panes show (``@``, ``<`` ``>``, ``{`` ``}``); none: now
        self.as_of = AsOfState(self, lambda: self.now().date(), self._stale_days())
        #: the analysis the detail pane shows (origins, records, timelines)
        self.insight = Insight(self, lambda: self.show_detail())
        self.conflict_count = ConflictCount(self)
        self.conflict_resolver = ConflictResolver(self)
        self.report_export = ReportExport(self)
        self.importer = FeedImporter(self)
        self.editor = RecordEditor(self)
        self.triage = Triage(self, self.conflict_resolver.undo_job, self.editor.refuse)
        #: the dashboard's screen (layout, focus, repaint), made when the app starts
        self.dashboard: DashboardScreen

    @property
    def analyst(self) -> str:
        """Who makes the changes (``--by``): the session's analyst."""
        return self.session.analyst

    @analyst.setter
    def analyst(self, name: str) -> None:
        self.session.analyst = name

    def _stale_days(self) -> int:
        """``stale_days`` from config.toml (the default when the file cannot be read: the
        CLI reports that file's problems, the dashboard shows the picture all the same)."""
        try:
            return load_settings(self.config_folder).stale_days
        except InvalidValueError:
            return DEFAULT_STALE_DAYS

    # ------------------------------------------------------------------ start and stop
    def get_default_screen(self) -> DashboardScreen:
        """The dashboard is the app's first screen (pop-ups go over it)."""
        self.dashboard = DashboardScreen(self, ready=self._open)
        return self.dashboard

    def on_mount(self) -> None:
        """Apply the keymap and hold the first frames back; the screen then mounts its panes
        and calls :meth:`_open`."""
        _, keymap, self.keymap_problems = read_keymap(self.config_folder, key_problem)
        if keymap:
            self.set_keymap(keymap)
        self._hold_first_frame()

    def _open(self) -> None:
        """The panes are mounted: check the size, load the model, start the timers."""
        self._check_too_small(self.size.width, self.size.height)
        model = self.saver.open_model(self.as_of.stale_days)
        self.take_model(model, BuildReason.OPENED)
        self.saver.warm_up(model)
        self._listen_for_exit_signals()
        self.set_interval(self.poll_interval, self.saver.poll_disk)
        self.set_interval(1.0, self.saver.idle_tick)
        if self.keymap_problems:
            # long enough to read and act on (the CLI printed them on stderr too); a test on
            # a loaded machine found the default 5 s gone before its first look
            self.notify("\n".join(self.keymap_problems), severity="warning", markup=False,
                        timeout=KEYMAP_NOTICE)

    def _hold_first_frame(self) -> None:
        """Over the diffing driver, send the start-up screen once, whole: the frames of the
        first moments (the focus mark, the footer's keys, which Textual's Footer composes a
        refresh after the bindings are known) are held until the footer has its keys, a key
        is pressed, or :data:`FIRST_FRAME_WAIT` has passed."""
        hold = getattr(self._driver, "hold", None)
        if not callable(hold):
            return
        hold()
        deadline = time.monotonic() + FIRST_FRAME_WAIT

        def check() -> None:
            # the dashboard's own footer (a pop-up or the too-small screen may be on top),
            # once the screen has mounted it
            footer = self.dashboard.query(Footer)
            keys_shown = bool(footer) and bool(footer.first().children)
            if keys_shown or not self.screen_stack or time.monotonic() > deadline:
                poll.stop()
                self.call_after_refresh(self._release_first_frame)

        poll = self.set_interval(0.02, check)

    def _release_first_frame(self) -> None:
        release = getattr(self._driver, "release", None)
        if callable(release):
            release()

    def _listen_for_exit_signals(self) -> None:
        """SIGHUP, SIGTERM and SIGINT fold the journal and exit (only in a real terminal:
        a headless test app runs inside another program's loop)."""
        if self.is_headless or threading.current_thread() is not threading.main_thread():
            return
        loop = asyncio.get_running_loop()
        for sig in EXIT_SIGNALS:
            loop.add_signal_handler(sig, self.exit_on_signal, sig)

    def exit_on_signal(self, sig: int) -> None:
        """A hang-up (the ssh link dropped), SIGTERM or SIGINT: make every change durable in
        the main file (journal folded and removed), then exit with status 128 + the signal's
        number (129, 143, 130), as a shell reports a program the signal ended."""
        if sig == signal.SIGHUP:
            # The terminal is gone: what is still written to it (the screen restored, the
            # streams flushed at exit) would fail with EIO and turn the exit status into 120.
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            os.close(devnull)
        problem = self.saver.fold_now()
        if problem:  # the journal keeps the changes; the next open replays them
            print(f"sitrep: {signal.Signals(sig).name}: not everything is in the main file "
                  f"yet: {problem}. The journal keeps it.", file=sys.stderr)
        self.exit(128 + sig)

    def on_unmount(self) -> None:
        """Stop listening for the exit signals; give the garbage collector back."""
        if not self.is_headless and threading.current_thread() is threading.main_thread():
            loop = asyncio.get_running_loop()
            for sig in EXIT_SIGNALS:
                loop.remove_signal_handler(sig)
        self.saver.close()

    def on_resize(self, event: events.Resize) -> None:
        """Lay the dashboard out for the new size, or say the terminal is too small.

        The app's resize, not the screen's: a screen hears of one only while it is on top,
        and the dashboard must follow every size, under a pop-up or the too-small screen.
        The event's size, not ``self.size``: this handler runs before Textual's own
        (``App._on_resize``) has taken the new size in, so ``self.size`` is still the old one
        and the layout would follow one resize late."""
        self.dashboard.fit(event.size.width)
        self._check_too_small(event.size.width, event.size.height)

    def _check_too_small(self, width: int, height: int) -> None:
        """Show the too-small screen below MIN_SIZE; take it away once the terminal grew."""
        small = width < MIN_SIZE[0] or height < MIN_SIZE[1]
        top = self.screen_stack[-1] if self.screen_stack else None
        if small and isinstance(top, TooSmallScreen):
            top.show_size((width, height))
        elif small:
            self.push_screen(TooSmallScreen((width, height), MIN_SIZE))
        elif isinstance(top, TooSmallScreen):
            self.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the terminal is too small only quitting works: the other keys would act on
        panes nobody can see."""
        if self.screen_stack and isinstance(self.screen_stack[-1], TooSmallScreen):
            return action in ("quit_app", "quit")
        if action == "ask_as_of" and (isinstance(self.focused, Input)
                                      or len(self.screen_stack) > 1):
            return False  # "@" typed into a text box, or a pop-up is open: not the date line
        return super().check_action(action, parameters)

    # ------------------------------------------------------------------ model in, views out
    def on_model_built(self, message: ModelBuilt) -> None:
        """A worker built a model: show it."""
        self.take_model(message.model, message.reason)

    def take_model(self, model: DashboardModel, reason: BuildReason) -> None:
        """Swap in a new model, keeping each pane on the record it was on."""
        if not self.screen_stack:  # a worker finished while the app was closing
            return
        if not self.as_of.wanted(model):
            if reason is not BuildReason.AS_OF:  # the records changed under a view of the past
                self.as_of.rebuild()
            return  # else a late build of a date asked for before the last one
        keep = self.dashboard.remember() if self.model is not None else None
        self.model = model
        self.conflict_count.recount(model)
        self.dashboard.show_model(model, keep)
        self.session.forget_gone(model)
        self.refresh_views()

    # the dashboard screen's, for the parts (they know the app, not its screen)
    def refresh_views(self, *, rows_changed: bool = True) -> None:
        """Repaint every pane and the header after the model changed."""
        if self.screen_stack:  # else the app is closing
            self.dashboard.refresh_views(rows_changed=rows_changed)

    def update_header(self) -> None:
        """Redraw the header line."""
        if self.screen_stack:
            self.dashboard.update_header()

    def show_detail(self) -> None:
        """Point the detail pane at the focused claim (or settlement)."""
        if self.screen_stack:
            self.dashboard.show_detail()

    def current_position(self) -> int | None:
        """The claim the status keys act on when nothing is marked."""
        return self.dashboard.current_position()

    def jump_to_claim(self, claim_id: str) -> None:
        """Show a claim in the claims pane (clearing the filter or expanding its group if
        needed)."""
        self.dashboard.jump_to_claim(claim_id)

    def focus_visibly(self, widget: Widget) -> None:
        """Focus ``widget`` where the analyst sees it (see DashboardScreen.focus_visibly)."""
        self.dashboard.focus_visibly(widget)

    def say(self, text: str) -> None:
        """Put ``text`` in the banner (a file problem); empty: take the banner away."""
        self.dashboard.say(text)

    # ------------------------------------------------------------------ the date shown
    def action_ask_as_of(self) -> None:
        """``@``: show the picture as of a date (empty or esc: now)."""
        self.as_of.ask()

    def action_step_as_of(self, days: int) -> None:
        """``<`` ``>`` ``{`` ``}``: the date shown a day or a week back or forth."""
        self.as_of.step(days)

    async def run_action(self, action: str | ActionParseResult,
                         default_namespace: DOMNode | None = None,
                         namespaces: Mapping[str, DOMNode] | None = None) -> bool:
        """Every key and palette command comes here: one that changes data is refused, with
        one message, while the panes show the past."""
        if self.as_of.refuses(action):
            return True
        return await super().run_action(action, default_namespace, namespaces)

    async def on_event(self, event: events.Event) -> None:
        """A typed character that bubbled up from a widget that had focus when it was read
        goes to the input that has focus now (see :mod:`sitrep.tui.typeahead`)."""
        if isinstance(event, events.Key):
            self._release_first_frame()  # a key is answered at once, start-up or not
            if typeahead.to_focused_input(self, event):
                return
        await super().on_event(event)

    def action_resolve_conflict(self) -> None:
        """Resolve a conflict of the record in the detail pane (see sitrep.tui.conflicts)."""
        self.conflict_resolver.resolve_shown()

    def action_write_report(self) -> None:
        """Write the report of the current view to a file (see sitrep.tui.report_export)."""
        self.report_export.start()

    def action_redraw(self) -> None:
        """Draw the whole screen again (ctrl+l), as after line noise or another program's
        output: the diffing driver forgets what the terminal shows."""
        redraw = getattr(self._driver, "redraw", None)
        if callable(redraw):
            redraw()
        self.screen.refresh()

    # ------------------------------------------------------------------ results from workers
    def on_saved(self, message: Saved) -> None:
        """A job went through the store: count its conflicts, then show its records."""
        if self.screen_stack:  # else the app is closing
            self.conflict_count.records_changed(message.records)
            self.triage.saved(message)

    def on_refused(self, message: Refused) -> None:
        """The store refused a job: nothing changed."""
        if self.screen_stack:
            self.triage.refused(message)

    def on_file_problem(self, message: FileProblem) -> None:
        """Reading or writing the file failed, or recovered."""
        if self.screen_stack:
            self.triage.file_problem(message)

    def on_status_masks(self, message: StatusMasks) -> None:
        """Install status masks a worker built (the first filter keystroke needs them all)."""
        message.model.install_status_masks(message.version, message.masks)

    def on_triage_queue(self, message: TriageQueue) -> None:
        """Install the triage queue a worker built (a status key or a scroll needs it)."""
        message.model.install_triage(message.version, message.queue)

    def on_import_progressed(self, message: ImportProgressed) -> None:
        """What the running import is doing."""
        self.importer.progressed(message)

    def on_import_finished(self, message: ImportFinished) -> None:
        """An import ended."""
        self.importer.finished(message)

    # ------------------------------------------------------------------ the change keys
    def action_set_status(self, status: str) -> None:
        """Set the status of the marked claims (or the current one)."""
        self.triage.set_status(status)

    def action_toggle_mark(self) -> None:
        """Mark or unmark the current claim and move down."""
        self.triage.toggle_mark()

    def action_grade(self) -> None:
        """Ask for a grade (B, 3 or B3) and apply it to the target claims."""
        self.triage.grade()

    def action_accept_suggestion(self) -> None:
        """Take what the analysis suggests (a source's reliability, claims' credibility)."""
        self.triage.accept_suggestion()

    def action_add_note(self) -> None:
        """Ask for a note and append it to the target claims' history."""
        self.triage.add_note()

    def action_note_in_editor(self) -> None:
        """Write a note on the target claims in $EDITOR (for notes longer than one line)."""
        self.triage.with_note_targets(
            lambda ids: self.triage.note(ids, self.editor.note_text(ids)))

    def action_edit_record(self) -> None:
        """Edit the focused claim, source or settlement as JSON in $EDITOR."""
        self.editor.edit_focused()

    def action_undo(self) -> None:
        """Put back the previous values of the last change (repeatable)."""
        self.triage.undo()

    def action_next_unverified(self) -> None:
        """Go to the next unverified claim (in the claims pane's order)."""
        self.triage.step_unverified(1)

    def action_prev_unverified(self) -> None:
        """Go to the previous unverified claim."""
        self.triage.step_unverified(-1)

    # ------------------------------------------------------------------ feeds
    def action_import_feed(self) -> None:
        """Ask for a path or URL (or a subscription) and import it."""
        self.importer.ask()

    def action_pull_feeds(self) -> None:
        """Pull every subscription (conditional GETs; unchanged feeds write nothing)."""
        self.importer.pull_all()

    def action_show_import_log(self) -> None:
        """Show every import of this session with its report."""
        self.importer.show_log()

    # ------------------------------------------------------------------ the filter line
    def action_open_filter(self) -> None:
        """Open the filter line (applies as you type; enter keeps it, esc clears it)."""
        self.dashboard.open_filter()

    def action_clear(self) -> None:
        """Esc: close the filter line and clear the filter; a further esc clears the marks
        (saying how many); then restores a maximised pane."""
        if self.dashboard.clear_filter() or self.triage.clear_marks():
            return
        if self.dashboard.maximized is not None:
            self.dashboard.minimize()

    # ------------------------------------------------------------------ misc keys
    def action_toggle_maximize(self) -> None:
        """Maximise the focused pane, or restore the layout."""
        self.dashboard.toggle_maximize()

    def action_help(self) -> None:
        """Show every key."""
        rows: list[tuple[str, str, str, str]] = []
        sections: list[tuple[str, Iterable[BindingType]]] = [
            ("Everywhere", self.BINDINGS),
            ("Any list", RowList.BINDINGS),
            ("Settlements", SettlementsPane.BINDINGS),
            ("Claims by source", ClaimsPane.BINDINGS),
            ("Verification", VerificationPane.BINDINGS),
            ("Detail", DetailPane.BINDINGS),
        ]
        for section, bindings in sections:
            for b in bindings:
                if isinstance(b, tuple):
                    continue
                rows.append((section, shown_keys(self, b), b.description, b.id or ""))
        note = f"Remap keys by id in {self.config_folder / 'keymap.toml'} ([keys] id = \"key\")."
        self.push_screen(HelpScreen(rows, note))

    def get_key_display_name(self, key: str) -> str:
        """Short names for keys in help."""
        return key_name(key)

    def action_quit_app(self) -> None:
        """Fold the journal into the file and quit."""
        problem = self.saver.fold_now()
        if problem:
            self.notify(f"Not everything is in the main file yet: {problem}. The journal "
                        "keeps it; it is replayed next time.", severity="warning", markup=False)
        self.exit(0)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's commands, then every key's action (see :mod:`sitrep.tui.commands`)."""
        yield from super().get_system_commands(screen)
        yield from palette_commands(self)

    async def action_quit(self) -> None:
        """Textual's own quit (ctrl+q, the palette's "Quit") folds the journal first too."""
        self.action_quit_app()
