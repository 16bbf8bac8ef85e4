"""The dashboard (Textual). The only package in sitrep that imports Textual."""

from __future__ import annotations

import sys
from pathlib import Path

from sitrep.errors import DataFileError
from sitrep.gc_pause import keep_loaded


def run_dashboard(db_path: Path) -> int:
    """Open the DB in journal mode and run the dashboard until the analyst quits."""
    from sitrep.store import Store
    from sitrep.tui.app import SitrepApp

    try:
        store = Store.open(db_path, journal=True)  # parsed with the collector paused
    except DataFileError as exc:
        print(f"sitrep: {exc}", file=sys.stderr)
        return exc.exit_code
    keep_loaded()  # keep the loaded records out of later collections (no pauses while typing)
    app = SitrepApp(store)
    result = app.run()
    return int(result or 0)
