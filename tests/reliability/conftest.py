"""Fixtures for the fault suite, and the figures it prints at the end of a run.

Run it alone with ``.venv/bin/pytest tests/reliability``; ``SITREP_LONG=1`` runs the long
versions (>= 200 crashes per writer kind, a minute of concurrent writers). Each test records
"N tried / M lost" figures with the ``figures`` fixture; they are printed in the terminal summary
and, when ``SITREP_FIGURES=PATH`` is set, written there as JSON.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

_FIGURES: dict[str, dict[str, int | str]] = {}


class Figures:
    """Records one fault class's counts (merged over the tests of that class)."""

    def add(self, fault: str, **counts: int | str) -> None:
        row = _FIGURES.setdefault(fault, {})
        for key, value in counts.items():
            if isinstance(value, int) and isinstance(row.get(key), int):
                row[key] = int(row[key]) + value
            else:
                row[key] = value


@pytest.fixture
def figures() -> Figures:
    return Figures()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _FIGURES:
        return
    mode = "long" if os.environ.get("SITREP_LONG", "") not in ("", "0") else "default"
    terminalreporter.section(f"sitrep reliability figures ({mode} run)")
    for fault, row in sorted(_FIGURES.items()):
        cells = ", ".join(f"{k}={v}" for k, v in row.items())
        terminalreporter.write_line(f"{fault}: {cells}")
    target = os.environ.get("SITREP_FIGURES")
    if target:
        Path(target).write_text(json.dumps({"mode": mode, "figures": _FIGURES}, indent=2) + "\n")
