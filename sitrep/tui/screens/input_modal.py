"""The shared shape of the one-line modals: a title, an input, a hint; esc cancels."""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from sitrep.tui.keymap import binding
from sitrep.tui.safe import safe_text
from sitrep.tui.widgets.text_box import TextBox

ResultT = TypeVar("ResultT")


class InputModal(ModalScreen[ResultT | None], Generic[ResultT]):
    """A modal asking for one line; subclasses set the placeholder, hint and input length."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("modal.cancel", "cancel"),
    ]
    PLACEHOLDER: ClassVar[str] = ""
    HINT: ClassVar[str] = "enter: save · esc: cancel"
    MAX_LENGTH: ClassVar[int] = 0

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        """A title, the input and a hint."""
        with Vertical(id="modal-box"):
            yield Static(Text(safe_text(self.title_text), style="bold", end=""))
            yield TextBox(placeholder=self.PLACEHOLDER, max_length=self.MAX_LENGTH,
                          id="modal-input")
            yield Static(self.HINT, id="modal-hint")

    def action_cancel(self) -> None:
        """Close without a result."""
        self.dismiss(None)
