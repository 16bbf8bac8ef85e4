"""The date the dashboard shows: now, or the picture as the file knew it at the end of a date.

``@`` asks for a date on a line above the footer (:class:`AsOfLine`, always there and shown
when asked, so the keys of a burst like ``@2022-06-30⏎`` all reach it, as the filter line's do);
``<`` ``>`` step the date by a day, ``{`` ``}`` by a week.
Every pane then shows :func:`sitrep.analysis.as_of.AsOfView.at`'s picture — the one reading
of the file's history the CLI's ``--as-of`` uses too: claims reported after the date left
out, status and credibility in force then, control and reliability as observed by then. The
keys that change data are refused while the view is in the past (``CHANGE_ACTIONS``).

:class:`AsOfState` is a part the app holds (``app.as_of``), not a mixin. It keeps the
:class:`~sitrep.analysis.as_of.AsOfView` of the store's records (rebuilt when the store's
version moves) and builds the view model of a date in a worker: at 100k claims the model's
layout pass is what a switch costs, and the keys stay live meanwhile. A key pressed before
the build is done asks for the newer date; only the model of the date asked for last is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, ClassVar, Protocol

from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

from sitrep import dates
from sitrep.analysis import triage
from sitrep.analysis.as_of import AsOfView, claim_at
from sitrep.errors import InvalidValueError
from sitrep.store import Store
from sitrep.tui.app_calls import AppCalls
from sitrep.tui.keymap import CHANGE_ACTIONS, action_name
from sitrep.tui.messages import BuildReason, ModelBuilt
from sitrep.tui.model import DashboardModel, build_model, carry_over
from sitrep.tui.model_build import AsOfLayout
from sitrep.tui.saver import Saver
from sitrep.tui.widgets.text_box import TextBox

#: The forms :func:`sitrep.dates.parse` reads, as the prompt shows them.
FORMS = "2022-06-30 · 30 Jun 2022 · June 2022 · 2022-06 · 2022 · 2022-06-30T18:00Z"


class Dashboard(AppCalls, Protocol):
    """What :class:`AsOfState` needs of the app (:class:`~sitrep.tui.app.SitrepApp` is one;
    a protocol, so this module does not import the app that holds it)."""

    store: Store
    model: DashboardModel | None
    saver: Saver

    @property
    def focused(self) -> Widget | None:
        """The focused widget."""

    @property
    def screen(self) -> Screen[Any]:
        """The screen shown."""

    def update_header(self) -> None:
        """Redraw the header line."""


class AsOfLine(TextBox):
    """The date line: enter shows the date typed (empty: now), esc goes back to now; a date
    sitrep cannot read keeps the line open and says why."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back_to_now", "Now", show=False),
    ]

    def __init__(self, state: AsOfState, *, id: str | None = None) -> None:
        super().__init__(placeholder=f"as of: {FORMS}", max_length=64, id=id)
        self.state = state

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """The date typed, normalised; empty: now."""
        event.stop()
        text = event.value.strip()
        if not text:
            self.state.close(None)
            return
        try:
            when = dates.normalize(text)
        except InvalidValueError as exc:
            self.app.notify(f"{exc}: type a date such as {FORMS}; empty or esc: now",
                            severity="error", timeout=6, markup=False)
            return
        self.state.close(when)

    def action_back_to_now(self) -> None:
        """Esc: close the line and show now, as an empty line does."""
        self.state.close(None)


def last_day(when: str) -> date:
    """The last day of the period ``when`` names (its own day for a day or an instant)."""
    return triage.reference_day(when)


def layout_of(view: AsOfView) -> AsOfLayout:
    """The layout of the view's records (their model now), which the model of any date is
    cut from (:func:`model_as_of`): built once per version of the records."""
    model = DashboardModel(view.claims, view.sources, view.settlements)
    return AsOfLayout(model, view.known, view.last_changes)


def model_as_of(store: Store, view: AsOfView, when: str, like: DashboardModel | None,
                stale_days: int = triage.DEFAULT_STALE_DAYS,
                layout: AsOfLayout | None = None) -> DashboardModel:
    """The view model of the picture at the end of ``when``, keeping the filter, collapsed
    groups and sort of ``like``; stale as of that date. With ``layout`` (:func:`layout_of` of
    ``view``) the model is cut from it; without, laid out from the picture's claims (the same
    model, several times slower at 100k claims)."""
    key = dates.as_of_key(when)
    horizon = dates.horizon(key)
    sources, settlements = view.sources_at(horizon), view.settlements_at(horizon)
    cutoff = triage.stale_cutoff(key, stale_days)
    if layout is not None and layout.usable:
        model = DashboardModel((), sources, settlements, stale_cutoff=cutoff,
                               stale_days=stale_days, past=(layout, horizon, claim_at))
    else:
        model = DashboardModel(view.at(when).claims, sources, settlements,
                               stale_cutoff=cutoff, stale_days=stale_days)
    model.as_of = key
    return carry_over(model, like)


class AsOfState:
    """The date the dashboard shows (:attr:`when`, None: now) and the work of switching it."""

    def __init__(self, app: Dashboard, today: Callable[[], date],
                 stale_days: int = triage.DEFAULT_STALE_DAYS) -> None:
        self.app = app
        self.today = today
        self.stale_days = stale_days
        #: the date asked for (stored form); the model shown may still be the previous one
        self.when: str | None = None
        self._view: tuple[int, AsOfView, AsOfLayout | None] | None = None
        self._before: Widget | None = None

    @property
    def past(self) -> bool:
        """True while the dashboard shows the picture of a date, not now."""
        return self.when is not None

    # ------------------------------------------------------------------ refusing changes
    def refuses(self, action: object) -> bool:
        """True (and says so) for a key that would change data while the view is in the past."""
        if self.when is None:
            return False
        name = action_name(action) if isinstance(action, str) else None
        if name is None and isinstance(action, tuple) and len(action) >= 2:
            name = str(action[1])  # an ActionParseResult: (namespace, name, parameters)
        if name not in CHANGE_ACTIONS:
            return False
        self.app.notify(f"Showing the picture as of {self.when}: changes are off. "
                        "@ then enter goes back to now.", severity="warning", timeout=4,
                        markup=False)
        return True

    # ------------------------------------------------------------------ switching
    def ask(self) -> None:
        """``@``: open the date line, focused at once (the next keys of a burst type into it)."""
        line = self.app.query_one(AsOfLine)
        if line.has_focus:
            return
        self._before = self.app.focused
        if self.app.screen.maximized is not None:
            self.app.screen.minimize()
        line.value = ""
        line.add_class("-shown")
        self.app.screen.set_focus(line)

    def close(self, when: str | None) -> None:
        """Close the date line, give focus back, and show ``when`` (None: now)."""
        from sitrep.tui.widgets.claims_pane import ClaimsPane
        from sitrep.tui.widgets.row_list import RowList

        line = self.app.query_one(AsOfLine)
        line.remove_class("-shown")
        back = self._before if isinstance(self._before, RowList) else None
        self.app.screen.set_focus(back or self.app.query_one(ClaimsPane))
        self.show(when)

    def step(self, days: int) -> None:
        """Move the date ``days`` back (negative) or forth from the date shown (from today
        when showing now); reaching today or later is now again."""
        today = self.today()
        base = last_day(self.when) if self.when else today
        target = base + timedelta(days=days)
        if target >= today:
            if self.when is None:
                self.app.notify("Already showing now.", timeout=2)
                return
            self.show(None)
            return
        self.show(target.isoformat())

    def show(self, when: str | None) -> None:
        """Show the picture of ``when`` (None: now), built in a worker."""
        if when == self.when:
            self.app.update_header()
            return
        self.when = when
        self.app.update_header()  # the date asked for shows at once, "…" until it is built
        like = self.app.model
        self.app.run_worker(lambda: self._build(when, like), thread=True, group="as-of",
                            exit_on_error=False)

    def rebuild(self) -> None:
        """The records changed while the view is in the past: build its date again."""
        if self.when is not None:
            when, like = self.when, self.app.model
            self.app.run_worker(lambda: self._build(when, like), thread=True, group="as-of",
                                exit_on_error=False)

    def _build(self, when: str | None, like: DashboardModel | None) -> None:
        app = self.app
        with app.saver.lock:
            if when is None:
                model = build_model(app.store, like, stale_days=self.stale_days)
            else:
                model = model_as_of(app.store, self.view(), when, like, self.stale_days,
                                    self.layout())
        app.post_message(ModelBuilt(model, BuildReason.AS_OF))

    def view(self) -> AsOfView:
        """The as-of view of the store's records, built again when they changed."""
        store = self.app.store
        cached = self._view
        if cached is None or cached[0] != store.version:
            cached = self._view = (store.version, AsOfView(
                store.claims(), store.sources(), store.settlements()), None)
        return cached[1]

    def layout(self) -> AsOfLayout:
        """The layout the model of a date is cut from (:func:`layout_of` of :meth:`view`),
        built on the first switch after the records changed."""
        view = self.view()
        cached = self._view
        assert cached is not None
        if cached[2] is None:
            cached = self._view = (cached[0], view, layout_of(view))
        assert cached[2] is not None
        return cached[2]

    def wanted(self, model: DashboardModel) -> bool:
        """True when ``model`` shows the date asked for (a late build of an older date is not)."""
        return model.as_of == self.when

    # ------------------------------------------------------------------ the header
    def header_parts(self) -> list[tuple[str, str]]:
        """The header's part for the date shown: ``as of 2022-06-30`` (reversed, so it reads
        without colour), ``…`` while its picture is being built."""
        if self.when is None:
            return []
        model = self.app.model
        building = "" if model is not None and model.as_of == self.when else " …"
        return [(f" as of {self.when}{building} ", "bold reverse")]
