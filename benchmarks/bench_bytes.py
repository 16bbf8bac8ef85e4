"""Bytes the dashboard writes to an 80x24 terminal, beside VisiData and beside the floor.

    .venv/bin/python benchmarks/bench_bytes.py [--depths 16,256,truecolor,low] [--idle 10]
        [--before PATH-TO-ANOTHER-sitrep] [--no-visidata] [--json]

Each run starts the real ``sitrep`` on a pty (tests/terminal/harness.py) on a fresh copy of the
sample data and counts the bytes it writes for: the first frame; ten ``j`` presses from the top
of the claims pane (the first ones move the cursor in view, the later ones scroll the list); ``/``
plus one character; ``?`` (help); ``tab``; a status key (``c``); 10 s idle; 10 s idle with the
filter line open. A run is made with the diffing driver (the default), without it
(``--no-diff``), and, given ``--before``, with another build (e.g. main before the driver).

Depths: ``16`` is ``TERM=xterm``, ``256`` is ``TERM=xterm-256color``, ``truecolor`` adds
``COLORTERM=truecolor``, ``low`` is 256 with ``--low-bandwidth`` (which forces 16 colours).

The *floor* is the number of cells that changed on the screen (pyte's screen before and after,
character or style), one byte each: no terminal protocol draws a changed cell for less.
VisiData (``vd``, when it is installed beside this Python or on PATH) opens the same claims as a
CSV and gets the same keys where it has them (``j``, ``/`` + a character, ``tab``; its help is
``ctrl+h``). Budgets from issue 10 (256 colours, with the driver) are checked at the end.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.terminal.harness import Terminal, sitrep_executable, terminal_env  # noqa: E402

SAMPLE = ROOT / "sample_data" / "sitrep.json"
DEPTHS: dict[str, dict[str, str]] = {
    "16": {"TERM": "xterm"},
    "256": {"TERM": "xterm-256color"},
    "truecolor": {"TERM": "xterm-256color", "COLORTERM": "truecolor"},
    "low": {"TERM": "xterm-256color", "SITREP_LOW_BANDWIDTH": "1"},
}
BUDGETS = {"first": 6000, "j_median": 450, "j_max": 900, "filter": 800, "help": 4000,
           "idle": 0, "idle_filter": 0}
MEASURES = ["first", "j_in_view", "j_scroll", "j_median", "j_max", "filter", "help", "tab",
            "status", "idle", "idle_filter"]

Cells = list[tuple[object, ...]]


def cells(term: Terminal) -> Cells:
    """Every cell of the screen with its style."""
    with term._lock:
        screen = term.screen
        return [tuple((c.data, c.fg, c.bg, c.bold, c.italics, c.underscore, c.strikethrough,
                       c.reverse) for c in (screen.buffer[y][x] for x in range(screen.columns)))
                for y in range(screen.lines)]


def changed(before: Cells, after: Cells) -> int:
    """Cells that differ between two screens: the floor, in bytes."""
    return sum(1 for a, b in zip(before, after, strict=True)
               for p, q in zip(a, b, strict=True) if p != q)


class Run:
    """One app on a pty, measured step by step."""

    def __init__(self, term: Terminal) -> None:
        self.term = term
        self.figures: dict[str, float] = {}
        self.floors: dict[str, float] = {}

    def step(self, send: Callable[[], None], *, wait: float = 2.0, quiet: float = 0.4,
             shows: str | None = None) -> tuple[int, int]:
        """Do ``send``; wait for the first byte (up to ``wait`` s: a step may write nothing),
        for ``shows`` and for ``quiet`` s without output. (bytes written, cells changed)."""
        term = self.term
        before = cells(term)
        mark = len(term.raw)
        send()
        if shows:
            term.wait_for(shows)
        deadline = time.monotonic() + wait
        while len(term.raw) == mark and time.monotonic() < deadline:
            time.sleep(0.01)
        term.settle(quiet)
        return len(term.raw) - mark, changed(before, cells(term))

    def idle(self, seconds: float) -> tuple[int, int]:
        """Bytes written while nothing is pressed for ``seconds``."""
        before = cells(self.term)
        mark = len(self.term.raw)
        time.sleep(seconds)
        return len(self.term.raw) - mark, changed(before, cells(self.term))

    def put(self, name: str, figure: tuple[int, int]) -> None:
        """Record one measure."""
        self.figures[name], self.floors[name] = figure


def start(argv: list[str], folder: Path, env: dict[str, str], first_shows: str,
          quiet: float) -> Run:
    """Start ``argv`` at 80x24 in ``folder`` (its own HOME) and record its first frame."""
    home = folder / "home"
    home.mkdir()
    term = Terminal(argv, columns=80, lines=24, env=terminal_env(home, env), cwd=folder)
    run = Run(term)
    blank = cells(term)
    try:
        term.wait_for(first_shows)
        term.settle(quiet)
    except BaseException:
        term.kill()
        raise
    run.put("first", (len(term.raw), changed(blank, cells(term))))
    return run


def claims_rows(lines: list[str]) -> list[str]:
    """The claims pane's rows without the cursor column (to see whether the list scrolled)."""
    start = next((i for i, r in enumerate(lines) if "Claims by source" in r), None)
    end = next((i for i, r in enumerate(lines) if "Detail" in r and i > (start or 0)), None)
    if start is None or end is None:
        return []
    return [r[1:] for r in lines[start + 1:end]]


def measure_sitrep(argv: list[str], env: dict[str, str], idle: float) -> Run:
    """Every measure on one sitrep process."""
    folder = Path(tempfile.mkdtemp(prefix="bench-bytes-"))
    db = folder / "sitrep.json"
    shutil.copyfile(SAMPLE, db)
    run = start([*argv, "--db", str(db)], folder, env, "Claims by source", 1.0)
    term = run.term
    try:
        moves: list[int] = []
        for _ in range(10):
            rows = claims_rows(term.lines())
            figure = run.step(lambda: term.write("j"))
            moves.append(figure[0])
            scrolled = claims_rows(term.lines()) != rows
            key = "j_scroll" if scrolled else "j_in_view"
            if key not in run.figures:
                run.put(key, figure)
        run.figures["j_median"] = statistics.median(moves)
        run.figures["j_max"] = max(moves)
        run.floors["j_median"] = run.floors["j_max"] = 0
        term.write("\x1b")  # leave the list where it is; open the filter and type one letter
        term.settle(0.4)

        def slash_and_char() -> None:
            term.write("/")
            term.wait_for("filter: words")
            term.write("a")

        run.put("filter", run.step(slash_and_char))
        run.step(lambda: term.write("\x1b"))
        run.step(lambda: term.write("\x1b"))
        run.put("help", run.step(lambda: term.write("?"), shows="Everywhere"))
        run.step(lambda: term.write("\x1b"))
        run.put("tab", run.step(lambda: term.write("\t")))
        run.step(lambda: term.write("\x1b[Z"))
        run.put("status", run.step(lambda: term.write("c")))
        run.step(lambda: term.write("u"))
        term.settle(3.0)  # the journal folds 2 s after the last change
        run.put("idle", run.idle(idle))
        run.step(lambda: term.write("/"), shows="filter: words")
        run.put("idle_filter", run.idle(idle))
    finally:
        term.kill()
        shutil.rmtree(folder, ignore_errors=True)
    return run


def visidata_executable() -> str | None:
    """``vd`` beside this Python, else on PATH, else None."""
    beside = Path(sys.executable).with_name("vd")
    return str(beside) if beside.exists() else shutil.which("vd")


def sample_claims_csv(target: Path) -> None:
    """The sample's claims as VisiData would be given them: one row a claim."""
    doc = json.loads(SAMPLE.read_text())
    claims = doc.get("claims", {})
    rows = claims.values() if isinstance(claims, dict) else claims
    fields = ["id", "source", "settlements", "status", "reported_at", "credibility", "text"]
    with target.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(fields)
        for c in rows:
            writer.writerow([",".join(c.get(k) or []) if k == "settlements" else c.get(k, "")
                             for k in fields])


def measure_visidata(vd: str, env: dict[str, str], idle: float) -> Run:
    """The same steps, where VisiData has them, on the claims as CSV."""
    folder = Path(tempfile.mkdtemp(prefix="bench-bytes-vd-"))
    data = folder / "claims.csv"
    sample_claims_csv(data)
    run = start([vd, "--config", str(folder / "none.py"), str(data)], folder, env, "claims",
                1.5)
    term = run.term
    try:
        moves = []
        for _ in range(10):
            figure = run.step(lambda: term.write("j"))
            moves.append(figure[0])
        run.put("j_in_view", (moves[0], 0))
        run.put("j_scroll", (moves[-1], 0))
        run.figures["j_median"] = statistics.median(moves)
        run.figures["j_max"] = max(moves)

        def search_and_char() -> None:
            term.write("/")
            term.settle(0.3)
            term.write("a")

        run.put("filter", run.step(search_and_char))
        run.step(lambda: term.write("\x1b"))
        run.put("help", run.step(lambda: term.write("\x08")))
        run.step(lambda: term.write("q"))
        run.put("idle", run.idle(idle))
    finally:
        term.kill()
        shutil.rmtree(folder, ignore_errors=True)
    return run


def table(results: dict[str, Run]) -> str:
    """The figures, a column per run, with the floor beside the driver's."""
    names = list(results)
    head = f"{'measure':12}" + "".join(f"{n:>16}" for n in names)
    lines = [head, "-" * len(head)]
    for m in MEASURES:
        row = f"{m:12}"
        for n in names:
            run = results[n]
            if m not in run.figures:
                row += f"{'—':>16}"
                continue
            cell = f"{run.figures[m]:,.0f}"
            floor = run.floors.get(m)
            if n.endswith("driver") and floor:
                cell += f" ({run.figures[m] / floor:.1f}x)"
            row += f"{cell:>16}"
        lines.append(row)
    floors = results[next(n for n in names if n.endswith("driver"))].floors
    lines.append(f"{'floor':12}" + "  ".join(f"{m}={floors[m]:,.0f}" for m in MEASURES
                                              if floors.get(m)))
    return "\n".join(lines)


def check_budgets(run: Run) -> list[str]:
    """Issue 10's budgets (256 colours, with the driver): one line each."""
    out = []
    for m, limit in BUDGETS.items():
        value = run.figures.get(m)
        if value is None:
            continue
        verdict = "ok" if value <= limit else "OVER"
        out.append(f"  {m:12} {value:>8,.0f} B  budget {limit:>6,} B  {verdict}")
    return out


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--depths", default="16,256,truecolor,low")
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle to count")
    parser.add_argument("--before", metavar="PATH", help="another sitrep executable to compare")
    parser.add_argument("--no-visidata", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    sitrep = sitrep_executable()
    vd = None if args.no_visidata else visidata_executable()
    everything: dict[str, dict[str, dict[str, float]]] = {}
    for depth in args.depths.split(","):
        env = DEPTHS[depth]
        results: dict[str, Run] = {}
        if args.before:
            results["before"] = measure_sitrep([args.before], env, args.idle)
        results["no driver"] = measure_sitrep([sitrep, "--no-diff"], env, args.idle)
        results["driver"] = measure_sitrep([sitrep], env, args.idle)
        if vd and depth != "low":
            results["VisiData"] = measure_visidata(vd, env, args.idle)
        everything[depth] = {n: r.figures for n, r in results.items()}
        if not args.json:
            how = " ".join(f"{k}={v}" for k, v in env.items())
            print(f"\n== {depth} colours ({how})")
            print(table(results))
            if depth == "256":
                print("budgets:")
                print("\n".join(check_budgets(results["driver"])))
                if "VisiData" in results:
                    vd_first = results["VisiData"].figures["first"]
                    ours = results["driver"].figures["first"]
                    print(f"  first frame vs VisiData: {ours:,.0f} vs {vd_first:,.0f} B "
                          + ("ok" if ours <= vd_first else "OVER"))
            sys.stdout.flush()
    if args.json:
        print(json.dumps(everything, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
