"""Several processes on one file: concurrent writers lose nothing, kill -9 never corrupts."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sitrep.store import Store

WRITER = """
import sys
from sitrep.store import Store
db, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for n in range(count):
    store = Store.open(db)
    store.add_note("claims", "c-hayday-lysychansk-outskirts", f"{name}-{n}", by=name)
    print(f"{name}-{n}", flush=True)
"""


def test_two_processes_writing_at_once_lose_nothing(sample_db: Path) -> None:
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(sample_db), name, "25"],
                              stdout=subprocess.PIPE, text=True) for name in ("a", "b")]
    acked = set()
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0
        acked.update(out.split())
    history = Store.open(sample_db).claim("c-hayday-lysychansk-outskirts")["history"]
    notes = {h["note"] for h in history if h["field"] == "note"}
    assert acked == notes and len(notes) == 50


def test_kill_9_during_a_write_loop_always_leaves_a_parseable_file(sample_db: Path) -> None:
    for attempt in range(8):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(sample_db), f"k{attempt}",
                                 "1000"], stdout=subprocess.PIPE, text=True)
        time.sleep(0.4 + 0.07 * attempt)
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        json.loads(sample_db.read_text())  # parses
        notes = {h["note"] for h in Store.open(sample_db).claim(
            "c-hayday-lysychansk-outskirts")["history"] if h["field"] == "note"}
        assert set(out.split()) <= notes  # every acknowledged change is there
