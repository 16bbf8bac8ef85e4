"""Shared fixtures: real files in temp folders, the bundled sample data, a fixed analyst."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_data" / "sitrep.json"


@pytest.fixture(autouse=True)
def _analyst(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITREP_ANALYST", "tester")
    monkeypatch.delenv("SITREP_DB", raising=False)


@pytest.fixture
def sample_db(tmp_path: Path) -> Path:
    """A fresh copy of the sample DB in a temp folder."""
    target = tmp_path / "sitrep.json"
    shutil.copyfile(SAMPLE, target)
    return target
