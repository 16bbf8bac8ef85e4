"""The one screen shown while the terminal is smaller than the dashboard needs."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static


def too_small_text(size: tuple[int, int], needs: tuple[int, int]) -> str:
    """What the screen says: "terminal too small (60x14): sitrep needs at least 70x16"."""
    return (f"terminal too small ({size[0]}x{size[1]}): sitrep needs at least "
            f"{needs[0]}x{needs[1]}")


class TooSmallScreen(Screen[None]):
    """Says the terminal is too small and how big it must be; the dashboard comes back by
    itself when the terminal grows (q still quits)."""

    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; }
    TooSmallScreen > Static { width: 100%; height: auto; text-align: center; }
    """

    def __init__(self, size: tuple[int, int], needs: tuple[int, int]) -> None:
        super().__init__()
        self.needs = needs
        self.terminal_size = size
        self.ignored: str | None = None

    def compose(self) -> ComposeResult:
        """The message, centred."""
        yield Static(self._message(self.terminal_size), id="too-small")

    def show_size(self, size: tuple[int, int]) -> None:
        """The terminal changed size but is still too small."""
        self.terminal_size = size
        self.query_one("#too-small", Static).update(self._message(size))

    def on_key(self, event: events.Key) -> None:
        """Answer a key that does nothing here, so a typist sees it was read and dropped
        (the app's bindings still run: ``q`` quits). Only a plain ASCII key name is echoed:
        a pasted control or bidi character never reaches the screen."""
        if event.key == "q":
            return
        printable = event.key.isascii() and event.key.isprintable()
        self.ignored = event.key if printable else "that key"
        self.query_one("#too-small", Static).update(self._message(self.terminal_size))

    def _message(self, size: tuple[int, int]) -> Text:
        hint = f"{self.ignored} ignored · q quits" if self.ignored else "q quits"
        return Text(f"{too_small_text(size, self.needs)}\n({hint})", end="")
