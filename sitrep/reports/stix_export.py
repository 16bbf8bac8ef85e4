"""A STIX 2.1 bundle for a threat-intelligence platform, made with the ``stix2`` library
(the ``exports`` extra) so every object is checked as it is built.

=================  ========================================================================
sitrep             STIX 2.1
=================  ========================================================================
source             ``identity`` (name, role as ``roles``; reliability A..F and alignment in
                   sitrep's property extension)
settlement         ``location`` (name, ``country``, region as ``administrative_area``,
                   latitude/longitude, GeoNames (ids.geonames) as an external reference)
claim              ``note``: ``content`` (the text, then the quote), the quote again,
                   status, grade and dates with their precision in the extension,
                   ``object_refs`` to its locations (its source when it names none),
                   ``created_by_ref`` to its source, ``confidence`` from credibility
                   (1→90, 2→70, 3→50, 4→30, 5→10; 6 leaves it out), tags as ``labels``;
                   ``url`` and ``urls`` as external references (sitrep-claim), each
                   piece of evidence as one (``sitrep-evidence-<kind>``, its note the
                   description); a claim's own ``location`` as a ``location`` object
                   (latitude, longitude, ``precision`` in metres) in its ``object_refs``
status            an ``opinion`` on the note by the exporting analyst (confirmed
                   strongly-agree, corroborated agree, unverified neutral, disputed
                   disagree, false strongly-disagree); the last status note explains it
origin             ``relationship`` derived-from (the claim to the claim or source it relays)
corroborates       ``relationship`` related-to (description "corroborates"); contradicts
                   the same with description "contradicts"
=================  ========================================================================

Ids are UUIDv5 of sitrep's ids, and ``created``/``modified`` come from the records' own
history and dates (never the clock), so exporting the same records twice gives the same
bundle byte for byte. Data travels only in string properties. sitrep's own fields are a
STIX 2.1 property extension (the 2.1 way of custom properties), defined by an
``extension-definition`` object in the bundle.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from sitrep.errors import SitrepError
from sitrep.models import EVIDENCE_KINDS, Record
from sitrep.reports import fields
from sitrep.reports.encoding import json_bytes
from sitrep.reports.ids import uuid5
from sitrep.reports.view import View

NAMESPACE = uuid.UUID("6f1f0a52-3f0c-5c1e-9d57-1a5b2a8f4c11")  # sitrep's, fixed forever
CONFIDENCE = {1: 90, 2: 70, 3: 50, 4: 30, 5: 10}
OPINION = {
    "confirmed": "strongly-agree", "corroborated": "agree", "unverified": "neutral",
    "disputed": "disagree", "false": "strongly-disagree",
}
EPOCH = "1970-01-01T00:00:00Z"
# sitrep's own fields travel in one STIX 2.1 property extension, defined in the bundle.
TOOL_ID = f"identity--{uuid.uuid5(NAMESPACE, 'tool:sitrep')}"
EXTENSION_ID = f"extension-definition--{uuid.uuid5(NAMESPACE, 'extension:sitrep:1')}"
EXTENSION_SCHEMA = (
    "sitrep's fields for the records it exports (plain text): on identity, id, reliability "
    "(Admiralty A-F) and alignment; on location, id and names; on note, id, status, grade "
    "(e.g. B3), quote, reported_at and event_at (ISO 8601, the form is the precision) and "
    "independent_origins. All strings except independent_origins (an integer)."
)


def _stix2() -> Any:
    try:
        import stix2  # type: ignore[import-untyped]
    except ImportError:
        raise SitrepError("STIX export needs the stix2 library: pip install 'sitrep[exports]'"
                          ) from None
    return stix2


def stix_id(kind: str, table: str, rid: str) -> str:
    """The deterministic STIX id of a sitrep record (``note--<uuid5>``)."""
    return f"{kind}--{uuid5(NAMESPACE, f'{table}:{rid}')}"


def _timestamp(value: Any) -> str | None:
    """A stored date as a STIX timestamp (a date's first instant), or None."""
    begin = fields.start(value)
    return begin.strftime("%Y-%m-%dT%H:%M:%SZ") if begin else None


def _times(record: Record, *dated: Any) -> tuple[str, str]:
    """(created, modified) from the record's history, else its own dates, else the epoch."""
    stamps = sorted(t for t in (_timestamp(h.get("at")) for h in fields.history(record)) if t)
    own = sorted(t for t in (_timestamp(d) for d in dated) if t)
    created = (stamps or own or [EPOCH])[0]
    modified = max([created, *stamps])
    return created, modified


def _maybe(**values: Any) -> dict[str, Any]:
    """Keyword arguments without the empty ones (STIX has no empty strings or lists)."""
    return {k: v for k, v in values.items() if v not in (None, "", [])}


def _extension(**values: Any) -> dict[str, Any]:
    """sitrep's own fields as the ``extensions`` property of an object."""
    return {EXTENSION_ID: {"extension_type": "property-extension", **_maybe(**values)}}


class Builder:
    """Turns one view into STIX objects, remembering which ids it has made."""

    def __init__(self, view: View) -> None:
        self.view = view
        self.stix = _stix2()
        self.objects: list[Any] = []
        self.locations: dict[str, str] = {}
        self.identities: dict[str, str] = {}
        self.notes: dict[str, str] = {}
        self.created: dict[str, str] = {}
        self.skipped_locations = 0

    def build(self) -> list[Any]:
        """Every object of the bundle, in a fixed order."""
        view = self.view
        analyst = view.analyst or "sitrep"
        self.analyst_id = stix_id("identity", "analyst", analyst)
        self.objects.append(self.stix.v21.Identity(
            id=TOOL_ID, name="sitrep", identity_class="system", created=EPOCH, modified=EPOCH,
            description="sitrep, the claims tracker that wrote this bundle",
        ))
        self.objects.append(self.stix.v21.ExtensionDefinition(
            id=EXTENSION_ID, created_by_ref=TOOL_ID, created=EPOCH, modified=EPOCH,
            name="sitrep record fields", schema=EXTENSION_SCHEMA, version="1.0",
            description="the fields of sitrep claims, sources and settlements that STIX lacks",
            extension_types=["property-extension"],
        ))
        self.objects.append(self.stix.v21.Identity(
            id=self.analyst_id, name=analyst, identity_class="individual",
            created=EPOCH, modified=EPOCH, description="the analyst who exported this bundle",
        ))
        for source in view.sources:
            self._identity(source)
        for settlement in view.settlements:
            self._location(settlement)
        for claim in view.claims:
            self._note(claim)
        for claim in view.claims:
            self._opinion(claim)
            self._relationships(claim)
        return self.objects

    def _identity(self, source: Record) -> None:
        sid = fields.text(source.get("id"))
        if not sid or sid in self.identities:
            return
        created, modified = _times(source)
        self.identities[sid] = stix_id("identity", "sources", sid)
        self.objects.append(self.stix.v21.Identity(
            id=self.identities[sid], created=created, modified=modified,
            name=fields.text(source.get("name")) or sid, identity_class="unknown",
            extensions=_extension(id=sid, reliability=fields.reliability(source),
                                  alignment=fields.text(source.get("alignment"))),
            **_maybe(roles=[r] if (r := fields.text(source.get("role"))) else None,
                     description=fields.text(source.get("notes")),
                     external_references=_links(source, "sitrep-source")),
        ))

    def _location(self, settlement: Record) -> None:
        sid = fields.text(settlement.get("id"))
        point = fields.coordinates(settlement)
        country = fields.text(settlement.get("country"))
        if not sid or sid in self.locations:
            return
        if point is None and not country:
            self.skipped_locations += 1
            return
        created, modified = _times(settlement)
        refs = _links(settlement, "sitrep-settlement") or []
        ids = settlement.get("ids")
        geonames = fields.text(ids.get("geonames")) if isinstance(ids, dict) else ""
        if geonames:
            refs.append({"source_name": "geonames", "external_id": geonames,
                         **({"url": f"https://www.geonames.org/{geonames}"}
                            if geonames.isdigit() else {})})
        self.locations[sid] = stix_id("location", "settlements", sid)
        self.objects.append(self.stix.v21.Location(
            id=self.locations[sid], created=created, modified=modified,
            name=fields.text(settlement.get("name")) or sid,
            extensions=_extension(id=sid, names=fields.names(settlement)),
            **_maybe(country=country, administrative_area=fields.text(settlement.get("region")),
                     latitude=point[0] if point else None,
                     longitude=point[1] if point else None,
                     description=fields.text(settlement.get("notes")),
                     external_references=refs),
        ))

    def _note(self, claim: Record) -> None:
        cid = fields.text(claim.get("id"))
        if not cid or cid in self.notes:
            return
        created, modified = _times(claim, claim.get("reported_at"), claim.get("event_at"))
        source = fields.text(claim.get("source"))
        refs = [self.locations[s] for s in dict.fromkeys(fields.strings(claim.get("settlements")))
                if s in self.locations]
        if "location" in claim and (place := self._claim_location(claim, cid, created)):
            refs.append(place)
        by = self.identities.get(source)
        text, quote = fields.text(claim.get("text")), fields.text(claim.get("quote"))
        content = "\n\n".join(p for p in (text, f"“{quote}”" if quote else "") if p)
        self.notes[cid] = stix_id("note", "claims", cid)
        self.created[cid] = created
        self.objects.append(self.stix.v21.Note(
            id=self.notes[cid], created=created, modified=modified,
            content=content or cid, object_refs=refs or [by or self.analyst_id],
            extensions=_extension(
                id=cid, quote=quote, status=fields.status(claim), grade=self.view.grade(claim),
                reported_at=fields.date(claim.get("reported_at")),
                event_at=fields.date(claim.get("event_at")),
                independent_origins=self.view.origins.get(cid)),
            **_maybe(created_by_ref=by, confidence=CONFIDENCE.get(fields.credibility(claim) or 6),
                     labels=fields.strings(claim.get("tags")),
                     abstract=fields.text(claim.get("via")),
                     external_references=_claim_links(claim)),
        ))

    def _claim_location(self, claim: Record, cid: str, created: str) -> str | None:
        """The claim's own point as a ``location`` (precision in metres); its id, or None."""
        place = fields.location(claim)
        if place is None:
            return None
        lid = stix_id("location", "claim-locations", cid)
        self.objects.append(self.stix.v21.Location(
            id=lid, created=created, modified=created, name=f"location of claim {cid}",
            latitude=place[0], longitude=place[1],
            extensions=_extension(id=cid), **_maybe(precision=place[2]),
        ))
        return lid

    def _opinion(self, claim: Record) -> None:
        cid = fields.text(claim.get("id"))
        if cid not in self.notes:
            return
        status = fields.status(claim)
        created, modified = _times(claim, claim.get("reported_at"))
        why = [fields.text(h.get("note")) for h in fields.history(claim)
               if h.get("field") == "status"]
        self.objects.append(self.stix.v21.Opinion(
            id=stix_id("opinion", "opinions", cid), created=created, modified=modified,
            created_by_ref=self.analyst_id, opinion=OPINION[status],
            object_refs=[self.notes[cid]],
            **_maybe(explanation=why[-1] if why and why[-1] else f"status: {status}"),
        ))

    def _relationships(self, claim: Record) -> None:
        cid = fields.text(claim.get("id"))
        if cid not in self.notes:
            return
        origin = fields.text(claim.get("origin"))
        target = self.notes.get(origin) or self.identities.get(origin)
        if origin and target and target != self.notes[cid]:
            self._relationship("derived-from", cid, target, f"origin:{origin}", None)
        for kind in ("corroborates", "contradicts"):
            for other in dict.fromkeys(fields.strings(claim.get(kind))):
                if other in self.notes and other != cid:
                    self._relationship("related-to", cid, self.notes[other],
                                       f"{kind}:{other}", kind)

    def _relationship(self, kind: str, cid: str, target: str, key: str,
                      description: str | None) -> None:
        created = self.created[cid]
        self.objects.append(self.stix.v21.Relationship(
            id=stix_id("relationship", "relationships", f"{cid}|{key}"), created=created,
            modified=created, relationship_type=kind, source_ref=self.notes[cid],
            target_ref=target, **_maybe(description=description),
        ))


def _links(record: Record, name: str) -> list[dict[str, str]] | None:
    url = fields.http_url(record.get("url"))
    return [{"source_name": name, "url": url}] if url else None


def _claim_links(claim: Record) -> list[dict[str, str]] | None:
    """The claim's http(s) links as external references: ``url`` and ``urls`` as
    sitrep-claim, each piece of evidence as ``sitrep-evidence-<kind>`` with its note."""
    refs = _links(claim, "sitrep-claim") or []
    seen = {r["url"] for r in refs}
    for value in fields.urls(claim):
        if (url := fields.http_url(value)) and url not in seen:
            seen.add(url)
            refs.append({"source_name": "sitrep-claim", "url": url})
    for value, kind, note in fields.evidence(claim):
        if url := fields.http_url(value):
            name = f"sitrep-evidence-{kind}" if kind in EVIDENCE_KINDS else "sitrep-evidence"
            refs.append({"source_name": name, "url": url, **_maybe(description=note)})
    return refs or None


def bundle(view: View) -> Any:
    """The view as a ``stix2`` Bundle (with a deterministic id)."""
    builder = Builder(view)
    objects = builder.build()
    digest = hashlib.sha256("\n".join(str(o.id) for o in objects).encode()).hexdigest()
    stix2 = builder.stix
    return stix2.v21.Bundle(id=f"bundle--{uuid.uuid5(NAMESPACE, 'bundle:' + digest)}",
                            objects=objects)


def export_stix(view: View) -> bytes:
    """The view as STIX 2.1 JSON bytes (indented, trailing newline)."""
    import orjson

    return json_bytes(orjson.loads(bundle(view).serialize()))


def summary(view: View, **_options: Any) -> str:
    """One line: what the bundle holds."""
    located = sum(1 for s in view.settlements
                  if fields.coordinates(s) or fields.text(s.get("country")))
    return (f"{len(view.sources)} identities, {located} locations, {len(view.claims)} notes "
            f"and opinions as a STIX 2.1 bundle; {len(view.settlements) - located} settlements "
            f"without country or coordinates left out")
