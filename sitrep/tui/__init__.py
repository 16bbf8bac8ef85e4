"""The dashboard (Textual). The only package in sitrep that imports Textual."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from sitrep.errors import DataFileError


def run_dashboard(db_path: Path) -> int:
    """Open the DB in journal mode and run the dashboard until the analyst quits."""
    from sitrep.store import Store
    from sitrep.tui.app import SitrepApp

    gc.disable()  # a large file parses 3-4x faster without the cyclic GC scanning every dict
    try:
        store = Store.open(db_path, journal=True)
    except DataFileError as exc:
        print(f"sitrep: {exc}", file=sys.stderr)
        return exc.exit_code
    finally:
        gc.enable()
    gc.freeze()  # keep the loaded records out of later collections (no pauses while typing)
    app = SitrepApp(store)
    result = app.run()
    return int(result or 0)
