"""The claims pane: claims grouped by source, each group with its grade and status counts."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.message import Message

from sitrep.models import listed
from sitrep.tui.fmt import STATUS_SYMBOL, fit, grade, status_label
from sitrep.tui.keymap import binding
from sitrep.tui.model import STATUSES, DashboardModel, Group
from sitrep.tui.safe import safe_text
from sitrep.tui.widgets.row_list import RowList


class ClaimsPane(RowList):
    """Sources as foldable groups; under each, its claims newest first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("claims.open", "open"),
        binding("claims.fold", "fold", show=False),
        binding("claims.unfold", "unfold", show=False),
        binding("claims.fold_all", "fold_all", show=False),
        binding("claims.select_source", "select_source"),
    ]

    class SourceSelected(Message):
        """The analyst chose a source to filter by."""

        def __init__(self, source_id: str) -> None:
            super().__init__()
            self.source_id = source_id

    class Opened(Message):
        """Enter on a claim: show its detail."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.model: DashboardModel | None = None
        self.marked: set[str] = set()

    def row_count(self) -> int:
        """Group headers plus the claims of unfolded groups."""
        return self.model.row_count if self.model else 0

    def current_position(self) -> int | None:
        """Claim position under the cursor (None on a group header)."""
        if not self.model or not self.model.row_count:
            return None
        return self.model.row(min(self.cursor, self.model.row_count - 1))[1]

    def current_source(self) -> str | None:
        """Source of the row under the cursor."""
        if not self.model or not self.model.row_count:
            return None
        return self.model.row(min(self.cursor, self.model.row_count - 1))[0].source_id

    def render_row(self, row: int, width: int) -> Text:
        """A group header or a claim line."""
        model = self.model
        assert model is not None
        group, p = model.row(row)
        if p is None:
            return self._group_line(model, group.source_id, group, width)
        return self._claim_line(model, p, width)

    def _group_line(self, model: DashboardModel, sid: str, group: Group, width: int) -> Text:
        src = model.sources.get(sid, {})
        arrow = "▸" if group.folded else "▾"
        text = Text(no_wrap=True, end="")
        text.append(f"{arrow} ", self.cstyle("rowlist--group"))
        text.append(safe_text(model.source_name(sid)), self.cstyle("rowlist--group"))
        text.append(f"  {safe_text(src.get('reliability') or '-')}", self.cstyle("rowlist--group"))
        text.append(f"  {group.count} claims ", self.cstyle("rowlist--dim"))
        counts = model.group_counts(group)
        for status in STATUSES:
            n = counts.get(status, 0)
            if n:
                text.append(f" {STATUS_SYMBOL[status]}{n}", self.cstyle(f"status--{status}"))
        return text

    def _claim_line(self, model: DashboardModel, p: int, width: int) -> Text:
        claim = model.claims[p]
        status = model.statuses[p]
        mark = "*" if claim.get("id") in self.marked else " "
        places = ",".join(model.place_name(pid) for pid in listed(claim.get("settlements")))
        place_w = 12 if width >= 70 else 9
        text = Text(no_wrap=True, end="")
        text.append(mark, self.cstyle("rowlist--mark") if mark != " " else "")  # blank: unstyled
        text.append(" ")
        text.append(fit(safe_text(model.reported[p][:10]), 10), self.cstyle("rowlist--dim"))
        text.append(" ")
        text.append(fit(safe_text(places or "-"), place_w))
        text.append(" ")
        text.append(fit(status_label(status), 7), self.cstyle(f"status--{status}"))
        text.append(" ")
        cred = claim.get("credibility")
        text.append(grade(model.source_grade(str(claim.get("source"))), cred), "")
        text.append(" ")
        first = safe_text(str(claim.get("text") or "").split("\n", 1)[0])
        text.append(first)
        return text

    def action_open(self) -> None:
        """Group header: fold/unfold. Claim: show its detail."""
        if self.current_position() is None:
            src = self.current_source()
            if src is not None and self.model:
                group_folded = src in self.model.folded
                self._set_fold(src, not group_folded)
        else:
            self.post_message(self.Opened())

    def _set_fold(self, src: str, folded: bool) -> None:
        assert self.model is not None
        self.model.set_folded(src, folded)
        row = self.model.group_row(src)
        if row is not None:
            self.cursor = row
        self.reset()

    def action_fold(self) -> None:
        """Fold the group under the cursor."""
        src = self.current_source()
        if src is not None:
            self._set_fold(src, True)

    def action_unfold(self) -> None:
        """Unfold the group under the cursor."""
        src = self.current_source()
        if src is not None:
            self._set_fold(src, False)

    def action_fold_all(self) -> None:
        """Fold every group, or unfold them all when all are folded."""
        if self.model is None:
            return
        src = self.current_source()
        everything_folded = all(g.folded for g in self.model.groups)
        self.model.set_all_folded(not everything_folded)
        row = self.model.group_row(src) if src else None
        self.cursor = row or 0
        self.reset()

    def action_select_source(self) -> None:
        """Filter the panes to the source under the cursor."""
        src = self.current_source()
        if src is not None:
            self.post_message(self.SourceSelected(src))
