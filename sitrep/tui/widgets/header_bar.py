"""The one-line header: what is shown (e.g. the as-of date), DB file, counts, marks, the filter
in force and save state."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from sitrep.tui.safe import safe_text


class HeaderBar(Static):
    """Shows where the data comes from and what is being looked at."""

    _shown: Text | None = None

    def show(
        self,
        *,
        db: str,
        total: int,
        visible: int,
        unverified: int,
        marked: int,
        query: str,
        problems: tuple[str, ...],
        state: str,
        parts: Sequence[tuple[str, str]] = (),
        conflicts: int = 0,
    ) -> None:
        """Redraw from these facts (all data strings are made safe here). ``parts``: (text,
        style) pairs the app's parts add right after the name, in order, e.g. the as-of date;
        their text is sitrep's own, not data."""
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(" sitrep ", "bold reverse")
        for part, style in parts:
            text.append(" ")
            text.append(part, style)
        text.append(f" {safe_text(db)} ")
        shown = f"{visible}/{total}" if visible != total else f"{total}"
        text.append(f"· {shown} claims · {unverified} unverified ")
        if conflicts:
            text.append(f"· {conflicts} conflict{'s' if conflicts != 1 else ''} ", "bold")
        if marked:
            text.append(f"· {marked} marked ", "bold")
        if query:
            text.append(f"· filter: {safe_text(query)} ", "bold")
        if problems:
            text.append(f"(? {safe_text(problems[0])}) ")
        if state:
            text.append(f"· {state}", "bold")
        if text != self._shown:
            self._shown = text
            self.update(text, layout=False)  # one line, always: no need to lay the screen out
