"""STIX 2.1: the stix2-validator finds 0 errors; ids and bytes are the same on re-export."""

from __future__ import annotations

from pathlib import Path

import orjson
import stix2
from stix2validator import ValidationOptions, validate_string

from sitrep.reports.stix_export import export_stix, stix_id
from sitrep.store import Store

from .conftest import HOSTILE_TEXT, add_claim, view_of


def _validate(data: bytes) -> None:
    results = validate_string(data.decode(), ValidationOptions(version="2.1"))
    errors = [str(e) for e in results.errors]
    assert results.is_valid and errors == [], errors


def _objects(data: bytes) -> dict[str, dict]:
    return {o["id"]: o for o in orjson.loads(data)["objects"]}


def test_sample_bundle_is_valid_and_deterministic(sample_db: Path) -> None:
    data = export_stix(view_of(sample_db))
    _validate(data)
    again = export_stix(view_of(sample_db, generated_at="2030-01-01T00:00:00Z"))
    assert again == data
    parsed = stix2.parse(data.decode(), allow_custom=True)
    assert parsed.type == "bundle"


def test_mapping_of_sources_settlements_claims_and_status(sample_view) -> None:
    objects = _objects(export_stix(sample_view))
    cnn = objects[stix_id("identity", "sources", "cnn")]
    extension = next(iter(cnn["extensions"].values()))
    assert cnn["name"] == "CNN" and extension["reliability"] == "B"
    lysychansk = objects[stix_id("location", "settlements", "lysychansk")]
    assert (lysychansk["latitude"], lysychansk["longitude"]) == (48.904, 38.442)
    assert (lysychansk["country"], lysychansk["administrative_area"]) == ("UA", "Luhansk")
    note = objects[stix_id("note", "claims", "c-hayday-lysychansk-target")]
    assert note["content"].startswith("Lysychansk is the target of the new Ukrainian offensive.")
    assert "“Lysychansk, a great Ukrainian city." in note["content"]
    assert note["object_refs"] == [lysychansk["id"]]
    assert note["created_by_ref"] == stix_id("identity", "sources", "hayday")
    assert note["confidence"] == 50  # credibility 3
    assert note["created"] == "2022-09-10T12:00:00.000Z"  # from its history, not the clock
    confidences = {o["extensions"][next(iter(o["extensions"]))]["id"]: o.get("confidence")
                   for o in objects.values() if o["type"] == "note"}
    assert confidences["c-cnn-lysychansk-lost-june"] == 90
    assert confidences["c-cnn-kharkiv-sweep"] == 70
    opinions = {o["object_refs"][0]: o["opinion"] for o in objects.values()
                if o["type"] == "opinion"}
    assert opinions[stix_id("note", "claims", "c-cnn-lysychansk-lost-june")] == "strongly-agree"
    assert opinions[stix_id("note", "claims", "c-hayday-exodus-milove")] == "agree"
    assert opinions[note["id"]] == "neutral"
    relationships = {(o["relationship_type"], o["source_ref"], o["target_ref"])
                     for o in objects.values() if o["type"] == "relationship"}
    assert ("derived-from", stix_id("note", "claims", "c-hayday-lysychansk-occupiers-fleeing"),
            stix_id("identity", "sources", "residents-lysychansk")) in relationships
    assert ("related-to", stix_id("note", "claims", "c-cnn-border-vehicle-lines"),
            stix_id("note", "claims", "c-hayday-exodus-milove")) in relationships
    # a claim naming no settlement refers to its source
    front = objects[stix_id("note", "claims", "c-cnn-new-front")]
    assert front["object_refs"] == [cnn["id"]]


def test_statuses_grades_and_hostile_text_stay_valid(sample_db: Path) -> None:
    store = Store.open(sample_db)
    store.set_status("c-cnn-new-front", "false", by="alice", note="no such front")
    store.set_status("c-cnn-kharkiv-sweep", "disputed", by="alice")
    store.set_credibility("c-cnn-sloviansk-ua-held", 6, by="alice")
    add_claim(sample_db, id="c-hostile", text=HOSTILE_TEXT, quote=HOSTILE_TEXT, tags=[HOSTILE_TEXT],
              settlements=["nowhere"], source="nobody", origin="c-hostile",
              corroborates=["c-hostile", "c-missing"])
    data = export_stix(view_of(sample_db))
    _validate(data)
    assert b"\x1b" not in data and "\u202e".encode() not in data
    objects = _objects(data)
    opinions = {o["object_refs"][0]: o for o in objects.values() if o["type"] == "opinion"}
    false = opinions[stix_id("note", "claims", "c-cnn-new-front")]
    assert (false["opinion"], false["explanation"]) == ("strongly-disagree", "no such front")
    assert opinions[stix_id("note", "claims", "c-cnn-kharkiv-sweep")]["opinion"] == "disagree"
    assert "confidence" not in objects[stix_id("note", "claims", "c-cnn-sloviansk-ua-held")]
    hostile = objects[stix_id("note", "claims", "c-hostile")]
    assert hostile["content"].startswith(HOSTILE_TEXT)  # data kept whole, in strings
    assert "created_by_ref" not in hostile


def test_geonames_reference_and_a_settlement_without_country_or_coordinates(
        sample_db: Path) -> None:
    from .conftest import edit

    edit(sample_db, "settlements", "lysychansk", ids={"geonames": 702972})
    edit(sample_db, "settlements", "lyman", country="", lat=None, lon=None)
    data = export_stix(view_of(sample_db))
    _validate(data)
    objects = _objects(data)
    lysychansk = objects[stix_id("location", "settlements", "lysychansk")]
    assert lysychansk["external_references"] == [
        {"source_name": "geonames", "external_id": "702972",
         "url": "https://www.geonames.org/702972"}]
    assert stix_id("location", "settlements", "lyman") not in objects
    pushilin = objects[stix_id("note", "claims", "c-pushilin-lyman-tough")]
    assert pushilin["object_refs"] == [stix_id("identity", "sources", "pushilin")]
