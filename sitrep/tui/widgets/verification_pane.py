"""The verification pane: a count per status with a bar, then the triage queue."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.message import Message

from sitrep.models import listed
from sitrep.tui.fmt import fit, grade, status_label
from sitrep.tui.keymap import binding
from sitrep.tui.model import STATUSES, DashboardModel
from sitrep.tui.safe import safe_text
from sitrep.tui.widgets.row_list import RowList


class VerificationPane(RowList):
    """Status counts (sticky) and unverified claims oldest first, each with its source grade."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("triage.open", "open"),
    ]

    class Opened(Message):
        """Enter on a queued claim: show its detail."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.model: DashboardModel | None = None
        self.marked: set[str] = set()

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
        compact = (self.size.height or 24) < 12
        lines: list[Text] = []
        if compact:
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
        queue.append(f"Triage: {self.model.triage_count} unverified, oldest first", "bold")
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
        """One queued claim: date, grade, settlement(s), first line of text."""
        model = self.model
        assert model is not None
        found = model.triage_slice(row, row + 1)
        text = Text(no_wrap=True, end="")
        if not found:
            return text
        p = found[0]
        claim = model.claims[p]
        mark = "*" if claim.get("id") in self.marked else " "
        text.append(mark, self.cstyle("rowlist--mark"))
        day = model.reported[p][:10] if width >= 50 else model.reported[p][2:10]
        text.append(safe_text(day) + " ", self.cstyle("rowlist--dim"))
        text.append(grade(model.source_grade(str(claim.get("source"))), claim.get("credibility")))
        text.append(" ")
        if width >= 50:
            places = ",".join(model.place_name(pid) for pid in listed(claim.get("settlements")))
            text.append(fit(safe_text(places or "-"), 10) + " ")
        text.append(safe_text(str(claim.get("text") or "").split("\n", 1)[0]))
        return text

    def action_open(self) -> None:
        """Show the detail of the claim under the cursor."""
        self.post_message(self.Opened())
