"""DashboardScreen: the dashboard's own screen: layout, focus and repaint.

Four panes, three rows each from 70x16 up: settlements and verification side by side, then
claims by source, then the detail of the focused claim; one header line, a banner for file
problems, a filter line that opens on ``/``, the date line (``@``) and a footer with the
focused pane's keys. The screen arranges and shows; what is shown (the model) and what a key
changes belong to the app and its parts (see :class:`~sitrep.tui.app.SitrepApp`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Input

from sitrep.store import Store
from sitrep.tui.as_of import AsOfLine, AsOfState
from sitrep.tui.conflicts import ConflictCount
from sitrep.tui.insight import Insight
from sitrep.tui.model import DashboardModel
from sitrep.tui.saver import Saver
from sitrep.tui.session import Session
from sitrep.tui.widgets.banner import Banner
from sitrep.tui.widgets.claims_pane import ClaimsPane
from sitrep.tui.widgets.detail_pane import DetailPane
from sitrep.tui.widgets.header_bar import HeaderBar
from sitrep.tui.widgets.pane_grid import PaneGrid
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
#: From this width the panes stand 2x2; below it, stacked.
WIDE = 110
#: with --low-bandwidth, the detail follows the cursor this long after the last move (longer
#: than a terminal's key-repeat interval, ~30-50 ms, shorter than a person notices)
DETAIL_DELAY = 0.12
#: Below this width the footer leaves out the command palette's "^p palette".
PALETTE_HINT = 80
FILTER_HINT = ("filter: words status:unv source:x grade:<=C cred:<=3 since:2022-09 tag:x "
               "event:x !term")

#: Where each pane was (a settlement, a claim, a source group, a queued claim), by record id.
Kept = dict[str, str | None]


class Shown(Protocol):
    """What the screen reads of the app that shows it: the model, and the state the header
    line reports (a protocol, so the screen does not import the app)."""

    store: Store
    saver: Saver
    session: Session
    as_of: AsOfState
    insight: Insight
    conflict_count: ConflictCount
    low_bandwidth: bool

    @property
    def model(self) -> DashboardModel | None:
        """The view model shown now."""


class DashboardScreen(Screen[None]):
    """The panes, the header, the banner, the filter and date lines and the footer.

    It knows where focus is and shows it (``▶`` in the focused pane's title), keeps each pane
    on its record when a new model comes, points the detail pane at the focused claim, and
    runs the filter line. ``ready`` is called once the panes are mounted: the app then opens
    the store and hands the first model to :meth:`show_model`.
    """

    def __init__(self, shown: Shown, ready: Callable[[], None]) -> None:
        super().__init__()
        self.shown = shown
        self._ready = ready
        #: which list the change keys act on when focus is elsewhere (the detail, a line)
        self._claim_source = "claims"
        self._detail_timer: Timer | None = None
        self._before_filter: Widget | None = None

    def compose(self) -> ComposeResult:
        """Header, banner, the four panes, the filter and date lines, and the footer."""
        yield HeaderBar(id="header")
        yield Banner(id="banner")
        with PaneGrid(id="panes"):
            yield SettlementsPane(id="settlements")
            yield VerificationPane(id="verification")
            yield ClaimsPane(id="claims")
            yield DetailPane(id="detail")
        yield TextBox(placeholder=FILTER_HINT, id="filter")
        yield AsOfLine(self.shown.as_of, id="as-of-line")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Titles, the cursor listeners, focus in the claims pane, the layout for the
        terminal's size; then the app may show its first model."""
        for pane in self.panes():
            pane.border_title = PANE_TITLES[pane.id or ""]
            pane.cursor_listener = self._cursor_moved
        self.query_one(DetailPane).insight = self.shown.insight
        self.query_one(ClaimsPane).focus()
        self.fit(self.app.size.width)
        self.update_header()
        self._ready()

    def panes(self) -> list[RowList]:
        """The four panes in focus order."""
        return list(self.query(RowList))

    # ------------------------------------------------------------------ layout
    def fit(self, width: int) -> None:
        """Lay the panes out for a terminal ``width`` columns wide: 2x2 from :data:`WIDE`,
        stacked below; every pane's rows fitted to the height; the palette hint in the
        footer when there is room. The app calls it on every resize, this screen shown or
        not (a screen hears of a resize only while it is on top)."""
        grids = self.query(PaneGrid)
        if not grids:  # the terminal resized before the panes were mounted
            return
        grid = grids.first()
        grid.set_class(width >= WIDE, "-wide")
        grid.fit_rows()
        footer = self.query_one(Footer)
        if footer.show_command_palette != (width >= PALETTE_HINT):
            footer.show_command_palette = width >= PALETTE_HINT
            footer.refresh(recompose=True)  # the footer reads it only when it composes

    def toggle_maximize(self) -> None:
        """Maximise the focused pane, or restore the layout."""
        if self.maximized is not None:
            self.minimize()
        elif self.focused is not None:
            self.maximize(self.focused, container=False)

    # ------------------------------------------------------------------ model in, views out
    def remember(self) -> Kept:
        """Where each pane is now, by record id (for :meth:`show_model` to come back to)."""
        model = self.shown.model
        assert model is not None
        claims = self.query_one(ClaimsPane)
        p = claims.current_position()
        tri = self.query_one(VerificationPane).current_position()
        return {
            "settlement": self.query_one(SettlementsPane).current_id(),
            "claim": model.claims[p].get("id") if p is not None else None,
            "source": claims.current_source(),
            "triage": model.claims[tri].get("id") if tri is not None else None,
        }

    def show_model(self, model: DashboardModel, keep: Kept | None) -> None:
        """Give every pane ``model``; each goes back to the record ``keep`` says it was on
        (none: the first model, the cursor on the first claim)."""
        self.query_one(SettlementsPane).model = model
        self.query_one(VerificationPane).model = model
        self.query_one(ClaimsPane).model = model
        self.query_one(DetailPane).model = model
        if keep is None:
            for pane in self.panes():
                pane.reset(keep_cursor=False)
            self.query_one(ClaimsPane).move_to(1)
            return
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
        shown = self.shown
        model, saver, store = shown.model, shown.saver, shown.store
        state = ""
        if saver.file_invalid:
            state = "file invalid: not saving to it"
        elif saver.write_failed or store.pending:
            state = f"{store.pending} change(s) pending"
        elif saver.jobs:
            state = "saving…"
        self.query_one(HeaderBar).show(
            parts=shown.as_of.header_parts(),
            db=store.path.name,
            total=model.n if model else 0,
            visible=model.total_visible if model else 0,
            unverified=model.counts.get("unverified", 0) if model else 0,
            marked=len(shown.session.marked),
            query=model.query.text if model else "",
            problems=model.query.problems if model else (),
            state=state,
            conflicts=shown.conflict_count.total,
        )

    def show_detail(self) -> None:
        """Point the detail pane at the focused claim (or settlement, or source)."""
        model = self.shown.model
        if model is None:
            return
        detail = self.query_one(DetailPane)
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
        detail.show("claim", model.claims[p].get("id") if p is not None else None)

    def current_position(self) -> int | None:
        """The claim the status keys act on when nothing is marked: the one under the cursor
        of the focused list (the claims pane's when focus is on a line or the detail shows
        no claim)."""
        model = self.shown.model
        if model is None:
            return None
        focused = self.focused
        if isinstance(focused, SettlementsPane):
            return None
        if isinstance(focused, VerificationPane):
            return focused.current_position()
        if isinstance(focused, DetailPane) and focused.subject and focused.subject[0] == "claim":
            return model.pos.get(focused.subject[1])
        if isinstance(focused, ClaimsPane) or self._claim_source == "claims":
            return self.query_one(ClaimsPane).current_position()
        return self.query_one(VerificationPane).current_position()

    def _cursor_moved(self, rows: RowList, row: int) -> None:
        if not self.app.screen_stack:  # a late move while the app closes
            return
        if rows is not self.focused or isinstance(rows, DetailPane):
            return
        if not self.shown.low_bandwidth:
            self.show_detail()  # in the same frame as the move
            return
        if self._detail_timer is not None:  # a held key: wait until it stops repeating
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_DELAY, self.show_detail)

    def say(self, text: str) -> None:
        """Put ``text`` in the banner (a file problem); empty: take the banner away."""
        banner = self.query_one(Banner)
        if text:
            banner.say(text)
        else:
            banner.clear()

    # ------------------------------------------------------------------ focus
    def on_descendant_focus(self) -> None:
        """Mark the focused pane's title (readable without colour) and follow it in detail.

        This screen's own focus: a pop-up over it has a focus of its own, and the pane the
        analyst comes back to keeps its mark (closing a pop-up gives focus back without an
        event)."""
        focused = self.focused
        for pane in self.panes():
            title = PANE_TITLES[pane.id or ""]
            pane.border_title = f"▶ {title}" if pane is focused else title
        if isinstance(focused, ClaimsPane):
            self._claim_source = "claims"
        elif isinstance(focused, VerificationPane):
            self._claim_source = "triage"
        if isinstance(focused, RowList):
            self.show_detail()

    def focus_visibly(self, widget: Widget) -> None:
        """Focus ``widget`` where the analyst sees it: a maximised pane other than it is
        restored to the layout first (focus in a hidden pane moved the hidden cursor)."""
        if self.maximized is not None and self.maximized is not widget:
            self.minimize()
        # Now, not at the next idle as widget.focus() would: the keys of a burst read with
        # this one (``/source:x``) are handled after it and must find the new focus, not run
        # the bindings of the pane the burst was read in.
        self.set_focus(widget)

    def jump_to_claim(self, claim_id: str) -> None:
        """Show a claim in the claims pane (clearing the filter or expanding its group if
        needed)."""
        model = self.shown.model
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

    # ------------------------------------------------------------------ selection
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

    # ------------------------------------------------------------------ the filter line
    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        # The box as it is now, not the event's value: in a burst, later keys have already
        # reached the box, and their own events follow (they find nothing new to apply).
        text = event.input.value
        model = self.shown.model
        if model is not None and text != model.query.text:
            self.apply_filter(text)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.close_filter()

    def set_filter_term(self, key: str, value: str) -> None:
        """Replace any ``key:`` term of the filter with ``key:value``."""
        model = self.shown.model
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
        model = self.shown.model
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

    def open_filter(self) -> None:
        """Open the filter line (applies as you type; enter keeps it, esc clears it)."""
        box = self.query_one("#filter", Input)
        self._before_filter = self.focused
        box.add_class("-shown")
        self.focus_visibly(box)
        box.cursor_position = len(box.value)

    def close_filter(self) -> None:
        """Close the filter line (the filter stays); focus goes back where it was."""
        box = self.query_one("#filter", Input)
        box.remove_class("-shown")
        target = self._before_filter
        self.focus_visibly(target if isinstance(target, RowList) else self.query_one(ClaimsPane))

    def clear_filter(self) -> bool:
        """Esc's first step: close the filter line if it is open and clear the filter.
        False when there was no filter to clear."""
        box = self.query_one("#filter", Input)
        model = self.shown.model
        if box.has_class("-shown"):
            self.set_filter("")
            self.close_filter()
        elif model is not None and model.query.text:
            self.set_filter("")
        else:
            return False
        return True
