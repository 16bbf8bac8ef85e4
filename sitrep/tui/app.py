"""SitrepApp: the dashboard. Screens and widgets arrange; the store and the model decide.

Layout (four panes, three rows each, from 70x16 up): settlements and verification side by side,
then claims by source, then the detail of the focused claim; one header line, a banner for
file problems, a filter line that opens on ``/``, and a footer with the focused pane's keys.
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

from textual import events, on
from textual.actions import ActionParseResult
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.dom import DOMNode
from textual.driver import Driver
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Input

from sitrep.analysis.triage import DEFAULT_STALE_DAYS
from sitrep.config import load_settings
from sitrep.errors import InvalidValueError
from sitrep.keymap import read_keymap
from sitrep.paths import config_dir, default_analyst
from sitrep.store import Store
from sitrep.tui import typeahead
from sitrep.tui.as_of import AsOfLine, AsOfState
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
from sitrep.tui.screens.help_screen import HelpScreen
from sitrep.tui.screens.too_small import TooSmallScreen
from sitrep.tui.session import Session
from sitrep.tui.triage import Triage
from sitrep.tui.widgets.banner import Banner
from sitrep.tui.widgets.claims_pane import ClaimsPane
from sitrep.tui.widgets.detail_pane import DetailPane
from sitrep.tui.widgets.header_bar import HeaderBar
from sitrep.tui.widgets.pane_grid import GRID_MIN, PaneGrid
from sitrep.tui.widgets.row_list import RowList
from sitrep.tui.widgets.settlements_pane import SettlementsPane
from sitrep.tui.widgets.text_box import TextBox
from sitrep.tui.widgets.verification_pane import VerificationPane

PANE_TITLES = {
    "settlements": "Settlements",
    "verification": "Verification",
    "claims": "Claims by source",
    "detail": "Detail",
}
WIDE = 110
#: with --low-bandwidth, the detail follows the cursor this long after the last move (longer
#: than a terminal's key-repeat interval, ~30-50 ms, shorter than a person notices)
DETAIL_DELAY = 0.12
#: The smallest terminal the dashboard draws in (smaller: one screen says so). 70 columns
#: hold the longest footer (the settlements pane's keys, 67) without cutting a word; 16
#: lines hold the header, every pane's border and three rows (Settlements also its column
#: header), the filter line and the footer.
MIN_SIZE = (70, GRID_MIN + 3)
#: Below this width the footer leaves out the command palette's "^p palette".
PALETTE_HINT = 80
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
    analysis (:class:`Insight`), conflicts and the report. The app itself keeps the layout,
    focus, the filter line, the model going in and the views coming out; each key's action
    here is one call into the part that does it.
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
        self._claim_source: str = "claims"
        self._detail_timer: Timer | None = None
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
        self._before_filter: Widget | None = None

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

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        """Header, banner, the four panes, the filter line and the footer."""
        yield HeaderBar(id="header")
        yield Banner(id="banner")
        with PaneGrid(id="panes"):
            yield SettlementsPane(id="settlements")
            yield VerificationPane(id="verification")
            yield ClaimsPane(id="claims")
            yield DetailPane(id="detail")
        yield TextBox(placeholder="filter: words status:unv source:x grade:<=C cred:<=3 "
                      "since:2022-09 tag:x event:x !term", id="filter")
        yield AsOfLine(self.as_of, id="as-of-line")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Apply the keymap, start loading, set titles, start the timers."""
        _, keymap, self.keymap_problems = read_keymap(self.config_folder, key_problem)
        if keymap:
            self.set_keymap(keymap)
        for pane in self.panes():
            pane.border_title = PANE_TITLES[pane.id or ""]
            pane.cursor_listener = self._cursor_moved
        self.query_one(DetailPane).insight = self.insight
        self._hold_first_frame()
        self.query_one(ClaimsPane).focus()
        self._update_layout()
        self.update_header()
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
            # the dashboard's own footer: a pop-up or the too-small screen may be on top
            footer = self.screen_stack[0].query(Footer) if self.screen_stack else None
            if not footer or footer.first().children or time.monotonic() > deadline:
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
        """Switch between the stacked (narrow) and 2x2 (wide) layouts for the new size.

        The event's size, not ``self.size``: this handler runs before Textual's own
        (``App._on_resize``) has taken the new size in, so ``self.size`` is still the old one
        and the layout would follow one resize late."""
        self._update_layout(event.size.width, event.size.height)

    def _update_layout(self, width: int | None = None, height: int | None = None) -> None:
        width = self.size.width if width is None else width
        height = self.size.height if height is None else height
        grid = self.query_one(PaneGrid)
        grid.set_class(width >= WIDE, "-wide")
        grid.fit_rows()
        footer = self.query_one(Footer)
        if footer.show_command_palette != (width >= PALETTE_HINT):
            footer.show_command_palette = width >= PALETTE_HINT
            footer.refresh(recompose=True)  # the footer reads it only when it composes
        self._check_too_small(width, height)

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

    def panes(self) -> list[RowList]:
        """The four panes in focus order."""
        return list(self.query(RowList))

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
        keep = self._remember() if self.model is not None else None
        self.model = model
        self.conflict_count.recount(model)
        self.query_one(SettlementsPane).model = model
        self.query_one(VerificationPane).model = model
        self.query_one(ClaimsPane).model = model
        self.query_one(DetailPane).model = model
        if keep is None:
            for pane in self.panes():
                pane.reset(keep_cursor=False)
            self.query_one(ClaimsPane).move_to(1)
        else:
            self._restore(keep)
        self.session.forget_gone(model)
        self.refresh_views()

    def _remember(self) -> dict[str, str | None]:
        claims = self.query_one(ClaimsPane)
        p = claims.current_position()
        tri = self.query_one(VerificationPane).current_position()
        assert self.model is not None
        return {
            "settlement": self.query_one(SettlementsPane).current_id(),
            "claim": self.model.claims[p].get("id") if p is not None else None,
            "source": claims.current_source(),
            "triage": self.model.claims[tri].get("id") if tri is not None else None,
        }

    def _restore(self, keep: dict[str, str | None]) -> None:
        model = self.model
        assert model is not None
        places = self.query_one(SettlementsPane)
        place, claim, source, queued = (keep["settlement"], keep["claim"], keep["source"],
                                        keep["triage"])
        if place is not None and place in model.place_rows:
            places.cursor = model.place_rows.index(place)
        claims = self.query_one(ClaimsPane)
        row = None
        if claim is not None and claim in model.pos:
            row = model.row_of_position(model.pos[claim])
        if row is None and source:
            row = model.group_row(source)
        if row is not None:
            claims.cursor = row
        tri = self.query_one(VerificationPane)
        if queued is not None and queued in model.pos:
            p = model.pos[queued]
            head = model.triage_slice(0, tri.cursor + tri.page_height + 50)
            if p in head:
                tri.cursor = head.index(p)
        for pane in self.panes():
            pane.reset()

    def refresh_views(self, *, rows_changed: bool = True) -> None:
        """Repaint every pane and the header after the model changed."""
        if not self.screen_stack:
            return
        for pane in self.panes():
            if isinstance(pane, DetailPane):
                continue
            if rows_changed:
                pane.reset()
            else:
                pane.refresh_rows()
        self.show_detail()
        self.update_header()

    def update_header(self) -> None:
        """Redraw the header line."""
        if not self.screen_stack:
            return
        model = self.model
        saver = self.saver
        state = ""
        if saver.file_invalid:
            state = "file invalid: not saving to it"
        elif saver.write_failed or self.store.pending:
            state = f"{self.store.pending} change(s) pending"
        elif saver.jobs:
            state = "saving…"
        self.query_one(HeaderBar).show(
            parts=self.as_of.header_parts(),
            db=self.store.path.name,
            total=model.n if model else 0,
            visible=model.total_visible if model else 0,
            unverified=model.counts.get("unverified", 0) if model else 0,
            marked=len(self.session.marked),
            query=model.query.text if model else "",
            problems=model.query.problems if model else (),
            state=state,
            conflicts=self.conflict_count.total,
        )

    def show_detail(self) -> None:
        """Point the detail pane at the focused claim (or settlement)."""
        if not self.screen_stack:
            return
        detail = self.query_one(DetailPane)
        if self.model is None:
            return
        focused = self.focused
        if isinstance(focused, SettlementsPane):
            detail.show("settlement", focused.current_id())
            return
        if isinstance(focused, DetailPane):
            detail.show(*(detail.subject or (None, None)))
            return
        p = self.current_position()
        if p is None and isinstance(focused, ClaimsPane):
            detail.show("source", focused.current_source())
            return
        detail.show("claim", self.model.claims[p].get("id") if p is not None else None)

    def current_position(self) -> int | None:
        """The claim the status keys act on when nothing is marked."""
        if self.model is None:
            return None
        focused = self.focused
        if isinstance(focused, SettlementsPane):
            return None
        if isinstance(focused, VerificationPane):
            return focused.current_position()
        if isinstance(focused, DetailPane) and focused.subject and focused.subject[0] == "claim":
            return self.model.pos.get(focused.subject[1])
        if isinstance(focused, ClaimsPane) or self._claim_source == "claims":
            return self.query_one(ClaimsPane).current_position()
        return self.query_one(VerificationPane).current_position()

    def _cursor_moved(self, rows: RowList, row: int) -> None:
        if not self.screen_stack:  # a late move while the app closes
            return
        if rows is not self.focused or isinstance(rows, DetailPane):
            return
        if not self.low_bandwidth:
            self.show_detail()  # in the same frame as the move
            return
        if self._detail_timer is not None:  # a held key: wait until it stops repeating
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_DELAY, self.show_detail)

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

    def on_descendant_focus(self) -> None:
        """Mark the focused pane's title (readable without colour) and follow it in detail.

        The dashboard screen's own focus, not the app's: while a pop-up is open the app's
        focus is in the pop-up, and the pane the analyst returns to keeps its mark (it lost
        it until the next tab, since closing a pop-up gives focus back without an event)."""
        home = self.screen_stack[0].focused if self.screen_stack else None
        for pane in self.panes():
            title = PANE_TITLES[pane.id or ""]
            pane.border_title = f"▶ {title}" if pane is home else title
        if isinstance(self.focused, ClaimsPane):
            self._claim_source = "claims"
        elif isinstance(self.focused, VerificationPane):
            self._claim_source = "triage"
        if isinstance(self.focused, RowList):
            self.show_detail()

    # ------------------------------------------------------------------ selection and filter
    @on(SettlementsPane.Selected)
    def _settlement_selected(self, message: SettlementsPane.Selected) -> None:
        self.query_one(SettlementsPane).selected = message.settlement_id
        self.set_filter_term("place", message.settlement_id)
        self.focus_visibly(self.query_one(ClaimsPane))

    @on(ClaimsPane.SourceSelected)
    def _source_selected(self, message: ClaimsPane.SourceSelected) -> None:
        self.set_filter_term("source", message.source_id)

    @on(ClaimsPane.Opened)
    @on(VerificationPane.Opened)
    def _opened(self) -> None:
        self.show_detail()
        self.focus_visibly(self.query_one(DetailPane))

    @on(DetailPane.Jumped)
    def _jumped(self, message: DetailPane.Jumped) -> None:
        self.jump_to_claim(message.claim_id)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        # The box as it is now, not the event's value: in a burst, later keys have already
        # reached the box, and their own events follow (they find nothing new to apply).
        text = event.input.value
        if self.model is not None and text != self.model.query.text:
            self.apply_filter(text)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self._close_filter()


    def say(self, text: str) -> None:
        """Put ``text`` in the banner (a file problem); empty: take the banner away."""
        banner = self.query_one(Banner)
        if text:
            banner.say(text)
        else:
            banner.clear()

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

    # ------------------------------------------------------------------ jump and focus
    def jump_to_claim(self, claim_id: str) -> None:
        """Show a claim in the claims pane (clearing the filter or expanding its group if
        needed)."""
        model = self.model
        if model is None or claim_id not in model.pos:
            return
        p = model.pos[claim_id]
        if not model.is_visible(p):
            self.set_filter("")
        src = model.group_at(p)[0]
        if src in model.collapsed:
            model.set_collapsed(src, False)
        row = model.row_of_position(p)
        claims = self.query_one(ClaimsPane)
        self.focus_visibly(claims)
        claims.reset()
        if row is not None:
            claims.move_to(row, force_message=True)
        self.show_detail()

    def focus_visibly(self, widget: Widget) -> None:
        """Focus ``widget`` where the analyst sees it: a maximised pane other than it is
        restored to the layout first (focus in a hidden pane moved the hidden cursor)."""
        if self.screen.maximized is not None and self.screen.maximized is not widget:
            self.screen.minimize()
        # Now, not at the next idle as widget.focus() would: the keys of a burst read with
        # this one (``/source:x``) are handled after it and must find the new focus, not run
        # the bindings of the pane the burst was read in.
        self.screen.set_focus(widget)

    # ------------------------------------------------------------------ the filter line
    def set_filter_term(self, key: str, value: str) -> None:
        """Replace any ``key:`` term of the filter with ``key:value``."""
        model = self.model
        if model is None:
            return
        kept = [t for t in model.query.text.split() if not t.lstrip("!").startswith(f"{key}:")]
        self.set_filter(" ".join([*kept, f"{key}:{value}"]))

    def set_filter(self, text: str) -> None:
        """Put ``text`` in the filter line and apply it (a key that sets the filter for the
        analyst: esc, enter on a settlement or source, a jump). Never called for what the
        analyst types in the box: the box is theirs."""
        box = self.query_one("#filter", Input)
        if box.value != text:
            with box.prevent(Input.Changed):
                box.value = text
        self.apply_filter(text)

    def apply_filter(self, text: str) -> None:
        """Filter the claims and verification panes by ``text``, the claims pane's cursor kept
        on its claim when the filter still shows it. Never writes into the filter
        line: keys typed in a burst are still arriving there, and writing an older value
        back would scramble them (and move the cursor)."""
        model = self.model
        if model is None:
            return
        claims = self.query_one(ClaimsPane)
        was_on = claims.current_position()
        model.set_query(text)
        places = self.query_one(SettlementsPane)
        place_terms = [t for t in text.split() if t.startswith("place:")]
        places.selected = place_terms[-1].split(":", 1)[1] if place_terms else None
        # the claim the cursor was on, if the filter still shows it (the analyst keeps their
        # place, and over a slow link the list is not redrawn from the top); else the first
        row = model.row_of_position(was_on) if was_on is not None else None
        claims.cursor = row if row is not None else 0
        self.query_one(VerificationPane).cursor = 0
        self.refresh_views()

    def action_open_filter(self) -> None:
        """Open the filter line (applies as you type; enter keeps it, esc clears it)."""
        box = self.query_one("#filter", Input)
        self._before_filter = self.focused
        box.add_class("-shown")
        self.focus_visibly(box)
        box.cursor_position = len(box.value)

    def _close_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.remove_class("-shown")
        target = self._before_filter
        self.focus_visibly(target if isinstance(target, RowList) else self.query_one(ClaimsPane))

    def action_clear(self) -> None:
        """Esc: close the filter line and clear the filter; a further esc clears the marks
        (saying how many); then restores a maximised pane."""
        box = self.query_one("#filter", Input)
        if box.has_class("-shown"):
            self.set_filter("")
            self._close_filter()
        elif self.model is not None and self.model.query.text:
            self.set_filter("")
        elif self.triage.clear_marks():
            pass
        elif self.screen.maximized is not None:
            self.screen.minimize()

    # ------------------------------------------------------------------ misc keys
    def action_toggle_maximize(self) -> None:
        """Maximise the focused pane, or restore the layout."""
        if self.screen.maximized is not None:
            self.screen.minimize()
        elif self.focused is not None:
            self.screen.maximize(self.focused, container=False)

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
