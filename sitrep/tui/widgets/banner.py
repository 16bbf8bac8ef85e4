"""A banner for problems the analyst must know about: an invalid file, a failed save."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from sitrep.tui.safe import safe_text


class Banner(Static):
    """Hidden until :meth:`say`; :meth:`clear` hides it again."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.message = ""

    def say(self, message: str) -> None:
        """Show ``message`` (made safe; prefixed so it reads without colour)."""
        self.message = message
        self.update(Text("!! " + safe_text(message), end=""))
        self.add_class("-shown")

    def clear(self) -> None:
        """Hide the banner."""
        self.message = ""
        self.update("")
        self.remove_class("-shown")
