"""The diffing output driver changes the bytes, never the screen.

The same key script runs twice on a pty through pyte: once with frames written in full as
Textual writes them (``--no-diff``), once through ``sitrep.tui.driver``. After every step (moves,
scrolls, page keys, filter typing, help and its scrolling, tab, resizes, a status key and undo,
the note modal, the ``$EDITOR`` round trip, ctrl+l) the second screen must equal the first cell
by cell: character, colours and attributes, as a person sees them (a space's foreground colour
or boldness shows nothing unless it is reversed, underlined or struck through, and the driver
does not spend bytes on it).

The reference run waits for its screen to stop changing; the driver run waits until its screen
equals the reference, then for quiet, then compares again (a later frame must not spoil it).
"""

from __future__ import annotations

import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyte
import pytest

from . import harness
from .conftest import Start
from .harness import TIMEOUT, Terminal

Cells = list[tuple[object, ...]]


@pytest.fixture(autouse=True)
def erase_like_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """pyte 0.8's ``CSI 2 J`` erases only the cells it has stored (a column no write has
    touched since a resize keeps its old colours); a terminal erases every cell with the
    current background, and the driver relies on that."""
    erase = harness._Screen.erase_in_display

    def erase_in_display(self: harness._Screen, how: int = 0, *args: object,
                         **kwargs: object) -> None:
        if how in (2, 3):
            for y in range(self.lines):
                line = self.buffer[y]
                for x in range(self.columns):
                    line[x] = self.cursor.attrs
        erase(self, how, *args, **kwargs)

    monkeypatch.setattr(harness._Screen, "erase_in_display", erase_in_display)


def cells(term: Terminal) -> Cells:
    """Every cell of the emulated screen with its colours and attributes."""
    with term._lock:
        screen = term.screen
        rows: Cells = []
        for y in range(screen.lines):
            line = screen.buffer[y]
            rows.append(tuple(seen(line[x]) for x in range(screen.columns)))
        return rows


def seen(c: pyte.screens.Char) -> tuple[object, ...]:
    """A cell as a person sees it: character, colours, attributes; on a space without
    reverse, underline or strike the foreground, bold, italic and blink show nothing."""
    if c.data == " " and not (c.reverse or c.underscore or c.strikethrough):
        return (" ", None, c.bg, False, False, False, False, False, False)
    return (c.data, c.fg, c.bg, c.bold, c.italics, c.underscore, c.strikethrough, c.reverse,
            c.blink)


def describe(want: Cells, got: Cells) -> str:
    """The first few differing cells, for a failure message."""
    if len(want) != len(got):
        return f"{len(want)} rows wanted, {len(got)} shown"
    out = []
    for y, (a, b) in enumerate(zip(want, got, strict=True)):
        for x, (p, q) in enumerate(zip(a, b, strict=False)):
            if p != q:
                out.append(f"  ({x},{y}) want {p} got {q}")
                if len(out) >= 8:
                    return "\n".join(out)
    return "\n".join(out)


def as_text(screen: Cells) -> str:
    """The characters of a screen, a line a row."""
    return "\n".join("".join(str(c[0]) for c in row).rstrip() for row in screen)


@dataclass
class Step:
    """Keys to send (or a callable acting on the terminal) and text the screen must show."""

    name: str
    keys: str | Callable[[Terminal], None]
    shows: str | Callable[[list[str]], object] | None = None
    #: True: the screen changes; False: it may not, but the app draws; None: neither
    changes: bool | None = True

    def run(self, term: Terminal) -> None:
        """Do the step."""
        if callable(self.keys):
            self.keys(term)
        else:
            term.write(self.keys)


def no_toasts(term: Terminal) -> None:
    """Wait until no notification is shown (they expire on a timer: a screen taken while one
    is going would compare one run's toast with the other's empty corner)."""
    term.wait_for(lambda lines: not any("▌" in row for row in lines), what="toasts to expire")


TOASTS_GONE = Step("toasts gone", no_toasts, changes=None)


def resize(columns: int, lines: int) -> Callable[[Terminal], None]:
    """A step that resizes the pty and the emulator."""
    return lambda term: term.resize(columns, lines)


def drawn_whole(lines: list[str]) -> bool:
    """The app has drawn the screen for its new size: its header on the top row and its
    footer on the bottom one. The emulator's own resize changes the screen at once (a
    shrink drops the top rows, a growth adds blank ones at the bottom), so "the screen
    changed, then 0.5 s of quiet" took a half-drawn reference on a loaded machine."""
    return lines[0].startswith(" sitrep") and "Quit" in lines[-1]


STEPS = [
    Step("first frame", "", "palette", changes=None),  # the footer comes last
    Step("first frame, settled", "", changes=None),  # start-up done: no key is lost
    *[Step(f"j {i}", "j") for i in range(1, 4)],
    Step("j to scroll", "jjjjjj"),
    Step("k", "k"),
    Step("page down", "\x1b[6~"),
    Step("end", "G"),
    Step("home", "\x1b[H"),
    Step("tab", "\t"),
    Step("j in settlements... verification", "j"),
    Step("tab again", "\t"),
    Step("j in detail", "jj"),
    Step("shift+tab back", "\x1b[Z\x1b[Z"),
    Step("/ opens the filter", "/", "filter:"),
    Step("one character", "l"),
    # one key a step: a burst into the filter box is racy in the app itself (branch keyboard)
    *[Step(f"character {ch}", ch) for ch in "ysy"],
    *[Step(f"backspace {i}", "\x7f") for i in range(1, 4)],
    Step("enter closes the filter", "\r"),
    Step("escape clears", "\x1b"),
    Step("? opens help", "?", "Everywhere"),
    *[Step(f"help scrolls {i}", "j") for i in range(1, 4)],  # one at a time: it animates
    Step("help pages", "\x1b[6~"),
    Step("help closes", "\x1b"),
    # below the 2x2 layout's 110 columns: the switch to it is racy in the app itself
    # (branch keyboard), with or without the driver
    Step("resize wider", resize(100, 30), drawn_whole),
    Step("a move at 100x30", "j"),
    Step("resize back", resize(80, 24), drawn_whole),
    Step("status key", "c"),
    TOASTS_GONE,
    Step("undo", "u"),
    TOASTS_GONE,
    Step("note modal", "n"),
    Step("note text", "seen on two feeds"),
    Step("note saved", "\r"),
    TOASTS_GONE,
    Step("$EDITOR round trip", "N"),
    TOASTS_GONE,
    Step("after the editor", "j"),
    Step("ctrl+l redraws", "\x0c", changes=False),
    Step("resize to the minimum", resize(70, 16), drawn_whole),  # MIN_SIZE in sitrep/tui/app.py
    Step("resize back again", resize(80, 24), drawn_whole),
]


def settle(term: Terminal, quiet: float = 0.5) -> None:
    """Wait for the app to stop drawing for ``quiet`` seconds."""
    term.settle(quiet)


def take_step(term: Terminal, step: Step, before: Cells) -> Cells:
    """Do ``step`` without the driver and wait for its outcome: text it must show, a screen
    unlike the one before it (or, for a step that may leave the screen as it was, new bytes),
    then quiet. Waiting on the screen rather than on time keeps this right on a loaded machine."""
    mark = len(term.raw)
    step.run(term)
    if step.shows:
        term.wait_for(step.shows)
    deadline = time.monotonic() + TIMEOUT
    if step.changes:
        while cells(term) == before and time.monotonic() < deadline:
            time.sleep(0.02)
    elif step.changes is False and step.keys:
        while len(term.raw) <= mark and time.monotonic() < deadline:
            time.sleep(0.02)
    settle(term)
    return cells(term)


def editor_script(folder: Path) -> Path:
    """An $EDITOR that writes a note into the file it is given, as a person would."""
    script = folder / "editor.sh"
    script.write_text("#!/bin/sh\nprintf 'written in the editor\\n' >> \"$1\"\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


@pytest.mark.parametrize("colours", [
    {"TERM": "xterm-256color"},
    {"TERM": "xterm-256color", "SITREP_LOW_BANDWIDTH": "1"},
    {"TERM": "xterm", "NO_COLOR": "1"},
], ids=["256", "16-low-bandwidth", "no-color"])
def test_every_step_shows_the_same_screen_with_and_without_the_driver(
    start: Start, db: Path, tmp_path: Path, colours: dict[str, str]
) -> None:
    env = {**colours, "EDITOR": str(editor_script(tmp_path)), "VISUAL": ""}
    reference_db = tmp_path / "reference" / db.name  # the same name: the header shows it
    reference_db.parent.mkdir()
    reference_db.write_bytes(db.read_bytes())
    plain = start("--db", reference_db, "--no-diff", env=env)
    term = start("--db", db, env=env)
    plain.wait_for("Claims by source")
    term.wait_for("Claims by source")
    want = cells(plain)
    for step in STEPS:
        step.run(term)
        want = take_step(plain, step, want)
        deadline = time.monotonic() + TIMEOUT
        while cells(term) != want and time.monotonic() < deadline:
            time.sleep(0.05)
        settle(term)
        got = cells(term)
        assert got == want, (
            f"after {step.name!r} the screen differs from the one without the driver:\n"
            + describe(want, got) + "\nwithout:\n" + as_text(want) + "\nwith:\n" + as_text(got)
        )
