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
