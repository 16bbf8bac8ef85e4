"""Measure the semantic three-way merge against its floor: parsing the three files.

    .venv/bin/python benchmarks/bench_merge.py                    # N = 1k, 10k, 100k
    .venv/bin/python benchmarks/bench_merge.py --sizes 100000 --profile

For each N the synthetic DB of ``benchmarks/generate.py`` is the ancestor; two analysts each
make N/100 changes to it (1,000 at 100k): status and credibility changes and notes through the
store's ops (with history), hand edits without history, new claims, deleted claims, control
observations, a tenth of them on claims the other analyst also changes, so that conflicts
occur. The three files are cached in ``--data-dir`` (default ``bench_out/``, git-ignored).

Each size runs in a fresh subprocess. Printed beside each figure, its floor and the ratio:

* merge: ``merge_documents`` on the three parsed documents vs reading and parsing the three
  files with orjson (GC paused), the least a merge driver must do;
* whole job: what ``sitrep merge`` will do (read and parse three files, merge, serialise the
  result) vs reading, parsing and serialising alone.

The aim (issue 11) is merge <= 3x the floor. Timings are medians of ``--reps`` runs.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402
from sitrep.document_merge import Side, merge_documents  # noqa: E402
from sitrep.models import STATUSES  # noqa: E402
from sitrep.store import dump_document  # noqa: E402
from sitrep.store.index import Index  # noqa: E402
from sitrep.store.ops import apply_op, json_copy  # noqa: E402

AIM_RATIO = 3.0
OURS_AT, THEIRS_AT = "2026-12-01T10:00:00Z", "2026-12-01T11:00:00Z"


# --- the three files -----------------------------------------------------------------------------

def _edit(doc: dict[str, Any], rng: random.Random, targets: list[str], shared: set[str],
          analyst: str, day: int) -> None:
    """Make ``len(targets)`` changes to ``doc`` in place, the way analysts make them; on the
    ``shared`` claims, which the other analyst changes too, a status change."""
    index = Index()
    index.rebuild(doc)
    claims = doc["claims"]
    key_of = index.by_id["claims"]
    settlement_ids = [s["id"] for s in doc["settlements"].values()]
    for n, rid in enumerate(targets):
        at = f"2026-11-{day:02d}T{n % 24:02d}:{n % 60:02d}:00Z"
        kind = 0.0 if rid in shared else rng.random()
        op: dict[str, Any] | None = None
        if kind < 0.40:
            op = {"op": "set", "table": "claims", "at": at, "by": analyst, "id": rid,
                  "fields": {"status": rng.choice(STATUSES)}}
        elif kind < 0.55:
            op = {"op": "set", "table": "claims", "at": at, "by": analyst, "id": rid,
                  "fields": {"credibility": rng.randrange(1, 7)}}
        elif kind < 0.70:
            op = {"op": "note", "table": "claims", "at": at, "by": analyst, "id": rid,
                  "note": f"{analyst} checked this against imagery"}
        elif kind < 0.80:
            claims[key_of[rid]]["notes"] = f"hand edit by {analyst}"  # in vim: no history
        elif kind < 0.90:
            new = dict(claims[key_of[rid]], id=f"{rid}-{analyst}", history=[])
            op = {"op": "put", "table": "claims", "at": at, "by": analyst, "record": new,
                  "field": "created"}
        elif kind < 0.95:
            op = {"op": "delete", "table": "claims", "at": at, "by": analyst, "id": rid}
        else:
            op = {"op": "append", "table": "settlements", "at": at, "by": analyst,
                  "id": rng.choice(settlement_ids), "field": "control",
                  "value": {"controller": "contested", "as_of": "2022-10-01", "claim": None,
                            "note": analyst}}
        if op is not None:
            apply_op(doc, index, op)


def ensure_files(data_dir: Path, n: int, seed: int) -> tuple[Path, Path, Path, int]:
    """The ancestor and the two analysts' versions for ``n`` claims, made on first use."""
    changes = max(1, n // 100)
    paths = tuple(data_dir / f"merge-{n}-s{seed}-{part}.json"
                  for part in ("base", "ours", "theirs"))
    if not all(p.exists() for p in paths):
        print(f"generating the three {n}-claim files ...", file=sys.stderr)
        data_dir.mkdir(parents=True, exist_ok=True)
        base = generate(n, seed=seed)
        ids = [c["id"] for c in base["claims"].values()]
        rng = random.Random(seed)
        shared = rng.sample(ids, max(1, changes // 10))
        docs = [base]
        for analyst, day in (("alice", 10), ("bob", 11)):
            doc = json_copy(base)
            own = rng.sample(ids, changes - len(shared))
            targets = list(dict.fromkeys(own + shared))
            rng.shuffle(targets)
            _edit(doc, rng, targets, set(shared), analyst, day)
            docs.append(doc)
        for path, doc in zip(paths, docs, strict=True):
            path.write_bytes(dump_document(doc))
    return (*paths, changes)


# --- timing --------------------------------------------------------------------------------------

def _parse(paths: tuple[Path, ...]) -> tuple[float, list[Any]]:
    gc.collect()
    gc.disable()
    try:
        t0 = time.perf_counter()
        docs = [orjson.loads(p.read_bytes()) for p in paths]
        return time.perf_counter() - t0, docs
    finally:
        gc.enable()


def child(paths: tuple[Path, Path, Path], reps: int) -> dict[str, Any]:
    """All timings for one size (run in its own process)."""
    floor, merge, job, job_floor = [], [], [], []
    conflicts = 0
    for _ in range(reps):
        t_parse, (base, ours, theirs) = _parse(paths)
        floor.append(t_parse)
        gc.collect()
        t0 = time.perf_counter()
        result = merge_documents(base, Side(ours, OURS_AT, "alice"),
                                 Side(theirs, THEIRS_AT, "bob"))
        t_merge = time.perf_counter() - t0
        merge.append(t_merge)
        t0 = time.perf_counter()
        dump_document(result.document)
        t_dump = time.perf_counter() - t0
        t0 = time.perf_counter()
        dump_document(ours)
        t_dump_floor = time.perf_counter() - t0
        job.append(t_parse + t_merge + t_dump)
        job_floor.append(t_parse + t_dump_floor)
        conflicts = len(result.conflicts)
        del base, ours, theirs, result
    med = statistics.median
    return {"floor": med(floor), "merge": med(merge), "job": med(job),
            "job_floor": med(job_floor), "conflicts": conflicts,
            "bytes": sum(p.stat().st_size for p in paths)}


def profile(paths: tuple[Path, Path, Path]) -> None:
    """cProfile one merge and print the top lines."""
    import cProfile
    import pstats

    _, (base, ours, theirs) = _parse(paths)
    prof = cProfile.Profile()
    prof.enable()
    merge_documents(base, Side(ours, OURS_AT, "alice"), Side(theirs, THEIRS_AT, "bob"))
    prof.disable()
    pstats.Stats(prof).sort_stats("tottime").print_stats(20)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000", help="claim counts, comma-separated")
    ap.add_argument("--data-dir", default=str(ROOT / "bench_out"), help="where files are cached")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--reps", type=int, default=0, help="repetitions (default 5; 3 at 100k)")
    ap.add_argument("--profile", action="store_true", help="cProfile the largest size's merge")
    ap.add_argument("--child", nargs=3, metavar="PATH", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        paths = tuple(Path(p) for p in args.child)
        print(json.dumps(child(paths, args.reps or 3)))  # type: ignore[arg-type]
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.profile:
        profile(ensure_files(Path(args.data_dir), max(sizes), args.seed)[:3])
        return 0
    print(f"{'claims':>8} {'changes':>8} {'measure':<44} {'merge':>9} {'floor':>9} {'ratio':>7}"
          f"  aim")
    for n in sizes:
        *paths, changes = ensure_files(Path(args.data_dir), n, args.seed)
        reps = args.reps or (3 if n >= 100_000 else 5)
        proc = subprocess.run([sys.executable, __file__, "--child", *map(str, paths),
                               "--reps", str(reps)], capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            return 1
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        rows = [
            (f"merge_documents ({r['conflicts']} conflicts)", r["merge"], r["floor"],
             f"<= {AIM_RATIO:g}x", "parse the 3 files"),
            ("read 3 + merge + serialise the result", r["job"], r["job_floor"], "",
             "read 3 + serialise one"),
        ]
        for name, value, floor, aim, floor_is in rows:
            print(f"{n:>8} {changes:>8} {name:<44} {value * 1000:>7.0f}ms {floor * 1000:>7.0f}ms"
                  f" {value / floor:>6.2f}x  {aim:<8} floor: {floor_is}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
