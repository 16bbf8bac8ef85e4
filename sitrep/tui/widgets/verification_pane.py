"""The verification pane: a count per status with a bar, then the triage queue."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import BindingType
from textual.message import Message

from sitrep.models import listed
from sitrep.tui.fmt import (
    AGAINST_INTEREST_MARK,
    STALE_MARK,
    Column,
    day,
    fit,
    grade,
    layout,
    places_label,
    short_name,
    status_label,
)
from sitrep.tui.keymap import binding
from sitrep.tui.model import STATUSES, DashboardModel
from sitrep.tui.safe import safe_text
from sitrep.tui.widgets.row_list import RowList

#: A queued claim after its mark (the source column is added per model). Date, source and
#: place always; the marks, grade and text once the place has its full width.
TRIAGE_COLUMNS = (
    Column("date", "", 10, 0),
    Column("place", "", 7, 1, flex=True, cap=13),  # "Starobilsk +1"
    Column("flags", "", 2, 2, spare_only=True),
    Column("grade", "", 2, 3, spare_only=True),
    Column("text", "", 8, 4, flex=True, spare_only=True),
)


class VerificationPane(RowList):
    """Status counts (sticky) and the unverified claims in impact order (the triage queue)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("triage.open", "open"),
    ]

    class Opened(Message):
        """Enter on a queued claim: show its detail."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.model: DashboardModel | None = None
        self.marked: set[str] = set()
        self._row_columns: tuple[DashboardModel, tuple[Column, ...]] | None = None

    def row_count(self) -> int:
        """One row per unverified claim passing the filter."""
        return self.model.triage_count if self.model else 0

    def current_position(self) -> int | None:
        """Claim position under the cursor."""
        if not self.model or not self.row_count():
            return None
        found = self.model.triage_slice(self.cursor, self.cursor + 1)
        return found[0] if found else None

    def header_lines(self, width: int) -> list[Text]:
        """Counts per status with bars; compact (two per line) when the pane is short."""
        if self.model is None:
            return [Text("loading…")]
        counts = self.model.counts
        total = max(1, sum(counts.values()))
        height = self.size.height or 24
        compact = height < 12
        lines: list[Text] = []
        if height < 7:
            pass  # three rows of the queue first; the header bar has the unverified count
        elif compact:
            half = max(10, (width - 1) // 2)
            line = Text(no_wrap=True, end="")
            for i, status in enumerate(STATUSES):
                cell = Text(no_wrap=True, end="")
                cell.append(f"{status_label(status)} ", self.cstyle(f"status--{status}"))
                cell.append(str(counts.get(status, 0)))
                bar_w = max(0, half - cell.cell_len - 2)
                cell.append(" " + self._bar(counts.get(status, 0), total, bar_w))
                cell.truncate(half, pad=True)
                line.append_text(cell)
                if i % 2:
                    lines.append(line)
                    line = Text(no_wrap=True, end="")
            if line.plain:
                lines.append(line)
        else:
            for status in STATUSES:
                n = counts.get(status, 0)
                line = Text(no_wrap=True, end="")
                label = fit(status_label(status, short=False), 15)
                line.append(label, self.cstyle(f"status--{status}"))
                line.append(f"{n:>7} ")
                line.append(self._bar(n, total, max(0, width - 24)), self.cstyle("rowlist--bar"))
                lines.append(line)
        queue = Text(no_wrap=True, end="")
        title = f"Triage: {self.model.triage_count} unverified · by impact"
        if cell_len(title) > width - 1:
            title = f"Triage: {self.model.triage_count} · by impact"
        queue.append(title, "bold")
        lines.append(queue)
        return lines

    @staticmethod
    def _bar(n: int, total: int, width: int) -> str:
        if width <= 0:
            return ""
        filled = round(width * n / total)
        if n and not filled:
            filled = 1
        return "█" * filled + "·" * (width - filled)

    def render_row(self, row: int, width: int) -> Text:
        """One queued claim: date, source, settlement(s), then grade and text where they
        fit; stale and against-interest marks as in the claims pane."""
        model = self.model
        assert model is not None
        found = model.triage_slice(row, row + 1)
        text = Text(no_wrap=True, end="")
        if not found:
            return text
        p = found[0]
        claim = model.claims[p]
        if claim.get("id") in self.marked:
            text.append("*", self.cstyle("rowlist--mark"))
        else:
            text.append(" ")
        flags = (STALE_MARK if model.is_stale(p) else "") + (
            AGAINST_INTEREST_MARK if model.against_interest(p) else "")
        cols = layout(self._columns(model), width - 1)
        for i, (col, w) in enumerate(cols):
            if i:
                text.append(" ")
            key = col.key
            sid = str(claim.get("source"))
            if key == "date":
                text.append(fit(day(model.reported[p]), w))  # unstyled: no colour codes per row
            elif key == "source":
                text.append(fit(short_name(model.sources.get(sid), sid), w))
            elif key == "place":
                names = [safe_text(model.place_name(pid))
                         for pid in listed(claim.get("settlements"))]
                text.append(places_label(names, w))
            elif key == "grade":
                text.append(fit(grade(model.source_grade(sid), claim.get("credibility")), w))
            elif key == "flags":
                text.append(fit(flags, w))  # symbols that need no colour: none sent
            else:
                text.append(safe_text(str(claim.get("text") or "").split("\n", 1)[0]))
        return text

    def _columns(self, model: DashboardModel) -> tuple[Column, ...]:
        """The row's columns, the source column as wide as the longest short name."""
        if self._row_columns is None or self._row_columns[0] is not model:
            longest = max((cell_len(short_name(model.sources.get(g[0]), g[0]))
                           for g in model.group_ranges), default=3)
            source = Column("source", "", max(3, min(longest, 10)), 0)
            self._row_columns = (model, (TRIAGE_COLUMNS[0], source, *TRIAGE_COLUMNS[1:]))
        return self._row_columns[1]

    def action_open(self) -> None:
        """Show the detail of the claim under the cursor."""
        self.post_message(self.Opened())
