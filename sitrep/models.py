"""The analyst's model: claims, sources, settlements, statuses and grades. No I/O here.

Records travel through sitrep as plain dicts shaped exactly like the file (see
``docs/DESIGN.md``), so that fields a person added by hand and their key order survive every
write. The dataclasses below are the typed view of those dicts: they name the fields, their
defaults and their order, and build new records in that order.
"""

from __future__ import annotations

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
    notes: str = ""
    corroborates: list[str] = field(default_factory=list)
    contradicts: list[str] = field(default_factory=list)
    history: list[Record] = field(default_factory=list)

    def to_record(self) -> Record:
        """The claim as stored, in canonical key order."""
        return asdict(self)


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
