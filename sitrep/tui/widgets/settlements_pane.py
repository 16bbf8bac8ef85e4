"""The settlements pane: name, region, current control, claim counts and latest report."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import BindingType
from textual.message import Message

from sitrep.tui.fmt import CONTROLLER_LABEL, Column, layout, row_text
from sitrep.tui.keymap import binding
from sitrep.tui.model import SORT_KEYS, DashboardModel, current_control
from sitrep.tui.safe import safe_text
from sitrep.tui.widgets.row_list import RowList

COLUMNS = (
    Column("name", "Settlement", 10, 0, flex=True, cap=22),  # cap: see _columns
    Column("region", "Region", 9, 5, flex=True, cap=15),
    Column("control", "Control", 13, 1, flex=True, cap=20),  # "contested 2022-09-10"
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
        mark = "▲" if self.model.sort_reverse else "▼"
        cells = [
            (c.title + (mark if c.key == self.model.sort_key else ""), "") for c, _ in cols
        ]
        return [Text(" ") + row_text(cells, cols)]

    def render_row(self, row: int, width: int) -> Text:
        """One settlement."""
        model = self.model
        assert model is not None
        pid = model.place_rows[row]
        place = model.places[pid]
        stats = model.place_stats[pid]
        obs = current_control(place) or {}
        who = CONTROLLER_LABEL.get(str(obs.get("controller")), safe_text(obs.get("controller")))
        control = f"{who} {safe_text(obs.get('as_of') or '')}".strip() if obs else "-"
        name = safe_text(place.get("name") or pid)
        if pid == self.selected:
            name = "» " + name
        values = {
            "name": (name, "rowlist--selected" if pid == self.selected else ""),
            "region": (safe_text(place.get("region") or ""), "rowlist--dim"),
            "control": (control, ""),
            "claims": (str(stats.claims), ""),
            "unverified": (str(stats.unverified), "status--unverified" if stats.unverified else ""),
            "latest": (stats.latest[:10], "rowlist--dim"),
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
        return text

    def _columns(self) -> tuple[Column, ...]:
        """COLUMNS with the name column allowed to grow to the longest name shown."""
        model = self.model
        if model is None:
            return COLUMNS
        if self._widest is None or self._widest[0] is not model:
            longest = max((cell_len(safe_text(p.get("name") or pid))
                           for pid, p in model.places.items()), default=0)
            name = replace(COLUMNS[0], cap=max(COLUMNS[0].width, min(longest + 2, 60)))
            self._widest = (model, (name, *COLUMNS[1:]))
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
        keep = self.current_id()
        nxt = SORT_KEYS[(SORT_KEYS.index(self.model.sort_key) + 1) % len(SORT_KEYS)]
        self.model.sort_places(nxt, reverse=False)
        self._follow(keep)

    def action_reverse(self) -> None:
        """Reverse the sort order."""
        if self.model is None:
            return
        keep = self.current_id()
        self.model.sort_places(reverse=not self.model.sort_reverse)
        self._follow(keep)

    def _follow(self, pid: str | None) -> None:
        if self.model and pid in self.model.place_rows:
            self.cursor = self.model.place_rows.index(pid)
        self.reset()
