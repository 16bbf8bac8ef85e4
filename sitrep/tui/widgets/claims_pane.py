"""The claims pane: claims grouped by source, each group with its grade and status counts."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import BindingType
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip

from sitrep.models import listed
from sitrep.tui.fmt import (
    AGAINST_INTEREST_MARK,
    STALE_MARK,
    STATUS_SYMBOL,
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
from sitrep.tui.model import STATUSES, DashboardModel, Group
from sitrep.tui.safe import safe_text
from sitrep.tui.widgets.row_list import RowList

#: A claim row after its mark and flags (the source column is added per model: its width is
#: the longest short name). Lower priority is kept longer: the date goes first, then grade.
CLAIM_COLUMNS = (
    Column("date", "", 10, 5),
    Column("place", "", 10, 2, flex=True, cap=13),  # "Starobilsk +1"
    Column("status", "", 7, 0),
    Column("grade", "", 2, 4),
    Column("text", "", 24, 3, flex=True),
)


class ClaimsPane(RowList):
    """Sources as foldable groups; under each, its claims newest first. The first line names
    every source with its reliability and counts; the group of the row at the top stays
    visible as the first row line."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("claims.open", "open"),
        binding("claims.collapse", "collapse", show=False),
        binding("claims.expand", "expand", show=False),
        binding("claims.collapse_all", "collapse_all", show=False),
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
        self._claim_columns: tuple[DashboardModel, tuple[Column, ...]] | None = None

    def row_count(self) -> int:
        """Group headers plus the claims of expanded groups."""
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

    # --------------------------------------------------------------- sticky lines
    def header_lines(self, width: int) -> list[Text]:
        """Every source with its reliability and counts by status (among the filtered
        claims), then, while the filter has a term that means nothing, what is wrong with it
        (wrapped to two lines where the pane has the room)."""
        model = self.model
        if model is None:
            return []
        lines = [self._sources_line(model, width - 1)]
        problems = model.query.problems
        if problems:
            hint = Text(no_wrap=False, end="")
            hint.append(f"filter: {safe_text(problems[0])}", self.cstyle("status--disputed"))
            room = 2 if (self.size.height or 24) >= 6 else 1
            wrapped = list(hint.wrap(self.app.console, max(10, width - 1)))[:room]
            if len(wrapped) == room and wrapped[-1].cell_len >= width - 1:
                wrapped[-1].truncate(width - 1, overflow="ellipsis")
            lines += [Text(" ") + w for w in wrapped]
        return [Text(" ") + lines[0], *lines[1:]]

    def _sources_line(self, model: DashboardModel, width: int) -> Text:
        entries: list[Text] = []
        for sid, counts in model.source_summary():
            entry = Text(no_wrap=True, end="")
            entry.append(fit(short_name(model.sources.get(sid), sid), 10).rstrip(),
                         self.cstyle("rowlist--group"))
            entry.append(f" {safe_text(model.sources.get(sid, {}).get('reliability') or '-')}")
            shown = [(s, counts.get(s, 0)) for s in STATUSES if counts.get(s, 0)]
            for status, n in shown:
                entry.append(f" {STATUS_SYMBOL[status]}{n}", self.cstyle(f"status--{status}"))
            if not shown:
                entry.append(" 0")
            entries.append(entry)
        line = Text(no_wrap=True, end="")
        line.append("Sources ")
        if sum(e.cell_len + 3 for e in entries) + 5 > width:
            line = Text(no_wrap=True, end="")  # no room for the word: the names say it
        for i, entry in enumerate(entries):
            rest = len(entries) - i - 1
            more = f" · +{rest} more" if rest else ""
            if line.cell_len + 3 + entry.cell_len + len(more) > width and i:
                line.append(f" · +{len(entries) - i} more", self.cstyle("rowlist--dim"))
                break
            if i:
                line.append(" · ")
            line.append_text(entry)
        return line

    def render_line(self, y: int) -> Strip:
        """The first row line shows the group of the row at the top (a sticky header)."""
        model = self.model
        if model is not None and model.row_count and y == self.header_height:
            top = round(self.scroll_y)
            if top < model.row_count:
                group, p = model.row(top)
                if p is not None:
                    width = self.content_width
                    text = Text(" ", no_wrap=True, end="")
                    text.append_text(self._group_line(model, group.source_id, group, width - 1))
                    return self._to_strip(text, width, self.rich_style)
        return super().render_line(y)

    def refresh_row(self, row: int) -> None:
        """One row changed; a group header's counts are also on the sources line and maybe
        on the sticky group line, so those are repainted with it."""
        super().refresh_row(row)
        model = self.model
        if model is not None and row < model.row_count and model.row(row)[1] is None:
            self.refresh_header()
            self.refresh(Region(0, self.header_height, self.content_width, 1))

    def _covered(self, row: int) -> bool:
        """True when ``row`` at the top of the pane would be under the sticky group line."""
        model = self.model
        return model is not None and row < model.row_count and model.row(row)[1] is not None

    def _scroll_to_cursor(self) -> None:
        if not self.size.height:
            return
        top = round(self.scroll_y)
        page = self.page_height
        cursor = self.cursor
        if cursor < top or (cursor == top and self._covered(cursor)):
            # one row above the cursor: its group's header, or a row the sticky line covers
            want = cursor - 1 if cursor > 0 and self._covered(cursor) else cursor
            self.scroll_to(y=want, animate=False, immediate=True)
        elif cursor >= top + page:
            self.scroll_to(y=cursor - page + 1, animate=False, immediate=True)

    def cursor_span(self, row: int, text: Text) -> int:
        """The cursor's highlight covers the marker, the marks and the date of a claim; the
        arrow, name and reliability of a group."""
        plain = text.plain
        model = self.model
        if model is not None and row < model.row_count and model.row(row)[1] is None:
            name_end = plain.find("  ", 3)
            end = plain.find("  ", name_end + 2) if name_end >= 0 else -1
        else:
            end = plain.find(" ", 5)
        return text[:end].cell_len if end > 0 else super().cursor_span(row, text)

    # --------------------------------------------------------------- rows
    def _group_line(self, model: DashboardModel, sid: str, group: Group, width: int) -> Text:
        src = model.sources.get(sid, {})
        arrow = "▸" if group.collapsed else "▾"
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

    def _columns(self, model: DashboardModel) -> tuple[Column, ...]:
        """The claim row's columns, the source column as wide as the longest short name."""
        if self._claim_columns is None or self._claim_columns[0] is not model:
            longest = max((cell_len(short_name(model.sources.get(g[0]), g[0]))
                           for g in model.group_ranges), default=3)
            source = Column("source", "", max(3, min(longest, 10)), 1)
            self._claim_columns = (model, (CLAIM_COLUMNS[0], source, *CLAIM_COLUMNS[1:]))
        return self._claim_columns[1]

    def _claim_line(self, model: DashboardModel, p: int, width: int) -> Text:
        claim = model.claims[p]
        status = model.statuses[p]
        text = Text(no_wrap=True, end="")
        if claim.get("id") in self.marked:
            text.append("*", self.cstyle("rowlist--mark"))
        else:
            text.append(" ")  # blank: unstyled, so no colour code travels for it
        stale = STALE_MARK if model.is_stale(p) else " "
        against = AGAINST_INTEREST_MARK if model.against_interest(p) else " "
        text.append(stale + against + " ")  # symbols that need no colour: none sent for them
        cols = layout(self._columns(model), width - 4)
        for i, (col, w) in enumerate(cols):
            if i:
                text.append(" ")
            key = col.key
            if key == "date":
                text.append(fit(day(model.reported[p]), w))  # unstyled: no colour codes per row
            elif key == "source":
                sid = str(claim.get("source"))
                text.append(fit(short_name(model.sources.get(sid), sid), w))
            elif key == "place":
                names = [model.place_name(pid) for pid in listed(claim.get("settlements"))]
                text.append(places_label([safe_text(n) for n in names], w))
            elif key == "status":
                text.append(fit(status_label(status), w), self.cstyle(f"status--{status}"))
            elif key == "grade":
                text.append(fit(grade(model.source_grade(str(claim.get("source"))),
                                      claim.get("credibility")), w))
            else:
                text.append(safe_text(str(claim.get("text") or "").split("\n", 1)[0]))
        return text

    def action_open(self) -> None:
        """Group header: collapse/expand. Claim: show its detail."""
        if self.current_position() is None:
            src = self.current_source()
            if src is not None and self.model:
                group_collapsed = src in self.model.collapsed
                self._set_collapsed(src, not group_collapsed)
        else:
            self.post_message(self.Opened())

    def _set_collapsed(self, src: str, collapsed: bool) -> None:
        assert self.model is not None
        self.model.set_collapsed(src, collapsed)
        row = self.model.group_row(src)
        if row is not None:
            self.cursor = row
        self.reset()

    def action_collapse(self) -> None:
        """Collapse the group under the cursor."""
        src = self.current_source()
        if src is not None:
            self._set_collapsed(src, True)

    def action_expand(self) -> None:
        """Unfold the group under the cursor."""
        src = self.current_source()
        if src is not None:
            self._set_collapsed(src, False)

    def action_collapse_all(self) -> None:
        """Collapse every group, or expand them all when all are collapsed."""
        if self.model is None:
            return
        src = self.current_source()
        everything_collapsed = all(g.collapsed for g in self.model.groups)
        self.model.set_all_collapsed(not everything_collapsed)
        row = self.model.group_row(src) if src else None
        self.cursor = row or 0
        self.reset()

    def action_select_source(self) -> None:
        """Filter the panes to the source under the cursor."""
        src = self.current_source()
        if src is not None:
            self.post_message(self.SourceSelected(src))
