"""I : every feed import of this session, newest first, each with its whole report.

An entry is ``(time, what, results)``: ``what`` says what was asked (``import PATH``,
``pull wire``, ``pull all subscriptions``) and each result is a
:class:`~sitrep.feeds.subscriptions.PullResult` (one feed: its report, or the one-line error
that stopped it). The notification after an import is one line (:mod:`sitrep.tui.feed_importer`).
Every string from a feed is drawn literally through :mod:`sitrep.tui.safe`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from sitrep.tui.keymap import binding
from sitrep.tui.safe import safe_text

if TYPE_CHECKING:  # the feeds package pulls in httpx: not on the dashboard's startup path
    from sitrep.feeds.subscriptions import PullResult

LogEntry = tuple[str, str, list["PullResult"]]
LOG_LIMIT = 500  # items listed per section (rejected, conflicts, duplicates) in the log
EMPTY = "No imports yet this session. i: import a feed · R: pull all subscriptions"


def result_lines(result: PullResult, *, limit: int, named: bool = False) -> list[str]:
    """A feed's outcome as plain lines (not yet made safe): heading, counts, then items.

    ``named`` puts the subscription name in front (for pulls). A result's ``error`` is shown
    as it is: the dashboard words it (``failed, nothing changed: …``). Sections longer than
    ``limit`` end with ``… and N more``.
    """
    prefix = f"{result.name}: " if named else ""
    if result.error is not None or result.report is None:
        return [f"{prefix}{result.error}"]
    report = result.report
    if report.not_modified:
        return [f"{prefix}unchanged: not modified since the last pull (HTTP 304), "
                "nothing written"]
    lines = [line.removesuffix(" (see --json)") for line in report.lines(limit=limit)]
    lines[0] = prefix + lines[0]
    return lines


class ImportLogScreen(ModalScreen[None]):
    """A scrollable list of this session's imports with their full reports."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("import_log.close", "close"),
        binding("import_log.down", "scroll('down')", show=False),
        binding("import_log.up", "scroll('up')", show=False),
        binding("import_log.page_down", "scroll('page_down')", show=False),
        binding("import_log.page_up", "scroll('page_up')", show=False),
        binding("import_log.top", "scroll('home')", show=False),
        binding("import_log.bottom", "scroll('end')", show=False),
    ]

    def __init__(self, entries: list[LogEntry]) -> None:
        super().__init__()
        self.entries = entries

    def compose(self) -> ComposeResult:
        """A title line and the log as one Text in a scrolling box."""
        with VerticalScroll(id="import-log-box") as box:
            box.border_title = "Import log (this session, newest first) · esc: close"
            yield Static(self.render_log(), id="import-log")

    def render_log(self) -> Text:
        """Every entry, newest first; feed strings made safe and never parsed as markup."""
        text = Text(end="")
        if not self.entries:
            text.append(EMPTY, "dim")
            return text
        for when, what, results in reversed(self.entries):
            text.append(f"{when}  ", "dim")
            text.append(safe_text(what) + "\n", "bold")
            named = len(results) > 1 or what.startswith("pull")
            for result in results:
                for line in result_lines(result, limit=LOG_LIMIT, named=named):
                    style = "bold" if line.startswith("  new ") else ""
                    if result.error is not None:
                        style = "bold"
                    text.append("  " + safe_text(line) + "\n", style)
            text.append("\n")
        return text

    def refresh_log(self) -> None:
        """Redraw after another import finished while the log is open."""
        self.query_one("#import-log", Static).update(self.render_log())

    def action_scroll(self, how: str) -> None:
        """Scroll the log."""
        box = self.query_one("#import-log-box", VerticalScroll)
        moves = {"down": box.scroll_down, "up": box.scroll_up,
                 "page_down": box.scroll_page_down, "page_up": box.scroll_page_up,
                 "home": box.scroll_home, "end": box.scroll_end}
        moves[how](animate=False)

    def action_close(self) -> None:
        """Back to the dashboard."""
        self.dismiss(None)
