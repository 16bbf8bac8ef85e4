"""``SitrepStorage``: a TinyDB ``Storage`` with sitrep's guarantees, for scripts.

``TinyDB(path, storage=SitrepStorage)`` reads the file the way the store does (no handle held,
tables and records given twice refused) and writes it atomically under the lock in sitrep's
layout, refusing to overwrite a file changed since it was read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from sitrep.errors import ConflictError, DataFileError
from sitrep.store.backups import Backups
from sitrep.store.document import Document, dump_document, read_document
from sitrep.store.files import FileStamp, atomic_write, file_stamp, locked


class SitrepStorage(Storage):
    """A TinyDB Storage with sitrep's guarantees, for scripts that use TinyDB directly."""

    def __init__(self, path: str | Path, create_dirs: bool = False, **_: Any) -> None:
        super().__init__()
        self.path = Path(path)
        if create_dirs:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._stamp: FileStamp | None = None
        self._backups = Backups(self.path)

    def read(self) -> Document | None:
        """Read the whole document (None for a missing or empty file, as TinyDB expects)."""
        try:
            data, self._stamp = read_document(self.path)
        except DataFileError as exc:
            raise self._backups.name_in(exc) from None
        return data or None

    def write(self, data: Document) -> None:
        """Write the whole document atomically, unless someone changed the file meanwhile."""
        with locked(self.path):
            if file_stamp(self.path) != self._stamp:
                raise ConflictError(
                    f"{self.path}: changed on disk since it was read; read it again first"
                )
            self._stamp = atomic_write(self.path, dump_document(data),
                                       before_replace=self._backups.rotate)

    def close(self) -> None:
        """Nothing to close: no handle is kept open."""
