"""Measure the sitrep Store against the floors the hardware and orjson set.

    .venv/bin/python benchmarks/bench_store.py                      # N = 1k, 10k, 100k
    .venv/bin/python benchmarks/bench_store.py --sizes 10000 --json
    .venv/bin/python benchmarks/bench_store.py --sizes 100000 --profile open

For each N the synthetic DB from ``benchmarks/generate.py`` is generated once into
``--data-dir`` (default ``bench_out/``, git-ignored) and copied to a scratch folder beside it, so
writes hit the same disk. Each size runs in fresh subprocesses (one for the timings, one per
memory figure), so one size's heap does not distort the next. Every figure is printed beside
its floor — what the same job costs with nothing but orjson, a dict and the disk:

* open: ``Store.open`` vs read + ``orjson.loads`` of the same file with the GC paused;
* durable status change: ``set_status`` with ``journal=False`` vs one atomic rewrite (orjson
  dumps indent 2 + write temp + fsync + ``os.replace``); with ``journal=True`` vs appending one
  fsync'd line to a file;
* lookups and filters vs an indexed lookup: a dict get (plus copying the matching list, which
  any API that returns a fresh list pays); full-text vs one scan of pre-folded texts;
* peak memory: ru_maxrss growth of a process that opens the store vs one that only parses.

Timings are medians of several repetitions. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate, write  # noqa: E402

# The aims of issue 2, printed beside the figures they judge.
AIM_OPEN_RATIO = 1.5
AIM_STATUS_S = 0.200
AIM_INDEXED_S = 0.005
AIM_TEXT_S = 0.030

TEXT_WORDS = [
    "outskirts",
    "bridge",
    "reinforcements",
    "checkpoints",
    "drones",
    "humanitarian corridor",
    "partisans",
    "railway",
    "collaborators",
    "power in",
]


# --- small helpers -------------------------------------------------------------------------------


def _median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def _per_call(fn: Callable[[], Any], min_total: float = 0.02, rounds: int = 5) -> float:
    """Median per-call time of ``fn``, looping fast calls until a round takes ``min_total``."""
    fn()  # warm up
    loops = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(loops):
            fn()
        dt = time.perf_counter() - t0
        if dt >= min_total or loops >= 1 << 20:
            break
        loops *= 4 if dt < min_total / 8 else 2
    times = [dt / loops]
    for _ in range(rounds - 1):
        t0 = time.perf_counter()
        for _ in range(loops):
            fn()
        times.append((time.perf_counter() - t0) / loops)
    return _median(times)


def _once(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _maxrss_bytes() -> int:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024


def _current_rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def _clean_scratch(path: Path) -> None:
    for p in path.parent.glob(path.name + "*"):
        if p != path:
            with contextlib.suppress(OSError):
                p.unlink()


def _fold(text: str) -> str:
    return text.casefold().replace("'", "").replace("\u2019", "")


# --- floors -------------------------------------------------------------------------------------


def floor_parse(path: Path) -> tuple[float, Any]:
    """Read + orjson.loads of the file with the garbage collector paused."""
    gc.collect()
    gc.disable()
    try:
        t0 = time.perf_counter()
        with open(path, "rb") as f:
            data = orjson.loads(f.read())
        dt = time.perf_counter() - t0
    finally:
        gc.enable()
    return dt, data


def floor_rewrite(path: Path, data: Any) -> float:
    """One atomic rewrite: dumps indent 2 (+ newline) + write temp + fsync + os.replace."""
    tmp = path.with_name(path.name + ".floor.tmp")
    t0 = time.perf_counter()
    blob = orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    with open(tmp, "wb") as f:
        f.write(blob)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return time.perf_counter() - t0


def floor_append(path: Path, line: bytes) -> float:
    """Append one line to a file and fsync it."""
    t0 = time.perf_counter()
    with open(path, "ab") as f:
        f.write(line)
        f.flush()
        os.fsync(f.fileno())
    return time.perf_counter() - t0


# --- the timing child ----------------------------------------------------------------------------


def reload_times(db: Path, work: Path, reps: int) -> dict[str, Any]:
    """``reload()`` of a journal-mode store (the dashboard) after another sitrep wrote the file
    (a CLI command) and after a hand edit saved by rename (vim), beside the parse floor."""
    from sitrep.store import Store

    shutil.copyfile(db, work)
    _clean_scratch(work)
    dashboard = Store.open(work, journal=True)
    cli = Store.open(work)
    claims = [c["id"] for c in cli.claims()[:reps * 2]]
    after_write, after_edit, floor = [], [], []
    for n in range(reps):
        cli.set_status(claims[n], "disputed", by="bench")
        t0 = time.perf_counter()
        dashboard.reload()
        after_write.append(time.perf_counter() - t0)
        # a hand edit of one claim's text, saved by rename over the file as vim does
        payload = work.read_bytes().replace(b'"text": "', b'"text": "edited ', 1)
        tmp = work.with_name(work.name + ".edit")
        tmp.write_bytes(payload)
        os.replace(tmp, work)
        t0 = time.perf_counter()
        dashboard.reload()
        after_edit.append(time.perf_counter() - t0)
        cli.reload()
        floor.append(floor_parse(work)[0])
        gc.collect()
    del dashboard, cli
    gc.collect()
    work.unlink()
    _clean_scratch(work)
    return {"reload_write": _median(after_write), "reload_edit": _median(after_edit),
            "reload_floor": _median(floor)}


def child_time(db: Path, reps: int) -> dict[str, Any]:
    """Every timing for one file (run in its own process)."""
    from sitrep.gc_pause import keep_loaded
    from sitrep.store import Store

    out: dict[str, Any] = {"file_bytes": db.stat().st_size}
    work = db.with_name(db.stem + ".work.json")

    # open vs parse floor (alternating, so drift in the machine hits both alike)
    parse_t, open_t = [], []
    for _ in range(reps):
        dt, data = floor_parse(db)
        parse_t.append(dt)
        del data
        gc.collect()
        t0 = time.perf_counter()
        store = Store.open(db)
        open_t.append(time.perf_counter() - t0)
        del store
        gc.collect()
    out["parse_floor"] = _median(parse_t)
    out["open"] = _median(open_t)
    out["open_all"] = open_t
    out.update(reload_times(db, work, reps))

    # The floor of a journaled change: one fsync'd line appended to a file.
    line = orjson.dumps(
        {
            "seq": 1,
            "op": "set",
            "table": "claims",
            "id": "c-000001",
            "fields": {"status": "disputed"},
            "by": "bench",
            "at": "2026-01-01T00:00:00Z",
        }
    )
    append_file = work.with_name(work.name + ".floor.append")

    statuses = ["unverified", "corroborated", "confirmed", "disputed", "false"]
    rng = random.Random(1)

    def status_changes(store: Any, count: int) -> list[float]:
        claims = store.claims()
        times = []
        for _ in range(count):
            claim = claims[rng.randrange(len(claims))]
            new = rng.choice([s for s in statuses if s != claim.get("status")])
            t0 = time.perf_counter()
            store.set_status(claim["id"], new, by="bench", note="benchmark")
            times.append(time.perf_counter() - t0)
        return times

    # durable status change, journal=True: one appended line per change; then fold and replay
    # (alternating with the append floor). Dirty pages from earlier writes are flushed first:
    # an fsync during background writeback of a big file waits for it (4 ms instead of 0.5).
    shutil.copyfile(db, work)
    _clean_scratch(work)
    store = Store.open(work, journal=True)
    keep_loaded()  # as the CLI and the dashboard do once they loaded the DB
    os.sync()
    n_ops = 20
    t, append_t = [], []
    for _ in range(n_ops):
        append_t.append(floor_append(append_file, line + b"\n"))
        t += status_changes(store, 1)
    append_file.unlink()
    out["append_floor"] = _median(append_t)
    out["status_journal"] = _median(t)
    out["status_journal_all"] = t
    out["journal_pending"] = store.pending_journal
    del store
    gc.collect()
    replay_t = []
    for _ in range(reps):  # each open replays the 20 pending ops (nothing folds them yet)
        t0 = time.perf_counter()
        store = Store.open(work, journal=True)
        replay_t.append(time.perf_counter() - t0)
        if len(replay_t) < reps:
            del store
            gc.collect()
    out["open_replay"] = _median(replay_t)
    out["open_replay_ops"] = n_ops
    out["fold"] = _once(store.fold)
    del store
    gc.collect()
    work.unlink()
    _clean_scratch(work)

    # durable status change, journal=False (a full atomic rewrite per change), alternating
    # with the floor (one atomic rewrite of a second copy), so disk writeback hits both alike
    floor_work = db.with_name(db.stem + ".floor.json")
    shutil.copyfile(db, work)
    shutil.copyfile(db, floor_work)
    _clean_scratch(work)
    _, data = floor_parse(floor_work)
    store = Store.open(work, journal=False)
    keep_loaded()
    os.sync()
    for _ in range(3):  # warm-up: the first few big writes on a fresh copy run ~2x slower
        floor_rewrite(floor_work, data)
        status_changes(store, 1)
    floor_t, store_t = [], []
    for _ in range(max(reps, 9)):  # writes are the noisiest figures: a few more samples
        floor_t.append(floor_rewrite(floor_work, data))
        store_t += status_changes(store, 1)
    out["rewrite_floor"] = _median(floor_t)
    out["rewrite_floor_all"] = floor_t
    out["status_rewrite"] = _median(store_t)
    out["status_rewrite_all"] = store_t
    del store, data
    floor_work.unlink()
    work.unlink()
    _clean_scratch(work)
    gc.collect()

    # lookups and filters, on a freshly opened store and a plain-dict index of the same data
    store = Store.open(db)
    keep_loaded()
    out["text_first"] = _once(lambda: store.filter_claims(text=TEXT_WORDS[0]))
    _, data = floor_parse(db)
    claims = list(data["claims"].values())
    by_id = {c["id"]: c for c in claims}
    by_sett: dict[str, list[dict[str, Any]]] = {}
    by_status: dict[str, list[dict[str, Any]]] = {}
    for c in claims:
        for s in c["settlements"]:
            by_sett.setdefault(s, []).append(c)
        by_status.setdefault(c["status"], []).append(c)
    folded = [_fold(c["text"]) for c in claims]
    ranked = sorted(by_sett, key=lambda s: -len(by_sett[s]))
    hot = ranked[0]
    some = [ranked[i] for i in range(0, len(ranked), max(1, len(ranked) // 10))][:10]
    ids = [claims[rng.randrange(len(claims))]["id"] for _ in range(100)] if claims else []
    cyc = {"i": 0}

    def next_id() -> str:
        cyc["i"] = (cyc["i"] + 1) % len(ids)
        return ids[cyc["i"]]

    out["lookup"] = _per_call(lambda: store.claim(next_id()))
    out["lookup_floor"] = _per_call(lambda: by_id.get(next_id()))

    def filt(name: str, fn: Callable[[], Any], floor: Callable[[], Any], k: int) -> None:
        out[name] = _per_call(fn)
        out[name + "_floor"] = _per_call(floor)
        out[name + "_k"] = k

    filt(
        "settlement_hot",
        lambda: store.filter_claims(settlement=hot),
        lambda: list(by_sett.get(hot, ())),
        len(by_sett.get(hot, ())),
    )
    sc = {"i": 0}

    def next_sett() -> str:
        sc["i"] = (sc["i"] + 1) % len(some)
        return some[sc["i"]]

    filt(
        "settlement_mix",
        lambda: store.filter_claims(settlement=next_sett()),
        lambda: list(by_sett.get(next_sett(), ())),
        round(statistics.mean(len(by_sett[s]) for s in some)),
    )
    filt(
        "status_disputed",
        lambda: store.filter_claims(status="disputed"),
        lambda: list(by_status.get("disputed", ())),
        len(by_status.get("disputed", ())),
    )
    filt(
        "status_unverified",
        lambda: store.filter_claims(status="unverified"),
        lambda: list(by_status.get("unverified", ())),
        len(by_status.get("unverified", ())),
    )

    # full text: each word is asked once per round (a new query, as when someone types)
    def text_round(fn: Callable[[str], Any]) -> float:
        return _median([_once(lambda w=w: fn(w)) for w in TEXT_WORDS])

    store_text = [text_round(lambda w: store.filter_claims(text=w))]
    pairs = list(zip(claims, folded, strict=True))
    floor_text = [text_round(lambda w: [c for c, t in pairs if w in t]) for _ in range(3)]
    for _ in range(2):
        store_text.append(text_round(lambda w: store.filter_claims(text=w)))
    out["text"] = _median(store_text)
    out["text_floor"] = _median(floor_text)
    out["text_k"] = round(statistics.mean(sum(1 for t in folded if w in t) for w in TEXT_WORDS))
    return out


def child_memory(db: Path, mode: str) -> dict[str, Any]:
    """Peak and retained memory of parsing the file (floor) or opening the store."""
    import orjson as _orjson  # noqa: F401  (imported before the baseline in both modes)

    if mode == "store":
        from sitrep.store import Store
    gc.collect()
    base = _current_rss_bytes()
    if mode == "floor":
        _, held = floor_parse(db)
    else:
        held = Store.open(db)
    gc.collect()
    out = {
        "peak": _maxrss_bytes() - base,
        "retained": _current_rss_bytes() - base,
        "base": base,
    }
    if mode == "store":
        for w in TEXT_WORDS[:3]:
            held.filter_claims(text=w)
        held.filter_claims(settlement="lysychansk")
        gc.collect()
        out["peak_after_queries"] = _maxrss_bytes() - base
        out["retained_after_queries"] = _current_rss_bytes() - base
    del held
    return out


def child_profile(db: Path, what: str, top: int) -> None:
    """cProfile one operation and print the top lines by cumulative time."""
    import cProfile
    import pstats

    from sitrep.store import Store

    work = db.with_name(db.stem + ".work.json")
    shutil.copyfile(db, work)
    _clean_scratch(work)
    prof = cProfile.Profile()
    if what == "open":
        prof.runcall(Store.open, work)
    elif what in ("status", "status-journal"):
        store = Store.open(work, journal=(what == "status-journal"))
        cid = store.claims()[len(store.claims()) // 2]["id"]
        prof.runcall(store.set_status, cid, "disputed", by="bench")
        prof.runcall(store.set_status, cid, "confirmed", by="bench")
    elif what == "replay":
        store = Store.open(work, journal=True)
        claims = store.claims()
        for i in range(20):
            store.set_status(claims[i * 97]["id"], "disputed", by="bench")
        del store
        prof.runcall(Store.open, work, journal=True)
    elif what == "fold":
        store = Store.open(work, journal=True)
        cid = store.claims()[0]["id"]
        store.set_status(cid, "disputed", by="bench")
        prof.runcall(store.fold)
    elif what == "text":
        store = Store.open(work)
        for w in TEXT_WORDS:
            prof.runcall(store.filter_claims, text=w)
    elif what == "settlement":
        store = Store.open(work)
        for _ in range(50):
            prof.runcall(store.filter_claims, settlement="lysychansk")
    else:
        raise SystemExit(f"unknown --profile target {what!r}")
    stats = pstats.Stats(prof, stream=sys.stdout)
    stats.strip_dirs().sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    work.unlink(missing_ok=True)
    _clean_scratch(work)


# --- the parent ---------------------------------------------------------------------------------


def ensure_db(data_dir: Path, n: int, seed: int) -> Path:
    """The generated DB for ``n`` claims, made on first use."""
    path = data_dir / f"db-{n}-s{seed}.json"
    if not path.exists():
        print(f"generating {path} ...", file=sys.stderr)
        write(generate(n, seed=seed), path)
    return path


def _run_child(args: list[str]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"benchmark child {args} failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(n: int, path: Path, reps: int) -> dict[str, Any]:
    """All figures for one size, each child in a fresh process."""
    t = _run_child(["--child", "time", "--db", str(path), "--reps", str(reps)])
    t["mem_floor"] = _run_child(["--child", "mem-floor", "--db", str(path)])
    t["mem_store"] = _run_child(["--child", "mem-store", "--db", str(path)])
    t["n"] = n
    return t


def rows_for(r: dict[str, Any]) -> list[dict[str, Any]]:
    """The table rows for one size: (measure, store, floor, unit, aim)."""
    rows: list[dict[str, Any]] = []

    def row(
        name: str,
        value: float,
        floor: float | None,
        floor_name: str,
        aim: str = "",
        unit: str = "s",
    ) -> None:
        rows.append(
            {
                "measure": name,
                "store": value,
                "floor": floor,
                "floor_is": floor_name,
                "ratio": (value / floor) if floor else None,
                "aim": aim,
                "unit": unit,
            }
        )

    row(
        "open (Store.open)",
        r["open"],
        r["parse_floor"],
        "read+orjson.loads, GC off",
        f"<= {AIM_OPEN_RATIO}x",
    )
    row("reload after a CLI write", r["reload_write"], r["reload_floor"],
        "read+orjson.loads, GC off")
    row("reload after a hand edit", r["reload_edit"], r["reload_floor"],
        "read+orjson.loads, GC off")
    row(
        "status change, journal=False",
        r["status_rewrite"],
        r["rewrite_floor"],
        "atomic rewrite",
        f"<= {AIM_STATUS_S * 1e3:.0f} ms",
    )
    row(
        "status change, journal=True",
        r["status_journal"],
        r["append_floor"],
        "append 1 line + fsync",
        f"<= {AIM_STATUS_S * 1e3:.0f} ms",
    )
    row("fold journal into file", r["fold"], r["rewrite_floor"], "atomic rewrite")
    row(
        f"open + replay {r['open_replay_ops']} journal ops",
        r["open_replay"],
        r["parse_floor"],
        "read+orjson.loads, GC off",
    )
    row("claim(id)", r["lookup"], r["lookup_floor"], "dict get")
    for key, label in [
        ("settlement_hot", "filter settlement (busiest)"),
        ("settlement_mix", "filter settlement (10 spread)"),
        ("status_disputed", "filter status=disputed"),
        ("status_unverified", "filter status=unverified"),
    ]:
        row(
            f"{label} k={r[key + '_k']}",
            r[key],
            r[key + "_floor"],
            "dict get + list copy",
            f"<= {AIM_INDEXED_S * 1e3:.0f} ms",
        )
    row(
        f"filter text (new word) k~{r['text_k']}",
        r["text"],
        r["text_floor"],
        "scan of folded texts",
        f"<= {AIM_TEXT_S * 1e3:.0f} ms",
    )
    row(
        "filter text, first query after open",
        r["text_first"],
        r["text_floor"],
        "scan of folded texts",
        f"<= {AIM_TEXT_S * 1e3:.0f} ms",
    )
    mf, ms = r["mem_floor"], r["mem_store"]
    row("peak memory growth, open", ms["peak"], mf["peak"], "peak of parse", unit="B")
    row("retained memory, open", ms["retained"], mf["retained"], "parsed document", unit="B")
    row(
        "retained memory, open + queries",
        ms["retained_after_queries"],
        mf["retained"],
        "parsed document",
        unit="B",
    )
    row(
        "peak memory, open + queries",
        ms["peak_after_queries"],
        mf["peak"],
        "peak of parse",
        unit="B",
    )
    return rows


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "B":
        return f"{value / 1e6:.1f} MB"
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 1e-3:
        return f"{value * 1e3:.1f} ms"
    if value >= 1e-6:
        return f"{value * 1e6:.1f} µs"
    return f"{value * 1e9:.0f} ns"


def print_table(results: list[dict[str, Any]]) -> None:
    """The human-readable table, one block per size."""
    for r in results:
        print(f"\nN = {r['n']:,} claims  (file {r['file_bytes'] / 1e6:.1f} MB)")
        header = f"{'measure':<44} {'store':>10} {'floor':>10} {'ratio':>9}  {'aim':<10} floor is"
        print(header)
        print("-" * (len(header) + 16))
        for row in r["rows"]:
            ratio = "-" if row["ratio"] is None else f"{row['ratio']:.1f}x"
            print(
                f"{row['measure']:<44} {_fmt(row['store'], row['unit']):>10} "
                f"{_fmt(row['floor'], row['unit']):>10} {ratio:>9}  {row['aim']:<10} "
                f"{row['floor_is']}"
            )


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sizes",
        default="1000,10000,100000",
        help="comma-separated claim counts (default 1000,10000,100000)",
    )
    ap.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    ap.add_argument(
        "--data-dir",
        default=str(ROOT / "bench_out"),
        help="where generated DBs and scratch copies go (default bench_out/)",
    )
    ap.add_argument(
        "--reps",
        type=int,
        default=0,
        help="repetitions of the slow measures (default 7, or 5 at >=100k)",
    )
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ap.add_argument(
        "--profile",
        metavar="WHAT",
        help="cProfile one operation on the largest size instead: "
        "open, status, status-journal, replay, fold, text, settlement",
    )
    ap.add_argument("--top", type=int, default=25, help="lines of profile output (default 25)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        db = Path(args.db)
        if args.child == "time":
            res = child_time(db, args.reps or 5)
        elif args.child in ("mem-floor", "mem-store"):
            res = child_memory(db, args.child.split("-")[1])
        else:
            raise SystemExit(f"unknown child {args.child}")
        print(json.dumps(res))
        return 0

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    if args.profile:
        path = ensure_db(data_dir, max(sizes), args.seed)
        child_profile(path, args.profile, args.top)
        return 0

    results = []
    for n in sizes:
        path = ensure_db(data_dir, n, args.seed)
        reps = args.reps or (5 if n >= 100_000 else 7)
        print(f"measuring N={n:,} ...", file=sys.stderr)
        r = measure(n, path, reps)
        r["rows"] = rows_for(r)
        results.append(r)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print_table(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
