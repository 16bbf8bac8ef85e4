"""? : every key, with what it does and the id to remap it by."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from sitrep.tui.keymap import binding


class HelpScreen(ModalScreen[None]):
    """A scrollable table of (section, keys, description, id)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("help.close", "close"),
        binding("help.down", "scroll('down')", show=False),
        binding("help.up", "scroll('up')", show=False),
    ]

    def __init__(self, rows: list[tuple[str, str, str, str]], keymap_note: str) -> None:
        super().__init__()
        self.rows = rows
        self.keymap_note = keymap_note

    def compose(self) -> ComposeResult:
        """The table as one Text."""
        text = Text(end="")
        section = ""
        for sec, keys, description, binding_id in self.rows:
            if sec != section:
                text.append(f"\n{sec}\n", "bold")
                section = sec
            text.append(f"  {keys:<16}", "bold")
            text.append(f"{description:<30}")
            text.append(f"{binding_id}\n", "dim")
        text.append(f"\n{self.keymap_note}\n", "dim")
        with VerticalScroll(id="help-box"):
            yield Static(text)

    def action_scroll(self, direction: str) -> None:
        """Scroll the help text."""
        box = self.query_one("#help-box", VerticalScroll)
        (box.scroll_down if direction == "down" else box.scroll_up)(animate=False)

    def action_close(self) -> None:
        """Back to the dashboard."""
        self.dismiss(None)
