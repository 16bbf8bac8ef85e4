"""Measure every report and export format against its floor (issue 14).

    .venv/bin/python benchmarks/bench_exports.py                       # 1k, 10k, 100k claims
    .venv/bin/python benchmarks/bench_exports.py --sizes 1000 10000 --formats csv stix --json

Synthetic DBs from ``benchmarks/generate.py`` (about 300 settlements with coordinates and 1-3
control observations, 50 sources, N claims with history) are read into a ``View`` of all
records, as the CLI makes it. Each format is timed from the view to its bytes (the report:
to its text). Floor: serialising the same records with orjson (``orjson.dumps`` of the
claims, sources and settlements). Aim: ≤ 3× the floor for CSV, GeoJSON and the feed; the
others are reported (STIX is bound by the stix2 library, which checks every object).

Timings are the best of ``--repeat`` runs (one run at 100k and above).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402
from sitrep.reports.formats import export  # noqa: E402
from sitrep.reports.formats import render_report as render  # noqa: E402
from sitrep.reports.view import View  # noqa: E402

AIM = {"csv": 3.0, "geojson": 3.0, "feed": 3.0}
FORMATS = ("feed", "csv", "geojson", "kml", "misp", "stix", "report-text", "report-markdown")


def best_time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best wall time of ``fn`` over ``repeat`` runs, and its last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def view_of(doc: dict[str, Any]) -> View:
    """A fresh view (no lookups built yet) of a generated document's records."""
    return View(settlements=list(doc["settlements"].values()),
                sources=list(doc["sources"].values()),
                claims=list(doc["claims"].values()),
                generated_at="2026-12-01T00:00:00Z", analyst="bench")


def run_format(name: str, doc: dict[str, Any]) -> int:
    """Make format ``name`` from a fresh view; returns the size in bytes."""
    view = view_of(doc)
    if name.startswith("report-"):
        return len(render(view, format=name.removeprefix("report-")).encode())
    return len(export(name, view).data)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="figures as JSON")
    args = parser.parse_args(argv)
    figures = []
    for size in args.sizes:
        doc = generate(size, seed=14)
        repeat = 1 if size >= 100_000 else args.repeat
        records = [*doc["claims"].values(), *doc["sources"].values(),
                   *doc["settlements"].values()]
        floor, _ = best_time(lambda records=records: orjson.dumps(records), repeat)
        for name in args.formats:
            seconds, size_bytes = best_time(lambda name=name, doc=doc: run_format(name, doc),
                                            repeat)
            figures.append({"claims": size, "format": name, "seconds": round(seconds, 4),
                            "floor": round(floor, 4), "ratio": round(seconds / floor, 1),
                            "aim": AIM.get(name), "bytes": size_bytes})
            if not args.json:
                row = figures[-1]
                aim = f"≤ {row['aim']:.0f}×" if row["aim"] else "report"
                print(f"{size:>7} {name:<16} {seconds:8.3f} s  floor {floor:7.3f} s  "
                      f"{row['ratio']:6.1f}×  ({aim})  {size_bytes / 1e6:7.1f} MB", flush=True)
    if args.json:
        print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
