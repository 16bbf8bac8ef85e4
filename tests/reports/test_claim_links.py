"""What each export does with a claim's ``urls``, ``evidence`` and ``location``, checked with
each format's own reader (csv, geojson, fastkml, stix2-validator, pymisp)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import geojson
import orjson
from fastkml import kml
from pymisp import MISPEvent
from stix2validator import ValidationOptions, validate_string

from sitrep.reports.csv_export import export_csv
from sitrep.reports.geojson_export import export_geojson
from sitrep.reports.kml_export import export_kml
from sitrep.reports.misp_export import export_misp
from sitrep.reports.stix_export import export_stix, stix_id

from .conftest import add_claim, view_of

URLS = ["https://t.me/luhanskaVTSA/1234", "https://suspilne.media/x"]
EVIDENCE = [
    {"url": "https://x.com/geo/status/1", "kind": "geolocation", "note": "treeline; roofs"},
    {"url": "https://web.archive.org/web/2022/x", "kind": "archive", "note": ""},
]
LOCATION = {"lat": 48.9042, "lon": 38.4418, "precision_m": 50}


def _linked(db: Path) -> None:
    add_claim(db, id="c-linked", url="https://cnn.com/a", urls=URLS, evidence=EVIDENCE,
              location=LOCATION, event_at="2022-09-10")


def test_csv_has_urls_and_evidence_cells(sample_db: Path) -> None:
    _linked(sample_db)
    rows = list(csv.DictReader(io.StringIO(export_csv(view_of(sample_db)).decode(),
                                           newline="")))
    row = next(r for r in rows if r["id"] == "c-linked")
    assert row["urls"] == ";".join(URLS)
    assert row["evidence"] == ("geolocation https://x.com/geo/status/1 treeline\\; roofs;"
                               "archive https://web.archive.org/web/2022/x")
    assert (row["lat"], row["lon"], row["precision_m"]) == ("48.9042", "38.4418", "50.0")
    assert next(r for r in rows if r["id"] == "c-cnn-new-front")["evidence"] == ""


def test_geojson_puts_a_located_claim_at_its_own_point_with_its_links(sample_db: Path
                                                                      ) -> None:
    _linked(sample_db)
    collection = geojson.loads(export_geojson(view_of(sample_db)).decode())
    assert collection.is_valid
    feature = next(f for f in collection["features"] if f["id"] == "c-linked")
    assert feature["geometry"]["coordinates"] == [38.4418, 48.9042]
    props = feature["properties"]
    assert props["url"] == "https://cnn.com/a" and props["urls"] == URLS
    assert props["evidence"] == EVIDENCE and props["precision_m"] == 50


def test_kml_has_a_placemark_per_located_claim(sample_db: Path) -> None:
    _linked(sample_db)
    document = kml.KML.from_string(export_kml(view_of(sample_db))).features[0]
    folders = {folder.name: list(folder.features) for folder in document.features}
    (placemark,) = folders["Located claims"]
    assert placemark.name == "c-linked"
    assert (placemark.geometry.x, placemark.geometry.y) == (38.4418, 48.9042)
    data = {d.name: d.value for d in placemark.extended_data.elements}
    assert data["urls"] == "\n".join(URLS) and data["precision_m"] == "50.0"
    assert data["evidence"].splitlines()[0] == (
        "geolocation https://x.com/geo/status/1 treeline; roofs")


def test_kml_without_located_claims_has_no_such_folder(sample_view) -> None:
    document = kml.KML.from_string(export_kml(sample_view)).features[0]
    assert [f.name for f in document.features] == ["Settlements", "Control over time"]


def test_stix_carries_links_as_external_references_and_the_point_as_a_location(
    sample_db: Path
) -> None:
    _linked(sample_db)
    data = export_stix(view_of(sample_db))
    results = validate_string(data.decode(), ValidationOptions(version="2.1"))
    assert results.is_valid and [str(e) for e in results.errors] == []
    objects = {o["id"]: o for o in orjson.loads(data)["objects"]}
    note = objects[stix_id("note", "claims", "c-linked")]
    refs = [(r["source_name"], r["url"], r.get("description")) for r in
            note["external_references"]]
    assert refs == [
        ("sitrep-claim", "https://cnn.com/a", None), ("sitrep-claim", URLS[0], None),
        ("sitrep-claim", URLS[1], None),
        ("sitrep-evidence-geolocation", EVIDENCE[0]["url"], "treeline; roofs"),
        ("sitrep-evidence-archive", EVIDENCE[1]["url"], None),
    ]
    place = objects[stix_id("location", "claim-locations", "c-linked")]
    assert (place["latitude"], place["longitude"], place["precision"]) == (48.9042, 38.4418,
                                                                           50)
    assert place["id"] in note["object_refs"]


def test_misp_carries_links_as_ref_attributes_and_the_point_as_a_geolocation(
    sample_db: Path
) -> None:
    _linked(sample_db)
    event = MISPEvent()
    event.load(export_misp(view_of(sample_db)).decode())
    annotation = next(o for o in event.objects if o.name == "annotation"
                      and "c-linked" in o.comment)
    refs = [(a.value, getattr(a, "comment", None)) for a in annotation.attributes
            if a.object_relation == "ref"]
    assert [v for v, _ in refs] == ["https://cnn.com/a", *URLS,
                                    *(e["url"] for e in EVIDENCE)]
    assert refs[3][1] == "evidence (geolocation): treeline; roofs"
    assert len({a.uuid for a in annotation.attributes}) == len(annotation.attributes)
    place = next(o for o in event.objects if o.comment == "sitrep claim location c-linked")
    values = {a.object_relation: a.value for a in place.attributes}
    assert (values["latitude"], values["longitude"], values["accuracy-radius"]) == (
        48.9042, 38.4418, 0.05)
    assert any(r.referenced_uuid == place.uuid and r.relationship_type == "located-at"
               for r in annotation.references)


def test_links_that_are_not_http_urls_stay_out_of_stix_and_misp(sample_db: Path) -> None:
    add_claim(sample_db, id="c-odd", urls=["javascript:alert(1)", "ftp://x"],
              evidence=[{"url": "file:///etc/passwd", "kind": "document"}])
    note = next(o for o in orjson.loads(export_stix(view_of(sample_db)))["objects"]
                if o["id"] == stix_id("note", "claims", "c-odd"))
    assert "external_references" not in note
    assert b"javascript:" not in export_misp(view_of(sample_db))
