"""A one-line input for a note; returns the text, or None when cancelled."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from sitrep.tui.safe import safe_text


class NoteModal(ModalScreen[str | None]):
    """Ask for a note to append to the history of the target claims."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="modal.cancel"),
    ]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        """A title, the input and a hint."""
        with Vertical(id="modal-box"):
            yield Static(Text(safe_text(self.title_text), style="bold", end=""))
            yield Input(placeholder="note text", id="modal-input")
            yield Static("enter: save · esc: cancel", id="modal-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Return the note (empty means cancel)."""
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        """Close without a note."""
        self.dismiss(None)
