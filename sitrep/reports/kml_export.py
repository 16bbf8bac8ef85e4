"""KML 2.2 for a globe (Google Earth, QGIS, Marble), written with the standard library's
ElementTree (which escapes ``&``, ``<`` and ``>``).

* Folder "Settlements": a Placemark per settlement with coordinates: its name, a
  description, its current control's style, and ``ExtendedData`` with ``id``, ``region``,
  ``country``, ``control``, ``control_as_of``, ``control_since``, ``claims`` and the count
  of each status;
* Folder "Control over time": a Placemark per control observation with a ``TimeSpan`` from
  its ``as_of`` to the next observation's (open for the current one), so a time slider
  replays who held what. KML's date types are sitrep's own date forms (``2022``,
  ``2022-06``, ``2022-06-24``, a UTC time), so precision is kept as it was given;
* Folder "Located claims" (only when a claim carries its own ``location``): a Placemark per
  such claim at its point, with a ``TimeStamp`` of its event date (else reported date) and
  ``ExtendedData`` with ``id``, ``status``, ``grade``, ``source``, ``precision_m``, ``url``,
  ``urls`` and ``evidence`` (one ``kind url note`` line per piece).

Settlements without valid coordinates are left out and counted in :func:`summary`. Text is
made printable first (control characters, ANSI/OSC escapes and bidi overrides become
visible escapes, which also keeps the XML well-formed).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from sitrep.models import Record
from sitrep.reports import fields
from sitrep.reports.view import View
from sitrep.text import printable

KML_NS = "http://www.opengis.net/kml/2.2"
# aabbggrr, as KML writes colours
STYLE_COLOUR = {"ua": "ffd07020", "ru": "ff2020d0", "contested": "ff00a5ff",
                "unknown": "ff909090"}
_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")


def _text(value: Any) -> str:
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}",
                        printable(value, one_line=False))


def _sub(parent: ET.Element, tag: str, text: Any = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = _text(text)
    return element


def _data(parent: ET.Element, values: dict[str, Any]) -> None:
    extended = _sub(parent, "ExtendedData")
    for name, value in values.items():
        data = ET.SubElement(extended, "Data", name=name)
        _sub(data, "value", "" if value is None else value)


def _point(parent: ET.Element, lat: float, lon: float) -> None:
    _sub(_sub(parent, "Point"), "coordinates", f"{lon!r},{lat!r}")


def _styles(document: ET.Element) -> None:
    for controller, colour in STYLE_COLOUR.items():
        style = ET.SubElement(document, "Style", id=f"control-{controller}")
        _sub(_sub(style, "IconStyle"), "color", colour)


def _settlement(view: View, folder: ET.Element, settlement: Record,
                point: tuple[float, float]) -> None:
    sid = fields.text(settlement.get("id"))
    current, since = fields.control_since(settlement)
    counts = fields.counts_by_status(view.claims_by_settlement.get(sid, []))
    controller = fields.controller(current) if current else None
    placemark = _sub(folder, "Placemark")
    _sub(placemark, "name", fields.text(settlement.get("name")) or sid)
    held = (f"{fields.CONTROLLER_LABEL[controller]} since {since}" if controller
            else "control not recorded")
    total = sum(counts.values())
    _sub(placemark, "description", f"{held}; {total} claim{'' if total == 1 else 's'}")
    _sub(placemark, "styleUrl", f"#control-{controller or 'unknown'}")
    _data(placemark, {
        "id": sid, "region": fields.text(settlement.get("region")),
        "country": fields.text(settlement.get("country")), "control": controller,
        "control_as_of": fields.date(current.get("as_of")) if current else None,
        "control_since": since, "claims": sum(counts.values()), **counts,
    })
    _point(placemark, *point)


def _observations(folder: ET.Element, settlement: Record, point: tuple[float, float]) -> None:
    name = fields.text(settlement.get("name")) or fields.text(settlement.get("id"))
    history = fields.observations(settlement)
    for obs, following in zip(history, [*history[1:], None], strict=True):
        controller = fields.controller(obs)
        placemark = _sub(folder, "Placemark")
        _sub(placemark, "name", f"{name}: {fields.CONTROLLER_LABEL[controller]}")
        if fields.text(obs.get("note")):
            _sub(placemark, "description", fields.text(obs.get("note")))
        span = _sub(placemark, "TimeSpan")
        _sub(span, "begin", fields.date(obs.get("as_of")))
        if following is not None:
            _sub(span, "end", fields.date(following.get("as_of")))
        _sub(placemark, "styleUrl", f"#control-{controller}")
        _data(placemark, {"id": fields.text(settlement.get("id")), "controller": controller,
                          "as_of": fields.date(obs.get("as_of")),
                          "claim": fields.text(obs.get("claim"))})
        _point(placemark, *point)


def _located_claim(view: View, folder: ET.Element, claim: Record,
                   place: tuple[float, float, float | None]) -> None:
    cid = fields.text(claim.get("id"))
    placemark = _sub(folder, "Placemark")
    _sub(placemark, "name", cid)
    _sub(placemark, "description", fields.text(claim.get("text")))
    when = fields.claim_date(claim)
    if when:
        _sub(_sub(placemark, "TimeStamp"), "when", when)
    _sub(placemark, "styleUrl", "#control-unknown")
    _data(placemark, {
        "id": cid, "status": fields.status(claim), "grade": view.grade(claim),
        "source": fields.text(claim.get("source")), "precision_m": place[2],
        "url": fields.text(claim.get("url")), "urls": "\n".join(fields.urls(claim)),
        "evidence": "\n".join(" ".join(p for p in (kind, url, note) if p)
                              for url, kind, note in fields.evidence(claim)),
    })
    _point(placemark, place[0], place[1])


def export_kml(view: View, *, title: str = "sitrep") -> bytes:
    """The view as a KML 2.2 document (UTF-8 bytes with an XML declaration)."""
    root = ET.Element("kml", xmlns=KML_NS)
    document = _sub(root, "Document")
    _sub(document, "name", title + (f": {view.scope}" if view.scope else ""))
    if view.as_of:
        _sub(document, "description", f"as of {view.as_of}")
    _styles(document)
    places = _sub(document, "Folder")
    _sub(places, "name", "Settlements")
    over_time = _sub(document, "Folder")
    _sub(over_time, "name", "Control over time")
    for settlement in view.settlements:
        point = fields.coordinates(settlement)
        if point is not None:
            _settlement(view, places, settlement, point)
            _observations(over_time, settlement, point)
    located = [(c, place) for c in view.claims if "location" in c
               and (place := fields.location(c)) is not None]
    if located:
        claims = _sub(document, "Folder")
        _sub(claims, "name", "Located claims")
        for claim, place in located:
            _located_claim(view, claims, claim, place)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def summary(view: View, **_options: Any) -> str:
    """One line: placemarks written and settlements left out."""
    placed = [s for s in view.settlements if fields.coordinates(s)]
    observations = sum(len(fields.observations(s)) for s in placed)
    located = sum(1 for c in view.claims if "location" in c and fields.location(c))
    return (f"{len(placed)} settlements, {observations} control observations and {located}"
            " located claims as KML; "
            f"{len(view.settlements) - len(placed)} settlements without coordinates left out")

