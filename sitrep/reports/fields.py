"""A record's fields read safely: a hand edit or a hostile file may put a number where a
string belongs, a lone value where a list belongs, or text where a coordinate belongs. Every
format reads through these, so each gets the same answer and none raises on such a record.
"""

from __future__ import annotations

import functools
import math
import re
from datetime import UTC, datetime
from typing import Any

from sitrep import dates
from sitrep.errors import InvalidValueError
from sitrep.models import (
    CREDIBILITY_GRADES,
    RELIABILITY_GRADES,
    STATUSES,
    Record,
    control_observations,
    evidence_items,
    listed,
)

# The order a report lists statuses in: what stands first, then what is contested.
STATUS_ORDER = ("confirmed", "corroborated", "disputed", "false", "unverified")
STATUS_SYMBOL = {
    "unverified": "?", "corroborated": "+", "confirmed": "✓", "disputed": "!", "false": "✗",
}
_CANONICAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})Z)?)?)?")
_HTTP_URL = re.compile(r"^https?://[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]+$", re.IGNORECASE)
CONTROLLER_LABEL = {"ua": "UA", "ru": "RU", "contested": "contested", "unknown": "unknown"}


def text(value: Any) -> str:
    """A scalar field as a string ("" for None, a list or an object)."""
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, (list, dict)):
        return ""
    return str(value)


def strings(value: Any) -> list[str]:
    """The non-empty strings of a list field (a lone value counts as a list of one)."""
    if isinstance(value, list) and all(v.__class__ is str and v for v in value):
        return value  # the usual case, without a copy
    return [s for s in (text(v) for v in listed(value)) if s]


def status(claim: Record) -> str:
    """The claim's status, or ``unverified`` when the field holds no known status."""
    value = claim.get("status")
    return value if isinstance(value, str) and value in STATUSES else "unverified"


def reliability(source: Record | None) -> str | None:
    """The source's Admiralty letter A..F, or None when unknown."""
    value = source.get("reliability") if source else None
    return value if isinstance(value, str) and value in RELIABILITY_GRADES else None


def credibility(claim: Record) -> int | None:
    """The claim's Admiralty digit 1..6, or None when unknown."""
    value = claim.get("credibility")
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if value in CREDIBILITY_GRADES else None


def grade(source: Record | None, claim: Record) -> str:
    """Reliability and credibility written together (``B3``; ``?`` for what is unknown)."""
    cred = credibility(claim)
    return f"{reliability(source) or '?'}{cred if cred is not None else '?'}"


@functools.lru_cache(maxsize=1 << 16)
def _read_date(value: str) -> tuple[str, str, datetime] | None:
    # Stored dates are nearly always in the canonical form, read here without dateutil (a
    # hundred times faster); anything else goes through sitrep.dates. Cached: days repeat.
    canonical = _CANONICAL_DATE.fullmatch(value)
    if canonical:
        y, mo, d, hh, mi, ss = canonical.groups()
        try:
            begin = datetime(int(y), int(mo or 1), int(d or 1), int(hh or 0), int(mi or 0),
                             int(ss or 0), tzinfo=UTC)
        except ValueError:
            return None
        return value, "time" if hh else "day" if d else "month" if mo else "year", begin
    try:
        parsed = dates.parse(value)
    except InvalidValueError:
        return None
    return parsed.iso(), parsed.precision.value, parsed.start


def start(value: Any) -> datetime | None:
    """The first instant (UTC) of a date field's period, or None when it holds no date."""
    found = _read_date(value) if isinstance(value, str) and value else None
    return found[2] if found else None


def date(value: Any) -> str | None:
    """A stored date string, or None when the field holds no readable date."""
    if not isinstance(value, str) or not value:
        return None
    found = _read_date(value)
    return found[0] if found else None


def precision(value: Any) -> str:
    """The precision of a date field (``year``, ``month``, ``day``, ``time``), or ""."""
    found = _read_date(value) if isinstance(value, str) and value else None
    return found[1] if found else ""


def date_label(value: Any) -> str:
    """A date with its precision, e.g. ``2022-06 (month)``; ``undated`` when there is none."""
    found = _read_date(value) if isinstance(value, str) and value else None
    if found is None:
        return "undated" if value in (None, "") else f"{text(value)} (unreadable)"
    return f"{found[0]} ({found[1]})"


def claim_date(claim: Record) -> str | None:
    """The date a claim is about: its event date, else the date it was reported."""
    return date(claim.get("event_at")) or date(claim.get("reported_at"))


def number(value: Any) -> float | None:
    """A finite number, or None (``True`` is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    result = float(value)
    return result if math.isfinite(result) else None


def coordinates(record: Any) -> tuple[float, float] | None:
    """(lat, lon) of a settlement or a claim's ``location``, when both are valid WGS 84."""
    if not isinstance(record, dict):
        return None
    lat, lon = number(record.get("lat")), number(record.get("lon"))
    if lat is None or lon is None or not -90 <= lat <= 90 or not -180 <= lon <= 180:
        return None
    return lat, lon


def location(claim: Record) -> tuple[float, float, float | None] | None:
    """(lat, lon, precision in metres or None) of a claim's own ``location``, when valid."""
    place = claim.get("location")
    point = coordinates(place)
    if point is None or not isinstance(place, dict):
        return None
    precision = number(place.get("precision_m"))
    return point[0], point[1], precision if precision is not None and precision >= 0 else None


def observations(settlement: Record) -> list[Record]:
    """The settlement's control observations with a readable date, oldest first (ties keep
    their order in the list, so the later of two on one date is current, as in models)."""
    dated = [(date(obs.get("as_of")), i, obs)
             for i, obs in enumerate(control_observations(settlement))]
    return [obs for when, _, obs in sorted((d for d in dated if d[0]), key=lambda d: d[:2])]


def controller(observation: Record | None) -> str:
    """Who holds the place according to an observation (``unknown`` when unreadable)."""
    value = observation.get("controller") if observation else None
    return value if isinstance(value, str) and value in CONTROLLER_LABEL else "unknown"


def control_since(settlement: Record) -> tuple[Record | None, str | None]:
    """The current control observation and the date the current controller has held since
    (the first of the latest run of observations with that controller)."""
    history = observations(settlement)
    if not history:
        return None, None
    current = history[-1]
    since = date(current.get("as_of"))
    for obs in reversed(history):
        if controller(obs) != controller(current):
            break
        since = date(obs.get("as_of"))
    return current, since


def counts_by_status(claims: list[Record]) -> dict[str, int]:
    """How many of ``claims`` have each status, every status present (zeros included)."""
    counts = dict.fromkeys(STATUSES, 0)
    for claim in claims:
        counts[status(claim)] += 1
    return counts


def history(record: Record) -> list[Record]:
    """The record's history entries that are objects."""
    return [h for h in listed(record.get("history")) if isinstance(h, dict)]


def names(settlement: Record) -> list[str]:
    """The settlement's name followed by its other names, without repeats."""
    return list(dict.fromkeys([n for n in [text(settlement.get("name"))] if n]
                              + strings(settlement.get("alt_names"))))


def http_url(value: Any) -> str | None:
    """The value when it is a plain ASCII http(s) URL (no spaces, quotes, angle brackets or
    control characters), so it can be shown as a link; else None."""
    url = text(value).strip()
    return url if _HTTP_URL.match(url) else None


def urls(claim: Record) -> list[str]:
    """The claim's ``urls`` (its links beside ``url``), the non-empty strings only."""
    value = claim.get("urls")
    return strings(value) if value else []


def evidence(claim: Record) -> list[tuple[str, str, str]]:
    """The claim's evidence as (url, kind, note) strings; an item without a url is left out
    (a kind or note that is not text reads as "")."""
    if not claim.get("evidence"):
        return []
    found = [(text(e.get("url")), text(e.get("kind")), text(e.get("note")))
             for e in evidence_items(claim)]
    return [item for item in found if item[0]]
