"""Resolve one conflict: the values both sides gave, one per line; pick the one to keep."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from sitrep.tui.keymap import binding
from sitrep.tui.safe import safe_text


@dataclass(frozen=True)
class Choice:
    """One value a conflict can be resolved to: ``value`` as stored (None for a ``record`` or
    ``id`` conflict, which keeps the record as it is) and the line that describes it."""

    value: Any
    label: str


class ResolveModal(ModalScreen[Choice | None]):
    """The choices, numbered; ``1``-``9`` or the cursor and enter pick one, esc cancels."""

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
        """The title, a line per choice and the keys."""
        with Vertical(id="modal-box"):
            yield Static(Text(safe_text(self.title_text), style="bold", end=""))
            yield Static(self._choices_text(), id="resolve-choices")
            count = len(self.choices)
            keys = "1" if count == 1 else f"1-{min(count, 9)}"
            yield Static(f"{keys} or ↑↓ enter: keep that value · esc: cancel", id="modal-hint")

    def _choices_text(self) -> Text:
        text = Text(end="")
        for n, choice in enumerate(self.choices):
            if n:
                text.append("\n")
            text.append("› " if n == self.cursor else "  ", "bold")
            text.append(f"{n + 1}  ", "bold")
            text.append(safe_text(choice.label), "reverse" if n == self.cursor else "")
        return text

    def action_move(self, step: int) -> None:
        """Move the cursor to the next or previous choice."""
        self.cursor = max(0, min(len(self.choices) - 1, self.cursor + step))
        self.query_one("#resolve-choices", Static).update(self._choices_text())

    def action_pick(self, index: int | None = None) -> None:
        """Close with the choice under the cursor (or number ``index + 1``)."""
        index = self.cursor if index is None else index
        if 0 <= index < len(self.choices):
            self.dismiss(self.choices[index])

    def action_cancel(self) -> None:
        """Close without a choice."""
        self.dismiss(None)
