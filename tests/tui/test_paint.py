"""Partial repaints leave the terminal equal to a full render, key after key.

A key repaints only what it changed (one row, a header, the two cursor rows, see
``RowList.refresh_row`` and ``triage.refresh_after_status``). That is only right if every
line a key changes is in what it repaints. This test keeps a virtual terminal fed with every
update the app sends (what a real terminal would show), and after each key compares it, cell by
cell with its style, with a full render of the same screen drawn from scratch (every line cache
dropped).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.segment import ControlType, Segment
from rich.style import Style
from textual.widgets import Input

from sitrep.tui.app import SitrepApp
from sitrep.tui.widgets.row_list import RowList

from .conftest import ready
from .test_keys import settle

REPO = Path(__file__).resolve().parents[2]
Cell = tuple[str, Style | None]

# status, move, scroll, filter, fold, sort, mark, undo and focus keys, incl. lists shrinking
# while scrolled (G then a filter) and a status change from the triage queue
KEYS = [
    "j", "j", "v", "c", "U", "k", "x", "right_square_bracket", "left_square_bracket",
    "pagedown", "d", "pagedown", "G", "v", "U", "slash", "l", "y", "s", "enter", "home",
    "space", "space", "v", "escape", "escape", "u", "u", "h", "o", "o", "l", "f",
    "escape", "tab", "j", "j", "s", "S", "enter", "escape", "tab", "j", "v", "j", "U",
    "tab", "j", "enter", "shift+tab", "z", "j", "z",
]


def _generated_db(tmp_path: Path, claims: int) -> Path:
    spec = importlib.util.spec_from_file_location("generate", REPO / "benchmarks/generate.py")
    assert spec and spec.loader
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    path = tmp_path / "gen.json"
    generate.write(generate.generate(claims, seed=3), path)
    return path


class Terminal:
    """Cells written by the updates a driver would send, cursor moves included."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.cells: list[list[Cell]] = [[(" ", None)] * width for _ in range(height)]

    def apply(self, segments: list[Segment]) -> None:
        """Write one update's segments."""
        x = y = 0
        for seg in segments:
            if seg.control:
                for code in seg.control:
                    if code[0] == ControlType.CURSOR_MOVE_TO:
                        x, y = code[1], code[2]  # type: ignore[misc]
                continue
            if seg.text == "\n":
                continue
            for ch in seg.text:
                width = cell_len(ch)
                if 0 <= y < self.height and 0 <= x < self.width:
                    self.cells[y][x] = (ch, seg.style)
                    if width == 2 and x + 1 < self.width:
                        self.cells[y][x + 1] = ("", seg.style)
                x += width

    def lines(self) -> list[str]:
        """The text of each line."""
        return ["".join(ch for ch, _ in row) for row in self.cells]


def _segments(app: SitrepApp, update: object) -> list[Segment]:
    console = app.console
    return list(update.__rich_console__(console, console.options))  # type: ignore[attr-defined]


def _full_render(app: SitrepApp, width: int, height: int) -> Terminal:
    for widget in app.screen.walk_children(with_self=True):
        widget._styles_cache.clear()
        if isinstance(widget, RowList):
            widget._cache.clear()
            widget._header_cache.clear()
            widget._header_texts = None
    full = Terminal(width, height)
    full.apply(_segments(app, app.screen._compositor.render_update(full=True)))
    return full


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_partial_repaints_equal_a_full_render(tmp_path: Path, make_app, size):
    width, height = size
    app = make_app(_generated_db(tmp_path, 400))
    term = Terminal(width, height)
    display = app._display

    def recorded(screen, update):  # type: ignore[no-untyped-def]
        if update is not None:
            term.apply(_segments(app, update))
        return display(screen, update)

    app._display = recorded  # type: ignore[method-assign]
    async with app.run_test(size=size) as pilot:
        await ready(pilot, app)
        app.query_one("#filter", Input).cursor_blink = False
        mismatches: list[str] = []
        for n, key in enumerate(KEYS):
            await pilot.press(key)
            await settle(pilot, app)
            await pilot.pause(0.05)
            full = _full_render(app, width, height)
            if term.cells != full.cells:
                shown, drawn = term.lines(), full.lines()
                rows = [y for y in range(height) if term.cells[y] != full.cells[y]]
                mismatches.append(f"after key {n} {key!r}, rows {rows}: " + "; ".join(
                    f"shown {shown[y]!r} drawn {drawn[y]!r}" for y in rows[:2]))
        assert app.model is not None and app.model.n == 400
        assert not mismatches, "\n".join(mismatches)


def test_columns_grow_to_their_caps_and_wide_screens_get_the_other_names() -> None:
    from dataclasses import replace

    from sitrep.tui.fmt import layout
    from sitrep.tui.widgets.settlements_pane import COLUMNS

    # the pane makes the control column as wide as its widest label ("contested 2022-09-10")
    columns = (COLUMNS[0], COLUMNS[1], replace(COLUMNS[2], width=20), *COLUMNS[3:])

    def widths(total: int) -> dict[str, int]:
        cols = layout(columns, total)
        assert sum(w for _, w in cols) + len(cols) - 1 == total  # every cell used, none over
        return {c.key: w for c, w in cols}

    narrow = widths(42)  # the pane at 80x24
    assert "region" not in narrow and "alt" not in narrow and "latest" not in narrow
    assert narrow["control"] == 20  # never cut: the latest report goes first
    wide = widths(120)  # the pane at 200 columns
    assert (wide["name"], wide["region"], wide["control"]) == (22, 15, 20)
    assert wide["alt"] == 120 - (22 + 15 + 20 + 4 + 4 + 10) - 6
