"""Painter: the fewest bytes that turn what the terminal shows into what Textual drew.

It keeps its own :class:`~sitrep.tui.screen_copy.ScreenCopy`-shaped grid of what it has sent
(``shown``) and, given the grid Textual wants (``wanted``), writes only the cells that differ:

* the cursor goes by the shortest of an absolute move, a relative one, CR/LF, or writing the
  few unchanged cells in between again;
* styles change by SGR deltas (``CSI 1 m`` to add bold) rather than a reset and the full style;
  a blank, which shows only its background, is drawn with whichever pen costs least: the
  current one, or that of the changed text after it (which then needs no style of its own);
* a run of blanks is erased (``CSI n X``, ``CSI K``; a mostly blank screen by ``CSI 2 J``) when
  the terminal fills erased cells with the current background (terminfo ``bce``, as xterm,
  VTE and kitty do), or when the background is the default one;
* rows that moved up or down together (a list that scrolled) are moved by deleting and
  inserting lines (``CSI n M`` / ``CSI n L``, VT102) when that costs less than redrawing them;
  rows are matched without their last cell (a scrollbar's), and up to :data:`MAX_ROW_MOVES`
  bands move in one frame (a list scrolled while the detail's lines moved down).

Cells whose wanted value is unknown (``None``) are left alone. After an operation whose effect
on the cursor varies between terminals the cursor is taken as unknown and the next move is
absolute.
"""

from __future__ import annotations

from collections import Counter

from sitrep.tui.screen_copy import (
    ATTR_BITS,
    DEFAULT_PEN,
    OFF_BITS,
    VISIBLE_ON_BLANK,
    Cell,
    Pen,
)

#: what moving rows costs beyond the cells it saves (two moves, DL and IL, a pen reset)
SCROLL_OVERHEAD = 24
#: bands of rows moved in one frame at most
MAX_ROW_MOVES = 3
BLANK: Cell = (" ", DEFAULT_PEN)


def sgr_full(pen: Pen) -> list[str]:
    """The SGR parameters that set ``pen`` from the default pen."""
    flags, fg, bg, _ = pen
    params = [str(code) for code, bit in ATTR_BITS.items() if flags & bit]
    if fg:
        params.append(fg)
    if bg:
        params.append(bg)
    return params


def sgr_delta(old: Pen | None, new: Pen) -> str:
    """The shortest SGR sequence from ``old`` (None: unknown) to ``new``; "" when equal."""
    if old == new:
        return ""
    full = sgr_full(new)
    reset = "\x1b[" + ";".join(["0", *full]) + "m" if full else "\x1b[m"
    link = ""
    if old is None or old[3] != new[3]:
        link = f"\x1b]8;{new[3]}\x1b\\" if new[3] else "\x1b]8;;\x1b\\"
    if old is None:
        return reset + link
    oflags, ofg, obg, _ = old
    nflags, nfg, nbg, _ = new
    params: list[str] = []
    flags = oflags
    for code, bits in OFF_BITS.items():
        if oflags & bits and (oflags & bits) & ~nflags:
            params.append(str(code))
            flags &= ~bits
    for code, bit in ATTR_BITS.items():
        if nflags & bit and not flags & bit:
            params.append(str(code))
    if nfg != ofg:
        params.append(nfg or "39")
    if nbg != obg:
        params.append(nbg or "49")
    delta = "\x1b[" + ";".join(params) + "m" if params else ""
    return (delta if len(delta) <= len(reset) else reset) + link


def erasable(pen: Pen, bce: bool) -> bool:
    """Whether an erased cell with this pen looks like a space written with it."""
    return not pen[0] & VISIBLE_ON_BLANK and not pen[3] and (bce or not pen[2])


def cells_differ(want: list[Cell], have: list[Cell]) -> int:
    """How many known wanted cells differ from what is shown."""
    if want == have:
        return 0
    return sum(1 for w, h in zip(want, have, strict=True) if w is not None and w != h)


def _next_text_pen(row: list[Cell], have: list[Cell], x: int, blank_pen: Pen) -> Pen | None:
    """The pen of the first non-blank cell after ``x`` on ``row``, if it is to be drawn (it
    differs from ``have``, what is shown) and a blank drawn with it looks like ``blank_pen``."""
    for i in range(x + 1, len(row)):
        cell = row[i]
        if cell is None:
            return None
        if cell[0] == " " and cell[1] == blank_pen:
            continue
        pen = cell[1]
        if (cell[0] in (" ", "") or have[i] == cell or pen[0] & VISIBLE_ON_BLANK
                or pen[2:] != blank_pen[2:]):
            return None
        return pen
    return None


class Painter:
    """Writes the difference between what the terminal shows and what is wanted."""

    def __init__(self, *, bce: bool = True, newline: str = "\r\n") -> None:
        self.bce = bce
        #: what takes the cursor to the start of the next row: "\n" alone where the tty turns
        #: it into CR LF (ONLCR, the default), so the link carries it once
        self.newline = newline
        #: the terminal's cursor is hidden (Textual hides it): it is moved to where Textual
        #: puts it only when that place changes, not back after every frame's drawing
        self.cursor_hidden = False
        self.width = 0
        self.height = 0
        self.shown: list[list[Cell]] = []
        self.cursor: tuple[int, int] | None = None
        self.pen: Pen | None = None
        self._target: tuple[int, int] | None = None  # where the last frame left the cursor

    def forget(self) -> None:
        """The terminal's cells, cursor and pen are unknown (resize, suspend, ctrl+l)."""
        self.shown = [[None] * self.width for _ in range(self.height)]
        self.cursor = None
        self.pen = None

    def _pen_for(self, cell: tuple[str, Pen], row: list[Cell] | None = None, x: int = 0,
                 have: list[Cell] | None = None) -> Pen:
        """The pen to draw ``cell`` with. A blank shows only its background (and link), so it
        takes whichever pen that looks the same costs least: the current one with the
        background changed, or (given the wanted ``row``, what it ``have`` shows and the
        column ``x``) the pen of the changed text that follows it on the row, so that text
        then needs no style of its own."""
        text, pen = cell
        if text != " " or pen[0]:
            return pen
        current = self.pen
        keep = pen if current is None or current[0] & VISIBLE_ON_BLANK else (
            current[0], current[1], pen[2], pen[3])
        ahead = None if row is None or have is None else _next_text_pen(row, have, x, pen)
        if ahead is None or ahead == keep:
            return keep
        via_keep = len(sgr_delta(current, keep)) + len(sgr_delta(keep, ahead))
        return ahead if len(sgr_delta(current, ahead)) <= via_keep else keep

    def reset_pen(self) -> str:
        """The bytes that leave the terminal's pen at the default (before others write)."""
        out = sgr_delta(self.pen, DEFAULT_PEN)
        self.pen = DEFAULT_PEN
        return out

    # ---------------------------------------------------------------- the frame
    def paint(self, wanted: list[list[Cell]], cursor: tuple[int, int]) -> str:
        """Bytes that make the terminal show ``wanted`` with the cursor at ``cursor``."""
        height = len(wanted)
        width = len(wanted[0]) if height else 0
        if (width, height) != (self.width, self.height):
            self.width, self.height = width, height
            self.forget()
        out: list[str] = []
        shown = self.shown
        changed = [y for y in range(height) if wanted[y] != shown[y]]
        if changed:
            self._clear_if_cheaper(wanted, changed, out)
            if len(changed) > 2:
                for _ in range(MAX_ROW_MOVES):  # a list scrolled and the detail's lines moved
                    if not self._move_rows(wanted, out):
                        break
            shown = self.shown
            for y in range(height):
                if wanted[y] != shown[y]:
                    self._paint_row(y, wanted[y], out)
        if self.cursor != cursor and (cursor != self._target
                                      or (out and not self.cursor_hidden)):
            out.append(self._move(*cursor))
            self.cursor = cursor
        self._target = cursor
        return "".join(out)

    def _clear_if_cheaper(self, wanted: list[list[Cell]], changed: list[int],
                          out: list[str]) -> None:
        """Most of the screen changes: erase it to its commonest blank first."""
        cells = self.width * self.height
        if len(changed) * self.width < cells // 2:
            return
        differ = sum(cells_differ(wanted[y], self.shown[y]) for y in changed)
        if differ < cells // 2:
            return
        blanks = Counter(cell[1] for row in wanted for cell in row
                         if cell is not None and cell[0] == " ")
        if not blanks:
            return
        common, count = blanks.most_common(1)[0]
        if count < cells // 4 or not erasable(common, self.bce):
            return
        blank = (" ", common)
        pen = self._pen_for(blank)
        out.append(sgr_delta(self.pen, pen) + "\x1b[2J")
        self.pen = pen
        self.shown = [[blank] * self.width for _ in range(self.height)]

    def _move_rows(self, wanted: list[list[Cell]], out: list[str]) -> bool:
        """Move a band of rows up or down (DL + IL) where they reappear shifted; whether one
        was moved."""
        shown = self.shown
        height = self.height
        # rows are matched without their last cell: a pane's scrollbar is there, and its
        # thumb seldom moves with the text (the band's gain is then counted cell by cell)
        where: dict[tuple[Cell, ...], list[int]] = {}
        for y, row in enumerate(shown):
            body = row[:-1]
            if not body or body[0] is None or body.count(body[0]) == len(body):
                continue  # unknown or uniform rows match anywhere: no evidence of a scroll
            where.setdefault(tuple(body), []).append(y)
        votes: Counter[int] = Counter()
        for y, row in enumerate(wanted):
            if row != shown[y]:
                for y2 in where.get(tuple(row[:-1]), ()):
                    votes[y2 - y] += 1
        if not votes:
            return False
        before = [cells_differ(wanted[y], shown[y]) for y in range(height)]
        best: tuple[int, int, int, int] | None = None  # saving, shift, top, bottom
        for shift, count in votes.items():
            if count < 2 and abs(shift) > 1 or shift == 0:
                continue
            found = self._best_band(wanted, before, shift)
            if found and (best is None or found[0] > best[0]):
                best = (found[0], shift, found[1], found[2])
        if best is None or best[0] <= SCROLL_OVERHEAD:
            return False
        _, shift, top, bottom = best
        out.append(self._shift_rows(shift, top, bottom))
        return True

    def _best_band(self, wanted: list[list[Cell]], before: list[int],
                   shift: int) -> tuple[int, int, int] | None:
        """(cells saved, top, bottom) of the region whose rows are best moved by ``shift``
        (positive: content moves up), or None."""
        shown = self.shown
        height = self.height
        n = abs(shift)
        ys = range(max(0, -shift), min(height, height - shift))
        best_gain, run_gain, run_start = 0, 0, ys.start
        band: tuple[int, int] | None = None
        for y in ys:
            gain = before[y] - cells_differ(wanted[y], shown[y + shift])
            if run_gain <= 0:
                run_gain, run_start = gain, y
            else:
                run_gain += gain
            if run_gain > best_gain:
                best_gain, band = run_gain, (run_start, y)
        if band is None:
            return None
        first, last = band  # wanted rows that take shown rows first+shift .. last+shift
        if shift > 0:
            top, bottom = first, last + n
            exposed = range(last + 1, bottom + 1)
        else:
            top, bottom = first - n, last
            exposed = range(top, first)
        blank_row = [BLANK] * self.width
        for y in exposed:  # rows the move leaves blank must then be drawn in full
            best_gain -= cells_differ(wanted[y], blank_row) - before[y]
        return best_gain, top, bottom

    def _shift_rows(self, shift: int, top: int, bottom: int) -> str:
        """Move rows ``top..bottom`` by ``shift`` (up if positive) with DL/IL; rows below stay."""
        n = abs(shift)
        last = self.height - 1
        parts = [self.reset_pen()]
        if shift > 0:
            parts += [self._goto(0, top), f"\x1b[{n}M"]
            if bottom < last:
                parts += [self._goto(0, bottom - n + 1), f"\x1b[{n}L"]
        else:
            if bottom < last:
                parts += [self._goto(0, bottom - n + 1), f"\x1b[{n}M"]
            parts += [self._goto(0, top), f"\x1b[{n}L"]
        self.cursor = None  # where IL/DL leave the cursor's column varies
        shown = self.shown
        band = shown[top:bottom + 1]
        blank = [[BLANK] * self.width for _ in range(n)]
        moved = band[n:] + blank if shift > 0 else blank + band[:-n]
        shown[top:bottom + 1] = moved
        return "".join(parts)

    # ---------------------------------------------------------------- one row
    def _paint_row(self, y: int, want: list[Cell], out: list[str]) -> None:
        have = self.shown[y]
        width = self.width
        x = 0
        while x < width:
            cell = want[x]
            if cell is None or cell == have[x]:
                x += 1
                continue
            if cell[0] == "":  # the right half of a wide character: draw from its left half
                left = want[x - 1] if x else None
                if left is None or left[0] == "":
                    x += 1
                    continue
                x -= 1
                cell = left
            self._go_near(x, y, want, out)
            run = self._blank_run(want, x) if cell[0] == " " else 0
            if run and x + run == width and run >= 3:
                pen = self._pen_for(cell)
                out.append(sgr_delta(self.pen, pen) + "\x1b[K")
                self.pen = pen
                have[x:] = [cell] * run
                return
            if run >= 10:
                pen = self._pen_for(cell, want, x + run - 1, have)
                out.append(sgr_delta(self.pen, pen) + f"\x1b[{run}X")
                self.pen = pen
                have[x:x + run] = [cell] * run
                x += run
                continue
            x = self._put(x, y, want, out)

    def _blank_run(self, want: list[Cell], x: int) -> int:
        """Length of the run of blanks with one erasable pen that starts at ``x``."""
        cell = want[x]
        if cell is None or not erasable(cell[1], self.bce):
            return 0
        end = x
        width = self.width
        while end < width and want[end] == cell:
            end += 1
        return end - x

    def _put(self, x: int, y: int, want: list[Cell], out: list[str]) -> int:
        """Write the cell at ``x`` (both halves of a wide one); the next column to look at."""
        cell = want[x]
        assert cell is not None
        text = cell[0]
        have = self.shown[y]
        pen = self._pen_for(cell, want, x, have)
        if pen != self.pen:
            out.append(sgr_delta(self.pen, pen))
            self.pen = pen
        out.append(text)
        have[x] = cell
        after = want[x + 1] if x + 1 < self.width else None
        if after is not None and after[0] == "":
            have[x + 1] = after
            self.cursor = None  # a terminal may disagree on a wide character's width
            return x + 2
        if len(text) > 1:
            self.cursor = None  # a combining sequence: widths vary between terminals
            return x + 1
        nx = x + 1
        self.cursor = (nx, y) if nx < self.width else None  # the last column: wrap pending
        return nx

    # ---------------------------------------------------------------- the cursor
    def _go_near(self, x: int, y: int, want: list[Cell], out: list[str]) -> None:
        """Put the cursor at (x, y): by a move, or by writing the unchanged cells before it."""
        if self.cursor == (x, y):
            return
        move = self._move(x, y)
        cursor = self.cursor
        if cursor is not None and cursor[1] == y and cursor[0] < x:
            gap = want[cursor[0]:x]
            if all(c is not None and self._pen_for(c) == self.pen and c[0].isascii() and c[0]
                   for c in gap) and len(gap) <= len(move):
                out.append("".join(c[0] for c in gap if c is not None))
                self.cursor = (x, y)
                return
        out.append(move)
        self.cursor = (x, y)

    def _goto(self, x: int, y: int) -> str:
        seq = self._move(x, y)
        self.cursor = (x, y)
        return seq

    def _move(self, x: int, y: int) -> str:
        """The shortest sequence that moves the cursor from where it is to (x, y)."""
        if x == 0 and y == 0:
            best = "\x1b[H"
        elif x == 0:
            best = f"\x1b[{y + 1}H"
        else:
            best = f"\x1b[{y + 1};{x + 1}H"
        cursor = self.cursor
        if cursor is None:
            return best
        cx, cy = cursor
        options = []
        if cy == y:
            if x == cx:
                return ""
            if x == 0:
                options.append("\r")
            elif x > cx:
                options.append("\x1b[C" if x - cx == 1 else f"\x1b[{x - cx}C")
            else:
                options.append("\x1b[D" if cx - x == 1 else f"\x1b[{cx - x}D")
            options.append(f"\x1b[{x + 1}G")
        elif cx == x:
            options.append(f"\x1b[{y + 1}d")
            dy = y - cy
            options.append(f"\x1b[{dy}B" if dy > 1 else "\x1b[B" if dy == 1 else
                           f"\x1b[{-dy}A" if dy < -1 else "\x1b[A")
        if y == cy + 1:
            nl = self.newline
            options.append(nl if x == 0 else f"{nl}\x1b[{x}C" if x > 1 else f"{nl}\x1b[C")
        for option in options:
            if len(option) < len(best):
                best = option
        return best
