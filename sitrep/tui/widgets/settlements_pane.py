"""The settlements pane: name, region, current control, claim counts and latest report."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import BindingType
from textual.message import Message

from sitrep.tui.fmt import CONTROLLER_LABEL, DISPUTED_MARK, Column, day, layout, row_text
from sitrep.tui.keymap import binding
from sitrep.tui.model import SORT_KEYS, DashboardModel, current_control
from sitrep.tui.safe import safe_text
from sitrep.tui.widgets.row_list import RowList

COLUMNS = (
    Column("name", "Settlement", 10, 0, flex=True, cap=22),  # cap: see _columns
    Column("region", "Region", 9, 5, flex=True, cap=15),
    Column("control", "Control", 13, 1),  # as wide as the widest shown: see _columns
    Column("claims", "Clms", 4, 2, right=True),
    Column("unverified", "Unv", 4, 3, right=True),
    Column("latest", "Latest", 10, 4),
    Column("alt", "Also known as", 16, 6, flex=True, spare_only=True),  # wide screens only
)


def _names(value: object) -> list[str]:
    """The alternative names of a settlement (whatever a hand edit left in the field)."""
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, str) and v]
    return [value] if isinstance(value, str) and value else []


def _control_label(place: dict[str, object]) -> str:
    """``RU 2022-09-10``, ``contested 2022-09-10``: the control in force, never cut."""
    obs = current_control(place) or {}
    if not obs:
        return "-"
    who = CONTROLLER_LABEL.get(str(obs.get("controller")), safe_text(obs.get("controller")))
    return f"{who} {day(obs.get('as_of'))}".strip()


class SettlementsPane(RowList):
    """Settlements sorted by latest activity (or any column); enter selects one as a filter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("settlements.select", "select"),
        binding("settlements.sort", "sort"),
        binding("settlements.reverse", "reverse"),
    ]

    class Selected(Message):
        """The analyst chose a settlement to filter the other panes by."""

        def __init__(self, settlement_id: str) -> None:
            super().__init__()
            self.settlement_id = settlement_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.model: DashboardModel | None = None
        self.selected: str | None = None
        self._widest: tuple[DashboardModel, tuple[Column, ...]] | None = None

    def row_count(self) -> int:
        """One row per settlement."""
        return len(self.model.place_rows) if self.model else 0

    def current_id(self) -> str | None:
        """Id of the settlement under the cursor."""
        if not self.model or not self.model.place_rows:
            return None
        return self.model.place_rows[min(self.cursor, len(self.model.place_rows) - 1)]

    def header_lines(self, width: int) -> list[Text]:
        """Column titles, the sort column marked."""
        if self.model is None:
            return [Text("loading…")]
        cols = layout(self._columns(), width - 1)
        mark = self._sort_mark()
        cells = [
            (c.title + (mark if c.key == self.model.sort_key else ""), "") for c, _ in cols
        ]
        return [Text(" ") + row_text(cells, cols)]

    def _sort_mark(self) -> str:
        return "▲" if self.model is not None and self.model.sort_reverse else "▼"

    def title_note(self) -> str:
        """``6/9``: the cursor's place among the settlements; under a filter how many have
        claims passing it; the sort column when this width does not show it."""
        model = self.model
        if model is None or not model.place_rows:
            return ""
        note = f"{min(self.cursor, len(model.place_rows) - 1) + 1}/{len(model.place_rows)}"
        if model.matched is not None:
            note += f" · {model.places_matching} match"
        shown = {c.key for c, _ in layout(self._columns(), max(1, self.content_width - 1))}
        if model.sort_key not in shown:
            title = next(c.title for c in COLUMNS if c.key == model.sort_key).lower()
            note += f" · by {title}{self._sort_mark()}"
        return note

    def render_row(self, row: int, width: int) -> Text:
        """One settlement."""
        model = self.model
        assert model is not None
        pid = model.place_rows[row]
        place = model.places[pid]
        stats = model.place_view[pid]
        name = safe_text(place.get("name") or pid)
        if pid in model.disputed:
            name = DISPUTED_MARK + name
        if pid == self.selected:
            name = "» " + name
        control = _control_label(place)
        values = {
            "name": (name, "rowlist--selected" if pid == self.selected else ""),
            "region": (safe_text(place.get("region") or ""), "rowlist--dim"),
            "control": (control, ""),
            "claims": (str(stats.claims), ""),
            "unverified": (str(stats.unverified), "status--unverified" if stats.unverified else ""),
            "latest": (day(stats.latest), "rowlist--dim"),
            "alt": (", ".join(safe_text(a) for a in _names(place.get("alt_names"))),
                    "rowlist--dim"),
        }
        cols = layout(self._columns(), width)
        cells = [(v, s) for v, s in (values[c.key] for c, _ in cols)]
        text = row_text([(v, "") for v, _ in cells], cols)
        pos = 0
        for (_value, style), (_col, w) in zip(cells, cols, strict=True):
            if style:
                text.stylize(self.cstyle(style), pos, pos + w)
            pos += w + 1
        if model.matched is not None and not stats.claims:  # no claim passes the filter
            text.stylize(self.cstyle("rowlist--dim"))
        return text

    def cursor_span(self, row: int, text: Text) -> int:
        """The cursor's highlight covers the marker and the name column."""
        cols = layout(self._columns(), max(1, self.content_width - 1))
        if cols and cols[0][0].key == "name":
            return 1 + cols[0][1]
        return super().cursor_span(row, text)

    def _columns(self) -> tuple[Column, ...]:
        """COLUMNS with the name column allowed to grow to the longest name shown."""
        model = self.model
        if model is None:
            return COLUMNS
        if self._widest is None or self._widest[0] is not model:
            longest = max((cell_len(safe_text(p.get("name") or pid)) + 1
                           for pid, p in model.places.items()), default=0)
            name = replace(COLUMNS[0], cap=max(COLUMNS[0].width, min(longest + 2, 60)))
            widest = max((cell_len(_control_label(p)) for p in model.places.values()),
                         default=0)
            control = replace(COLUMNS[2], width=max(COLUMNS[2].title.__len__() + 1,
                                                    min(widest, 30)))
            self._widest = (model, (name, COLUMNS[1], control, *COLUMNS[3:]))
        return self._widest[1]

    def action_select(self) -> None:
        """Filter the claims and verification panes to this settlement."""
        pid = self.current_id()
        if pid is not None:
            self.post_message(self.Selected(pid))

    def action_sort(self) -> None:
        """Sort by the next column."""
        if self.model is None:
            return
        nxt = SORT_KEYS[(SORT_KEYS.index(self.model.sort_key) + 1) % len(SORT_KEYS)]
        self.model.sort_places(nxt, reverse=False)
        self._to_top()

    def action_reverse(self) -> None:
        """Reverse the sort order."""
        if self.model is None:
            return
        self.model.sort_places(reverse=not self.model.sort_reverse)
        self._to_top()

    def _to_top(self) -> None:
        """A new order is read from its top: the cursor and the view go there."""
        self.cursor = 0
        self.scroll_to(y=0, animate=False, immediate=True)
        self.reset()
