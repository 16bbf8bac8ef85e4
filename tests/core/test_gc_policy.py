"""The collector's policy lives in sitrep.gc_pause: the store pauses it while parsing and
leaves it as it found it; freezing what was loaded is the front end's choice."""

from __future__ import annotations

import gc
from pathlib import Path

from sitrep.store import Store


def test_opening_a_store_freezes_nothing_and_restores_the_collector(sample_db: Path) -> None:
    frozen = gc.get_freeze_count()
    assert gc.isenabled()
    store = Store.open(sample_db, journal=True)
    store.set_status("c-hayday-lysychansk-outskirts", "disputed", by="a")
    store.reload()
    store.fold()
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    gc.disable()
    try:
        Store.open(sample_db)
        assert not gc.isenabled()  # a caller that paused it keeps it paused
    finally:
        gc.enable()
