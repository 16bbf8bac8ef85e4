"""Measure the situation picture (sitrep.analysis) beside the open floor.

    .venv/bin/python benchmarks/bench_analysis.py                  # N = 1k, 10k, 100k
    .venv/bin/python benchmarks/bench_analysis.py --sizes 100000 --json

For each N the synthetic DB of ``benchmarks/generate.py`` (shared with ``bench_store.py`` in
``--data-dir``) is measured in a fresh subprocess. The floor is ``Store.open`` of the same file:
everything here runs on records already in memory, so a figure far below the open is one the
dashboard can pay on every switch of date. Figures (medians of ``--reps``):

* as-of view, build: ``AsOfView(claims, sources, settlements)`` — one pass over every history,
  paid once per model build;
* as-of view, switch: ``view.at(D)`` for dates across the file's span (the dashboard's ``@``
  and ``<``/``>``); the aim is <= 100 ms at 100k;
* as-of view, one call: ``picture_as_of(...)`` (build + switch, what ``--as-of`` in the CLI pays);
* dashboard, layout (once): ``sitrep.tui.as_of.layout_of(view)`` — the model of the view's
  records and the date-independent columns every past model is cut from, paid on the first
  switch after the records changed;
* dashboard, switch date: ``sitrep.tui.as_of.model_as_of`` with that layout — the view model
  of the picture, keeping the filter, collapsed groups and sort (what ``@``, ``<`` ``>`` cost in the
  dashboard's worker before the panes show the date); the aim is <= 100 ms at 100k. Beside it
  the view model of now (``model.build_model`` + ``carry_over``: a layout pass) and the
  model of a date laid out from its picture's claims (no layout: what a switch cost before);
* analysis of every claim: ``analyse(claims, stale)`` (root origins, loops, links, suggestions),
  with ``stale_ids`` beside it;
* triage queue (impact order), disputed settlements and track records of every source.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_store import ensure_db  # noqa: E402

AIM_SWITCH_S = 0.100
# Across the generated span (2022-02-24 + 900 days): before it, early, middle, late, after.
DATES = ["2022-01-01", "2022-06", "2023-06-15", "2024-03-01T12:00:00Z", "2025"]


def _timed(fn: Callable[[], Any], reps: int) -> float:
    times = []
    for _ in range(reps):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def child(db: Path, reps: int) -> dict[str, Any]:
    """Every timing for one file (run in its own process)."""
    from sitrep.analysis.as_of import AsOfView, picture_as_of
    from sitrep.analysis.origins import analyse
    from sitrep.analysis.track_record import track_records
    from sitrep.analysis.triage import disputed_settlements, stale_ids, triage_queue
    from sitrep.store import Store

    out: dict[str, Any] = {}
    out["open"] = _timed(lambda: Store.open(db), reps)
    store = Store.open(db)
    claims, sources, places = store.claims(), store.sources(), store.settlements()
    out["n"] = len(claims)
    out["view_build"] = _timed(lambda: AsOfView(claims, sources, places), reps)
    view = AsOfView(claims, sources, places)
    switches = []
    for when in DATES:
        switches.append(_timed(lambda w=when: view.at(w), reps))
        out[f"shown@{when}"] = len(view.at(when).claims)
    out["switch_median"] = statistics.median(switches)
    out["switch_max"] = max(switches)
    out["view_once"] = _timed(lambda: picture_as_of(claims, sources, places, "2023-06-15"), reps)
    from sitrep.tui.as_of import layout_of, model_as_of
    from sitrep.tui.model import build_model, carry_over

    now_model = build_model(store)
    out["model_now"] = _timed(lambda: carry_over(build_model(store), now_model), reps)
    out["layout"] = _timed(lambda: layout_of(view), reps)
    layout = layout_of(view)
    models, scratch = [], []
    for when in DATES:
        models.append(_timed(lambda w=when: model_as_of(store, view, w, now_model,
                                                        layout=layout), reps))
        scratch.append(_timed(lambda w=when: model_as_of(store, view, w, now_model), reps))
    out["model_switch_median"] = statistics.median(models)
    out["model_switch_max"] = max(models)
    out["model_scratch_median"] = statistics.median(scratch)
    out["stale"] = _timed(lambda: stale_ids(claims), reps)
    stale = stale_ids(claims)
    out["analyse"] = _timed(lambda: analyse(claims, stale), reps)
    picture = view.at("2023-06-15")
    out["analyse_as_of"] = _timed(lambda: analyse(picture.claims, stale_ids(
        picture.claims, when="2023-06-15")), reps)
    out["triage"] = _timed(lambda: triage_queue(claims, places), reps)
    out["disputed"] = _timed(lambda: disputed_settlements(claims, places), reps)
    out["records"] = _timed(lambda: track_records(claims, sources), reps)
    result = analyse(claims, stale)
    out["circular_claims"] = sum(1 for a in result.values() if a.circular)
    out["two_plus_origins"] = sum(1 for a in result.values() if a.independent_origins >= 2)
    return out


def _row(name: str, seconds: float, floor: float, aim: float | None = None) -> str:
    ratio = seconds / floor if floor else float("nan")
    verdict = ""
    if aim is not None:
        verdict = f"  aim <= {aim * 1000:.0f} ms: {'met' if seconds <= aim else 'NOT met'}"
    return f"  {name:<34} {seconds * 1000:10.1f} ms   x{ratio:6.3f} of open{verdict}"


def report(r: dict[str, Any]) -> str:
    """The figures of one size as text, each beside the open floor."""
    floor = r["open"]
    lines = [f"N = {r['n']:,} claims: Store.open (the floor) {floor * 1000:.1f} ms"]
    lines.append(_row("as-of view: build (once)", r["view_build"], floor))
    lines.append(_row("as-of view: switch date (median)", r["switch_median"], floor))
    lines.append(_row("as-of view: switch date (worst)", r["switch_max"], floor, AIM_SWITCH_S))
    lines.append(_row("as-of view: one call (CLI)", r["view_once"], floor))
    model_floor = r["model_now"]
    lines.append(_row("dashboard: view model of now", model_floor, floor))
    lines.append(_row("dashboard: layout (once)", r["layout"], floor))
    lines.append(_row("dashboard: date laid out (median)", r["model_scratch_median"], floor))
    for label, key in (("median", "model_switch_median"), ("worst", "model_switch_max")):
        ratio = r[key] / model_floor if model_floor else float("nan")
        lines.append(_row(f"dashboard: switch date ({label})", r[key], floor,
                          AIM_SWITCH_S if label == "worst" else None)
                     + f"  (x{ratio:.2f} of the model of now)")
    lines.append(_row("stale ids", r["stale"], floor))
    lines.append(_row("analysis of every claim", r["analyse"], floor))
    lines.append(_row("analysis as of 2023-06-15", r["analyse_as_of"], floor))
    lines.append(_row("triage queue (impact order)", r["triage"], floor))
    lines.append(_row("disputed settlements", r["disputed"], floor))
    lines.append(_row("track records", r["records"], floor))
    shown = ", ".join(f"{d}: {r[f'shown@{d}']:,}" for d in DATES)
    lines.append(f"  claims shown as of {shown}")
    lines.append(f"  circular claims {r['circular_claims']:,}; with 2+ independent origins"
                 f" {r['two_plus_origins']:,}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark for each size and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--data-dir", default=str(ROOT / "bench_out"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(Path(args.db), args.reps)))
        return 0
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    results = []
    for n in (int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()):
        path = ensure_db(data_dir, n, args.seed)
        proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child",
                               "--db", str(path), "--reps", str(args.reps)],
                              capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            return proc.returncode
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        results.append(result)
        if not args.json:
            print(report(result), flush=True)
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
