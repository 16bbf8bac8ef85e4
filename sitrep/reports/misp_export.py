"""A MISP event in MISP's core format (the JSON MISP imports and ``pymisp`` loads).

=================  ========================================================================
sitrep             MISP
=================  ========================================================================
the export         one ``Event`` (``info`` names the scope and as-of date; unpublished,
                   distribution "your organisation only")
settlement         a ``geolocation`` object: latitude, longitude, ``city`` (its name),
                   ``region``, ``countrycode``, ``text`` (control and claim counts)
claim              an ``annotation`` object: ``text`` (the claim; the quote as a second
                   ``text``), ``format`` text, ``ref`` (its http(s) URL), ``creation-date``;
                   ``first_seen`` is its event date (else reported date); the claim's
                   ``text`` attribute carries the tags ``admiralty-scale:source-reliability
                   ="b"``, ``admiralty-scale:information-credibility="3"`` and
                   ``sitrep:status="unverified"``; the object's comment names source and grade
claim links        more ``ref`` link attributes: each of ``urls``, each piece of evidence
                   (``evidence (kind): note`` in the comment); a claim's own ``location``
                   is a ``geolocation`` object (``accuracy-radius`` in km) the claim
                   references as ``located-at``
links              object references: the claim ``mentions`` each settlement, is
                   ``derived-from`` the claim it relays, and ``related-to`` the claims it
                   corroborates or contradicts (the comment says which)
=================  ========================================================================

Written as plain JSON (``pymisp`` builds one Python object per attribute, far too slow for
100k claims); the tests load it back with pymisp's ``MISPEvent``. UUIDs are UUIDv5 of
sitrep's ids and timestamps come from the data, so the same records give the same event.
MISP has no date precision: a month such as ``2022-06`` becomes its first instant, and the
precision is said in the object's comment. Sources are named in comments, not objects.
"""

from __future__ import annotations

import uuid
from typing import Any

from sitrep.models import Record
from sitrep.reports import fields
from sitrep.reports.encoding import json_bytes
from sitrep.reports.ids import uuid5
from sitrep.reports.view import View

NAMESPACE = uuid.UUID("0b8d6f4e-8c1f-5a36-a6a4-3d2f7e9c1b57")  # sitrep's MISP ids, fixed
GEOLOCATION = {"name": "geolocation", "template_uuid": "cd6f2238-ba55-4888-82c4-104e6e1acf21",
               "template_version": "8", "meta-category": "misc"}
ANNOTATION = {"name": "annotation", "template_uuid": "5d8dc046-15a1-4ca3-a09f-ed4ede7c4487",
              "template_version": "3", "meta-category": "misc"}


def _uuid(kind: str, rid: str) -> str:
    return uuid5(NAMESPACE, f"{kind}:{rid}")


def _datetime(value: Any) -> str | None:
    """A stored date as MISP's datetime (the period's first instant, UTC), or None."""
    begin = fields.start(value)
    return begin.strftime("%Y-%m-%dT%H:%M:%S+00:00") if begin else None


def _epoch(values: list[Any]) -> str:
    """The latest of ``values`` (stored dates) as a Unix timestamp string ("0" if none)."""
    stamps = [begin.timestamp() for begin in map(fields.start, values) if begin]
    return str(int(max(stamps))) if stamps else "0"


def _attribute(kind: str, rid: str, relation: str, type_: str, value: Any,
               timestamp: str, **extra: Any) -> dict[str, Any]:
    return {"uuid": _uuid(f"{kind}:{relation}", rid), "object_relation": relation,
            "type": type_, "category": "Other", "to_ids": False, "distribution": "5",
            "disable_correlation": True, "value": value, "timestamp": timestamp, **extra}


def _tag(name: str) -> dict[str, Any]:
    return {"name": name}


def _geolocation(view: View, settlement: Record) -> dict[str, Any] | None:
    point = fields.coordinates(settlement)
    if point is None:
        return None
    sid = fields.text(settlement.get("id"))
    stamp = _epoch([h.get("at") for h in fields.history(settlement)]
                   + [o.get("as_of") for o in fields.observations(settlement)])
    current, since = fields.control_since(settlement)
    counts = fields.counts_by_status(view.claims_by_settlement.get(sid, []))
    held = (f"control {fields.controller(current)} since {since}" if current
            else "control not recorded")
    summary = f"{held}; {sum(counts.values())} claims: " + ", ".join(
        f"{n} {s}" for s, n in counts.items() if n)
    values = [("latitude", "float", point[0]), ("longitude", "float", point[1]),
              ("city", "text", fields.text(settlement.get("name")) or sid),
              ("region", "text", fields.text(settlement.get("region"))),
              ("countrycode", "text", fields.text(settlement.get("country"))),
              ("text", "text", summary)]
    return {**GEOLOCATION, "uuid": _uuid("settlement", sid), "distribution": "5",
            "timestamp": stamp, "comment": f"sitrep settlement {sid}",
            "Attribute": [_attribute("settlement", sid, r, t, v, stamp)
                          for r, t, v in values if v != ""]}


def _annotation(view: View, claim: Record, places: dict[str, str],
                claim_uuids: dict[str, str]) -> dict[str, Any]:
    cid = fields.text(claim.get("id"))
    stamp = _epoch([h.get("at") for h in fields.history(claim)] + [claim.get("reported_at")])
    source = view.source_of(claim)
    letter, cred = fields.reliability(source), fields.credibility(claim)
    tags = [_tag(f'sitrep:status="{fields.status(claim)}"')]
    if letter:
        tags.insert(0, _tag(f'admiralty-scale:source-reliability="{letter.lower()}"'))
    if cred is not None:
        tags.insert(1 if letter else 0, _tag(f'admiralty-scale:information-credibility="{cred}"'))
    attributes = [_attribute("claim", cid, "text", "text",
                             fields.text(claim.get("text")) or cid, stamp, Tag=tags)]
    if quote := fields.text(claim.get("quote")):
        attributes.append(_attribute("claim-quote", cid, "text", "text", quote, stamp,
                                     comment="verbatim quote"))
    attributes.append(_attribute("claim", cid, "format", "text", "text", stamp))
    if url := fields.http_url(claim.get("url")):
        attributes.append(_attribute("claim", cid, "ref", "link", url, stamp))
    attributes += _link_attributes(claim, cid, stamp)
    if created := _datetime(claim.get("reported_at")):
        attributes.append(_attribute("claim", cid, "creation-date", "datetime", created, stamp))
    name = (fields.text(source.get("name")) if source else "") or fields.text(claim.get("source"))
    comment = (f"sitrep claim {cid} by {name or 'unknown source'} ({view.grade(claim)}), "
               f"{fields.status(claim)}; event {fields.date_label(claim.get('event_at'))}, "
               f"reported {fields.date_label(claim.get('reported_at'))}")
    refs = [_reference(cid, places[s], "mentions", None)
            for s in dict.fromkeys(fields.strings(claim.get("settlements"))) if s in places]
    origin = fields.text(claim.get("origin"))
    if origin in claim_uuids and origin != cid:
        refs.append(_reference(cid, claim_uuids[origin], "derived-from", "origin"))
    for kind in ("corroborates", "contradicts"):
        refs += [_reference(cid, claim_uuids[o], "related-to", kind)
                 for o in dict.fromkeys(fields.strings(claim.get(kind)))
                 if o in claim_uuids and o != cid]
    if "location" in claim and fields.location(claim):
        refs.append(_reference(cid, _uuid("claim-location", cid), "located-at", None))
    first_seen = _datetime(claim.get("event_at")) or _datetime(claim.get("reported_at"))
    return {**ANNOTATION, "uuid": claim_uuids[cid], "distribution": "5", "timestamp": stamp,
            "comment": comment, **({"first_seen": first_seen} if first_seen else {}),
            "Attribute": attributes, **({"ObjectReference": refs} if refs else {})}


def _link_attributes(claim: Record, cid: str, stamp: str) -> list[dict[str, Any]]:
    """More ``ref`` link attributes: each of ``urls``, then each piece of evidence (its kind
    and note in the comment). Only http(s) URLs; repeats of ``url`` left out."""
    seen = {fields.http_url(claim.get("url"))}
    found = []
    for n, value in enumerate(fields.urls(claim)):
        if (url := fields.http_url(value)) and url not in seen:
            seen.add(url)
            found.append(_attribute(f"claim-url:{n}", cid, "ref", "link", url, stamp))
    for n, (value, kind, note) in enumerate(fields.evidence(claim)):
        if url := fields.http_url(value):
            comment = f"evidence ({kind or 'unknown kind'})" + (f": {note}" if note else "")
            found.append(_attribute(f"claim-evidence:{n}", cid, "ref", "link", url, stamp,
                                    comment=comment))
    return found


def _claim_geolocation(claim: Record) -> dict[str, Any] | None:
    """A ``geolocation`` object at the claim's own point (``accuracy-radius`` in km)."""
    place = fields.location(claim) if "location" in claim else None
    if place is None:
        return None
    cid = fields.text(claim.get("id"))
    stamp = _epoch([h.get("at") for h in fields.history(claim)] + [claim.get("reported_at")])
    values: list[tuple[str, str, Any]] = [("latitude", "float", place[0]),
                                          ("longitude", "float", place[1])]
    if place[2] is not None:
        values.append(("accuracy-radius", "float", place[2] / 1000))
    values.append(("text", "text", f"location of claim {cid}"))
    return {**GEOLOCATION, "uuid": _uuid("claim-location", cid), "distribution": "5",
            "timestamp": stamp, "comment": f"sitrep claim location {cid}",
            "Attribute": [_attribute("claim-location", cid, r, t, v, stamp)
                          for r, t, v in values]}


def _reference(cid: str, target: str, kind: str, comment: str | None) -> dict[str, Any]:
    return {"uuid": _uuid(f"reference:{kind}:{target}", cid),
            "object_uuid": _uuid("claim", cid), "referenced_uuid": target,
            "relationship_type": kind, **({"comment": comment} if comment else {})}


def event(view: View) -> dict[str, Any]:
    """The view as one MISP event (``{"Event": {...}}``)."""
    objects = [o for s in view.settlements if (o := _geolocation(view, s))]
    places = {o["comment"].removeprefix("sitrep settlement "): o["uuid"] for o in objects}
    claim_uuids = {cid: _uuid("claim", cid) for cid in view.claim_by_id}
    seen: set[str] = set()
    for claim in view.claims:
        cid = fields.text(claim.get("id"))
        if cid and cid not in seen:
            seen.add(cid)
            objects.append(_annotation(view, claim, places, claim_uuids))
            if located := _claim_geolocation(claim):
                objects.append(located)
    reported = [c.get("reported_at") for c in view.claims]
    latest = max((d for d in map(fields.start, reported) if d), default=None)
    scope = f"filter {view.scope}" if view.scope else "all records"
    return {"Event": {
        "uuid": _uuid("event", f"{view.scope}|{view.as_of}|{'|'.join(sorted(seen))}"),
        "info": f"sitrep export: {scope}, as of {view.as_of or 'latest data'}",
        "date": latest.strftime("%Y-%m-%d") if latest else "1970-01-01",
        "threat_level_id": "4", "analysis": "1", "distribution": "0", "published": False,
        "timestamp": max([o["timestamp"] for o in objects] or ["0"], key=int),
        "Tag": [], "Attribute": [], "Object": objects,
    }}


def export_misp(view: View) -> bytes:
    """The view as MISP event JSON bytes (indented, trailing newline)."""
    return json_bytes(event(view))


def summary(view: View, **_options: Any) -> str:
    """One line: what the event holds."""
    placed = sum(1 for s in view.settlements if fields.coordinates(s))
    located = sum(1 for c in view.claim_by_id.values() if "location" in c and fields.location(c))
    return (f"1 MISP event: {placed + located} geolocation objects ({located} of claims), "
            f"{len(view.claim_by_id)} annotation "
            f"objects; {len(view.settlements) - placed} settlements without coordinates "
            f"left out")
