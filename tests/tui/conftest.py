"""Fixtures for dashboard tests: a real DB file in a temp folder, a real Store, a fixed clock."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sitrep.store import Store
from sitrep.tui.app import SitrepApp

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data" / "sitrep.json"
FIXED = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def fixed_clock() -> datetime:
    """Always the same instant, so history entries and pictures are stable."""
    return FIXED


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A fresh copy of the sample DB."""
    target = tmp_path / "sitrep.json"
    shutil.copyfile(SAMPLE, target)
    return target


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[[Path], SitrepApp]:
    """Build the app on a DB path with the fixed clock and an empty config folder."""

    def make(path: Path, **options: Any) -> SitrepApp:
        store = Store.open(path, journal=True, clock=fixed_clock)
        config = tmp_path / "config"
        config.mkdir(exist_ok=True)
        return SitrepApp(store, now=fixed_clock, config=config, poll_interval=0.2, **options)

    return make


def read_claims(path: Path) -> dict[str, dict[str, Any]]:
    """The claims in the main file on disk, by id."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {c["id"]: c for c in doc["claims"].values()}


def read_sources(path: Path) -> dict[str, dict[str, Any]]:
    """The sources in the main file on disk, by id."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {s["id"]: s for s in doc["sources"].values()}


async def workers_done(app: SitrepApp) -> None:
    """Wait until the app's workers are done. An exclusive worker (the disk poller, every
    0.2 s here) cancelled by its successor is done too: Textual's wait_for_complete raises
    WorkerCancelled for it, which made tests fail now and then."""
    from textual.worker import WorkerCancelled

    for _ in range(50):
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue


async def ready(pilot, app: SitrepApp) -> None:
    """Wait until the model is loaded and workers are idle."""
    for _ in range(100):
        await pilot.pause(0.02)
        if app.model is not None:
            break
    await workers_done(app)
    await pilot.pause()
