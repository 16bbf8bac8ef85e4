"""Dates with precision: the only module that uses python-dateutil.

A date in sitrep is an ISO 8601 string whose *form* carries its precision:

====================  =========
``"2022"``            year
``"2022-06"``         month
``"2022-06-24"``      day
``"2022-09-10T14:05:00Z"``  time, always normalised to UTC with ``Z``
====================  =========

Every form starts with the year and times are UTC, so string order is the chronological order
of period starts; that keeps sorting and ``since:`` filters cheap. "In June" stays a month: the
parser never invents a day or a time the source did not give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from dateutil import parser as du_parser

from sitrep.errors import InvalidValueError


class Precision(StrEnum):
    """How much of a date the source actually gave."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"
    TIME = "time"


_ISO_YEAR = re.compile(r"^\d{4}$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH_NAMES = [
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "sept",
]
_HAS_DAY_NUMBER = re.compile(r"(?<![\d])(\d{1,2})(st|nd|rd|th)?(?![\d])")
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")


@dataclass(frozen=True, slots=True)
class FuzzyDate:
    """A point or period in time with the precision its source gave."""

    start: datetime  # aware, UTC: the first instant of the period
    precision: Precision

    def iso(self) -> str:
        """The canonical stored form (see the module docstring)."""
        s = self.start
        if self.precision is Precision.YEAR:
            return f"{s.year:04d}"
        if self.precision is Precision.MONTH:
            return f"{s.year:04d}-{s.month:02d}"
        if self.precision is Precision.DAY:
            return f"{s.year:04d}-{s.month:02d}-{s.day:02d}"
        return s.strftime("%Y-%m-%dT%H:%M:%SZ")


def _month_mentioned(text: str) -> bool:
    words = re.findall(r"[a-z]+", text.lower())
    return any(w in _MONTH_NAMES for w in words)


def parse(text: str) -> FuzzyDate:
    """Read a date a person or a feed wrote, keeping its precision.

    Accepts ISO 8601 with or without time and zone (a time without zone is taken as UTC),
    ``"2022"``, ``"2022-09"``, ``"10 Sep 2022"``, ``"September 2022"``. Raises
    InvalidValueError quoting the text when it cannot be read.
    """
    if not isinstance(text, str):
        raise InvalidValueError(f"not a date: {text!r} (expected a string such as 2022-09-10)")
    raw = text.strip()
    if not raw or len(raw) > 64:
        raise InvalidValueError(f"cannot read date {text!r}")
    try:
        if _ISO_YEAR.match(raw):
            return FuzzyDate(datetime(int(raw), 1, 1, tzinfo=UTC), Precision.YEAR)
        if m := _ISO_MONTH.match(raw):
            return FuzzyDate(datetime(int(m[1]), int(m[2]), 1, tzinfo=UTC), Precision.MONTH)
        if m := _ISO_DAY.match(raw):
            return FuzzyDate(datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=UTC), Precision.DAY)
        if "T" in raw or _HAS_TIME.search(raw):
            parsed = du_parser.isoparse(raw) if "T" in raw else du_parser.parse(raw)
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            return FuzzyDate(parsed.astimezone(UTC), Precision.TIME)
        if not _month_mentioned(raw):
            raise ValueError("no month name")
        default = datetime(1, 1, 1)
        parsed = du_parser.parse(raw, default=default)
        has_day = bool(_HAS_DAY_NUMBER.search(re.sub(r"\d{4}", "", raw)))
        if parsed.year == 1 and not re.search(r"\d{4}", raw):
            raise ValueError("no year")
        precision = Precision.DAY if has_day else Precision.MONTH
        start = datetime(parsed.year, parsed.month, parsed.day if has_day else 1, tzinfo=UTC)
        return FuzzyDate(start, precision)
    except (ValueError, OverflowError, du_parser.ParserError) as exc:
        raise InvalidValueError(f"cannot read date {text!r}") from exc


def normalize(text: str) -> str:
    """Parse ``text`` and return its canonical stored form."""
    return parse(text).iso()


def is_canonical(value: object) -> bool:
    """True when ``value`` is already a date string in the stored form."""
    if not isinstance(value, str):
        return False
    try:
        return parse(value).iso() == value
    except InvalidValueError:
        return False


def precision_of(value: str) -> Precision:
    """The precision of a stored date string."""
    return parse(value).precision


def utc_now_iso(now: datetime | None = None) -> str:
    """The current instant (or ``now``) in the stored form, to the second."""
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def as_of_key(value: str | date | datetime) -> str:
    """A sortable key comparable with stored date strings (for "as of D" questions)."""
    if isinstance(value, datetime):
        return utc_now_iso(value if value.tzinfo else value.replace(tzinfo=UTC))
    if isinstance(value, date):
        return value.isoformat()
    return normalize(value)


_LAST_CHARACTER = "\U0010ffff"


def horizon(as_of: str) -> str:
    """The bound of "by the end of ``as_of``": a stored date ``d`` has begun by then exactly
    when ``d < horizon(as_of)``.

    Stored forms are prefixes of one another from year to time, so a period has begun by the
    end of ``as_of``'s period when it sorts before ``as_of`` or starts with it (lies inside it):
    ``as_of`` followed by the last character sorts after both and before everything later. One
    string comparison per record is what lets an as-of view of 100k claims take milliseconds.
    """
    return as_of + _LAST_CHARACTER


def covers(stored: str, as_of: str) -> bool:
    """True when the period ``stored`` has started by the end of the period ``as_of``.

    An observation dated "2022-06" counts for "as of 2022-06-15": the month had begun.
    """
    return stored < horizon(as_of)
