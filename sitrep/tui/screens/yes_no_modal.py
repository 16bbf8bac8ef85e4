"""Two small questions of the report key: the file to write (with a default), and y/n."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from sitrep.tui.safe import safe_text
from sitrep.tui.screens.input_modal import InputModal
from sitrep.tui.widgets.text_box import TextBox


class YesNoModal(ModalScreen[bool | None]):
    """``y``: True, ``n``: False, esc: None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="yes_no.yes"),
        Binding("n", "answer(False)", "No", id="yes_no.no"),
        Binding("escape", "answer", "Cancel", id="yes_no.cancel"),
    ]

    def __init__(self, question: str, hint: str = "y: yes · n: no · esc: cancel") -> None:
        super().__init__()
        self.question = question
        self.hint = hint

    def compose(self) -> ComposeResult:
        """The question and what each answer does."""
        with Vertical(id="modal-box"):
            yield Static(Text(safe_text(self.question), style="bold", end=""),
                         id="yes-no-question")
            yield Static(self.hint, id="modal-hint")

    def action_answer(self, answer: bool | None = None) -> None:
        """Close with the answer (None: cancelled)."""
        self.dismiss(answer)


class FileNameModal(InputModal[str]):
    """Ask for a file name, the default filled in (and selected: typing replaces it)."""

    PLACEHOLDER = "file name"
    HINT = "enter: write · esc: cancel · .md: Markdown, else text"

    def __init__(self, title: str, default: str) -> None:
        super().__init__(title)
        self.default = default

    def compose(self) -> ComposeResult:
        """A title, the input holding the default, and a hint. The default is there from the
        start (not filled in on mount, which overwrote keys typed in a burst with ``r``), and
        selected from the start too (not when the input takes focus, which came after keys of
        the burst and selected them), so the first key typed replaces it."""
        with Vertical(id="modal-box"):
            yield Static(Text(safe_text(self.title_text), style="bold", end=""))
            yield TextBox(self.default, placeholder=self.PLACEHOLDER, replace_default=True,
                          id="modal-input")
            yield Static(self.HINT, id="modal-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Return the name (empty: the default)."""

        self.dismiss(event.value.strip() or self.default)
