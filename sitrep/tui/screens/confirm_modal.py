"""Ask before a change key touches marked claims the filter hides: all, only the shown, or
nothing."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class HiddenMarksModal(ModalScreen[str | None]):
    """``y``: "all"; ``n``: "shown" (only the marked claims the filter shows); esc: None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer('all')", "All", id="confirm.all"),
        Binding("n", "answer('shown')", "Only the shown", id="confirm.shown"),
        Binding("escape", "answer", "Cancel", id="confirm.cancel"),
    ]

    def __init__(self, marked: int, hidden: int) -> None:
        super().__init__()
        self.marked = marked
        self.hidden = hidden

    def compose(self) -> ComposeResult:
        """The question and what each answer does."""
        shown = self.marked - self.hidden
        with Vertical(id="modal-box"):
            yield Static(Text(f"{self.marked} marked, {self.hidden} hidden by the filter: "
                              f"apply to all {self.marked}? y/n", style="bold", end=""),
                         id="confirm-question")
            only = f"only the {shown} shown" if shown else "nothing (none is shown)"
            yield Static(f"y: all {self.marked} · n: {only} · esc: cancel", id="modal-hint")

    def action_answer(self, answer: str | None = None) -> None:
        """Close with the answer (None: cancelled)."""
        self.dismiss(answer)
