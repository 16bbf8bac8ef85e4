"""The headless CLI (``sitrep = "sitrep.cli:main"``): every command, one output module.

==================  ==================================================================
``app``             the parser, ``main`` and the console-script entry point
``context``         what every command is handed (DB path, analyst)
``dashboard``       no command, and ``demo``: open the dashboard
``database``        ``validate`` and ``restore``: the DB file as a whole
``records``         ``list`` and ``show``
``changes``         ``set-status``, ``grade``, ``control``, ``note``
``feeds``           ``import``, ``feeds add|list|remove|pull``
``exports``         ``report`` and ``export --format feed|csv|geojson|kml|stix|misp``
``output``          tables, records and JSON, every string made safe for the terminal
==================  ==================================================================
"""

from __future__ import annotations

from sitrep.cli.app import build_parser, entry_point, main
from sitrep.cli.context import Context

__all__ = ["Context", "build_parser", "entry_point", "main"]
