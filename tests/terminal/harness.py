"""The installed ``sitrep`` on a real pseudo-terminal, read through a real terminal emulator.

A :class:`Terminal` starts a command on a pty of a given size (ptyprocess), drains everything
the app writes in a reader thread into a pyte screen (and keeps the raw bytes), and lets a test
type (bursts, delays, bracketed paste), resize, hang up or signal the app, and wait for what a
person would see. Nothing here sleeps to let the app catch up: every wait is a poll of the
emulated screen (or of the raw bytes, or of the process) for a condition, with a timeout that
is generous because the machine may be loaded.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import ptyprocess
import pyte

#: Seconds a wait may take before it fails. Long: two CPU burners may run beside the suite.
TIMEOUT = float(os.environ.get("SITREP_TERMINAL_TIMEOUT", "30"))
POLL = 0.02

BRACKETED_PASTE_ON = b"\x1b[?2004h"
PASTE_START = b"\x1b[200~"
PASTE_END = b"\x1b[201~"


def sitrep_executable() -> str:
    """The ``sitrep`` console script installed beside this Python (the venv's ``bin``)."""
    beside = Path(sys.executable).with_name("sitrep")
    if beside.exists():
        return str(beside)
    found = shutil.which("sitrep")
    if found is None:
        raise RuntimeError("the sitrep executable is not installed (pip install -e '.[test]')")
    return found


class _Screen(pyte.Screen):
    """A pyte screen that answers the terminal's reports (device attributes, cursor position)
    on the pty, as a real terminal does."""

    def __init__(self, columns: int, lines: int, reply: Callable[[bytes], None]) -> None:
        super().__init__(columns, lines)
        self._reply = reply

    def write_process_input(self, data: str) -> None:
        """Send a report back to the app."""
        self._reply(data.encode())


class TerminalTimeout(AssertionError):
    """A condition was not met in time; the message holds the screen as it was."""


class Terminal:
    """One process on a pty of ``columns`` x ``lines``, with its screen as a terminal shows it."""

    def __init__(
        self,
        argv: list[str],
        *,
        columns: int = 80,
        lines: int = 24,
        env: Mapping[str, str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
    ) -> None:
        self.argv = argv
        self._lock = threading.Lock()
        self._raw = bytearray()
        self._changed = 0  # bumped on every chunk read; lets waits see "nothing new"
        self._last_read = time.monotonic()
        self.screen = _Screen(columns, lines, self._reply)
        self.stream = pyte.ByteStream(self.screen)
        self.proc = ptyprocess.PtyProcess.spawn(
            argv, env=dict(env) if env is not None else None, cwd=str(cwd) if cwd else None,
            dimensions=(lines, columns), echo=False,
        )
        self._eof = threading.Event()
        self._closing = threading.Event()
        self._reader = threading.Thread(target=self._drain, name="pty-reader", daemon=True)
        self._reader.start()

    # ------------------------------------------------------------------ reading
    def _drain(self) -> None:
        # Wait in select, never in a blocking read: a read in progress holds the pty's master
        # open, so closing it from another thread (hang_up) would not hang up the line until
        # the app wrote again — and an idle app writes nothing: no SIGHUP, ever.
        fd = self.proc.fd
        while not self._closing.is_set():
            try:
                readable, _, _ = select.select([fd], [], [], POLL)
                if not readable:
                    continue
                chunk = os.read(fd, 65536)
            except (OSError, ValueError):  # EIO: the child closed its side (exited)
                break
            if not chunk:
                break
            with self._lock:
                self._raw.extend(chunk)
                self.stream.feed(chunk)
                self._changed += 1
                self._last_read = time.monotonic()
        self._eof.set()

    def _reply(self, data: bytes) -> None:
        with contextlib.suppress(OSError):
            os.write(self.proc.fd, data)

    @property
    def raw(self) -> bytes:
        """Every byte the app has written to the terminal so far."""
        with self._lock:
            return bytes(self._raw)

    def raw_since(self, mark: int) -> bytes:
        """The bytes written after ``mark`` (a length of :attr:`raw` taken earlier)."""
        with self._lock:
            return bytes(self._raw[mark:])

    @property
    def size(self) -> tuple[int, int]:
        """(columns, lines) of the emulated screen."""
        return self.screen.columns, self.screen.lines

    def lines(self) -> list[str]:
        """The screen as text, one string a row, trailing blanks removed."""
        with self._lock:
            return [row.rstrip() for row in self.screen.display]

    def text(self) -> str:
        """The screen as one string (rows joined by newlines)."""
        return "\n".join(self.lines())

    def cursor(self) -> tuple[int, int]:
        """(x, y) of the terminal's cursor."""
        with self._lock:
            return self.screen.cursor.x, self.screen.cursor.y

    # ------------------------------------------------------------------ waiting
    def wait_for(
        self,
        condition: str | re.Pattern[str] | Callable[[list[str]], object],
        timeout: float = TIMEOUT,
        *,
        what: str | None = None,
    ) -> object:
        """Wait until the screen shows ``condition`` (text, regex, or a predicate on the lines);
        return the predicate's value (or the matching text). Fails with the screen shown."""
        check = _as_predicate(condition)
        deadline = time.monotonic() + timeout
        while True:
            lines = self.lines()
            found = check(lines)
            if found:
                return found
            if time.monotonic() > deadline:
                raise TerminalTimeout(
                    f"waited {timeout:.0f}s for {what or condition!r}; the screen:\n"
                    + "\n".join(f"|{row}" for row in lines)
                )
            if self._eof.is_set() and not self.alive():
                # one last look: the final frame may hold it
                found = check(self.lines())
                if found:
                    return found
                raise TerminalTimeout(
                    f"the process exited ({self.exit_status()}) while waiting for "
                    f"{what or condition!r}; the screen:\n"
                    + "\n".join(f"|{row}" for row in lines)
                )
            time.sleep(POLL)

    def wait_gone(self, text: str, timeout: float = TIMEOUT) -> None:
        """Wait until ``text`` is nowhere on the screen."""
        self.wait_for(lambda lines: not any(text in row for row in lines), timeout,
                      what=f"{text!r} to go")

    def wait_raw(self, data: bytes, *, after: int = 0, timeout: float = TIMEOUT) -> None:
        """Wait until the app has written ``data`` (after byte offset ``after``)."""
        deadline = time.monotonic() + timeout
        while data not in self.raw_since(after):
            if time.monotonic() > deadline:
                raise TerminalTimeout(f"waited {timeout:.0f}s for {data!r} in the output")
            if self._eof.is_set():
                if data in self.raw_since(after):
                    return
                raise TerminalTimeout(f"the process exited before writing {data!r}")
            time.sleep(POLL)

    def settle(self, quiet: float = 0.5, timeout: float = TIMEOUT,
               after: int | None = None) -> list[str]:
        """Wait until the app has written nothing for ``quiet`` seconds (counted from this
        call at the earliest) and, with ``after`` (a :attr:`raw` length), has written
        something since then; return the screen. For reading a whole screen (a frame may be
        drawn in several writes); to compare with an expected screen, prefer
        ``wait_for(lambda lines: lines == expected)``."""
        called = time.monotonic()
        deadline = called + timeout
        while True:
            with self._lock:
                idle = time.monotonic() - max(self._last_read, called)
                fresh = after is None or len(self._raw) > after
            if idle >= quiet and fresh:
                return self.lines()
            if time.monotonic() > deadline:
                raise TerminalTimeout(f"the app kept drawing for {timeout:.0f}s")
            time.sleep(POLL)

    # ------------------------------------------------------------------ typing
    def write(self, data: str | bytes) -> None:
        """Send bytes as one burst: one ``write`` on the pty (retried only if the kernel took
        part of it), so the app reads them together as from a paste or a fast link."""
        buf = data.encode() if isinstance(data, str) else data
        while buf:
            n = os.write(self.proc.fd, buf)
            buf = buf[n:]

    def type(self, text: str, delay: float) -> None:
        """Send ``text`` one character at a time, ``delay`` seconds apart (a typist)."""
        for ch in text:
            self.write(ch)
            time.sleep(delay)

    def paste(self, text: str) -> None:
        """Send ``text`` as a bracketed paste (the app must have enabled the mode)."""
        self.write(PASTE_START + text.encode() + PASTE_END)

    def press(self, *keys: str) -> None:
        """Send named keys, each as its own write (``esc``, ``enter``, ``tab``, ``ctrl+u`` …)."""
        for key in keys:
            self.write(KEYS.get(key, key))

    # ------------------------------------------------------------------ the terminal itself
    def resize(self, columns: int, lines: int) -> int:
        """Resize the pty and the emulated screen together; returns the :attr:`raw` length
        before it (for :meth:`settle`).

        TIOCSWINSZ on the pty makes the kernel send SIGWINCH to the app's foreground group,
        exactly once, as a terminal emulator's resize does. No second SIGWINCH is sent: a
        duplicate would hide an app that lays out for the size before the latest one."""
        with self._lock:
            mark = len(self._raw)
            self.screen.resize(lines, columns)
            self.proc.setwinsize(lines, columns)
        return mark

    def signal(self, sig: int) -> None:
        """Send ``sig`` to the app."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.proc.pid, sig)

    def hang_up(self) -> None:
        """Close our side of the pty: the kernel hangs up the line and sends SIGHUP, as when
        an ssh link drops. Nothing more can be read or written after this."""
        self._closing.set()
        self._reader.join(timeout=5)  # out of select first (see _drain), then the close
        with contextlib.suppress(OSError):
            os.close(self.proc.fd)

    def alive(self) -> bool:
        """Whether the app is still running."""
        return self.proc.isalive()

    def wait_exit(self, timeout: float = TIMEOUT) -> int:
        """Wait for the app to exit; its exit status (negative for a signal's death)."""
        deadline = time.monotonic() + timeout
        while self.proc.isalive():
            if time.monotonic() > deadline:
                raise TerminalTimeout(
                    f"the app did not exit within {timeout:.0f}s; the screen:\n" + self.text())
            time.sleep(POLL)
        self._reader.join(timeout=5)
        return self.exit_status()

    def exit_status(self) -> int | None:
        """The exit code, ``-N`` if killed by signal N, None while running."""
        if self.proc.isalive():
            return None
        if self.proc.signalstatus is not None:
            return -int(self.proc.signalstatus)
        return self.proc.exitstatus

    def kill(self) -> None:
        """Kill the app and everything it started (its process group), and close the pty."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self._closing.set()
        # teardown must not fail on a child that is already gone
        with contextlib.suppress(Exception):
            self.proc.terminate(force=True)
        with contextlib.suppress(Exception):
            self.proc.close(force=True)
        self._reader.join(timeout=5)


KEYS: dict[str, str] = {
    "esc": "\x1b",
    "enter": "\r",
    "tab": "\t",
    "shift+tab": "\x1b[Z",
    "backspace": "\x7f",
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "home": "\x1b[H",
    "end": "\x1b[F",
    "space": " ",
    **{f"ctrl+{c}": chr(ord(c) - 96) for c in "abcdefghklnopqrstuvwxyz"},
}


def _as_predicate(
    condition: str | re.Pattern[str] | Callable[[list[str]], object],
) -> Callable[[list[str]], object]:
    if isinstance(condition, str):
        return lambda lines: condition if any(condition in row for row in lines) else None
    if isinstance(condition, re.Pattern):
        def search(lines: list[str]) -> object:
            for row in lines:
                m = condition.search(row)
                if m:
                    return m
            return None
        return search
    return condition


def terminal_env(home: Path, extra: Mapping[str, str] | None = None,
                 drop: Iterable[str] = ()) -> dict[str, str]:
    """A clean environment for the app: its own HOME and XDG folders (no user keymap), UTF-8,
    ``TERM=xterm-256color``, a fixed analyst; ``extra`` overrides, ``drop`` removes."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "xterm-256color",
        "SITREP_ANALYST": "tester",
        "EDITOR": "false",
    }
    env.update(extra or {})
    for name in drop:
        env.pop(name, None)
    return env


def toast_text(lines: list[str]) -> str:
    """The words of the notifications (Textual's toasts) on screen, single-spaced: a toast's
    rows start with ``▌`` and may wrap its message over several rows."""
    # a pane's scrollbar may stand at the right edge of the row, beside the toast
    parts = [row.rsplit("▌", 1)[1].rstrip(" ▁▂▃▄▅▆▇█") for row in lines if "▌" in row]
    return re.sub(r"\s+", " ", " ".join(parts)).strip()
