"""Snapshot tests (pytest-textual-snapshot): what the analyst sees, at 80x24 and 120x40.

The clock is fixed (conftest), the DB is the bundled sample, and every picture waits for the
model to load. Update with ``pytest tests/tui --snapshot-update`` after checking the change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ready


async def _loaded(pilot) -> None:
    await ready(pilot, pilot.app)


def test_first_screen_80x24(db: Path, make_app, snap_compare):
    """All four panes at 80x24: settlements (control, counts, latest) beside the status counts
    and triage queue; claims grouped by source with grade and status symbols; the detail of the
    first claim; the header with file name and counts; the footer with the claims pane's keys."""
    assert snap_compare(make_app(db), terminal_size=(80, 24), run_before=_loaded)


def test_triage_with_marks_and_filter_80x24(db: Path, make_app, snap_compare):
    """After filtering to ``status:unv`` and marking two claims with space: the header says
    '2 marked' and shows the filter; marked rows carry '*'; the verification bars count only
    the filtered claims; the filter line is closed again (enter)."""

    async def run(pilot) -> None:
        await _loaded(pilot)
        await pilot.press("slash", *"status:unv", "enter", "space", "space")
        await pilot.app.workers.wait_for_complete()

    assert snap_compare(make_app(db), terminal_size=(80, 24), run_before=run)


def test_wide_layout_with_history_120x40(db: Path, make_app, snap_compare):
    """At 120x40 the panes form a 2x2 grid: settlements and claims on the left, verification
    and detail on the right. The first claim was just confirmed with 'v': its row reads
    '✓ conf', the counts moved, and the detail shows the new history line by 'tester'."""

    async def run(pilot) -> None:
        await _loaded(pilot)
        await pilot.press("v", "k", "j")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make_app(db), terminal_size=(120, 40), run_before=run)


def test_no_color_80x24(db: Path, make_app, snap_compare, monkeypatch: pytest.MonkeyPatch):
    """With NO_COLOR=1 nothing depends on colour: statuses read '? unver', '✓ conf'; the
    focused pane's title starts with '▶' and its cursor row with '›'; the verification pane
    is focused (tab twice… shift+tab) and its triage queue lists the oldest claims first."""
    monkeypatch.setenv("NO_COLOR", "1")

    async def run(pilot) -> None:
        await _loaded(pilot)
        await pilot.press("shift+tab", "shift+tab")

    assert snap_compare(make_app(db), terminal_size=(80, 24), run_before=run)


def test_help_80x24(db: Path, make_app, snap_compare):
    """'?' lists every key with its description and the id to remap it by."""

    async def run(pilot) -> None:
        await _loaded(pilot)
        await pilot.press("question_mark")

    assert snap_compare(make_app(db), terminal_size=(80, 24), run_before=run)
