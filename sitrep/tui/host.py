"""What the dashboard's parts use of the app that holds them.

:class:`~sitrep.tui.app.SitrepApp` owns its parts (the triage keys, the feed importer, the
record editor, …) and hands each itself as a :class:`Dashboard`: a protocol, so that no part
imports the app that holds it (the import graph stays without cycles) and a test can hold a
part in an app of its own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from textual.screen import Screen
from textual.widget import Widget

from sitrep.store import Store
from sitrep.tui.app_calls import AppCalls
from sitrep.tui.as_of import AsOfState
from sitrep.tui.insight import Insight
from sitrep.tui.model import DashboardModel
from sitrep.tui.saver import Saver
from sitrep.tui.session import Session


class Dashboard(AppCalls, Protocol):
    """The app as its parts see it: the store and its saver, the session, the model shown,
    and the few Textual calls a part makes (pop-ups, notifications, workers, widgets)."""

    store: Store
    saver: Saver
    session: Session
    analyst: str
    as_of: AsOfState
    insight: Insight

    @property
    def model(self) -> DashboardModel | None:
        """The view model shown now."""

    @property
    def focused(self) -> Widget | None:
        """The focused widget."""

    @property
    def screen(self) -> Screen[Any]:
        """The screen shown."""

    @property
    def screen_stack(self) -> list[Screen[Any]]:
        """The screens, the dashboard's first (empty while the app closes)."""

    def now(self) -> datetime: ...

    # the dashboard's own
    def current_position(self) -> int | None:
        """The claim a change key acts on when nothing is marked."""

    def take_model(self, model: DashboardModel, reason: Any) -> None:
        """Show ``model``, keeping each pane on the record it was on."""

    def refresh_views(self, *, rows_changed: bool = True) -> None:
        """Repaint every pane and the header."""

    def show_detail(self) -> None:
        """Point the detail pane at the focused claim."""

    def update_header(self) -> None:
        """Redraw the header line."""

    def jump_to_claim(self, claim_id: str) -> None:
        """Show a claim in the claims pane."""

    def focus_visibly(self, widget: Widget) -> None:
        """Focus ``widget`` where the analyst sees it."""

    def say(self, text: str) -> None:
        """Put ``text`` in the banner (a file problem)."""

