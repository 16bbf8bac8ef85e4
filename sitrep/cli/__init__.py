"""The headless CLI (``sitrep = "sitrep.cli:main"``): every command, one output module.

==================  ==================================================================
``app``             the parser, every command, ``main`` and the entry point
``feeds``           ``import``, ``export --format feed``, ``feeds add|list|remove|pull``
``output``          tables, records and JSON, every string made safe for the terminal
==================  ==================================================================
"""

from __future__ import annotations

from sitrep.cli.app import Context, build_parser, entry_point, main

__all__ = ["Context", "build_parser", "entry_point", "main"]
