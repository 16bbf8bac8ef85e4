"""What every CLI command is handed: the parsed arguments' DB path and who is acting."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sitrep.cli import output as out
from sitrep.errors import MissingFileError
from sitrep.gc_pause import keep_loaded
from sitrep.paths import default_analyst
from sitrep.store import Store

Handler = Callable[[argparse.Namespace, "Context"], int]


@dataclass
class Context:
    """What every command needs: where the DB is (``--db``) and who is acting (``--by``)."""

    db_path: Path
    analyst: str = field(default_factory=default_analyst)
    db_given: bool = False  # --db named the file (demo then works there, not in a temp folder)
    stores: list[Store] = field(default_factory=list)

    def check_folder(self) -> None:
        """Raise MissingFileError when the DB's folder does not exist: a typo in ``--db``
        must not read as an empty DB, nor leave a lock file behind."""
        folder = self.db_path.parent
        if not folder.is_dir():
            what = "is not a folder" if folder.exists() else "does not exist"
            raise MissingFileError(self.db_path, f"the folder {folder} {what}")

    def read_store(self) -> Store:
        """Open the DB to read it. A missing file in an existing folder is an empty DB ("no
        DB yet", said on stderr); raises DataFileError when the file cannot be read. What it
        loaded lives as long as the command, so it is kept out of the collector's walks."""
        self.check_folder()
        if not self.db_path.exists():
            out.line(f"sitrep: no DB yet at {self.db_path} (it is created by the first change)",
                     err=True)
        return self._open()

    def write_store(self) -> Store:
        """Open the DB to change it; a missing file in an existing folder is created by the
        first change."""
        self.check_folder()
        return self._open()

    def _open(self) -> Store:
        store = Store.open(self.db_path)
        keep_loaded()
        self.stores.append(store)
        return store

    def require_file(self) -> None:
        """Raise MissingFileError unless the DB file exists (validate, export)."""
        self.check_folder()
        if not self.db_path.exists():
            raise MissingFileError(self.db_path, "no such file")
    def notices(self) -> list[str]:
        """What the stores opened for the command merged back behind the analyst's back (an
        editor's stale save), one line each, for stderr."""
        return [f"{notice.path}: {notice}" for store in self.stores
                for notice in store.take_stale_saves()]
