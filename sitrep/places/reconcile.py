"""Whether two settlement records are one place: pure rules over plain records.

An incoming settlement is **the same** as an existing one when

* they share an external id (``ids: {"geonames": 706483}``) — and are never the same when
  both carry an id of the same kind and the ids differ; or
* they share a name in any spelling (normalised by :func:`sitrep.places.names.name_key`, with
  each Cyrillic name's transliterations added, so ``Харків`` meets ``Kharkiv``; with a
  gazetteer, a name that is a known spelling of one GeoNames place meets the others, so
  ``Kharkov`` meets ``Kharkiv``) **and** either lie within :data:`SAME_KM` of each other or,
  when either lacks coordinates, are in the same region.

Never by distance alone: Lysychansk and Sievierodonetsk are 6 km apart and share no name.
A shared name in different regions is never the same place (there are dozens of Vasylivkas);
when both have coordinates, coordinates decide over the region (two Vasylivkas of one oblast
30 km apart are two places); without them, a name the gazetteer knows for several places of
that region is only a probable match. A shared name with too little to decide (no region or
coordinates on one side) is a **probable duplicate**: the importer creates it and says so.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from sitrep.places.names import (
    name_key,
    ru_bgn,
    ru_simple,
    script,
    uk_bgn,
    uk_national,
)
from sitrep.places.regions import region_code

SAME_KM = 10.0
PROBABLE_KM = 25.0
Record = dict[str, Any]


class NameResolver(Protocol):
    """What reconciliation asks of a gazetteer: the places a name may be."""

    def named(self, name: str) -> list[Any]:
        """Places (with ``geonames`` and ``admin1``) that ``name`` is a settlement name of."""
        ...


@dataclass(frozen=True)
class Verdict:
    """How an incoming settlement relates to one existing settlement."""

    kind: str  # "same", "probable" or "different"
    existing: str | None
    reason: str


@dataclass(frozen=True)
class Duplicate:
    """Two settlements of one DB that are (probably) one place."""

    keep: str
    drop: str
    kind: str  # "same" or "probable"
    reason: str

    def to_json(self) -> dict[str, str]:
        """Plain data for ``--json``."""
        return {"keep": self.keep, "drop": self.drop, "kind": self.kind, "reason": self.reason}


def _names(record: Record) -> list[str]:
    names = [record.get("name")]
    alt = record.get("alt_names")
    if isinstance(alt, list):
        names.extend(alt)
    return [n for n in names if isinstance(n, str) and n.strip()]


def name_keys(record: Record) -> set[str]:
    """Every normalised spelling of a record's names, Cyrillic ones with their transliterations."""
    keys: set[str] = set()
    for name in _names(record):
        keys.add(name_key(name))
        if script(name) == "cyrillic":
            for form in (uk_national(name), uk_bgn(name), ru_bgn(name), ru_simple(name)):
                keys.add(name_key(form))
    keys.discard("")
    return keys


def external_ids(record: Record) -> dict[str, str]:
    """A record's external ids as ``{kind: str(value)}`` (``{"geonames": "706483"}``)."""
    ids = record.get("ids")
    if not isinstance(ids, dict):
        return {}
    return {str(k): str(v) for k, v in ids.items()
            if isinstance(v, str | int) and not isinstance(v, bool) and str(v).strip()}


def distance_km(a: Record, b: Record) -> float | None:
    """Great-circle distance between two records' coordinates, None when one has none."""
    points = []
    for record in (a, b):
        lat, lon = record.get("lat"), record.get("lon")
        if not (isinstance(lat, int | float) and isinstance(lon, int | float)) or isinstance(
                lat, bool) or isinstance(lon, bool):
            return None
        points.append((math.radians(lat), math.radians(lon)))
    (lat1, lon1), (lat2, lon2) = points
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _gazetteer_ids(record: Record, gazetteer: NameResolver | None) -> set[int]:
    if gazetteer is None:
        return set()
    found: set[int] = set()
    for name in _names(record):
        found.update(p.geonames for p in gazetteer.named(name))
    return found


def _namesakes(shared: list[str], region: str, gazetteer: NameResolver | None) -> int:
    """How many gazetteer places of the region bear one of the shared names (0 unknown)."""
    if gazetteer is None or not shared:
        return 0
    return max(len({p.geonames for p in gazetteer.named(key)
                    if getattr(p, "admin1", None) == region}) for key in shared)


def compare(incoming: Record, existing: Record,
            gazetteer: NameResolver | None = None) -> Verdict:
    """The verdict on ``incoming`` against one ``existing`` settlement."""
    sid = existing.get("id") if isinstance(existing.get("id"), str) else None
    ours, theirs = external_ids(incoming), external_ids(existing)
    for kind in ours.keys() & theirs.keys():
        if ours[kind] == theirs[kind]:
            return Verdict("same", sid, f"same {kind} id {ours[kind]}")
        return Verdict("different", sid, f"different {kind} ids ({ours[kind]}, {theirs[kind]})")
    shared = sorted(name_keys(incoming) & name_keys(existing))
    how = f"name {shared[0]!r}" if shared else ""
    if not shared and gazetteer is not None:
        common = _gazetteer_ids(incoming, gazetteer) & _gazetteer_ids(existing, gazetteer)
        if common:
            how = f"names of GeoNames place {min(common)}"
    if not how:
        return Verdict("different", sid, "no name in common")
    km = distance_km(incoming, existing)
    if km is not None:
        if km <= SAME_KM:
            return Verdict("same", sid, f"{how}, {km:.1f} km apart")
        if km <= PROBABLE_KM:
            return Verdict("probable", sid, f"{how}, but {km:.0f} km apart")
        return Verdict("different", sid, f"{how}, but {km:.0f} km apart")
    here, there = region_code(incoming.get("region")), region_code(existing.get("region"))
    if here and there:
        if here == there:
            namesakes = _namesakes(shared, here, gazetteer)
            if namesakes > 1:
                return Verdict("probable", sid, f"{how}, same region, but {namesakes} places "
                               "of that name there and no coordinates to tell")
            return Verdict("same", sid, f"{how}, same region")
        return Verdict("different", sid, f"{how}, but different regions")
    return Verdict("probable", sid, f"{how}; no region or coordinates to tell")


def reconcile(incoming: Record, existing: Iterable[Record],
              gazetteer: NameResolver | None = None) -> Verdict:
    """The existing settlement ``incoming`` is (``same``), may be (``probable``), or
    ``new`` when none. Several equally good matches make it only probable."""
    same: list[Verdict] = []
    probable: list[Verdict] = []
    for record in existing:
        verdict = compare(incoming, record, gazetteer)
        if verdict.kind == "same":
            same.append(verdict)
        elif verdict.kind == "probable":
            probable.append(verdict)
    by_id = [v for v in same if " id " in v.reason]
    if by_id:
        return by_id[0]
    if len(same) == 1:
        return same[0]
    if len(same) > 1:
        ids = ", ".join(str(v.existing) for v in same)
        return Verdict("probable", same[0].existing, f"matches several settlements: {ids}")
    if probable:
        return probable[0]
    return Verdict("new", None, "no settlement in common")


def duplicates(settlements: Iterable[Record],
               gazetteer: NameResolver | None = None) -> list[Duplicate]:
    """Pairs of settlements of one DB that are, or probably are, one place, with the reason.

    Only records sharing a normalised name, an external id or (with a gazetteer) a GeoNames place
    their names are spellings of are compared, so a DB of thousands
    of settlements is checked in well under a second. ``keep`` is the record with more
    names (then the earlier one).
    """
    records = [r for r in settlements if isinstance(r.get("id"), str)]
    buckets: dict[str, list[int]] = {}
    for n, record in enumerate(records):
        keys = {f"name:{k}" for k in name_keys(record)}
        keys |= {f"id:{k}:{v}" for k, v in external_ids(record).items()}
        keys |= {f"gazetteer:{g}" for g in _gazetteer_ids(record, gazetteer)}
        for key in keys:
            buckets.setdefault(key, []).append(n)
    seen: set[tuple[int, int]] = set()
    out: list[Duplicate] = []
    for members in buckets.values():
        for x, a in enumerate(members):
            for b in members[x + 1:]:
                if (a, b) in seen:
                    continue
                seen.add((a, b))
                verdict = compare(records[b], records[a], gazetteer)
                if verdict.kind in ("same", "probable"):
                    keep, drop = records[a], records[b]
                    if len(_names(drop)) > len(_names(keep)):
                        keep, drop = drop, keep
                    out.append(Duplicate(keep["id"], drop["id"], verdict.kind, verdict.reason))
    out.sort(key=lambda d: (d.kind != "same", d.keep, d.drop))
    return out
