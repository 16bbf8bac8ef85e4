"""GeoJSON (RFC 7946): a FeatureCollection for a map layer.

* a Point per settlement with coordinates, ``[lon, lat]`` in WGS 84 (RFC 7946 has no
  ``crs``); properties ``kind: "settlement"``, ``id``, ``name``, ``names`` (every spelling),
  ``region``, ``country``, ``control`` with ``control_as_of`` and ``control_since``, the
  number of ``claims`` and ``claims_by_status``;
* a Point per claim that carries its own ``location`` (``{lat, lon, precision_m}``), with
  ``kind: "claim"``, ``id``, ``text``, ``status``, ``grade``, ``source``, dates,
  ``precision_m``, its ``settlements`` and its links: ``url``, ``urls`` and ``evidence``
  (``[{url, kind, note}]``).

A settlement without valid coordinates is left out (never placed at 0,0) and counted in
:func:`summary`. Strings keep every character; those a terminal would act on are written as
``\\u`` escapes, so the file is safe to print.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain, repeat
from typing import Any

from sitrep.models import STATUSES, Record
from sitrep.reports import fields
from sitrep.reports.encoding import json_bytes
from sitrep.reports.view import View


def _point(lat: float, lon: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def status_counts(view: View) -> dict[str, dict[str, int]] | None:
    """For each settlement id, how many claims have each status: exactly
    ``fields.counts_by_status(view.claims_by_settlement[sid])`` for every id the claims
    name, counted in C (one Counter of (id, status) pairs). None when a claim's status or
    settlements are not of their usual types (a list of non-empty strings, a known status):
    then each settlement's claims are counted as the plain definition does."""
    claims = view.claims
    statuses: list[Any] = list(map(dict.get, claims, repeat("status")))
    places: list[Any] = list(map(dict.get, claims, repeat("settlements")))
    try:
        if not set(statuses) <= _STATUSES:
            return None
    except TypeError:  # a list or an object in the field
        return None
    if not set(map(type, places)) <= {list}:
        return None
    every = list(chain.from_iterable(places))
    if not set(map(type, every)) <= {str} or not all(every):
        return None
    once = list(map(dict.fromkeys, places))  # a place named twice by one claim counts once
    pairs = Counter(zip(chain.from_iterable(once),
                        chain.from_iterable(map(repeat, statuses, map(len, once))), strict=True))
    counts: dict[str, dict[str, int]] = {}
    for (sid, status), n in pairs.items():
        if sid not in counts:
            counts[sid] = dict.fromkeys(STATUSES, 0)
        counts[sid][status] = n
    return counts


_STATUSES = frozenset(STATUSES)


def _control(settlement: Record) -> tuple[str | None, str | None, str | None]:
    """Who holds the place, since when and as of when: exactly what
    ``fields.control_since`` gives (controller, since, the current observation's date), each
    observation's date read once and the controller of the current one once."""
    control = settlement.get("control")
    if not isinstance(control, list):
        return None, None, None
    date = fields.date
    # (date, position, observation): sorted as fields.observations sorts them (by date, then
    # by position, which is unique, so the observations themselves are never compared)
    history = sorted([(when, i, obs) for i, obs in enumerate(control)
                      if isinstance(obs, dict) and (when := date(obs.get("as_of")))])
    if not history:
        return None, None, None
    controller = fields.controller
    as_of, _, current = history[-1]
    holder = controller(current)
    since = as_of
    for when, _, obs in reversed(history):
        if controller(obs) != holder:
            break
        since = when
    return holder, since, as_of


def _coordinates(record: Record) -> tuple[float, float] | None:
    """``fields.coordinates``, the usual two floats read without its calls."""
    lat, lon = record.get("lat"), record.get("lon")
    if lat.__class__ is float and lon.__class__ is float:  # NaN fails the range test
        return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None
    return fields.coordinates(record)


def settlement_feature(view: View, settlement: Record,
                       counts: dict[str, dict[str, int]] | None = None) -> dict[str, Any] | None:
    """The settlement as a Point Feature, or None without valid coordinates; ``counts`` is
    :func:`status_counts` when it was made (else the settlement's claims are counted)."""
    point = _coordinates(settlement)
    if point is None:
        return None
    text = fields.text
    sid = text(settlement.get("id"))
    holder, since, as_of = _control(settlement)
    if counts is None:
        by_status = fields.counts_by_status(view.claims_by_settlement.get(sid, []))
    else:
        by_status = counts.get(sid) or dict.fromkeys(STATUSES, 0)
    return {
        "type": "Feature",
        "id": sid,
        "geometry": {"type": "Point", "coordinates": [point[1], point[0]]},
        "properties": {
            "kind": "settlement",
            "id": sid,
            "name": text(settlement.get("name")),
            "names": fields.names(settlement),
            "region": text(settlement.get("region")),
            "country": text(settlement.get("country")),
            "control": holder,
            "control_as_of": as_of,
            "control_since": since,
            "claims": sum(by_status.values()),
            "claims_by_status": by_status,
        },
    }


def claim_feature(view: View, claim: Record) -> dict[str, Any] | None:
    """The claim as a Point Feature at its own location, or None when it has none."""
    place = fields.location(claim)
    if place is None:
        return None
    cid = fields.text(claim.get("id"))
    return {
        "type": "Feature",
        "id": cid,
        "geometry": _point(place[0], place[1]),
        "properties": {
            "kind": "claim",
            "id": cid,
            "text": fields.text(claim.get("text")),
            "status": fields.status(claim),
            "grade": view.grade(claim),
            "source": fields.text(claim.get("source")),
            "reported_at": fields.date(claim.get("reported_at")),
            "event_at": fields.date(claim.get("event_at")),
            "precision_m": place[2],
            "settlements": fields.strings(claim.get("settlements")),
            "url": fields.text(claim.get("url")),
            "urls": fields.urls(claim),
            "evidence": [{"url": url, "kind": kind, "note": note}
                         for url, kind, note in fields.evidence(claim)],
        },
    }


def feature_collection(view: View) -> dict[str, Any]:
    """The view as a GeoJSON FeatureCollection (a dict)."""
    counts = status_counts(view)
    features = [f for s in view.settlements if (f := settlement_feature(view, s, counts))]
    features += [f for c in view.claims if "location" in c and (f := claim_feature(view, c))]
    return {"type": "FeatureCollection", "features": features}


def export_geojson(view: View) -> bytes:
    """The view as GeoJSON bytes (UTF-8, indented, trailing newline)."""
    return json_bytes(feature_collection(view))


def summary(view: View, **_options: Any) -> str:
    """One line: what the layer holds and how many settlements were left out."""
    placed = sum(1 for s in view.settlements if _coordinates(s))
    located = sum(1 for c in view.claims if "location" in c and fields.location(c))
    missing = len(view.settlements) - placed
    return (f"{placed} settlements and {located} located claims as GeoJSON; "
            f"{missing} settlements without coordinates left out")
