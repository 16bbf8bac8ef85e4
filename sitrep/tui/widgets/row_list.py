"""RowList: a virtual list on ScrollView's Line API that renders only the rows on screen.

Subclasses say how many rows there are (:meth:`row_count`), how to draw one
(:meth:`render_row`), and optionally a sticky header (:meth:`header_lines`). Nothing is
proportional to the number of rows except the virtual height, so 100k rows cost the same per
frame as 10. Rows are cached per (row, width, cursor, focus) until :meth:`reset` or
:meth:`refresh_rows` says the data changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBarRender
from textual.strip import Strip
from textual.widget import Widget

from sitrep.tui.keymap import binding

_WIDGET_TITLE = Widget.__dict__["border_title"]


class _PaneTitle:
    """A pane's ``border_title``: what the app sets (``▶ Settlements``), followed by the
    pane's own note (:meth:`RowList.title_note`, e.g. its position ``6/9``)."""

    def __set__(self, obj: RowList, title: object) -> None:
        obj._title_base = None if title is None else str(title)
        obj.update_title()

    def __get__(self, obj: RowList | None, objtype: type | None = None) -> str | None:
        if obj is None:
            return None
        return _WIDGET_TITLE.__get__(obj, objtype)


class WholeCellScrollBar(ScrollBarRender):
    """A scrollbar whose thumb covers whole cells (no ▂▄▆ eighths at its ends).

    With eighths the thumb's end cells change on nearly every scroll step and every change of
    the content's height (each detail shown); whole cells change only when the thumb crosses
    a cell, which over a slow link saves ~60 B a scrolling move."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "] * 8


class RowList(ScrollView, can_focus=True):
    """A focusable list of rows with a cursor, drawn line by line."""

    border_title = _PaneTitle()
    _title_base: str | None = None
    _title_shown: str | None = None

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "rowlist--cursor",
        "rowlist--cursor-blur",
        "rowlist--header",
        "rowlist--dim",
        "rowlist--group",
        "rowlist--mark",
        "rowlist--link",
        "rowlist--selected",
        "rowlist--bar",
        "status--unverified",
        "status--corroborated",
        "status--confirmed",
        "status--disputed",
        "status--false",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("list.down", "cursor_down", show=False),
        binding("list.up", "cursor_up", show=False),
        binding("list.page_down", "page_down", show=False),
        binding("list.page_up", "page_up", show=False),
        binding("list.first", "cursor_first", show=False),
        binding("list.last", "cursor_last", show=False),
    ]

    class CursorMoved(Message):
        """The cursor moved to another row (or the rows under it changed)."""

        def __init__(self, rows: RowList, row: int) -> None:
            super().__init__()
            self.rows = rows
            self.row = row

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.cursor = 0
        self._cache: LRUCache[tuple[int, int, bool, bool], Strip] = LRUCache(512)
        self._header_cache: dict[tuple[int, int], Strip] = {}
        self._styles: dict[str, Style] = {}
        self._header_texts: tuple[int, list[Text]] | None = None
        #: called at once when the cursor moves, so what follows it (the detail pane) is
        #: drawn in the same frame as the move: a message would arrive a frame later
        self.cursor_listener: Callable[[RowList, int], None] | None = None

    def cstyle(self, name: str) -> Style:
        """The Rich style of a component class (``status--confirmed``, ``rowlist--dim``)."""
        style = self._styles.get(name)
        if style is None:
            try:
                style = self.get_component_rich_style(name, partial=True)
            except KeyError:
                style = Style()
            self._styles[name] = style
        return style

    def notify_style_update(self) -> None:
        """Styles changed (theme, focus): forget cached styles and lines."""
        super().notify_style_update()
        if hasattr(self, "_cache"):
            self._styles = {}
            self._cache.clear()
            self._header_cache.clear()
            self._header_texts = None

    # --------------------------------------------------------------- for subclasses
    def row_count(self) -> int:
        """How many rows there are."""
        return 0

    def render_row(self, row: int, width: int) -> Text:
        """The text of one row (data already made safe)."""
        return Text()

    def header_lines(self, width: int) -> list[Text]:
        """Lines that stay at the top while the rows scroll."""
        return []

    def is_selectable(self, row: int) -> bool:
        """Whether the cursor may rest on ``row``."""
        return True

    def title_note(self) -> str:
        """Said after the pane's title (plain text, no markup), e.g. its position."""
        return ""

    def update_title(self) -> None:
        """Show the title with the current :meth:`title_note` (repainted only if it changed)."""
        base = self._title_base
        if base is None:
            return
        note = self.title_note()
        shown = f"{base} {note}" if note else base
        if shown != self._title_shown:
            self._title_shown = shown
            _WIDGET_TITLE.__set__(self, shown)

    # --------------------------------------------------------------- cursor
    @property
    def content_width(self) -> int:
        """Columns available for text (the vertical scrollbar excluded)."""
        return self.scrollable_content_region.width or self.size.width

    def _headers(self, width: int) -> list[Text]:
        cached = self._header_texts
        if cached is None or cached[0] != width:
            cached = self._header_texts = (width, self.header_lines(width))
        return cached[1]

    @property
    def header_height(self) -> int:
        """Number of sticky header lines at the current width."""
        return len(self._headers(self.content_width or 80))

    @property
    def page_height(self) -> int:
        """Rows visible below the header."""
        return max(1, self.size.height - self.header_height)

    def reset(self, *, keep_cursor: bool = True) -> None:
        """The data changed: drop cached lines, resize, clamp the cursor and repaint."""
        self._cache.clear()
        self._header_cache.clear()
        self._header_texts = None
        count = self.row_count()
        self._set_virtual_size(Size(self.content_width, count + self.header_height))
        if not keep_cursor:
            self.cursor = 0
        self.move_to(min(self.cursor, max(0, count - 1)), force_message=True)
        self.update_title()
        self.refresh()

    def _set_virtual_size(self, size: Size) -> None:
        """Resize the scrollable area without laying out the screen again.

        ``virtual_size`` is a layout reactive: assigning it reflows every widget and repaints
        the scrollbars in one more frame, on every status key and every detail shown. The
        pane's own size is fixed by the grid, so only the scrollbars need to follow; Textual
        lays out again by itself when one appears or disappears.
        """
        if size == self.virtual_size:
            return
        if not self.is_mounted or not self.container_size:
            self.virtual_size = size
            return
        self.set_reactive(Widget.virtual_size, size)
        self._scroll_update(size)

    def refresh_rows(self) -> None:
        """The rows' content changed (not their number): repaint what is visible."""
        self._cache.clear()
        self._header_cache.clear()
        self._header_texts = None
        self.refresh()

    def refresh_row(self, row: int) -> None:
        """One row's content changed: drop its cached lines and repaint only that line."""
        for key in [k for k in self._cache.keys() if k[0] == row]:  # noqa: SIM118 (no __iter__)
            self._cache.discard(key)
        self._repaint_row(row)

    def _repaint_row(self, row: int) -> None:
        y = row - round(self.scroll_y) + self.header_height
        if self.header_height <= y < self.size.height:
            self.refresh(Region(0, y, self.content_width, 1))  # not the scrollbar's cell

    def refresh_header(self) -> None:
        """The sticky header changed: repaint it (everything, if its height changed)."""
        before = self.header_height
        self._header_cache.clear()
        self._header_texts = None
        if self.header_height != before:
            self.refresh_rows()
        elif before:
            self.refresh(Region(0, 0, self.size.width, before))

    def move_to(self, row: int, *, force_message: bool = False, direction: int = 1) -> None:
        """Put the cursor on ``row`` (skipping rows that cannot be selected) and show it."""
        count = self.row_count()
        if count == 0:
            self.cursor = 0
            if self.cursor_listener is not None:
                self.cursor_listener(self, 0)
            self.post_message(self.CursorMoved(self, 0))
            return
        row = max(0, min(row, count - 1))
        probe = row
        while 0 <= probe < count and not self.is_selectable(probe):
            probe += direction
        if 0 <= probe < count:
            row = probe
        old = self.cursor
        self.cursor = row
        self._scroll_to_cursor()  # a scroll repaints the whole pane
        if old != row:
            self.update_title()
        if old != row or force_message:
            # lines are cached by (row, width, is_cursor, focused): only the two rows whose
            # cursor state changed are drawn again
            self._repaint_row(old)
            self._repaint_row(row)
            if self.cursor_listener is not None:
                self.cursor_listener(self, row)
            self.post_message(self.CursorMoved(self, row))

    def _scroll_to_cursor(self) -> None:
        if not self.size.height:  # not laid out yet: on_resize scrolls once there is a size
            return
        top = round(self.scroll_y)
        page = self.page_height
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + page:
            self.scroll_to(y=self.cursor - page + 1, animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        """Move down one row."""
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        """Move up one row."""
        self.move_to(self.cursor - 1, direction=-1)

    def action_page_down(self) -> None:
        """Move down one page."""
        self.move_to(self.cursor + self.page_height)

    def action_page_up(self) -> None:
        """Move up one page."""
        self.move_to(self.cursor - self.page_height, direction=-1)

    def action_cursor_first(self) -> None:
        """Go to the first row."""
        self.move_to(0)

    def action_cursor_last(self) -> None:
        """Go to the last row."""
        self.move_to(self.row_count() - 1, direction=-1)

    # --------------------------------------------------------------- drawing
    def on_mount(self) -> None:
        """Draw the scrollbar's thumb in whole cells."""
        # Textual types the renderer a ClassVar (set for every scrollbar); this sets the
        # pane's own, leaving other widgets' scrollbars as Textual draws them
        self.vertical_scrollbar.renderer = WholeCellScrollBar  # type: ignore[misc]

    def on_resize(self) -> None:
        """Re-layout rows for the new size, scrolled as a fresh start at this size is.

        A fresh pane starts at the top and scrolls only as far as the cursor needs, so the
        top row is ``max(0, cursor - page + 1)``: a pane that grew shows the rows above the
        cursor again rather than keeping the offset a smaller pane needed.
        """
        self.reset()
        if not self.size.height:
            return
        top = max(0, self.cursor - self.page_height + 1)
        if top != round(self.scroll_y):
            self.scroll_to(y=top, animate=False, immediate=True)

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        """The scrollbar came or went: the text width changed by its column, so rows that
        wrap (the detail) are laid out again, and the virtual height follows. Without this
        the height stayed that of the width before, and the pane drew a different thumb than
        a fresh start at the same size."""
        if self.is_mounted and self.size.height:
            self.call_after_refresh(self._reset_if_attached)

    def _reset_if_attached(self) -> None:
        if self.is_attached and self.app.screen_stack:
            self.reset()

    def on_focus(self) -> None:
        """Repaint the cursor in its focused style."""
        self.refresh_rows()

    def on_blur(self) -> None:
        """Repaint the cursor in its unfocused style."""
        self.refresh_rows()

    def render_line(self, y: int) -> Strip:
        """Draw screen line ``y``: a header line, a row, or blank."""
        width = self.content_width
        base = self.rich_style
        headers = self._headers(width)
        if y < len(headers):
            key = (y, width)
            strip = self._header_cache.get(key)
            if strip is None:
                style = self.get_component_rich_style("rowlist--header")
                strip = self._to_strip(headers[y], width, base + style)
                self._header_cache[key] = strip
            return strip
        row = round(self.scroll_y) + y - len(headers)
        if row >= self.row_count():
            return Strip.blank(width, base)
        is_cursor = row == self.cursor
        focused = self.has_focus
        row_key = (row, width, is_cursor, focused)
        strip = self._cache.get(row_key)
        if strip is None:
            marker = "›" if is_cursor and focused else " "
            text = Text(marker, no_wrap=True, end="")
            text.append_text(self.render_row(row, width - 1))
            if is_cursor:
                strip = self._cursor_strip(row, text, width, focused)
            else:
                strip = self._to_strip(text, width, base)
            self._cache[row_key] = strip
        return strip

    def cursor_span(self, row: int, text: Text) -> int:
        """How many leading cells of the cursor's row (``text``, marker included) its highlight
        covers: the marker and the row's first word (a subclass may say its first column).

        Not the whole row: a cursor move restyles the cells it covers twice (off the old row,
        onto the new), and a restyled cell is sent again with its text, so over a slow link a
        whole-row highlight cost ~160 cells a move where this band costs ~30; the marker and
        a reversed band in the first column show the row as clearly."""
        plain = text.plain
        start = 1
        while start < len(plain) and plain[start] == " ":
            start += 1
        end = plain.find(" ", start)
        return max(3, text[:end if end >= 0 else len(plain)].cell_len)

    def _cursor_strip(self, row: int, text: Text, width: int, focused: bool) -> Strip:
        """The cursor's row: its first :meth:`cursor_span` cells in the cursor's style."""
        base = self.rich_style
        name = "rowlist--cursor" if focused else "rowlist--cursor-blur"
        span = min(width, self.cursor_span(row, text))
        lit = self._to_strip(text.copy(), width, base + self.get_component_rich_style(name))
        if span >= width:
            return lit
        rest = self._to_strip(text, width, base)
        return Strip.join([lit.crop(0, span), rest.crop(span, width)])

    def _to_strip(self, text: Text, width: int, style: Style) -> Strip:
        text.truncate(width, overflow="ellipsis", pad=True)
        segments = [
            Segment(seg.text, style + seg.style if seg.style else style, seg.control)
            for seg in text.render(self.app.console, end="")
        ]
        return Strip(segments).crop_extend(0, width, style)
