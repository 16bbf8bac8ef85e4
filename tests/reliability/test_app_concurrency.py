"""Concurrent writers, the dashboard itself: the real app (headless under Pilot, in this process)
pressing status, grade and note keys on the 4 hot claims, while 4 CLI processes loop
``python -m sitrep --db DB set-status/grade/note`` on the same claims, for a bounded time.

Afterwards (the app has quit, which folds its journal): every change made — each CLI command
that exited 0, each app change that the app reported durable — is in the file exactly once;
each writer's changes appear in each claim's history in the order it made them; and every
status/credibility entry's ``from`` is the previous entry's ``to``. Default 5 s; long 60 s; each
writer goes on until it has made 3 changes, so a loaded host lengthens the run instead of
failing it.
"""

from __future__ import annotations

import random
import subprocess
import threading
import time
from pathlib import Path

import orjson

from sitrep.store import Store

from .app_driver import TAG, make_app, make_change, tag_counts, wait_ready
from .helpers import HOT_CLAIMS, LONG, PYTHON, SAMPLE, check_main_file, child_env, fresh_db
from .test_concurrency import _check_chain

DURATION = 60.0 if LONG else 5.0
MIN_CHANGES = 3  # each writer goes on past DURATION until it has made this many
HARD_STOP = DURATION + 180.0  # ...but never longer than this (a loaded host is slow, not stuck)


def _going(deadline: float, hard_stop: float, made: int) -> bool:
    """Whether a writer makes another change: until the duration is over and it has made
    MIN_CHANGES, so a slow host lengthens the run instead of failing the count."""
    now = time.monotonic()
    return now < hard_stop and (now < deadline or made < MIN_CHANGES)


def _cli_loop(db: Path, name: str, seed: int, deadline: float, hard_stop: float,
              acked: list[str], failures: list[str]) -> None:
    """One CLI writer: a fresh ``python -m sitrep`` process per change."""
    rng = random.Random(seed)
    n = 0
    while _going(deadline, hard_stop, len(acked)):
        n += 1
        tag = f"{name}-{n}"
        claim = rng.choice(HOT_CLAIMS)
        kind = rng.choice(("status", "grade", "note"))
        if kind == "status":
            status = rng.choice(("unverified", "corroborated", "confirmed", "disputed", "false"))
            argv = ["set-status", claim, status, "--note", tag, "--by", name]
        elif kind == "grade":
            argv = ["grade", claim, str(rng.randint(1, 6)), "--note", tag, "--by", name]
        else:
            argv = ["note", claim, tag, "--by", name]
        result = subprocess.run([PYTHON, "-m", "sitrep", "--db", str(db), *argv],
                                capture_output=True, env=child_env(), timeout=120)
        if result.returncode == 0:
            acked.append(tag)
        else:
            failures.append(f"{tag}: {result.returncode} {result.stderr.decode()[-300:]}")


def _tags_in_history(claim: dict) -> list[str]:
    tags = []
    for entry in claim["history"]:
        for value in (entry.get("note"), entry.get("by")):
            if isinstance(value, str) and TAG.match(value):
                tags.append(value)
                break
    return tags


async def test_app_and_four_cli_processes(tmp_path: Path, figures) -> None:
    db = fresh_db(tmp_path)
    deadline = time.monotonic() + DURATION
    hard_stop = time.monotonic() + HARD_STOP
    acked: dict[str, list[str]] = {f"cli{n}": [] for n in range(1, 5)}
    failures: list[str] = []
    threads = [threading.Thread(target=_cli_loop, args=(db, name, n, deadline, hard_stop,
                                                        acked[name], failures))
               for n, name in enumerate(acked, start=2)]
    app = make_app(db, "app")
    acked["app"] = []
    noops = 0
    rng = random.Random(1)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot, app)
        for thread in threads:
            thread.start()
        n = 0
        while _going(deadline, hard_stop, len(acked["app"])):
            n += 1
            tag = f"app-{n}"
            _kind, _claim, effective = await make_change(
                pilot, app, rng, tag, claim=rng.choice(HOT_CLAIMS), others_write=True)
            if effective:
                acked["app"].append(tag)
            else:  # a CLI had just set that very value: no change to record
                noops += 1
        for thread in threads:
            thread.join(timeout=HARD_STOP + 120)
        await pilot.press("q")  # folds the journal into the file
    assert not failures, failures[:3]

    doc = check_main_file(db)
    assert not db.with_name(db.name + ".journal").exists(), "quit did not fold the journal"
    counts = tag_counts(doc)
    made = sum(len(tags) for tags in acked.values())
    found = sum(1 for tags in acked.values() for tag in tags if counts[tag] == 1)
    doubled = [tag for tag, k in counts.items() if k > 1]
    figures.add("concurrent writers (app under Pilot + 4 CLI)", seconds=int(DURATION),
                writers=len(acked), changes_made=made, changes_found=found, lost=made - found,
                app_changes=len(acked["app"]), app_no_ops=noops)
    assert not doubled, doubled[:5]
    assert found == made, [t for tags in acked.values() for t in tags if counts[t] != 1][:10]
    assert all(len(tags) >= 3 for tags in acked.values()), {k: len(v) for k, v in acked.items()}

    before = {c["id"]: c for c in orjson.loads(SAMPLE.read_bytes())["claims"].values()}
    store = Store.open(db)
    for claim_id in HOT_CLAIMS:
        claim = store.claim(claim_id)
        assert claim is not None
        tags = _tags_in_history(claim)
        for name in acked:
            mine = [int(t.rsplit("-", 1)[1]) for t in tags if t.rsplit("-", 1)[0] == name]
            assert mine == sorted(mine), (claim_id, name, mine)
        _check_chain(claim, before[claim_id], "status")
        _check_chain(claim, before[claim_id], "credibility")
