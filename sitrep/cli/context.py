"""What every CLI command is handed: the DB path and who is acting."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sitrep.gc_pause import keep_loaded
from sitrep.paths import default_analyst
from sitrep.store import Store

Handler = Callable[[argparse.Namespace, "Context"], int]


@dataclass
class Context:
    """What every command needs: where the DB is and who is acting."""

    db_path: Path
    analyst: str = field(default_factory=default_analyst)

    def open_store(self, *, journal: bool = False) -> Store:
        """Open the DB (raises DataFileError when it cannot be read); what it loaded lives
        as long as the command, so it is kept out of the collector's walks."""
        store = Store.open(self.db_path, journal=journal)
        keep_loaded()
        return store
