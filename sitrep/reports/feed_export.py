"""The sitrep feed of a view: the records exactly as stored, for another analyst to import.

The same document as ``sitrep.feeds.native.build_feed`` (which reads a whole store), made
from a view so that ``--filter`` and ``--as-of`` apply. Every field and character is kept;
the ones a terminal would act on are written as JSON ``\\u`` escapes.
"""

from __future__ import annotations

from typing import Any

from sitrep.feeds.native import FORMAT_KEY, FORMAT_VERSION
from sitrep.reports.encoding import json_bytes
from sitrep.reports.view import View


def feed(view: View, *, name: str = "sitrep", since: str | None = None) -> dict[str, Any]:
    """The view as a sitrep feed document; ``name`` is the DB file's name."""
    analyst = view.analyst or "sitrep"
    return {
        FORMAT_KEY: FORMAT_VERSION,
        "id": f"sitrep:{analyst}:{name}",
        "title": f"sitrep export by {analyst}",
        "generated_at": view.generated_at,
        "generated_by": analyst,
        "since": since,
        "sources": list(view.sources),
        "settlements": list(view.settlements),
        "claims": list(view.claims),
    }


def export_feed(view: View, *, name: str = "sitrep", since: str | None = None) -> bytes:
    """The view as sitrep feed bytes (indented UTF-8, trailing newline)."""
    return json_bytes(feed(view, name=name, since=since))


def summary(view: View) -> str:
    """One line: how many records the feed holds."""
    return (f"{len(view.claims)} claims, {len(view.sources)} sources, "
            f"{len(view.settlements)} settlements as a sitrep feed")
