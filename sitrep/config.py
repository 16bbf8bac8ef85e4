"""The user's settings: ``config.toml`` in the sitrep config folder (:func:`paths.config_dir`,
``~/.config/sitrep/`` on Linux, beside ``keymap.toml``)::

    # days an unverified claim may wait before it is stale (default 7)
    stale_days = 14

=============  =========================================================================
``stale_days``  an ``unverified`` claim reported more than this many whole days before
                today (or before the end of the ``--as-of`` date) is *stale*: flagged in
                ``sitrep show`` and matched by the filter term ``stale:yes``. A whole
                number, 0 or more; default :data:`sitrep.analysis.triage.DEFAULT_STALE_DAYS`
                (7: on a moving front a report nobody checked for a week no longer says
                where things stand).
=============  =========================================================================

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


@dataclass(frozen=True, slots=True)
class Settings:
    """What ``config.toml`` sets (each field its documented default when the file is silent)."""

    stale_days: int = DEFAULT_STALE_DAYS


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
    return Settings(stale_days=days)
