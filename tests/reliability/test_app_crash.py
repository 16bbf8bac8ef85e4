"""Crash, the dashboard itself: kill -9 the real app (headless under Pilot, in a child process)
while it makes changes with its keys; nothing it reported durable may be lost.

``app_writer.py`` presses status, grade and note keys on claims in a loop and prints ``ack TAG``
after each change once ``changes_durable()`` says so; every few changes it also starts the app's
idle fold. The test kills it at a random moment (some kills land during start-up, while the
journal a previous kill left is being replayed; the others after 0-3 acknowledged changes, at a
random moment of the next one), over and over on the same file. After each
kill the main file parses and validates on its own, and ``Store.open`` (which replays the
journal) holds every acknowledged change exactly once. Default 15 kills; ``SITREP_LONG=1``: 200.
"""

from __future__ import annotations

import random
import subprocess
import time
from pathlib import Path

from sitrep.store import Store

from .app_driver import tag_counts
from .helpers import LONG, PYTHON, check_main_file, child_env, fresh_db, parse_acks

APP_WRITER = Path(__file__).with_name("app_writer.py")
KILLS = 200 if LONG else 15


def _kill_app(db: Path, trial: int, rng: random.Random) -> list[str]:
    args = [PYTHON, str(APP_WRITER), str(db), "--name", f"app{trial}", "--seed", str(trial),
            "--fold-every", str(rng.randint(1, 5))]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=child_env())
    assert proc.stdout is not None and proc.stderr is not None
    if trial % 5 == 4:  # kill during start-up: opening, replaying the journal, first frame
        time.sleep(rng.uniform(0.05, 0.5))
        head = b""
    else:  # after 0-3 acks, at a random moment of the next change(s)
        head = proc.stdout.readline()
        assert head == b"ready\n", head + proc.stderr.read()
        for _ in range(rng.randint(0, 3)):
            head += proc.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.5))
    proc.kill()
    rest = head + proc.stdout.read()
    err = proc.stderr.read()
    proc.wait()
    assert b"Traceback" not in err, err.decode()
    assert b"\nfail " not in b"\n" + rest, rest.decode()
    return parse_acks(rest)


def _verify(db: Path, acked: list[str]) -> int:
    """The file after a kill: valid on its own; with the journal, every ack exactly once."""
    check_main_file(db)
    counts = tag_counts(Store.open(db, journal=True).document)
    doubled = [tag for tag, n in counts.items() if n > 1]
    assert not doubled, f"changes applied twice: {doubled[:5]}"
    return sum(1 for tag in acked if counts[tag] != 1)


def test_kill_9_of_the_app_loses_nothing(tmp_path: Path, figures) -> None:
    db = fresh_db(tmp_path)
    rng = random.Random("crash-app")
    acked: list[str] = []
    corrupt = 0
    for trial in range(KILLS):
        acked += _kill_app(db, trial, rng)
        try:
            lost = _verify(db, acked)
        except AssertionError:
            corrupt += 1
            raise
        assert lost == 0, f"after kill {trial + 1}: {lost} acknowledged changes lost"
    store = Store.open(db, journal=True)
    store.fold()
    counts = tag_counts(check_main_file(db))
    missing = [tag for tag in acked if counts[tag] != 1]
    temps = sorted(p.name for p in tmp_path.glob(".db.json.*.tmp"))
    figures.add("crash (app under Pilot)", kills=KILLS, corrupt_files=corrupt,
                acknowledged=len(acked), lost=len(missing), stale_temp_files=len(temps))
    assert not missing, missing[:5]
    assert len(acked) >= KILLS // 2, "the app made too few changes to mean anything"
    assert not temps, f"temp files left behind by crashed writes: {temps}"
