"""The analyst's model: claims, sources, settlements, statuses and grades. No I/O here.

Records travel through sitrep as plain dicts shaped exactly like the file (see
``docs/DESIGN.md``), so that fields a person added by hand and their key order survive every
write. The dataclasses below are the typed view of those dicts: they name the fields, their
defaults and their order, and build new records in that order.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

Record = dict[str, Any]

TABLES = ("settlements", "sources", "claims")
META_TABLE = "_meta"
FEEDS_TABLE = "feeds"


class Status(StrEnum):
    """Where a claim stands in the verification workflow."""

    UNVERIFIED = "unverified"
    CORROBORATED = "corroborated"
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"
    FALSE = "false"


class Controller(StrEnum):
    """Who holds a settlement according to one observation."""

    UA = "ua"
    RU = "ru"
    CONTESTED = "contested"
    UNKNOWN = "unknown"


STATUSES: tuple[str, ...] = tuple(s.value for s in Status)
CONTROLLERS: tuple[str, ...] = tuple(c.value for c in Controller)
RELIABILITY_GRADES = ("A", "B", "C", "D", "E", "F")
CREDIBILITY_GRADES = (1, 2, 3, 4, 5, 6)
ALIGNMENTS = ("ua-official", "ru-official", "independent-media", "residents", "unknown")
EVIDENCE_KINDS = ("geolocation", "imagery", "video", "document", "archive")
LINK_FIELDS = ("urls", "evidence", "location")  # a claim's optional links and point

RELIABILITY_MEANING = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
CREDIBILITY_MEANING = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}


def parse_status(value: str) -> Status:
    """The Status named by ``value`` (case-insensitive), or ValueError listing the choices."""
    try:
        return Status(value.strip().lower())
    except (ValueError, AttributeError):
        raise ValueError(
            f"unknown status {value!r} (choose from {', '.join(STATUSES)})"
        ) from None


def parse_reliability(value: str) -> str:
    """An Admiralty source-reliability letter A..F from ``value``, or ValueError."""
    letter = str(value).strip().upper()
    if letter not in RELIABILITY_GRADES:
        raise ValueError(f"reliability must be a letter A-F, not {value!r}")
    return letter


def parse_credibility(value: str | int) -> int:
    """An Admiralty information-credibility digit 1..6 from ``value``, or ValueError."""
    if isinstance(value, bool):
        raise ValueError(f"credibility must be a digit 1-6, not {value!r}")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(f"credibility must be a digit 1-6, not {value!r}") from None
    if number not in CREDIBILITY_GRADES:
        raise ValueError(f"credibility must be a digit 1-6, not {value!r}")
    return number


def parse_grade(value: str) -> tuple[str | None, int | None]:
    """Split an Admiralty grade such as ``B3``, ``B`` or ``3`` into (reliability, credibility)."""
    text = str(value).strip().upper()
    if len(text) == 2 and text[0].isalpha() and text[1].isdigit():
        return parse_reliability(text[0]), parse_credibility(text[1])
    if len(text) == 1 and text.isalpha():
        return parse_reliability(text), None
    if len(text) == 1 and text.isdigit():
        return None, parse_credibility(text)
    raise ValueError(f"grade must look like B, 3 or B3, not {value!r}")


def parse_controller(value: str) -> Controller:
    """The Controller named by ``value``, or ValueError listing the choices."""
    try:
        return Controller(value.strip().lower())
    except (ValueError, AttributeError):
        raise ValueError(
            f"unknown controller {value!r} (choose from {', '.join(CONTROLLERS)})"
        ) from None


@dataclass
class HistoryEntry:
    """One append-only line of a record's history: who changed what, when, and why."""

    at: str
    by: str
    field: str
    from_: Any = None
    to: Any = None
    note: str | None = None

    def to_record(self) -> Record:
        """The entry as stored (``from`` is a Python keyword, hence ``from_`` here)."""
        return {
            "at": self.at,
            "by": self.by,
            "field": self.field,
            "from": self.from_,
            "to": self.to,
            "note": self.note,
        }


@dataclass
class ControlObservation:
    """Who held a settlement as of a date, and what that rests on."""

    controller: str
    as_of: str
    claim: str | None = None
    note: str | None = None

    def to_record(self) -> Record:
        """The observation as stored."""
        return asdict(self)


@dataclass
class Settlement:
    """A place with its names in several scripts and its control over time."""

    id: str
    name: str
    alt_names: list[str] = field(default_factory=list)
    region: str = ""
    country: str = ""
    lat: float | None = None
    lon: float | None = None
    control: list[Record] = field(default_factory=list)
    notes: str = ""
    history: list[Record] = field(default_factory=list)

    def to_record(self) -> Record:
        """The settlement as stored, in canonical key order (no invented coordinates)."""
        record = asdict(self)
        if self.lat is None:
            del record["lat"]
        if self.lon is None:
            del record["lon"]
        return record


@dataclass
class Source:
    """Who makes claims, with the Admiralty reliability of that source."""

    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    role: str = ""
    alignment: str = "unknown"
    reliability: str = "F"
    url: str = ""
    notes: str = ""
    history: list[Record] = field(default_factory=list)

    def to_record(self) -> Record:
        """The source as stored, in canonical key order."""
        return asdict(self)


@dataclass
class Claim:
    """One statement someone made about one or more places."""

    id: str
    text: str
    quote: str = ""
    source: str = ""
    via: str = ""
    origin: str | None = None
    settlements: list[str] = field(default_factory=list)
    reported_at: str | None = None
    event_at: str | None = None
    status: str = Status.UNVERIFIED.value
    credibility: int = 6
    against_interest: bool = False
    tags: list[str] = field(default_factory=list)
    url: str = ""
    urls: list[str] = field(default_factory=list)
    evidence: list[Record] = field(default_factory=list)
    location: Record | None = None
    notes: str = ""
    corroborates: list[str] = field(default_factory=list)
    contradicts: list[str] = field(default_factory=list)
    history: list[Record] = field(default_factory=list)

    def to_record(self) -> Record:
        """The claim as stored, in canonical key order; ``urls``, ``evidence`` and
        ``location`` only when they hold something (most claims have none)."""
        record = asdict(self)
        for name in LINK_FIELDS:
            if not record[name]:
                del record[name]
        return record


@dataclass
class Evidence:
    """One piece of evidence for a claim: a link and what it is (``EVIDENCE_KINDS``)."""

    url: str
    kind: str
    note: str = ""

    def to_record(self) -> Record:
        """The evidence as stored in a claim's ``evidence`` list."""
        return asdict(self)


@dataclass
class Location:
    """A claim's own point (the event geolocated), distinct from the settlements it names."""

    lat: float
    lon: float
    precision_m: float | None = None

    def to_record(self) -> Record:
        """The location as stored in a claim's ``location`` (no invented precision)."""
        record = asdict(self)
        if self.precision_m is None:
            del record["precision_m"]
        return record


MODEL_FOR_TABLE: dict[str, type] = {
    "settlements": Settlement,
    "sources": Source,
    "claims": Claim,
}


def listed(value: Any) -> list[Any]:
    """The items of a list field; a hand edit's lone value (a number, a string) as one item."""
    if isinstance(value, list):
        return value
    return [] if value is None or value == "" else [value]


def _coordinate_problem(value: Any, limit: int) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"must be a number between -{limit} and {limit}, not {_kind(value)}"
    if not math.isfinite(value) or abs(value) > limit:
        return f"must be a number between -{limit} and {limit}, not {value!r}"
    return None


def _kind(value: Any) -> str:
    """What a JSON value is, in words (never the value itself: it may be 300 KB)."""
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
            type(None): "null"}.get(type(value), "a number")


def _url_problem(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"must be a URL string, not {_kind(value)}"
    if not value.strip():
        return "must be a non-empty URL"
    return None


def link_problems(claim: Record) -> list[tuple[str, str]]:
    """What is wrong with a claim's ``urls``, ``evidence`` and ``location``, as (field path,
    message) pairs such as ``("evidence[1].kind", "unknown kind 'photo' (...)")``.

    The one rule for the store's validation and the sitrep feed's import. An absent field,
    ``[]`` and a null ``location`` are fine; each bad item is named by its index."""
    problems: list[tuple[str, str]] = []
    urls = claim.get("urls")
    if urls is not None:
        if not isinstance(urls, list):
            problems.append(("urls", f"must be a list of URL strings, not {_kind(urls)}"))
        else:
            problems += [(f"urls[{n}]", why) for n, url in enumerate(urls)
                         if (why := _url_problem(url))]
    evidence = claim.get("evidence")
    if evidence is not None:
        if not isinstance(evidence, list):
            problems.append(("evidence", "must be a list of {url, kind, note} objects,"
                                         f" not {_kind(evidence)}"))
            evidence = []
        for n, item in enumerate(evidence):
            where = f"evidence[{n}]"
            if not isinstance(item, dict):
                problems.append((where,
                                 f"must be an object {{url, kind, note}}, not {_kind(item)}"))
                continue
            if why := _url_problem(item.get("url")):
                problems.append((f"{where}.url", "is required" if "url" not in item else why))
            kind = item.get("kind")
            if "kind" not in item:
                problems.append((f"{where}.kind",
                                 f"is required (one of {', '.join(EVIDENCE_KINDS)})"))
            elif kind not in EVIDENCE_KINDS:
                shown = f"{kind[:40]!r}" if isinstance(kind, str) else _kind(kind)
                problems.append((f"{where}.kind", f"unknown kind {shown}"
                                 f" (one of {', '.join(EVIDENCE_KINDS)})"))
            note = item.get("note")
            if note is not None and not isinstance(note, str):
                problems.append((f"{where}.note", f"must be a string, not {_kind(note)}"))
    place = claim.get("location")
    if place is not None:
        if not isinstance(place, dict):
            problems.append(("location", "must be an object {lat, lon, precision_m},"
                                         f" not {_kind(place)}"))
            return problems
        for name, limit in (("lat", 90), ("lon", 180)):
            if name not in place:
                problems.append((f"location.{name}", "is required"))
            elif why := _coordinate_problem(place[name], limit):
                problems.append((f"location.{name}", why))
        precision = place.get("precision_m")
        if precision is not None and (
            isinstance(precision, bool) or not isinstance(precision, int | float)
            or not math.isfinite(precision) or precision < 0
        ):
            problems.append(("location.precision_m",
                             "must be a distance in metres (a number >= 0)"))
    return problems


def claim_links(claim: Record) -> list[str]:
    """Every link of a claim, without repeats: ``url``, then ``urls``, then the evidence
    urls. Only strings; a hand edit's odd values are left out."""
    found = [claim.get("url"), *listed(claim.get("urls"))]
    found += [e.get("url") for e in evidence_items(claim)]
    return list(dict.fromkeys(u for u in found if isinstance(u, str) and u.strip()))


def evidence_items(claim: Record) -> list[Record]:
    """The claim's evidence entries that are objects (a hand edit may have left other things)."""
    return [e for e in listed(claim.get("evidence")) if isinstance(e, dict)]


def describe_evidence(item: Any) -> str:
    """One piece of evidence in words, for every front end: ``video https://… — note``. Raw
    data: the caller makes it safe for its output."""
    if not isinstance(item, dict):
        return _words(item)
    kind = item.get("kind")
    text = f"{_words(kind) if kind is not None else '?'} {_words(item.get('url'))}"
    return text + (f" — {_words(item['note'])}" if item.get("note") else "")


def describe_location(place: Any) -> str:
    """A claim's own point in words: ``48.9042, 38.4418 (±50 m)``; anything else as it is."""
    if not isinstance(place, dict):
        return _words(place)
    lat, lon, precision = place.get("lat"), place.get("lon"), place.get("precision_m")
    text = f"{_words(lat)}, {_words(lon)}"
    if isinstance(precision, int | float) and not isinstance(precision, bool):
        text += f" (±{precision:g} m)"
    return text


def control_observations(settlement: Record) -> list[Record]:
    """The settlement's control observations that are objects (a hand edit may have left a
    number, a string or an object where the list belongs: none of them is an observation)."""
    control = settlement.get("control")
    return [obs for obs in control if isinstance(obs, dict)] if isinstance(control, list) else []


def current_control(settlement: Record) -> Record | None:
    """The latest control observation of a settlement (ties: the later in the list)."""
    best: Record | None = None
    for obs in control_observations(settlement):
        if not isinstance(obs, dict) or not isinstance(obs.get("as_of"), str):
            continue
        if best is None or obs["as_of"] >= best["as_of"]:
            best = obs
    return best


def from_prefix(value: str, choices: Sequence[str], what: str) -> str:
    """The one of ``choices`` that ``value`` names, exactly or by a unique prefix, ignoring
    case (``unv`` -> ``unverified``); ValueError naming the choices when it names none or
    several (``c`` could be ``corroborated`` or ``confirmed``)."""
    wanted = str(value).strip().casefold()
    if wanted in choices:
        return wanted
    found = [c for c in choices if c.casefold().startswith(wanted)] if wanted else []
    if len(found) == 1:
        return found[0]
    if found:
        raise ValueError(f"ambiguous {what} {value!r}: could be {', '.join(found)}")
    raise ValueError(f"unknown {what} {value!r} (choose from {', '.join(choices)})")


def _words(value: Any) -> str:
    """A history value as a person reads it: text as it is, anything else as compact JSON."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, dict | list):
        try:
            return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError, RecursionError):
            return "<nested too deeply to show>"
    return str(value)


def describe_control(observation: Any) -> str:
    """A control observation in words: ``ua as of 2022-09 (c-cnn-lyman)``."""
    if not isinstance(observation, dict):
        return _words(observation)
    text = f"{_words(observation.get('controller', '?'))} as of {_words(observation.get('as_of'))}"
    claim = observation.get("claim")
    return text + (f" ({_words(claim)})" if claim else "")


def _conflict_side(side: Any, what: str) -> str:
    """One side of a conflict entry: ``kept confirmed (bob, 2026-11-25T10:00:00Z)``."""
    if not isinstance(side, dict):
        return f"{what} {_words(side)}"
    if side.get("deleted"):
        value = "the deletion"
    elif side.get("absent"):
        value = "the field removed"
    elif "value" in side:
        value = describe_control(side["value"]) if isinstance(side["value"], dict) else _words(
            side["value"])
    else:
        value = "the record"
    return f"{what} {value} ({_words(side.get('by'))}, {_words(side.get('at'))})"


def describe_change(entry: Record) -> str:
    """One history entry's change in words, without its time and author, for every front end
    (``sitrep show`` and the dashboard's detail pane): ``status unverified → confirmed``,
    ``control: ua as of 2022-09 (c-…)``, ``note: text``, ``created — why``. The text is raw
    data: the caller makes it safe for its output."""
    field = entry.get("field")
    before, after, why = entry.get("from"), entry.get("to"), entry.get("note")
    if field == "note" and isinstance(before, str):  # a note undone in the dashboard
        return f"note retracted: {before}"
    if field == "note":
        return f"note: {_words(why)}"
    if field == CONFLICT_FIELD:  # both values in words; which one the record holds
        return (f"conflict on {_words(entry.get('conflict'))}: {_conflict_side(after, 'kept')};"
                f" {_conflict_side(before, 'not kept')}")
    if entry.get(RESOLVES_KEY) == CONFLICT_FIELD:
        return f"{_words(field)} {_words(before)} → {_words(after)} (resolves the conflict)" + (
            f" — {_words(why)}" if why else "")
    if field == "control" and isinstance(after, dict):
        text = f"control: {describe_control(after)}"
    else:
        text = _words(field)
        if before is not None or after is not None:
            text += f" {_words(before)} → {_words(after)}"
    return text + (f" — {_words(why)}" if why else "")
CONFLICT_FIELD = "conflict"  # a history entry's field when a merge recorded two changes
RESOLVES_KEY = "resolves"  # marks the history entry that resolved a conflict on its field


def open_conflicts(record: Record) -> list[Record]:
    """The record's conflict entries (``field: "conflict"``) that no later entry resolved.

    A conflict on field F is resolved by a later history entry of field F that carries
    ``"resolves": "conflict"`` (``sitrep resolve``); the one rule, for every front end.
    """
    history = record.get("history")
    if not isinstance(history, list):
        return []
    found: list[Record] = []
    for entry in history:
        if not isinstance(entry, dict):
            continue
        if entry.get("field") == CONFLICT_FIELD:
            found.append(entry)
        elif entry.get(RESOLVES_KEY) == CONFLICT_FIELD and found:
            subject = entry.get("field")
            found = [e for e in found if e.get("conflict") != subject]
    return found
