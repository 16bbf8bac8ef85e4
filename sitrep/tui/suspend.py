"""Hand the terminal to another program (``$EDITOR``, ``$PAGER``) and take it back.

One path for every such program: the command is looked up before the dashboard suspends, the
program runs with the terminal to itself, and whatever happens (not installed, cannot start,
a non-zero exit) the dashboard comes back with one message naming the program and the variable
that chose it.
"""

from __future__ import annotations

import shlex
import shutil
import signal
import subprocess
from collections.abc import Sequence
from typing import Protocol

from textual.app import SuspendNotSupported

from sitrep.tui.app_calls import AppCalls


class Suspending(AppCalls, Protocol):
    """An app that can give the terminal away (``suspend``) and take it back (a Textual
    App)."""


def run_suspended(app: Suspending, command: str, args: Sequence[str], *, role: str,
                  variables: str) -> int | None:
    """Suspend ``app``, run ``command`` (split as a shell would) with ``args``, resume: the
    program's exit status, or None (with one error notification) when it cannot start.

    ``role`` names the program in messages (``editor``), ``variables`` what chooses it
    (``$VISUAL or $EDITOR``). Nothing may raise inside the suspended block: Textual's
    ``suspend()`` resumes the app only when its block ends normally, so an exception there left
    a blank screen reading keys in cooked mode. While the program runs, SIGINT and SIGQUIT are
    its own, as git does it.
    """
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        _cannot_run(app, role, command, str(exc), variables)
        return None
    if not argv or shutil.which(argv[0]) is None:
        _cannot_run(app, role, argv[0] if argv else command, "not found", variables)
        return None
    try:
        with app.suspend():
            outcome = _run_in_foreground([*argv, *args])
    except SuspendNotSupported as exc:
        outcome = f"cannot suspend the dashboard ({exc})"
    if isinstance(outcome, str):
        _cannot_run(app, role, argv[0], outcome, variables)
        return None
    return outcome


def _cannot_run(app: Suspending, role: str, name: str, why: str, variables: str) -> None:
    app.notify(f"cannot run {role} {name!r}: {why}; set {variables}", severity="error",
               markup=False, timeout=10)


def _run_in_foreground(argv: list[str]) -> int | str:
    """Run the program with the terminal to itself: its exit status, or why it could not
    start. Never raises (it runs inside ``App.suspend()``)."""
    try:
        child = subprocess.Popen(argv)
    except OSError as exc:
        return exc.strerror or str(exc)
    # ctrl+c or ctrl+\ in the program are the program's: ignored here until it exits
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT,
                                                                    signal.SIGQUIT)}
    try:
        return child.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
