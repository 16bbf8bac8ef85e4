"""``python -m sitrep.cli`` runs the CLI, like ``python -m sitrep``."""

from sitrep.cli.app import entry_point

entry_point()
