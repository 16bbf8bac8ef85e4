"""The sitrep feed of a view: the records exactly as stored, for another analyst to import.

The document is ``sitrep.feeds.native.build_feed``'s, read from the view rather than a whole
store, so that a filter and an as-of date apply; ``since`` keeps its meaning there (claims
reported or changed since, with the sources and settlements they refer to). Every field and
character is kept; the ones a terminal would act on are written as JSON ``\\u`` escapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep import dates
from sitrep.feeds.native import build_feed
from sitrep.models import Record
from sitrep.reports.encoding import json_bytes
from sitrep.reports.view import View


@dataclass(frozen=True)
class _Records:
    """The view as ``build_feed`` reads a store."""

    view: View
    path: Path

    def claims(self) -> list[Record]:
        return list(self.view.claims)

    def sources(self) -> list[Record]:
        return list(self.view.sources)

    def settlements(self) -> list[Record]:
        return list(self.view.settlements)


def feed(view: View, *, name: str = "sitrep", since: str | None = None) -> dict[str, Any]:
    """The view as a sitrep feed document; ``name`` is the DB file's name."""
    now = dates.parse(view.generated_at).start if view.generated_at else None
    return build_feed(_Records(view, Path(name)), analyst=view.analyst or "sitrep",
                      since=since, now=now)


def export_feed(view: View, *, name: str = "sitrep", since: str | None = None) -> bytes:
    """The view as sitrep feed bytes (indented UTF-8, trailing newline)."""
    return json_bytes(feed(view, name=name, since=since))


def summary(view: View, *, name: str = "sitrep", since: str | None = None) -> str:
    """One line: how many records the feed holds."""
    doc = feed(view, name=name, since=since) if since else None
    counts = {t: len(doc[t]) if doc else len(getattr(view, t))
              for t in ("claims", "sources", "settlements")}
    return ", ".join(f"{n} {t}" for t, n in counts.items()) + " as a sitrep feed"
