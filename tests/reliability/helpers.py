"""Shared helpers for the fault suite: sample copies, running the CLI, reading tags back."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import orjson

from sitrep import cli
from sitrep.store import read_document, validate_document

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "sitrep.json"
WRITER = Path(__file__).with_name("writer.py")
PYTHON = sys.executable
SITREP = str(Path(sys.executable).with_name("sitrep"))
LONG = os.environ.get("SITREP_LONG", "") not in ("", "0")

TAG = re.compile(r"^[a-z]+\d*-\d+$")

# Claims every writer works on (overlapping on purpose).
HOT_CLAIMS = [
    "c-cnn-new-front",
    "c-hayday-lysychansk-target",
    "c-hayday-lysychansk-outskirts",
    "c-pushilin-lyman-tough",
]


def fresh_db(folder: Path, name: str = "db.json") -> Path:
    """A copy of the sample data in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    shutil.copyfile(SAMPLE, path)
    return path


def child_env() -> dict[str, str]:
    """Environment for sitrep subprocesses: no DB from the caller, a fixed analyst."""
    env = dict(os.environ)
    env.pop("SITREP_DB", None)
    env["SITREP_ANALYST"] = "reliability-suite"
    env["PYTHONPATH"] = str(ROOT)
    return env


def run_sitrep(db: Path, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    """Run the real ``sitrep`` entry point on ``db`` in a subprocess."""
    return subprocess.run(
        [SITREP, "--db", str(db), *args], capture_output=True, env=child_env(), timeout=60,
        **kwargs,
    )


def run_main(argv: list[str]) -> tuple[int, str, str]:
    """Run ``sitrep.cli.main`` in-process; (exit code, stdout, stderr). Any exception other
    than SystemExit escapes, which is what a traceback would be."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def assert_clean_error(code: int, stdout: str | bytes, stderr: str | bytes,
                       expect: tuple[int, ...] | int | None = None) -> None:
    """A failing CLI call: one line on stderr, no traceback, no raw escape bytes."""
    if isinstance(stdout, bytes):
        stdout = stdout.decode("utf-8", "replace")
    if isinstance(stderr, bytes):
        stderr = stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    assert "\x1b" not in stdout and "\x1b" not in stderr
    assert "\x9b" not in stdout and "\x9b" not in stderr
    if expect is not None:
        allowed = (expect,) if isinstance(expect, int) else expect
        assert code in allowed, (code, stderr)
    if code != 0:
        lines = [line for line in stderr.splitlines() if line.strip()]
        assert len(lines) == 1, stderr
        assert lines[0].startswith("sitrep: "), stderr


def history_notes(doc: dict[str, Any]) -> Counter[str]:
    """How often each note text written by the suite (``NAME-N`` tags) occurs in any history."""
    found: Counter[str] = Counter()
    for table in ("claims", "sources", "settlements"):
        for record in (doc.get(table) or {}).values():
            if not isinstance(record, dict):
                continue
            for entry in record.get("history") or []:
                note = entry.get("note") if isinstance(entry, dict) else None
                if isinstance(note, str) and TAG.match(note):
                    found[note] += 1
    return found


def check_main_file(db: Path) -> dict[str, Any]:
    """The main file parses and validates on its own (no journal needed)."""
    doc, _ = read_document(db)
    problems = validate_document(doc)
    assert not problems, [str(p) for p in problems[:5]]
    return doc


def parse_acks(output: bytes) -> list[str]:
    """Tags of every change a writer reported as saved (complete lines only)."""
    tags = []
    for line in output.split(b"\n")[:-1]:  # the last piece may be torn by the kill
        if line.startswith(b"ack "):
            tags.append(line[4:].decode())
    return tags


def dump(doc: Any) -> bytes:
    """Pretty JSON bytes the way the store writes them."""
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"
