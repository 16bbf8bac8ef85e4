"""Ask for an Admiralty grade: a letter (source reliability), a digit (credibility) or both."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Input, Static

from sitrep.models import parse_grade
from sitrep.tui.screens.input_modal import InputModal

GRADE_HINT = "B = source reliability A-F · 3 = credibility 1-6 · B3 = both · esc: cancel"


class GradeModal(InputModal[tuple[str | None, int | None]]):
    """Returns (letter, digit) with either part None, or None when cancelled.

    A digit completes the grade at once (``3``, ``B3``); a letter alone needs enter.
    """

    PLACEHOLDER = "B3"
    HINT = GRADE_HINT
    MAX_LENGTH = 2

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
