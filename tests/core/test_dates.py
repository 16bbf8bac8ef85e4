"""Dates keep the precision their source gave and are stored as sortable ISO strings."""

from __future__ import annotations

import pytest

from sitrep import dates
from sitrep.dates import Precision
from sitrep.errors import InvalidValueError


@pytest.mark.parametrize(
    ("text", "stored", "precision"),
    [
        ("2022", "2022", Precision.YEAR),
        ("2022-09", "2022-09", Precision.MONTH),
        ("2022-09-10", "2022-09-10", Precision.DAY),
        ("10 Sep 2022", "2022-09-10", Precision.DAY),
        ("September 2022", "2022-09", Precision.MONTH),
        ("Sept 2022", "2022-09", Precision.MONTH),
        ("June 2022", "2022-06", Precision.MONTH),
        ("2022-09-10T14:05:00Z", "2022-09-10T14:05:00Z", Precision.TIME),
        ("2022-09-10T16:05:00+02:00", "2022-09-10T14:05:00Z", Precision.TIME),
        ("2022-09-10T14:05", "2022-09-10T14:05:00Z", Precision.TIME),
        ("2020-02-21T18:08:06+01:00", "2020-02-21T17:08:06Z", Precision.TIME),
    ],
)
def test_parse_keeps_precision(text: str, stored: str, precision: Precision) -> None:
    parsed = dates.parse(text)
    assert parsed.iso() == stored
    assert parsed.precision is precision


@pytest.mark.parametrize("text", ["", "yesterday-ish", "2022-13", "2022-02-30", "32 Sep 2022",
                                  "banana", "12", "September"])
def test_unreadable_date_quotes_the_text(text: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        dates.parse(text)
    assert repr(text) in str(info.value)


def test_non_string_is_refused() -> None:
    with pytest.raises(InvalidValueError):
        dates.parse(20220910)  # type: ignore[arg-type]


def test_stored_forms_sort_chronologically() -> None:
    values = ["2022-09-10T14:05:00Z", "2022-06", "2022", "2022-09-10", "2021-12-31T23:59:59Z"]
    assert sorted(values) == ["2021-12-31T23:59:59Z", "2022", "2022-06", "2022-09-10",
                              "2022-09-10T14:05:00Z"]


def test_covers_counts_a_month_that_has_begun() -> None:
    assert dates.covers("2022-06", "2022-06-15")
    assert dates.covers("2022-06-20", "2022-06")
    assert not dates.covers("2022-07", "2022-06-30")


def test_is_canonical() -> None:
    assert dates.is_canonical("2022-09")
    assert not dates.is_canonical("10 Sep 2022")
    assert not dates.is_canonical(None)
