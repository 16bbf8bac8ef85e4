"""MISP: the event loads into pymisp's MISPEvent, with admiralty-scale tags and geolocations."""

from __future__ import annotations

import json
from pathlib import Path

import pymisp
from pymisp import MISPEvent

from sitrep.reports.misp_export import ANNOTATION, GEOLOCATION, export_misp

from .conftest import HOSTILE_TEXT, add_claim, view_of


def _event(data: bytes) -> MISPEvent:
    event = MISPEvent()
    event.load(data.decode())
    return event


def test_templates_are_pymisps_own() -> None:
    objects = Path(pymisp.__file__).parent / "data" / "misp-objects" / "objects"
    for template in (GEOLOCATION, ANNOTATION):
        definition = json.loads((objects / template["name"] / "definition.json").read_text())
        assert definition["uuid"] == template["template_uuid"]
        assert str(definition["version"]) == template["template_version"]


def test_sample_event_loads_with_tags_and_first_seen(sample_view) -> None:
    data = export_misp(sample_view)
    event = _event(data)
    assert event.info == "sitrep export: all records, as of latest data"
    places = [o for o in event.objects if o.name == "geolocation"]
    claims = [o for o in event.objects if o.name == "annotation"]
    assert len(places) == 9 and len(claims) == 16
    lysychansk = places[0]
    values = {a.object_relation: a.value for a in lysychansk.attributes}
    assert (values["latitude"], values["longitude"], values["city"]) == (48.904, 38.442,
                                                                         "Lysychansk")
    target = next(o for o in claims if "c-hayday-lysychansk-target" in o.comment)
    text = next(a for a in target.attributes if a.object_relation == "text")
    assert [t.name for t in text.tags] == [
        'admiralty-scale:source-reliability="c"',
        'admiralty-scale:information-credibility="3"', 'sitrep:status="unverified"']
    assert target.first_seen.isoformat() == "2022-09-10T00:00:00+00:00"
    assert [r.referenced_uuid for r in target.references] == [lysychansk.uuid]
    assert [r.relationship_type for r in target.references] == ["mentions"]
    quotes = [a.value for a in target.attributes if getattr(a, "comment", "") == "verbatim quote"]
    assert quotes == ["Lysychansk, a great Ukrainian city. There will be a lot of "
                      "reconstruction work."]
    assert export_misp(view_of_again(sample_view)) == data


def view_of_again(view):
    """The same records in a new view (ids and timestamps must not depend on the clock)."""
    from sitrep.reports.view import View

    return View(settlements=list(view.settlements), sources=list(view.sources),
                claims=list(view.claims), generated_at="2031-01-01T00:00:00Z")


def test_hostile_claim_stays_data(sample_db: Path) -> None:
    add_claim(sample_db, id="c-hostile", text=HOSTILE_TEXT, quote=HOSTILE_TEXT,
              url="http://evil.example/\x1b", corroborates=["c-cnn-new-front"])
    data = export_misp(view_of(sample_db))
    assert b"\x1b" not in data and "\u202e".encode() not in data
    event = _event(data)
    hostile = next(o for o in event.objects if "c-hostile" in (o.comment or ""))
    text = next(a for a in hostile.attributes if a.object_relation == "text")
    assert text.value == HOSTILE_TEXT
    assert not [a for a in hostile.attributes if a.object_relation == "ref"]
    assert [r.relationship_type for r in hostile.references] == ["mentions", "related-to"]
