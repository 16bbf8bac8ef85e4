"""A one-line input for a note; returns the text, or None when cancelled."""

from __future__ import annotations

from textual.widgets import Input

from sitrep.tui.screens.input_modal import InputModal


class NoteModal(InputModal[str]):
    """Ask for a note to append to the history of the target claims."""

    PLACEHOLDER = "note text"

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Return the note (empty means cancel)."""
        self.dismiss(event.value.strip() or None)
