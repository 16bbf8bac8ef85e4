"""Ask for an Admiralty grade: a letter (source reliability), a digit (credibility) or both."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from sitrep.models import parse_grade
from sitrep.tui.safe import safe_text

HINT = "B = source reliability A-F · 3 = credibility 1-6 · B3 = both · esc: cancel"


class GradeModal(ModalScreen[tuple[str | None, int | None] | None]):
    """Returns (letter, digit) with either part None, or None when cancelled.

    A digit completes the grade at once (``3``, ``B3``); a letter alone needs enter.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="modal.cancel"),
    ]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        """Title, input, hint."""
        with Vertical(id="modal-box"):
            yield Static(Text(safe_text(self.title_text), style="bold", end=""))
            yield Input(placeholder="B3", max_length=2, id="modal-input")
            yield Static(HINT, id="modal-hint")

    def _finish(self, value: str) -> None:
        try:
            self.dismiss(parse_grade(value))
        except ValueError as exc:
            self.query_one("#modal-hint", Static).update(Text(str(exc), end=""))

    def on_input_changed(self, event: Input.Changed) -> None:
        """A trailing digit completes the grade."""
        if event.value[-1:].isdigit():
            self._finish(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter completes a letter-only grade."""
        if event.value.strip():
            self._finish(event.value)
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        """Close without grading."""
        self.dismiss(None)
