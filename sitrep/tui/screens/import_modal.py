"""i : ask for a feed to import: a path or http(s) URL, or one of the subscriptions.

Keyboard only: type a path or URL and press enter; or press ↓ (or tab) to reach the
subscriptions, move with j/k or the arrows and press enter to pull one; esc cancels.
Returns ``("location", text)``, ``("subscription", name)`` or None.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from sitrep.tui.keymap import binding
from sitrep.tui.safe import safe_text
from sitrep.tui.widgets.text_box import TextBox

HINT = "enter: import · ↓/tab: subscriptions · esc: cancel"
HINT_NO_SUBS = "enter: import · esc: cancel"
LIST_HINT = "j/k: move · enter: pull it · shift+tab: back · esc: cancel"
NO_SUBS = "No subscriptions yet (sitrep feeds add URL --name NAME)."


class ImportModal(ModalScreen[tuple[str, str] | None]):
    """Ask for a path or URL, or let the analyst pick a subscription."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("import.cancel", "cancel"),
        binding("import.to_list", "to_list", show=False),
        binding("import.down", "move('down')", show=False),
        binding("import.up", "move('up')", show=False),
    ]

    def __init__(self, subscriptions: list[dict[str, Any]]) -> None:
        super().__init__()
        self.subscriptions = subscriptions

    def compose(self) -> ComposeResult:
        """Title, input, the subscriptions (if any) and a hint."""
        with Vertical(id="modal-box"):
            yield Static(Text("Import a feed", style="bold", end=""))
            yield TextBox(placeholder="path or http(s) URL", id="modal-input")
            if self.subscriptions:
                yield Static(Text("Subscriptions:", style="bold", end=""))
                yield OptionList(*(self._option(s) for s in self.subscriptions),
                                 id="import-subs")
            else:
                yield Static(Text(NO_SUBS, end=""), id="import-no-subs")
            yield Static(HINT if self.subscriptions else HINT_NO_SUBS, id="modal-hint")

    @staticmethod
    def _option(record: dict[str, Any]) -> Option:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(safe_text(record.get("id")), "bold")
        text.append("  " + safe_text(record.get("url")), "dim")
        return Option(text, id=str(record.get("id")))

    def on_descendant_focus(self) -> None:
        """Keep the hint about the keys of what has focus."""
        in_list = isinstance(self.focused, OptionList)
        if isinstance(self.focused, OptionList) and self.focused.highlighted is None:
            self.focused.highlighted = 0
        hint = LIST_HINT if in_list else HINT if self.subscriptions else HINT_NO_SUBS
        self.query_one("#modal-hint", Static).update(hint)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Import the typed path or URL."""
        event.stop()
        value = event.value.strip()
        if value:
            self.dismiss(("location", value))
        else:
            self.query_one("#modal-hint", Static).update(
                "type a path or an http(s) URL, or pick a subscription · esc: cancel")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Pull the chosen subscription."""
        event.stop()
        if event.option.id is not None:
            self.dismiss(("subscription", event.option.id))

    def action_to_list(self) -> None:
        """From the input, go down to the subscriptions."""
        subs = self.query(OptionList)
        if subs:
            subs.first().focus()

    def action_move(self, direction: str) -> None:
        """j/k in the subscriptions."""
        subs = self.query(OptionList)
        if subs and subs.first().has_focus:
            lst = subs.first()
            (lst.action_cursor_down if direction == "down" else lst.action_cursor_up)()

    def action_cancel(self) -> None:
        """Close without importing."""
        self.dismiss(None)
