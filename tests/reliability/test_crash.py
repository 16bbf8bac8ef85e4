"""Crash: kill -9 a writing process at random moments; nothing acknowledged may be lost.

Three writers, each killed over and over on the same DB (so every run also starts from whatever
the previous crash left behind: a journal, a temp file, rotated backups):

* ``cli``: a loop of ``sitrep.cli.main`` calls (set-status / grade / note), one process;
* ``journal``: one journal-mode Store (the dashboard's write path) that folds and reloads;
* ``shell``: a shell loop running the real ``sitrep`` executable (killed as a process group).

After each kill: the main file parses and validates on its own, ``Store.open`` (which replays a
journal left behind) holds every change acknowledged so far exactly once, and no change appears
twice. Default: 40 + 40 + 8 kills; ``SITREP_LONG=1``: 200 + 200 + 40.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from sitrep.store import Store

from .helpers import (
    LONG,
    PYTHON,
    SITREP,
    WRITER,
    check_main_file,
    child_env,
    fresh_db,
    history_notes,
    parse_acks,
)

TRIALS = {"cli": 200 if LONG else 40, "journal": 200 if LONG else 40, "shell": 40 if LONG else 8}


def _verify(db: Path, acked: list[str]) -> int:
    """Check the file after a crash; return how many acknowledged changes are missing."""
    check_main_file(db)
    store = Store.open(db, journal=True)
    notes = history_notes(store.document)
    doubled = [tag for tag, n in notes.items() if n > 1]
    assert not doubled, f"changes applied twice: {doubled[:5]}"
    return sum(1 for tag in acked if notes[tag] != 1)


def _kill_writer(db: Path, mode: str, trial: int, rng: random.Random) -> list[str]:
    args = [PYTHON, str(WRITER), mode, str(db), "--name", f"{mode}{trial}", "--seed", str(trial),
            "--fold-every", str(rng.randint(1, 6)), "--reload-every", str(rng.randint(1, 4))]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=child_env())
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    assert first == b"ready\n", first + proc.stderr.read()
    time.sleep(rng.uniform(0.0, 0.25))
    proc.kill()
    rest = proc.stdout.read()
    err = proc.stderr.read()
    proc.wait()
    assert b"Traceback" not in err, err.decode()
    assert b"\nfail " not in b"\n" + rest, rest.decode()
    return parse_acks(rest)


def _kill_shell_loop(db: Path, trial: int, rng: random.Random) -> list[str]:
    script = (
        'i=0; while :; do i=$((i+1)); '
        '"$SITREP" --db "$DB" note c-cnn-new-front "shell$T-$i" >/dev/null || exit 1; '
        'echo "ack shell$T-$i"; done'
    )
    env = {**child_env(), "SITREP": SITREP, "DB": str(db), "T": str(trial)}
    proc = subprocess.Popen(["bash", "-c", script], stdout=subprocess.PIPE, env=env,
                            start_new_session=True)
    time.sleep(rng.uniform(0.3, 1.5))  # each run of the binary pays Python's start-up
    os.killpg(proc.pid, signal.SIGKILL)
    assert proc.stdout is not None
    out = proc.stdout.read()
    proc.wait()
    return parse_acks(out)


@pytest.mark.parametrize("mode", ["cli", "journal", "shell"])
def test_kill_9_loses_nothing(tmp_path: Path, mode: str, figures) -> None:
    db = fresh_db(tmp_path)
    rng = random.Random(f"crash-{mode}")
    acked: list[str] = []
    lost = corrupt = 0
    for trial in range(TRIALS[mode]):
        if mode == "shell":
            acked += _kill_shell_loop(db, trial, rng)
        else:
            acked += _kill_writer(db, mode, trial, rng)
        try:
            lost = _verify(db, acked)
        except AssertionError:
            corrupt += 1
            raise
        assert lost == 0, f"after kill {trial + 1}: {lost} acknowledged changes lost"
    # Everything folds into one valid file in the end.
    store = Store.open(db, journal=True)
    store.fold()
    doc = check_main_file(db)
    notes = history_notes(doc)
    missing = [tag for tag in acked if notes[tag] != 1]
    assert not missing, missing[:5]
    temps = sorted(p.name for p in tmp_path.glob(".db.json.*.tmp"))
    figures.add(f"crash ({mode})", kills=TRIALS[mode], corrupt_files=corrupt,
                acknowledged=len(acked), lost=len(missing), stale_temp_files=len(temps))
    # A loaded CI machine starts the real binary slowly: the shell loop need not ack per kill.
    floor = TRIALS[mode] if mode != "shell" else TRIALS[mode] // 4
    assert len(acked) > floor, "the writers made too few changes to mean anything"
    assert not temps, f"temp files left behind by crashed writes: {temps}"
