"""DiffingDriver: Textual's Linux driver, writing only the cells that changed.

Textual keeps no record of what the terminal already shows: every refresh rewrites whole
regions, each segment as ``ESC[<full style>m text ESC[0m``. This driver (plugged in through
Textual's public hook, ``App(driver_class=...)``) reads each frame Textual writes into a copy
of the screen (:class:`~sitrep.tui.screen_copy.ScreenCopy`) and lets a
:class:`~sitrep.tui.painter.Painter` send the difference between that and what the terminal
already shows. Everything that is not a cell (modes, queries, the bell) passes through in
order. A frame that changes nothing writes nothing, not even its synchronized-output markers.

What the terminal shows is forgotten (the next frame is drawn in full) on a resize
(SIGWINCH), on leaving or entering the alternate screen, on suspend (``App.suspend()``, the
``$EDITOR`` round trip) and resume, on a sequence the copy does not model, and on
:meth:`redraw` (ctrl+l). If anything in here fails, the frame goes out as Textual wrote it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import termios
from typing import Any

from textual.drivers.linux_driver import LinuxDriver

from sitrep.tui.painter import Painter
from sitrep.tui.screen_copy import ScreenCopy

SYNC_START = "\x1b[?2026h"
SYNC_END = "\x1b[?2026l"


def terminal_has_bce() -> bool:
    """Whether the terminal fills erased cells with the current background (terminfo bce)."""
    term = os.environ.get("TERM", "")
    if not term or term == "dumb":
        return False
    try:
        import curses

        curses.setupterm(term, os.open(os.devnull, os.O_WRONLY))
        return bool(curses.tigetflag("bce") > 0)
    except Exception:  # no terminfo entry, no curses: assume the safe answer
        return False


class DiffingDriver(LinuxDriver):
    """A LinuxDriver whose output is the difference between frames."""

    def __init__(self, app: Any, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._pending: list[str] = []
        self._copy = ScreenCopy(0, 0)
        self._painter = Painter(bce=terminal_has_bce(), newline=self._newline())
        self._size_changed = True
        self._busy = False
        self.bytes_written = 0
        #: Textual's frames taken in while held (sent as written if painting fails)
        self._held: list[str] | None = None

    # ---------------------------------------------------------------- Textual's side
    def write(self, data: str) -> None:
        """Keep what Textual writes until it flushes (the end of a frame)."""
        self._pending.append(data)

    def flush(self) -> None:
        """Turn what Textual wrote since the last flush into the bytes that change cells."""
        if not self._pending or self._writer_thread is None:
            return
        data = "".join(self._pending)
        self._pending.clear()
        if self._busy:  # a signal handler's write in the middle of a frame: send it as it is
            self._forget()
            self._send(data)
            return
        self._busy = True
        try:
            out = self._translate(data)
        except Exception:  # never lose a frame to this driver: send Textual's own bytes
            self._forget()
            out = data
        finally:
            self._busy = False
        self._send(out)

    def start_application_mode(self) -> None:
        """Start (or resume) as Textual does; the screen is unknown until the first frame."""
        self._forget()
        super().start_application_mode()
        previous = signal.getsignal(signal.SIGWINCH)

        def on_resize(signum: int, frame: Any) -> None:
            self._size_changed = True
            if callable(previous):
                previous(signum, frame)

        with contextlib.suppress(ValueError):  # not the main thread (never in sitrep)
            signal.signal(signal.SIGWINCH, on_resize)

    def stop_application_mode(self) -> None:
        """Stop (or suspend): after this, others write to the terminal."""
        self._held = None
        super().stop_application_mode()
        self._forget()

    def redraw(self) -> None:
        """Forget what the terminal shows: the next frame is drawn in full (ctrl+l)."""
        self._forget()

    def hold(self) -> None:
        """Take frames in without sending their cells until :meth:`release` (the start: the
        title's focus mark and the footer's keys come a frame or two after the first one, and
        over a slow link the screen should go out once, whole)."""
        if self._held is None:
            self._held = []

    def release(self) -> None:
        """Send what the held frames drew, as one frame."""
        held, self._held = self._held, None
        if held is None or self._writer_thread is None:
            return
        try:
            text = self._painter.paint(self._copy.rows, self._copy.cursor)
        except Exception:  # never lose a frame to this driver: send Textual's own bytes
            self._forget()
            self._send("".join(held))
            return
        if text:
            self._send(SYNC_START + text + SYNC_END)

    # ---------------------------------------------------------------- the difference
    def _forget(self) -> None:
        self._size_changed = True
        self._painter.forget()

    def _send(self, text: str) -> None:
        if text and self._writer_thread is not None:
            self.bytes_written += len(text.encode("utf-8", "replace"))
            self._writer_thread.write(text)

    def _newline(self) -> str:
        """LF alone if the tty turns it into CR LF on output (ONLCR), else CR LF."""
        try:
            # no file (None) is an AttributeError, caught below like a file that is no tty
            oflag = termios.tcgetattr(self._file.fileno())[1]  # type: ignore[union-attr]
        except (AttributeError, OSError, ValueError, termios.error):
            return "\r\n"
        both = termios.OPOST | termios.ONLCR
        return "\n" if oflag & both == both else "\r\n"

    def _terminal_size(self) -> tuple[int, int]:
        try:
            # as in _newline: no file (None) is an AttributeError, caught below
            size = os.get_terminal_size(self._file.fileno())  # type: ignore[union-attr]
            return size.columns, size.lines
        except (AttributeError, OSError, ValueError):
            width, height = self._get_terminal_size()
            return width, height

    def _translate(self, data: str) -> str:
        copy = self._copy
        painter = self._painter
        if self._size_changed:
            self._size_changed = False
            width, height = self._terminal_size()
            if (width, height) != (copy.width, copy.height):
                copy.resize(width, height)
            painter.forget()
        holding = self._held is not None
        if self._held is not None:
            self._held.append(data)
        out: list[str] = []
        synced = False
        for kind, sequence in copy.feed(data):
            if kind == "sync":
                synced = True
                continue
            if holding and kind in ("raw", "alt"):  # not modelled: stop holding before it
                holding, self._held = False, None
            if not holding:  # held: modes and queries go out now, the cells at release
                out.append(painter.paint(copy.rows, copy.cursor))
            if sequence in ("\x1b[?25l", "\x1b[?25h"):
                painter.cursor_hidden = sequence == "\x1b[?25l"
            if kind != "pass":
                out.append(painter.reset_pen())
            out.append(sequence)
            if kind in ("raw", "alt"):
                painter.forget()
        if not holding:
            out.append(painter.paint(copy.rows, copy.cursor))
        text = "".join(out)
        if synced and text and not holding:
            text = SYNC_START + text + SYNC_END
        return text
