"""The driver's parts without a pty: frames as Textual writes them, drawn on one emulated
screen as they are and on another through ScreenCopy + Painter, must look the same after every
frame (hypothesis makes the frames: moves, styled segments, blanks, scrolled rows, redraws)."""

from __future__ import annotations

import pyte
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.tui.painter import Painter, sgr_delta
from sitrep.tui.screen_copy import DEFAULT_PEN, ScreenCopy, parse_sgr

WIDTH, HEIGHT = 24, 8
STYLES = ["", "1", "2;3", "4", "7", "9", "38;5;214", "48;5;17", "1;38;5;231;48;5;234",
          "33;44", "7;38;5;23;48;5;16", "38;2;10;20;30;48;2;1;2;3", "4;38;5;253;48;5;17"]
CHARS = "ab yz  -─…✓▃"


class Screen(pyte.Screen):
    """pyte, except that ``CSI 2 J`` erases every cell (pyte 0.8 skips cells it never stored)."""

    def erase_in_display(self, how: int = 0, *args: object, **kwargs: object) -> None:
        """Erase as a terminal does."""
        if how in (2, 3):
            for y in range(self.lines):
                for x in range(self.columns):
                    self.buffer[y][x] = self.cursor.attrs
        super().erase_in_display(how, *args, **kwargs)


def seen(screen: pyte.Screen) -> list[tuple[object, ...]]:
    """Every cell as a person sees it (a plain space's foreground and weight show nothing)."""
    out = []
    for y in range(screen.lines):
        for x in range(screen.columns):
            c = screen.buffer[y][x]
            if c.data == " " and not (c.reverse or c.underscore or c.strikethrough):
                out.append((" ", c.bg))
            else:
                out.append((c.data, c.fg, c.bg, c.bold, c.italics, c.underscore,
                            c.strikethrough, c.reverse))
    return out


@st.composite
def span(draw: st.DrawFn) -> str:
    """One update as Textual writes it: a move, then segments, each ``ESC[style m``…``ESC[0m``."""
    y = draw(st.integers(0, HEIGHT - 1))
    x = draw(st.integers(0, WIDTH - 1))
    room = WIDTH - x
    out = [f"\x1b[{y + 1};{x + 1}H"]
    for _ in range(draw(st.integers(1, 4))):
        if room <= 0:
            break
        n = draw(st.integers(1, room))
        text = draw(st.text(CHARS, min_size=n, max_size=n))
        style = draw(st.sampled_from(STYLES))
        out.append(f"\x1b[{style}m{text}\x1b[0m" if style else text)
        room -= n
    return "".join(out)


@st.composite
def frame(draw: st.DrawFn) -> tuple[str, bool]:
    """A frame (sometimes rows shifted as a list scroll draws them) and whether to redraw."""
    spans = draw(st.lists(span(), min_size=1, max_size=10))
    return "".join(spans), draw(st.booleans()) and draw(st.booleans())


def full_rows(draw_rows: list[str]) -> str:
    """Every row written in full (the first frame, a scroll)."""
    return "".join(f"\x1b[{y + 1};1H{row}" for y, row in enumerate(draw_rows))


@settings(max_examples=150, deadline=None)
@given(st.lists(frame(), min_size=1, max_size=8),
       st.lists(st.text("abcd─ ", min_size=WIDTH, max_size=WIDTH), min_size=HEIGHT,
                max_size=HEIGHT),
       st.integers(-3, 3))
def test_frames_look_the_same_drawn_through_the_painter(
    frames: list[tuple[str, bool]], rows: list[str], shift: int
) -> None:
    plain, diffed = Screen(WIDTH, HEIGHT), Screen(WIDTH, HEIGHT)
    plain_stream, diffed_stream = pyte.Stream(plain), pyte.Stream(diffed)
    copy = ScreenCopy(WIDTH, HEIGHT)
    painter = Painter(bce=True)
    first = "\x1b[48;5;234m" + full_rows(rows) + "\x1b[0m"
    moved = rows[shift:] + rows[:shift]  # the same rows, scrolled: DL/IL should draw it
    scroll = "\x1b[48;5;234m" + full_rows(moved) + "\x1b[0m"
    for data, redraw in [(first, False), (scroll, False), *frames]:
        plain_stream.feed(data)
        for _kind, _sequence in copy.feed(data):
            pass
        if redraw:
            painter.forget()
        diffed_stream.feed(painter.paint(copy.rows, copy.cursor))
        assert seen(diffed) == seen(plain)


def test_an_unchanged_frame_writes_nothing() -> None:
    copy = ScreenCopy(WIDTH, HEIGHT)
    painter = Painter()
    frame = "\x1b[1;1H\x1b[1;38;5;214mhello\x1b[0m world\x1b[3;5H\x1b[7mcursor\x1b[0m"
    list(copy.feed(frame))
    assert painter.paint(copy.rows, copy.cursor)
    list(copy.feed(frame))
    assert painter.paint(copy.rows, copy.cursor) == ""


def test_a_changed_word_is_sent_alone() -> None:
    copy = ScreenCopy(WIDTH, HEIGHT)
    painter = Painter()
    list(copy.feed("\x1b[2;1Hstatus: unverified\x1b[0m"))
    painter.paint(copy.rows, copy.cursor)
    list(copy.feed("\x1b[2;1Hstatus: confirmed \x1b[0m"))
    out = painter.paint(copy.rows, copy.cursor)
    assert "status" not in out and "confirmed" in out and len(out) < 20


def test_sgr_deltas_add_and_remove_only_what_changes() -> None:
    bold_red = parse_sgr("1;31", DEFAULT_PEN)
    bold_green = parse_sgr("1;32", DEFAULT_PEN)
    assert bold_red is not None and bold_green is not None
    assert sgr_delta(bold_red, bold_green) == "\x1b[32m"
    assert sgr_delta(bold_green, DEFAULT_PEN) == "\x1b[m"
    dim_bold = parse_sgr("1;2;31", DEFAULT_PEN)
    just_bold = parse_sgr("1;31", DEFAULT_PEN)
    assert dim_bold is not None and just_bold is not None
    # 22 turns off both bold and dim: bold is set again (shorter than 0;1;31)
    assert sgr_delta(dim_bold, just_bold) == "\x1b[22;1m"
    assert sgr_delta(just_bold, parse_sgr("1", DEFAULT_PEN) or DEFAULT_PEN) == "\x1b[39m"
    assert parse_sgr("1;58;5;3", DEFAULT_PEN) is None  # not understood: the frame goes raw


def test_an_unknown_sequence_is_passed_through_and_the_copy_forgotten() -> None:
    copy = ScreenCopy(WIDTH, HEIGHT)
    kinds = [kind for kind, _ in copy.feed("\x1b[1;1Hab\x1b[2Kcd\x1b[?1049h\x1b[?25l\x07")]
    assert kinds == ["raw", "alt", "pass", "pass"]
    assert all(cell is None for row in copy.rows for cell in row)


def draw_both(frames: list[str], width: int = WIDTH, height: int = HEIGHT,
              ) -> tuple[pyte.Screen, pyte.Screen, list[str]]:
    """Each frame drawn as it is on one screen and through the painter on another; the
    painter's output per frame is returned with both screens."""
    plain, diffed = Screen(width, height), Screen(width, height)
    plain_stream, diffed_stream = pyte.Stream(plain), pyte.Stream(diffed)
    copy = ScreenCopy(width, height)
    painter = Painter(bce=True)
    outputs = []
    for data in frames:
        plain_stream.feed(data)
        list(copy.feed(data))
        out = painter.paint(copy.rows, copy.cursor)
        outputs.append(out)
        diffed_stream.feed(out)
        assert seen(diffed) == seen(plain), repr(out)
    return plain, diffed, outputs


def pane_rows(texts: list[str], thumb: int) -> str:
    """Rows of a pane on a dark background, a scrollbar's thumb in the last column at row
    ``thumb`` (the track is the pane's background), above rows that stay as they are."""
    out = []
    for y, text in enumerate([*texts, *STILL]):
        bar = "\x1b[7;38;5;23m \x1b[0m" if y == thumb else "\x1b[48;5;234m \x1b[0m"
        out.append(f"\x1b[{y + 1};1H\x1b[38;5;253;48;5;234m{text:<{WIDTH - 1}}\x1b[0m{bar}")
    return "".join(out)


WORDS = ["alpha", "delta", "golf", "juliet", "mike", "papa", "sierra", "uniform", "whiskey",
         "zulu"]
LINES = [(f"{word} {n} " * 6)[:WIDTH - 1] for n, word in enumerate(WORDS)]
STILL = [f"still {n}" for n in range(10)]
TALL = 16


def test_rows_that_scrolled_move_even_when_the_scrollbar_beside_them_did_not() -> None:
    # the thumb stays on row 2 while the text moves up a row: the rows match only without
    # their last cell, and DL/IL still moves them (then the thumb's cells are mended)
    _, _, (_, out) = draw_both([pane_rows(LINES[:6], 2), pane_rows(LINES[1:7], 2)],
                               height=TALL)
    assert "\x1b[1M" in out and "\x1b[1L" in out, repr(out)
    assert "golf" not in out and "juliet" not in out, repr(out)


def test_two_bands_move_in_one_frame() -> None:
    # a list (rows 0-3) scrolls up while a detail below (rows 4-7) moves down a line
    before = LINES[0:4] + ["", *LINES[6:9]]
    after = LINES[1:5] + ["", "", *LINES[6:8]]
    _, _, (_, out) = draw_both([pane_rows(before, 9), pane_rows(after, 9)], height=TALL)
    assert out.count("M") >= 2 and out.count("L") >= 2, repr(out)
    assert "sierra" not in out and "golf" not in out, repr(out)


def test_a_blank_before_new_text_takes_that_texts_style() -> None:
    _, _, (_, out) = draw_both([
        "\x1b[1;1H\x1b[38;5;231;48;5;234mLabel: \x1b[38;5;253mvalue\x1b[0m",
        "\x1b[1;1H\x1b[38;5;231;48;5;234mLabel:\x1b[38;5;214m other\x1b[0m",
    ])
    # the space after the label is drawn with the next word's colour: one colour change
    assert out.count("\x1b[") == 2 and "214" in out, repr(out)


def test_wide_cyrillic_and_combining_text_and_the_last_column() -> None:
    # relative moves after cells whose width terminals disagree on, and at the screen's
    # right edge (a pending wrap): the painter must go by an absolute move there
    width = 12
    draw_both([
        "\x1b[1;1H\x1b[38;5;253m漢字 Пушилін\x1b[0m\x1b[2;1He\u0301tat  x\x1b[2;12Hz",
        "\x1b[1;1H\x1b[38;5;253m漢子 Пушилин\x1b[0m\x1b[2;1He\u0301tait x\x1b[2;12Hy\x1b[3;1Hab",
        "\x1b[1;2H\x1b[1m字\x1b[0m\x1b[1;12H\x1b[7m!\x1b[0m\x1b[2;11Hqr\x1b[3;1H \u0430\u0301b",
        "\x1b[1;1H  Ж漢\x1b[2;1H\x1b[4m  \x1b[0m\x1b[3;12Hw\x1b[4;1H\x1b[48;5;17m  日本  \x1b[0m",
    ], width=width, height=4)
