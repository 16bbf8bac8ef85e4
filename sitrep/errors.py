"""sitrep's exceptions: one small hierarchy for every error a user can cause or meet.

Each exception's ``str()`` is one readable line meant for a person: it names the file, the
record, the field and the line:column where they are known. The CLI prints it and exits, the
dashboard shows it in a banner; neither ever shows a traceback for these.

::

    SitrepError                 base; exit code 1 in the CLI
    ├── DataFileError           the DB file cannot be read or parsed (exit code 65)
    │   └── MissingFileError    the DB's folder, or a file that must exist, is not there (66)
    ├── NotFoundError           an id names no record
    ├── InvalidValueError       a status, grade, date or field value is not allowed
    ├── ConflictError           a change cannot be applied on top of what is now on disk
    ├── WriteError              the disk refused a write (exit code 73); the change is kept
    │   │                       pending and nothing on disk was harmed
    │   └── LockTimeoutError    another live process held the lock too long (exit code 75)
    └── FeedError               a feed could not be fetched or is not a feed at all

Exit codes follow BSD ``sysexits.h`` where one fits (65 ``EX_DATAERR``, 66 ``EX_NOINPUT``,
73 ``EX_CANTCREAT``, 75 ``EX_TEMPFAIL``: try again later); 2 stays argparse's usage error,
and 1 is "refused, or problems found". The README's table of exit codes lists them all.
"""

from __future__ import annotations

from pathlib import Path


class SitrepError(Exception):
    """Base class: a problem a user can understand and act on."""

    exit_code = 1


class DataFileError(SitrepError):
    """The DB file (or the journal beside it) cannot be read or is not valid JSON."""

    exit_code = 65

    def __init__(
        self,
        path: Path | str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        backup: Path | str | None = None,
    ) -> None:
        self.path = Path(path)
        self.message = message
        self.line = line
        self.column = column
        self.backup = Path(backup) if backup else None
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.message}"
        if self.backup is not None:
            text += f" (newest good backup: {self.backup}; see 'sitrep restore')"
        return text


class MissingFileError(DataFileError):
    """The DB's folder does not exist, or a command that needs the file found none."""

    exit_code = 66


class NotFoundError(SitrepError):
    """An id that names no record."""


class InvalidValueError(SitrepError):
    """A value that the model does not allow (status, grade, date, controller, field type).

    ``field`` names the offending field of a record (``status``, ``evidence[1].kind``) when
    there is one, so that a message about a file can add the line:column of its value."""

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ConflictError(SitrepError):
    """A change that no longer applies to the file as it now is on disk."""


class WriteError(SitrepError):
    """The file could not be written (read-only, disk full, lock held); nothing was harmed."""

    exit_code = 73


class LockTimeoutError(WriteError):
    """Another live process held the DB's lock for longer than the lock timeout."""

    exit_code = 75


class FeedError(SitrepError):
    """A feed that cannot be fetched, or whose content is not a feed sitrep can read."""
