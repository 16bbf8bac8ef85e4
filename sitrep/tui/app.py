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
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from textual import events, on
from textual.actions import ActionParseResult
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.dom import DOMNode
from textual.driver import Driver
from textual.timer import Timer
from textual.widgets import Footer, Input

from sitrep.analysis.triage import DEFAULT_STALE_DAYS
from sitrep.config import load_settings
from sitrep.errors import InvalidValueError
from sitrep.keymap import read_keymap
from sitrep.paths import config_dir, default_analyst
from sitrep.store import Store
from sitrep.tui import persist, typeahead
from sitrep.tui.app_actions import AppActions
from sitrep.tui.as_of import AsOfLine, AsOfState
from sitrep.tui.conflicts import ConflictCount, ConflictResolver
from sitrep.tui.edit_json import EditAsJson
from sitrep.tui.imports import FeedImports
from sitrep.tui.insight import Insight
from sitrep.tui.keymap import APP_BINDINGS
from sitrep.tui.keynames import key_problem
from sitrep.tui.model import DashboardModel
from sitrep.tui.report_export import ReportExport
from sitrep.tui.screens.too_small import TooSmallScreen
from sitrep.tui.triage import TriageActions
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
#: The signals that fold the journal into the main file and exit (status 128 + N).
EXIT_SIGNALS = (signal.SIGHUP, signal.SIGTERM, signal.SIGINT)


class SitrepApp(AppActions, TriageActions, EditAsJson, FeedImports, persist.StoreWorkers,
                App[int]):
    """The sitrep dashboard over one Store opened with ``journal=True``."""

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
        self.analyst = analyst or default_analyst()
        self.config_folder = config if config is not None else config_dir()
        self.poll_interval = poll_interval
        self.model: DashboardModel | None = None
        self.init_store_workers()
        self.init_triage()
        self.init_imports()
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
        self.query_one(ClaimsPane).focus()
        self._update_layout()
        self.update_header()
        self.load_model()
        self._listen_for_exit_signals()
        self.set_interval(self.poll_interval, self.poll_disk)
        self.set_interval(1.0, self.idle_tick)
        if self.keymap_problems:
            self.notify("\n".join(self.keymap_problems), severity="warning", markup=False)

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
        problem = self.fold_now()
        if problem:  # the journal keeps the changes; the next open replays them
            print(f"sitrep: {signal.Signals(sig).name}: not everything is in the main file "
                  f"yet: {problem}. The journal keeps it.", file=sys.stderr)
        self.exit(128 + sig)

    def on_unmount(self) -> None:
        """Stop listening for the exit signals, then the store workers' own clean-up."""
        if not self.is_headless and threading.current_thread() is threading.main_thread():
            loop = asyncio.get_running_loop()
            for sig in EXIT_SIGNALS:
                loop.remove_signal_handler(sig)
        super().on_unmount()

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
    def on_model_built(self, message: persist.ModelBuilt) -> None:
        """Swap in a new model, keeping each pane on the record it was on."""
        if not self.screen_stack:  # a worker finished while the app was closing
            return
        if not self.as_of.wanted(message.model):
            if message.reason != "as-of":  # the records changed under a view of the past
                self.as_of.rebuild()
            return  # else a late build of a date asked for before the last one
        keep = self._remember() if self.model is not None else None
        self.model = message.model
        self.conflict_count.recount(message.model)
        for pane in self.panes():
            pane.model = message.model  # type: ignore[attr-defined]
        if keep is None:
            for pane in self.panes():
                pane.reset(keep_cursor=False)
            self.query_one(ClaimsPane).move_to(1)
        else:
            self._restore(keep)
        gone = [cid for cid in self.marked if cid not in message.model.pos]
        self.marked.difference_update(gone)  # O(marks), not a set of every claim id
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
        if keep["settlement"] in model.place_rows:
            places.cursor = model.place_rows.index(keep["settlement"])  # type: ignore[arg-type]
        claims = self.query_one(ClaimsPane)
        row = None
        if keep["claim"] in model.pos:
            row = model.row_of_position(model.pos[keep["claim"]])  # type: ignore[index]
        if row is None and keep["source"]:
            row = model.group_row(keep["source"])
        if row is not None:
            claims.cursor = row
        tri = self.query_one(VerificationPane)
        if keep["triage"] in model.pos:
            p = model.pos[keep["triage"]]  # type: ignore[index]
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
        state = ""
        if self.file_invalid:
            state = "file invalid: not saving to it"
        elif self.write_failed or self.store.pending:
            state = f"{self.store.pending} change(s) pending"
        elif self._jobs:
            state = "saving…"
        self.query_one(HeaderBar).show(
            parts=self.as_of.header_parts(),
            db=self.store.path.name,
            total=model.n if model else 0,
            visible=model.total_visible if model else 0,
            unverified=model.counts.get("unverified", 0) if model else 0,
            marked=len(self.marked),
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
        if isinstance(event, events.Key) and typeahead.to_focused_input(self, event):
            return
        await super().on_event(event)

    @on(persist.Saved)
    def _count_conflicts(self, message: persist.Saved) -> None:
        # before the triage part's on_saved redraws the header (decorated handlers go first)
        self.conflict_count.records_changed(message.records)

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

