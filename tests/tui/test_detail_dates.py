"""The detail pane names a date's precision as sitrep.dates reads it, not by its length."""

from __future__ import annotations

import pytest

from sitrep.tui.widgets.detail_pane import with_precision


@pytest.mark.parametrize(("value", "shown"), [
    ("2022", "2022 (year)"),
    ("2022-09", "2022-09 (month)"),
    ("2022-09-10", "2022-09-10 (day)"),
    ("2022-09-10T06:30:00Z", "2022-09-10T06:30:00Z (time)"),
    ("2022-13", "2022-13"),          # seven characters, and no month: not a date
    ("2022-09-1x", "2022-09-1x"),    # ten characters, not a day
    (None, "-"),
])
def test_with_precision(value: str | None, shown: str) -> None:
    assert with_precision(value) == shown
