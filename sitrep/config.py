"""The user's settings: ``config.toml`` in the sitrep config folder (:func:`paths.config_dir`,
``~/.config/sitrep/`` on Linux, beside ``keymap.toml``)::

    # days an unverified claim may wait before it is stale (default 7)
    stale_days = 14
    # the largest feed sitrep downloads (default "20MB"; local files have no limit)
    max_download_bytes = "50MB"

=============  =========================================================================
``stale_days``  an ``unverified`` claim reported more than this many whole days before
                today (or before the end of the ``--as-of`` date) is *stale*: flagged in
                ``sitrep show`` and matched by the filter term ``stale:yes``. A whole
                number, 0 or more; default :data:`sitrep.analysis.triage.DEFAULT_STALE_DAYS`
                (7: on a moving front a report nobody checked for a week no longer says
                where things stand).
=============  =========================================================================

``max_download_bytes``: the largest feed ``sitrep import URL``, ``sitrep feeds pull`` and the
dashboard's ``i``/``R`` download, counted on the decoded bytes as they stream in: a number of
bytes, or a text with K/KB, M/MB or G/GB (binary units); default
:data:`DEFAULT_MAX_DOWNLOAD_BYTES` (``"20MB"``). ``--max-bytes`` overrides it for one command.
A local file or standard input has no limit (an export of 8,000 claims is 17.7 MB), unless
``--max-bytes`` gives one.

No file means the defaults. Keys this version does not know are left alone (a newer sitrep
may have written them). A file that is not TOML, or a value of the wrong kind, is one
:class:`~sitrep.errors.InvalidValueError` naming the file, the line and column or the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sitrep.analysis.triage import DEFAULT_STALE_DAYS
from sitrep.errors import InvalidValueError
from sitrep.paths import config_dir

CONFIG_NAME = "config.toml"
DEFAULT_MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
_UNITS = {"": 1, "B": 1, "K": 1024, "KB": 1024, "M": 1024**2, "MB": 1024**2, "G": 1024**3,
          "GB": 1024**3}


def parse_size(text: str) -> int:
    """A size in bytes from ``20000000``, ``20MB``, ``512K`` (binary units); ValueError else."""
    raw = text.strip().upper().replace("_", "").replace(" ", "")
    digits = raw.rstrip("KMGB")
    unit = raw[len(digits):]
    if not digits.isdigit() or unit not in _UNITS or int(digits) <= 0:
        raise ValueError(f"not a size: {text!r} (e.g. 20000000 or 20MB)")
    return int(digits) * _UNITS[unit]


@dataclass(frozen=True, slots=True)
class Settings:
    """What ``config.toml`` sets (each field its documented default when the file is silent)."""

    stale_days: int = DEFAULT_STALE_DAYS
    max_download_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES


def config_path(folder: Path | None = None) -> Path:
    """Where ``config.toml`` is read from: ``folder``, else the user's config folder."""
    return (folder if folder is not None else config_dir()) / CONFIG_NAME


def load_settings(folder: Path | None = None) -> Settings:
    """The settings in ``config.toml`` (the defaults without the file); InvalidValueError
    for a file that cannot be read as TOML or a setting of the wrong kind."""
    path = config_path(folder)
    if not path.is_file():
        return Settings()
    import tomllib  # only when there is a file: every reading command calls this

    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidValueError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:  # its message ends "(at line L, column C)"
        raise InvalidValueError(f"{path}: not TOML: {exc}") from None
    days = data.get("stale_days", DEFAULT_STALE_DAYS)
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise InvalidValueError(
            f"{path}: stale_days must be a whole number of days, 0 or more (got {days!r})")
    size = data.get("max_download_bytes", DEFAULT_MAX_DOWNLOAD_BYTES)
    try:
        if isinstance(size, bool) or not isinstance(size, int | str):
            raise ValueError(size)
        cap = parse_size(size) if isinstance(size, str) else size
        if cap <= 0:
            raise ValueError(size)
    except ValueError:
        raise InvalidValueError(
            f"{path}: max_download_bytes must be a size such as 20000000 or \"20MB\""
            f" (got {size!r})") from None
    return Settings(stale_days=days, max_download_bytes=cap)
