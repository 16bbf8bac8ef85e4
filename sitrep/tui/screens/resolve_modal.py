"""Resolve one conflict, in two small numbered lists: which conflict (when a record has several
open), then which of its values to keep."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Region
from textual.screen import ModalScreen
from textual.widgets import Static

from sitrep.tui.keymap import binding
from sitrep.tui.safe import safe_text


@dataclass(frozen=True)
class Choice:
    """One line of a pick list: ``value`` is what picking it gives (a value as stored, None for
    a ``record`` or ``id`` conflict, which keeps the record as it is; or a conflict's field
    name), ``label`` describes it and ``details`` are lines shown indented under it."""

    value: Any
    label: str
    details: tuple[str, ...] = ()


class PickModal(ModalScreen[Choice | None]):
    """Numbered choices; ``1``-``9`` or the cursor and enter pick one, esc cancels (None)."""

    DEFAULT_CSS = """
    PickModal #pick-scroll { height: auto; max-height: 14; }
    """
    #: what picking a choice does, in the hint line
    PICK_WORDS = "pick it"

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("resolve.down", "move(1)"),
        binding("resolve.up", "move(-1)"),
        binding("resolve.pick", "pick"),
        binding("modal.cancel", "cancel"),
        *(Binding(str(n), f"pick({n - 1})", show=False) for n in range(1, 10)),
    ]

    def __init__(self, title: str, choices: list[Choice]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.cursor = 0

    def compose(self) -> ComposeResult:
        """The title, the choices (scrolled when they are many) and the keys."""
        with Vertical(id="modal-box"):
            yield Static(Text(safe_text(self.title_text), style="bold", end=""))
            with VerticalScroll(id="pick-scroll", can_focus=False):  # keys are the modal's
                yield Static(self._choices_text(), id="resolve-choices")
            count = len(self.choices)
            keys = "1" if count == 1 else f"1-{min(count, 9)}"
            yield Static(f"{keys} or ↑↓ enter: {self.PICK_WORDS} · esc: cancel",
                         id="modal-hint")

    def _choices_text(self) -> Text:
        text = Text(end="")
        for n, choice in enumerate(self.choices):
            if n:
                text.append("\n")
            text.append("› " if n == self.cursor else "  ", "bold")
            text.append(f"{n + 1}  ", "bold")
            text.append(safe_text(choice.label), "reverse" if n == self.cursor else "")
            for line in choice.details:
                text.append("\n       " + safe_text(line))
        return text

    def _cursor_line(self) -> int:
        return sum(1 + len(choice.details) for choice in self.choices[:self.cursor])

    def action_move(self, step: int) -> None:
        """Move the cursor to the next or previous choice (the list scrolls to show it)."""
        self.cursor = max(0, min(len(self.choices) - 1, self.cursor + step))
        self.query_one("#resolve-choices", Static).update(self._choices_text())
        height = 1 + len(self.choices[self.cursor].details)
        self.query_one("#pick-scroll", VerticalScroll).scroll_to_region(
            Region(0, self._cursor_line(), 1, height), animate=False, immediate=True, x_axis=False)

    def action_pick(self, index: int | None = None) -> None:
        """Close with the choice under the cursor (or number ``index + 1``)."""
        index = self.cursor if index is None else index
        if 0 <= index < len(self.choices):
            self.dismiss(self.choices[index])

    def action_cancel(self) -> None:
        """Close without a choice."""
        self.dismiss(None)


class ConflictPickModal(PickModal):
    """Which of a record's open conflicts to resolve: a choice per field in conflict, its
    values and who gave them, when, under it; the choice's value is the field's name."""

    PICK_WORDS = "resolve that one"


class ResolveModal(PickModal):
    """Which value the field in conflict keeps: one choice per value both sides gave."""

    PICK_WORDS = "keep that value"
