"""Fixtures for the terminal layer: the installed ``sitrep`` on a pty, a fresh sample DB.

Every Terminal a test starts is killed (with its process group) when the test ends, pass or
fail, so no dashboard outlives its test.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from .harness import Terminal, sitrep_executable, terminal_env

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data" / "sitrep.json"

Start = Callable[..., Terminal]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A fresh copy of the sample DB."""
    target = tmp_path / "db" / "sitrep.json"
    target.parent.mkdir()
    shutil.copyfile(SAMPLE, target)
    return target


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Start]:
    """Start ``sitrep [args]`` on a pty: ``start("--db", path, columns=80, lines=24,
    env={...}, drop=("NO_COLOR",))``. Killed at teardown."""
    started: list[Terminal] = []
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)

    def run(*args: str | Path, columns: int = 80, lines: int = 24,
            env: Mapping[str, str] | None = None, drop: tuple[str, ...] = ()) -> Terminal:
        argv = [sitrep_executable(), *map(str, args)]
        term = Terminal(argv, columns=columns, lines=lines,
                        env=terminal_env(home, env, drop), cwd=tmp_path)
        started.append(term)
        return term

    yield run
    for term in started:
        term.kill()
