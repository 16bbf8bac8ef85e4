"""ScreenCopy: the cells a terminal shows, as rebuilt from what Textual writes to it.

Textual writes each frame as cursor moves (``CSI row;col H``), SGR styles (each segment as
``CSI <full style> m text CSI 0 m``), OSC 8 links and text. :meth:`ScreenCopy.feed` applies
those to a grid of cells and hands back everything else (mode switches, queries, the bell,
synchronized-output markers) in order, so the output driver can pass it on. A sequence that
changes the screen in a way not modelled here (erase, scroll, insert) is handed back as
``"raw"``: the driver sends it as it is and forgets what the screen shows.

A cell is ``(text, pen)``; ``text`` is ``""`` for the right half of a wide character, and a cell
is ``None`` while nobody knows what the terminal shows there. A space keeps only what shows on
it (:func:`blank_cell`): the copy is of what a person sees. A pen is
``(flags, fg, bg, link)``: SGR attribute bits, the colour parameters as written (``"31"``,
``"38;5;123"``, ``"38;2;1;2;3"``, ``""`` for the default) and the OSC 8 parameters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rich.cells import get_character_cell_size

Pen = tuple[int, str, str, str]
Cell = tuple[str, Pen] | None

DEFAULT_PEN: Pen = (0, "", "", "")

#: SGR attribute code -> its bit in a pen's flags
ATTR_BITS = {1: 1, 2: 2, 3: 4, 4: 8, 5: 16, 6: 32, 7: 64, 8: 128, 9: 256, 21: 512,
             51: 1024, 52: 2048, 53: 4096}
#: SGR "off" code -> the bits it clears
OFF_BITS = {22: 1 | 2, 23: 4, 24: 8 | 512, 25: 16 | 32, 27: 64, 28: 128, 29: 256,
            54: 1024 | 2048, 55: 4096}

_TOKEN = re.compile(
    r"\x1b\[(?P<params>[0-?]*)(?P<inter>[ -/]*)(?P<final>[@-~])"  # CSI
    r"|\x1b\](?P<osc>[^\x07\x1b]*)(?:\x07|\x1b\\)"  # OSC, ended by BEL or ST
    r"|\x1b[P^_X][^\x1b]*\x1b\\"  # DCS, PM, APC, SOS
    r"|\x1b[ -/]*[0-~]"  # any other escape
    r"|(?P<ctl>[\x00-\x1a\x1c-\x1f\x7f])"  # C0 controls (ESC excepted)
    r"|(?P<text>[^\x00-\x1f\x7f]+)"
)
#: a sequence cut at the end of a write: kept for the next one
_PARTIAL = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*|\][^\x07]*\x1b|[P^_X][^\x1b]*"
                      r"|[P^_X][^\x1b]*\x1b|[ -/]*)?\Z")
#: pen flags that show on a blank cell (reverse shows the foreground as background;
#: underline, strike, overline, frame, encircle draw in the foreground colour)
VISIBLE_ON_BLANK = (ATTR_BITS[4] | ATTR_BITS[7] | ATTR_BITS[9] | ATTR_BITS[53]
                    | ATTR_BITS[51] | ATTR_BITS[52] | ATTR_BITS[21])
ALT_SCREEN_MODES = {"?1049", "?1047", "?47"}
SYNC_MODE = "?2026"
#: CSI finals that only ask or set modes; they leave the cells alone
_HARMLESS_FINALS = set("hlnpqtucsu")


def blank_cell(pen: Pen) -> tuple[str, Pen]:
    """A space as a person sees it: on a blank without reverse, underline or strike, the
    foreground, bold, dim, italic and blink show nothing, so they are dropped (the painter
    may then draw it with whatever foreground is current)."""
    if pen[0] & VISIBLE_ON_BLANK:
        return (" ", pen)
    return (" ", (0, "", pen[2], pen[3]))


def parse_sgr(params: str, pen: Pen) -> Pen | None:
    """``pen`` after ``CSI params m``; None for a parameter not understood."""
    flags, fg, bg, link = pen
    if not params:
        return (0, "", "", link)
    if ":" in params:
        return None
    codes = params.split(";")
    i = 0
    while i < len(codes):
        try:
            code = int(codes[i] or 0)
        except ValueError:
            return None
        if code == 0:
            flags, fg, bg = 0, "", ""
        elif code in ATTR_BITS:
            flags |= ATTR_BITS[code]
        elif code in OFF_BITS:
            flags &= ~OFF_BITS[code]
        elif 30 <= code <= 37 or 90 <= code <= 97:
            fg = str(code)
        elif 40 <= code <= 47 or 100 <= code <= 107:
            bg = str(code)
        elif code == 39:
            fg = ""
        elif code == 49:
            bg = ""
        elif code in (38, 48):
            kind = codes[i + 1] if i + 1 < len(codes) else ""
            take = 3 if kind == "5" else 5 if kind == "2" else 0
            if not take or i + take > len(codes):
                return None
            colour = ";".join(codes[i:i + take])
            i += take - 1
            if code == 38:
                fg = colour
            else:
                bg = colour
        else:
            return None
        i += 1
    return (flags, fg, bg, link)


class ScreenCopy:
    """A ``width`` x ``height`` grid of cells with a cursor and a pen, fed terminal output."""

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.rows: list[list[Cell]] = [[None] * width for _ in range(height)]
        self.x = 0
        self.y = 0
        self.pen: Pen = DEFAULT_PEN
        self.changed = False
        self._carry = ""

    def forget(self) -> None:
        """Nothing on the screen is known any more (its size stays)."""
        self.rows = [[None] * self.width for _ in range(self.height)]
        self.changed = True

    def resize(self, width: int, height: int) -> None:
        """A new size: every cell unknown."""
        self.width, self.height = width, height
        self.forget()
        self.x = min(self.x, width - 1)
        self.y = min(self.y, height - 1)

    @property
    def cursor(self) -> tuple[int, int]:
        """Where the terminal's cursor is after what was fed."""
        return self.x, self.y

    def feed(self, data: str) -> Iterator[tuple[str, str]]:
        """Apply ``data``; yield ``(kind, sequence)`` for what is not a cell change, in order.

        Kinds: ``"pass"`` (no effect on cells), ``"sync"`` (synchronized output start or end:
        the sequence), ``"alt"`` (an alternate-screen switch), ``"raw"`` (changes cells in a way
        not modelled: everything is unknown after it).
        """
        data = self._carry + data
        self._carry = ""
        pos = 0
        end = len(data)
        match = _TOKEN.match
        while pos < end:
            m = match(data, pos)
            if m is None:
                if _PARTIAL.match(data, pos):
                    self._carry = data[pos:]
                    return
                yield "raw", data[pos]  # a lone character no pattern takes
                self.forget()
                pos += 1
                continue
            pos = m.end()
            text = m.group("text")
            if text is not None:
                self._draw(text)
                continue
            final = m.group("final")
            if final is not None:
                kind = self._csi(m.group("params"), m.group("inter"), final)
                if kind:
                    yield kind, m.group(0)
                continue
            osc = m.group("osc")
            if osc is not None:
                if osc.startswith("8;"):
                    self.pen = (*self.pen[:3], "" if osc == "8;;" else osc[2:])
                else:
                    yield "pass", m.group(0)
                continue
            ctl = m.group("ctl")
            if ctl == "\r":
                self.x = 0
            elif ctl == "\n":
                if self.y == self.height - 1:  # would scroll the screen
                    self.forget()
                    yield "raw", ctl
                else:
                    self.y += 1
                    self.x = 0  # the tty's ONLCR makes it a CR LF
            elif ctl == "\x07":
                yield "pass", ctl
            elif ctl == "\b":
                self.x = max(0, self.x - 1)
            else:
                self.forget()
                yield "raw", m.group(0)

    def _csi(self, params: str, inter: str, final: str) -> str | None:
        if final == "m" and not inter and not params[:1].isdigit() and params[:1] not in ("", ";"):
            return "pass"  # CSI > … m and the like: key modifiers, not colours
        if final == "m" and not inter:
            pen = parse_sgr(params, self.pen)
            if pen is None:
                self.forget()
                return "raw"
            self.pen = pen
            return None
        if inter or params[:1] in ("?", ">", "<", "="):
            if final in "hl" and not inter:
                modes = set(params.split(";"))
                if params == SYNC_MODE:
                    return "sync"
                if modes & ALT_SCREEN_MODES:
                    self.forget()
                    return "alt"
                return "pass"
            return "pass" if final in _HARMLESS_FINALS else self._unknown()
        nums = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else []
        first = nums[0] if nums else 0
        step = max(1, first)
        if final in "Hf":
            row = nums[0] if nums else 1
            col = nums[1] if len(nums) > 1 else 1
            self.y = min(max(row, 1), self.height) - 1
            self.x = min(max(col, 1), self.width) - 1
        elif final == "A":
            self.y = max(0, self.y - step)
        elif final == "B":
            self.y = min(self.height - 1, self.y + step)
        elif final == "C":
            self.x = min(self.width - 1, self.x + step)
        elif final == "D":
            self.x = max(0, self.x - step)
        elif final == "G":
            self.x = min(max(first, 1), self.width) - 1
        elif final == "d":
            self.y = min(max(first, 1), self.height) - 1
        elif final in "nc":
            return "pass"  # reports asked for
        else:
            return self._unknown()
        return None

    def _unknown(self) -> str:
        self.forget()
        return "raw"

    def _draw(self, text: str) -> None:
        if not self.height or not self.width:
            return
        row = self.rows[self.y]
        width = self.width
        pen = self.pen
        x = self.x
        self.changed = True
        if text.isascii() and text.isprintable() and x + len(text) <= width:
            end = x + len(text)
            _break_left(row, x)
            _break_right(row, end)
            blank = blank_cell(pen)
            row[x:end] = [(ch, pen) if ch != " " else blank for ch in text]
            self.x = min(end, width - 1)
            return
        for ch in text:
            size = get_character_cell_size(ch)
            if size == 0:
                prev = row[x - 1] if x else None
                if prev is not None and x:
                    row[x - 1] = (prev[0] + ch, prev[1])
                continue
            if x >= width:  # no autowrap: the last column is written again
                x = width - size
            if x < 0:
                continue
            _break_left(row, x)
            row[x] = (ch, pen) if ch != " " else blank_cell(pen)
            if size == 2 and x + 1 < width:
                row[x + 1] = ("", pen)
            _break_right(row, x + size)
            x += size
        self.x = min(x, width - 1)



def _break_left(row: list[Cell], x: int) -> None:
    """Writing at ``x`` over the right half of a wide character: its left half is unknown."""
    if 0 < x < len(row):
        cell = row[x]
        if cell is not None and cell[0] == "":
            row[x - 1] = None


def _break_right(row: list[Cell], x: int) -> None:
    """A write ended before ``x``: a right half left there has lost its wide character."""
    if 0 <= x < len(row):
        cell = row[x]
        if cell is not None and cell[0] == "":
            row[x] = None
