"""A writing process for the fault suite: makes changes and prints ``ack TAG`` after each one
is durable, so a test can kill it (-9) at any moment and check that nothing acknowledged is lost.

    python writer.py cli DB --name w1 --seed 3 --duration 5
    python writer.py journal DB --name app --fold-every 4 --reload-every 3

``cli`` runs each change through ``sitrep.cli.main`` (a fresh Store per change, atomic rewrite of
the file, exactly as ``sitrep set-status/grade/note`` do). ``journal`` keeps one journal-mode
Store open, as the dashboard does: each change is one fsync'd journal line, folded into the file
every few changes and re-read (``reload``) now and then. Every change carries a unique tag in
its note, so each acknowledged change can be found (exactly once) in a record's history.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sitrep import cli  # noqa: E402
from sitrep.errors import SitrepError  # noqa: E402
from sitrep.models import STATUSES  # noqa: E402
from sitrep.store import Store  # noqa: E402

CLAIMS = [
    "c-cnn-new-front",
    "c-hayday-lysychansk-target",
    "c-hayday-lysychansk-outskirts",
    "c-pushilin-lyman-tough",
]


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def cli_change(db: str, kind: str, claim: str, tag: str, name: str, rng: random.Random) -> int:
    if kind == "status":
        argv = ["set-status", claim, rng.choice(STATUSES), "--note", tag, "--by", name]
    elif kind == "grade":
        argv = ["grade", claim, str(rng.randint(1, 6)), "--note", tag, "--by", name]
    else:
        argv = ["note", claim, tag, "--by", name]
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = cli.main(["--db", db, *argv])
    if code != 0:
        say(f"fail {tag} {code} {err.getvalue().strip()}")
    return code


def store_change(store: Store, kind: str, claim: str, tag: str, name: str,
                 rng: random.Random) -> None:
    if kind == "status":
        store.set_status(claim, rng.choice(STATUSES), by=name, note=tag)
    elif kind == "grade":
        store.set_credibility(claim, rng.randint(1, 6), by=name, note=tag)
    else:
        store.add_note("claims", claim, tag, by=name)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("cli", "journal"))
    parser.add_argument("db")
    parser.add_argument("--name", default="w")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--duration", type=float, default=3600.0)
    parser.add_argument("--max-changes", type=int, default=10**9)
    parser.add_argument("--fold-every", type=int, default=5)
    parser.add_argument("--reload-every", type=int, default=3)
    parser.add_argument("--pause", type=float, default=0.0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    store = Store.open(args.db, journal=True) if args.mode == "journal" else None
    say("ready")
    deadline = time.monotonic() + args.duration
    n = 0
    while time.monotonic() < deadline and n < args.max_changes:
        n += 1
        tag = f"{args.name}-{n}"
        kind = rng.choice(("status", "grade", "note"))
        claim = rng.choice(CLAIMS)
        if store is None:
            if cli_change(args.db, kind, claim, tag, args.name, rng) == 0:
                say(f"ack {tag}")
        else:
            try:
                if n % args.reload_every == 0:
                    store.reload()
                store_change(store, kind, claim, tag, args.name, rng)
                say(f"ack {tag}")
                if n % args.fold_every == 0:
                    store.fold()
            except SitrepError as exc:
                say(f"fail {tag} {exc}")
        if args.pause:
            time.sleep(rng.uniform(0, args.pause))
    if store is not None:
        store.fold()
    say("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
