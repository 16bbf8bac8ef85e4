"""The process's policy for Python's cyclic garbage collector, in one place.

A loaded DB is millions of dicts, lists and strings and no reference cycle: the collector can
free none of them, yet every collection that runs while they are young walks them all. So

* work that makes many acyclic objects runs with the collector paused (:func:`gc_paused`:
  the store's parse of a file, a feed's merge, the duplicate-key scan);
* a front end that keeps what it loaded for the life of its process moves it out of the
  collector's generations once loaded (:func:`keep_loaded`). That is the front end's choice,
  not the store's: a script that opens a Store and drops it keeps a normal collector.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic collector: a parse or a batch of records makes thousands to millions
    of objects and no cycle, and collections triggered meanwhile only walk them (a third of the
    time of a whole-file parse at 100k claims)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def keep_loaded() -> None:
    """Keep every object alive now out of later collections (``gc.freeze``): called by a front
    end right after it loaded the DB it keeps, it spares the next collections a walk over ~3
    million objects at 100k claims (0.3 s each; in the dashboard, a pause inside a keystroke)."""
    gc.freeze()


class FirstFramePause:
    """The dashboard's start: the collector off from building the first view model until its
    frame is drawn, then what is alive frozen.

    A collection while the model's 100k-entry lists are young reads every record they point
    to (at 100k claims, 30 ms of gen-0 and 15 ms of gen-1 collections inside the first frame).
    Once the frame is drawn, what is alive is frozen, so no later full collection walks those
    lists again in the middle of a keystroke (35 ms at 100k). An app that froze a clean slate
    unfreezes it when it closes (a test process runs many apps).
    """

    def __init__(self) -> None:
        self._paused = False
        self._unfreeze = False

    def begin(self) -> None:
        """Pause the collector (if it is on) until :meth:`first_frame_drawn`."""
        self._paused = gc.isenabled()
        gc.disable()

    def first_frame_drawn(self) -> None:
        """Freeze what is alive and turn the collector back on."""
        if self._paused:
            self._unfreeze = gc.get_freeze_count() == 0
            gc.freeze()
        self.resume()

    def resume(self) -> None:
        """Turn the collector back on if :meth:`begin` turned it off (once)."""
        if self._paused:
            self._paused = False
            gc.enable()

    def close(self) -> None:
        """The app closes: the collector on, and what it froze unfrozen."""
        self.resume()
        if self._unfreeze:
            self._unfreeze = False
            gc.unfreeze()
