"""The real dashboard as a writing process for the crash test: ``SitrepApp`` headless under
Pilot, pressing status / grade / note keys on claims in a loop, printing ``ack TAG`` after each
change the app reports durable (``changes_durable()``), so the test can kill -9 it at any moment.

    python app_writer.py DB --name app3 --seed 3 --fold-every 4

Every ``--fold-every`` changes it also starts the app's own idle fold (``fold_journal``, the
worker the dashboard runs 2 s after the last key), so kills land during folds too.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

from app_driver import make_app, make_change, wait_ready  # noqa: E402


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())


async def run(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    app = make_app(Path(args.db), args.name)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot, app)
        say("ready")
        deadline = time.monotonic() + args.duration
        n = 0
        while time.monotonic() < deadline:
            n += 1
            tag = f"{args.name}-{n}"
            try:
                kind, claim, effective = await make_change(pilot, app, rng, tag)
            except AssertionError as exc:
                say(f"fail {tag} {exc}")
                return
            say(f"ack {tag}" if effective else f"noop {tag}")
            if n % args.fold_every == 0:
                app.saver.fold_journal()
        say("done")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--name", default="app")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--duration", type=float, default=3600.0)
    parser.add_argument("--fold-every", type=int, default=4)
    asyncio.run(run(parser.parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
