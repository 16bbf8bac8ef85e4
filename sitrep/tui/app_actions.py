"""The app's own keys: filter, clear, jump, maximise, help, quit, and the command palette.

A mixin for :class:`~sitrep.tui.app.SitrepApp` (which keeps the wiring: layout, the model
going in and the views coming out, and the message handlers).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import BindingType
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

from sitrep.tui.commands import palette_commands
from sitrep.tui.screens.help_screen import HelpScreen
from sitrep.tui.widgets.claims_pane import ClaimsPane
from sitrep.tui.widgets.detail_pane import DetailPane
from sitrep.tui.widgets.row_list import RowList
from sitrep.tui.widgets.settlements_pane import SettlementsPane
from sitrep.tui.widgets.verification_pane import VerificationPane

if TYPE_CHECKING:
    from sitrep.tui.app import SitrepApp


class AppActions:
    """Mixin for SitrepApp: the app-level actions (every one is also in the palette)."""

    def jump_to_claim(self: SitrepApp, claim_id: str) -> None:  # type: ignore[misc]
        """Show a claim in the claims pane (clearing the filter or unfolding if needed)."""
        model = self.model
        if model is None or claim_id not in model.pos:
            return
        p = model.pos[claim_id]
        if not model.is_visible(p):
            self.set_filter("")
        src = model.group_at(p)[0]
        if src in model.folded:
            model.set_folded(src, False)
        row = model.row_of_position(p)
        claims = self.query_one(ClaimsPane)
        self.focus_visibly(claims)
        claims.reset()
        if row is not None:
            claims.move_to(row, force_message=True)
        self.show_detail()

    def focus_visibly(self: SitrepApp, widget: Widget) -> None:  # type: ignore[misc]
        """Focus ``widget`` where the analyst sees it: a maximised pane other than it is
        restored to the layout first (focus in a hidden pane moved the hidden cursor)."""
        if self.screen.maximized is not None and self.screen.maximized is not widget:
            self.screen.minimize()
        # Now, not at the next idle as widget.focus() would: the keys of a burst read with
        # this one (``/source:x``) are handled after it and must find the new focus, not run
        # the bindings of the pane the burst was read in.
        self.screen.set_focus(widget)

    def set_filter_term(self: SitrepApp, key: str, value: str) -> None:  # type: ignore[misc]
        """Replace any ``key:`` term of the filter with ``key:value``."""
        model = self.model
        if model is None:
            return
        kept = [t for t in model.query.text.split() if not t.lstrip("!").startswith(f"{key}:")]
        self.set_filter(" ".join([*kept, f"{key}:{value}"]))

    def set_filter(self: SitrepApp, text: str) -> None:  # type: ignore[misc]
        """Put ``text`` in the filter line and apply it (a key that sets the filter for the
        analyst: esc, enter on a settlement or source, a jump). Never called for what the
        analyst types in the box: the box is theirs."""
        box = self.query_one("#filter", Input)
        if box.value != text:
            with box.prevent(Input.Changed):
                box.value = text
        self.apply_filter(text)

    def apply_filter(self: SitrepApp, text: str) -> None:  # type: ignore[misc]
        """Filter the claims and verification panes by ``text``. Never writes into the filter
        line: keys typed in a burst are still arriving there, and writing an older value
        back would scramble them (and move the cursor)."""
        if self.model is None:
            return
        self.model.set_query(text)
        places = self.query_one(SettlementsPane)
        place_terms = [t for t in text.split() if t.startswith("place:")]
        places.selected = place_terms[-1].split(":", 1)[1] if place_terms else None
        for pane in (self.query_one(ClaimsPane), self.query_one(VerificationPane)):
            pane.cursor = 0
        self.refresh_views()

    def action_open_filter(self: SitrepApp) -> None:  # type: ignore[misc]
        """Open the filter line (applies as you type; enter keeps it, esc clears it)."""
        box = self.query_one("#filter", Input)
        self._before_filter = self.focused
        box.add_class("-shown")
        self.focus_visibly(box)
        box.cursor_position = len(box.value)


    def _close_filter(self: SitrepApp) -> None:  # type: ignore[misc]
        box = self.query_one("#filter", Input)
        box.remove_class("-shown")
        target = getattr(self, "_before_filter", None)
        self.focus_visibly(target if isinstance(target, RowList) else self.query_one(ClaimsPane))

    def action_clear(self: SitrepApp) -> None:  # type: ignore[misc]
        """Esc: close the filter line and clear the filter; a further esc clears the marks
        (saying how many); then restores a maximised pane."""
        box = self.query_one("#filter", Input)
        if box.has_class("-shown"):
            self.set_filter("")
            self._close_filter()
        elif self.model is not None and self.model.query.text:
            self.set_filter("")
        elif self.marked:
            count = len(self.marked)
            self.marked.clear()
            self.refresh_marks()
            self.notify(f"cleared {count} mark{'s' if count != 1 else ''}", timeout=3)
        elif self.screen.maximized is not None:
            self.screen.minimize()

    # ------------------------------------------------------------------ misc keys
    def action_toggle_maximize(self: SitrepApp) -> None:  # type: ignore[misc]
        """Maximise the focused pane, or restore the layout."""
        if self.screen.maximized is not None:
            self.screen.minimize()
        elif self.focused is not None:
            self.screen.maximize(self.focused, container=False)

    def action_help(self: SitrepApp) -> None:  # type: ignore[misc]
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
                keys = self._keymap.get(b.id or "", b.key)
                shown = ",".join(self.get_key_display_name(k) for k in keys.split(","))
                rows.append((section, shown, b.description, b.id or ""))
        note = f"Remap keys by id in {self.config_folder / 'keymap.toml'} ([keys] id = \"key\")."
        self.push_screen(HelpScreen(rows, note))

    def get_key_display_name(self: SitrepApp, key: str) -> str:  # type: ignore[misc]
        """Short names for keys in help."""
        names = {"right_square_bracket": "]", "left_square_bracket": "[", "slash": "/",
                 "question_mark": "?", "space": "space", "at": "@", "less_than_sign": "<",
                 "greater_than_sign": ">", "left_curly_bracket": "{",
                 "right_curly_bracket": "}"}
        return names.get(key.strip(), key.strip())

    def action_quit_app(self: SitrepApp) -> None:  # type: ignore[misc]
        """Fold the journal into the file and quit."""
        problem = self.fold_now()
        if problem:
            self.notify(f"Not everything is in the main file yet: {problem}. The journal "
                        "keeps it; it is replayed next time.", severity="warning", markup=False)
        self.exit(0)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's commands, then every key's action (see :mod:`sitrep.tui.commands`)."""
        yield from super().get_system_commands(screen)  # type: ignore[misc]
        yield from palette_commands(self)  # type: ignore[arg-type]

    async def action_quit(self: SitrepApp) -> None:  # type: ignore[misc]
        """Textual's own quit (ctrl+q, the palette's "Quit") folds the journal first too."""
        self.action_quit_app()
