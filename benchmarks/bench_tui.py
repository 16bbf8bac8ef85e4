"""Dashboard benchmark: Pilot, headless, at 1k / 10k / 100k claims.

    .venv/bin/python benchmarks/bench_tui.py [--sizes 1000,10000,100000] [--out bench_out]

For each size (in a fresh process, so peak memory is that size's own) it measures:

* first frame: from ``Store.open`` to the first frame with every pane filled (80x24);
* key -> next frame for a move (``j``), a status change (``v``/``U``, written through the
  store's journal in a worker) and one filter keystroke (typing ``lysy`` after ``/``);
* peak memory (max RSS).

Each figure is printed beside its *floor*, what this machine needs for the bare minimum of the
same job, and the ratio: first frame vs. reading + parsing the file with orjson; keys vs. the
same key -> frame in an empty Textual app; memory vs. a process that only parses the file.
The targets from issue 3 (100k: 0.8 s, 16 ms, 50 ms, 450 MB) are shown too.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"first_frame_s": 0.8, "move_ms": 16.0, "status_ms": 16.0, "filter_ms": 50.0,
           "peak_mb": 450.0}


def peak_mb() -> float:
    """Max resident set size of this process, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def watch_frames(app) -> list[float]:  # type: ignore[no-untyped-def]
    """Record when the app hands a frame to its driver (headless: the frame is composed,
    only not written): ``frames[0]`` is the latest frame, ``frames[1]`` the first one drawn
    with a model (every pane filled)."""
    frames: list[float] = [0.0, 0.0]
    display = app._display

    def timed(screen, renderable):  # type: ignore[no-untyped-def]
        if renderable is not None:
            frames[0] = time.perf_counter()
            if not frames[1] and getattr(app, "model", None) is not None:
                frames[1] = frames[0]
        return display(screen, renderable)

    app._display = timed
    return frames


async def _keys(pilot, key: str, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    """Milliseconds from a key event entering the app to the next frame, ``n`` times.

    Pilot's own ``press`` waits for the process to be idle (~80 ms here), so the key is sent
    the way Pilot sends it and the clock stops at the next composed frame instead.
    """
    from textual import events

    app = pilot.app
    frames = app._bench_frames
    times = []
    for _ in range(n):
        char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        t = time.perf_counter()
        app._driver.send_message(event)
        while frames[0] < t:
            await asyncio.sleep(0.0002)
            if time.perf_counter() - t > 5:
                break
        times.append((frames[0] - t) * 1000)
        await asyncio.sleep(0.03)  # let trailing work (workers, timers) settle
    return times


def measure_app(path: Path) -> dict[str, float]:
    """Open the dashboard on ``path`` and time it (run in its own process)."""
    sys.path.insert(0, str(ROOT))
    from sitrep.store import Store
    from sitrep.tui.app import SitrepApp

    async def run() -> dict[str, float]:
        start = time.perf_counter()
        gc.disable()
        store = Store.open(path, journal=True)
        gc.enable()
        gc.freeze()
        opened = time.perf_counter() - start
        app = SitrepApp(store, config=Path(tempfile.mkdtemp()), poll_interval=60)
        app._bench_frames = watch_frames(app)  # type: ignore[attr-defined]
        result: dict[str, float] = {"open_s": opened}
        async with app.run_test(size=(80, 24)) as pilot:
            frames = app._bench_frames  # type: ignore[attr-defined]
            while not frames[1]:  # the model may come before or after the first frame
                await asyncio.sleep(0.001)
            result["first_frame_s"] = frames[1] - start
            await app.workers.wait_for_complete()
            await pilot.pause(0.2)
            result["move_ms"] = statistics.median(await _keys(pilot, "j", 30))
            status = []
            for _ in range(15):
                status += await _keys(pilot, "v", 1)
                status += await _keys(pilot, "U", 1)
            result["status_ms"] = statistics.median(status)
            await app.workers.wait_for_complete()
            await pilot.press("slash")
            await pilot.pause(0.1)
            typing = []
            for ch in "lysy":
                typing += await _keys(pilot, ch, 1)
            result["filter_ms"] = statistics.median(typing)
            result["filter_max_ms"] = max(typing)
            result["visible"] = app.model.total_visible  # type: ignore[union-attr]
            await pilot.press("escape")
            await app.workers.wait_for_complete()
        result["peak_mb"] = peak_mb()
        return result

    return asyncio.run(run())


def measure_floor(path: Path) -> dict[str, float]:
    """The floors: parse the file with orjson; key -> frame in an empty Textual app."""
    import orjson
    from textual.app import App
    from textual.widgets import Static

    start = time.perf_counter()
    gc.disable()
    orjson.loads(path.read_bytes())
    gc.enable()
    parsed = time.perf_counter() - start
    memory = peak_mb()

    class Bare(App[None]):
        BINDINGS = [("j", "nothing", "")]  # noqa: RUF012

        def compose(self):  # type: ignore[no-untyped-def]
            yield Static("x")

        def action_nothing(self) -> None:
            self.query_one(Static).update(str(time.perf_counter()))

    async def run() -> float:
        bare = Bare()
        bare._bench_frames = watch_frames(bare)  # type: ignore[attr-defined]
        async with bare.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            return statistics.median(await _keys(pilot, "j", 30))

    key = asyncio.run(run())
    return {"first_frame_s": parsed, "move_ms": key, "status_ms": key, "filter_ms": key,
            "peak_mb": memory}


def run_child(mode: str, path: Path) -> dict[str, float]:
    """Run one measurement in a fresh interpreter and return its JSON."""
    out = subprocess.run([sys.executable, __file__, f"--{mode}", str(path)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Generate the DBs if needed, measure each size, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--out", default=str(ROOT / "bench_out"))
    parser.add_argument("--app", help=argparse.SUPPRESS)
    parser.add_argument("--floor", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.app:
        print(json.dumps(measure_app(Path(args.app))))
        return 0
    if args.floor:
        print(json.dumps(measure_floor(Path(args.floor))))
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rows = [("first frame", "first_frame_s", "s"), ("move key", "move_ms", "ms"),
            ("status key", "status_ms", "ms"), ("filter key", "filter_ms", "ms"),
            ("peak memory", "peak_mb", "MB")]
    for size in [int(s) for s in args.sizes.split(",")]:
        path = out / f"db-{size}.json"
        if not path.exists():
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"),
                            "--claims", str(size), "--out", str(path)], check=True)
        app = run_child("app", path)
        floor = run_child("floor", path)
        print(f"\n{size:,} claims ({path.stat().st_size / 1e6:.0f} MB file; store open "
              f"{app['open_s']:.2f} s; filter max {app['filter_max_ms']:.0f} ms)")
        print(f"  {'':<13}{'measured':>10}{'floor':>10}{'ratio':>8}{'target':>9}")
        for label, key, unit in rows:
            target = TARGETS[key] if size >= 100_000 else None
            mark = "" if target is None else ("  ok" if app[key] <= target else "  OVER")
            print(f"  {label:<13}{app[key]:>8.2f}{unit:<2}{floor[key]:>8.2f}{unit:<2}"
                  f"{app[key] / floor[key]:>7.1f}x"
                  f"{'' if target is None else f'{target:>7g}{unit}'}{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
