"""Every export format by name, and the report in either layout; each module is imported
only when its format is asked for (``stix2`` takes a quarter of a second to import; nothing
here slows ``sitrep`` start-up).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from sitrep.gc_pause import gc_paused
from sitrep.reports.view import View

# name -> (module, function, media type)
FORMATS: dict[str, tuple[str, str, str]] = {
    "feed": ("feed_export", "export_feed", "application/json"),
    "csv": ("csv_export", "export_csv", "text/csv; charset=utf-8; header=present"),
    "geojson": ("geojson_export", "export_geojson", "application/geo+json"),
    "kml": ("kml_export", "export_kml", "application/vnd.google-earth.kml+xml"),
    "stix": ("stix_export", "export_stix", "application/stix+json;version=2.1"),
    "misp": ("misp_export", "export_misp", "application/json"),
}


@dataclass(frozen=True)
class Output:
    """An export's bytes, its media type and the one line to say what it holds."""

    data: bytes
    media_type: str
    summary: str


def export(name: str, view: View, /, **options: Any) -> Output:
    """The view in format ``name``; ``options`` go to that format (e.g. ``table`` for CSV).

    Raises ValueError for an unknown format, SitrepError when a format's library (the
    ``exports`` extra) is missing or the data cannot be written in it.
    """
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r} (choose from {', '.join(FORMATS)})")
    module_name, function, media_type = FORMATS[name]
    module = importlib.import_module(f"sitrep.reports.{module_name}")
    with gc_paused():  # many small acyclic objects: collections would only walk them
        data = getattr(module, function)(view, **options)
        return Output(data, media_type, module.summary(view, **options))


def render_report(view: View, *, format: str = "text", since: str | None = None,
                  stale_days: int | None = None) -> str:
    """The SITREP of ``view`` as ``text`` (80 columns) or ``markdown``; ``since`` (a stored
    date) bounds the period of changes, ``stale_days`` when an unverified claim is stale."""
    from sitrep.reports import report

    if format not in report.FORMATS:
        raise ValueError(f"unknown report format {format!r} "
                         f"(choose from {', '.join(report.FORMATS)})")
    days = report.STALE_DAYS if stale_days is None else stale_days
    with gc_paused():  # many small acyclic objects: collections would only walk them
        sitrep = report.build(view, since=since, stale_days=days)
        if format == "markdown":
            from sitrep.reports.report_markdown import render_markdown

            return render_markdown(sitrep)
        from sitrep.reports.report_text import render_text

        return render_text(sitrep)
