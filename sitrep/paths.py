"""Where things live: the DB file, the sample data, the user's config."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import platformdirs

APP_NAME = "sitrep"


def default_db_path() -> Path:
    """The DB used when neither ``--db`` nor ``$SITREP_DB`` is given.

    ``$XDG_DATA_HOME/sitrep/sitrep.json`` on Linux (``~/.local/share/sitrep/sitrep.json``),
    the platform's user data folder elsewhere.
    """
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "sitrep.json"


def resolve_db_path(explicit: str | os.PathLike[str] | None) -> Path:
    """``--db`` if given, else ``$SITREP_DB``, else the default location."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("SITREP_DB")
    if env:
        return Path(env).expanduser()
    return default_db_path()


def config_dir() -> Path:
    """The user's sitrep config folder (keymap and other settings)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def sample_data_path() -> Path:
    """The bundled sample DB (the 2022-09-10 report), in a wheel or a source checkout."""
    packaged = Path(__file__).parent / "_sample" / "sitrep.json"
    if packaged.exists():
        return packaged
    return Path(__file__).resolve().parent.parent / "sample_data" / "sitrep.json"


def default_analyst() -> str:
    """Who is making changes: ``$SITREP_ANALYST``, else the login name."""
    name = os.environ.get("SITREP_ANALYST")
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "analyst"
