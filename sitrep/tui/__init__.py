"""The dashboard (Textual). The only package in sitrep that imports Textual."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sitrep.errors import DataFileError
from sitrep.gc_pause import keep_loaded


def run_dashboard(db_path: Path, *, analyst: str | None = None, mouse: bool = False,
                  low_bandwidth: bool = False, diff: bool = True) -> int:
    """Open the DB in journal mode and run the dashboard until the analyst quits.

    Changes are made as ``analyst`` (the CLI's ``--by``; default $SITREP_ANALYST, else the
    login name). ``mouse`` turns mouse reporting on (off: over SSH every motion would go up
    the link and a repaint come back); ``low_bandwidth`` forces 16 colours and updates the
    detail pane only once a held key stops repeating; ``diff`` sends only the cells that
    changed (:mod:`sitrep.tui.driver`), off for frames written in full as Textual writes them.
    """
    if low_bandwidth:
        # Textual reads it once, when it is first imported: nothing has imported it yet
        os.environ["TEXTUAL_COLOR_SYSTEM"] = "standard"
    from sitrep.store import Store
    from sitrep.tui.app import SitrepApp
    from sitrep.tui.driver import DiffingDriver

    try:
        store = Store.open(db_path, journal=True)  # parsed with the collector paused
    except DataFileError as exc:
        print(f"sitrep: {exc}", file=sys.stderr)
        return exc.exit_code
    keep_loaded()  # keep the loaded records out of later collections (no pauses while typing)
    app = SitrepApp(store, analyst=analyst, driver_class=DiffingDriver if diff else None,
                    low_bandwidth=low_bandwidth)
    result = app.run(mouse=mouse)
    return int(result or 0)
