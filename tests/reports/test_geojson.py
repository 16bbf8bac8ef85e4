"""GeoJSON: valid RFC 7946 per the geojson library, [lon, lat] order, no crs."""

from __future__ import annotations

from pathlib import Path

import geojson
import orjson

from sitrep.reports.geojson_export import export_geojson, summary

from .conftest import add_claim, edit, view_of

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "sitrep.json"


def test_sample_is_a_valid_feature_collection_with_lon_lat(sample_view) -> None:
    data = export_geojson(sample_view)
    collection = geojson.loads(data.decode())
    assert collection.is_valid, collection.errors()
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    doc = orjson.loads(SAMPLE.read_bytes())
    expected = {s["id"]: [s["lon"], s["lat"]] for s in doc["settlements"].values()}
    got = {f["id"]: f["geometry"]["coordinates"] for f in collection["features"]}
    assert got == expected
    lysychansk = next(f for f in collection["features"] if f["id"] == "lysychansk")
    assert lysychansk["geometry"]["coordinates"] == [38.442, 48.904]
    props = lysychansk["properties"]
    assert (props["control"], props["control_as_of"], props["claims"]) == ("ru", "2022-06", 6)
    assert props["claims_by_status"] == {"unverified": 5, "corroborated": 0, "confirmed": 1,
                                         "disputed": 0, "false": 0}
    assert "Лисичанськ" in props["names"]


def test_unplaced_settlements_are_left_out_and_counted_and_claims_with_location_kept(
        sample_db: Path) -> None:
    edit(sample_db, "settlements", "lyman", lat=None, lon="east")
    edit(sample_db, "settlements", "milove", lat=91.0)
    add_claim(sample_db, id="c-located", location={"lat": 48.95, "lon": 38.4, "precision_m": 500})
    add_claim(sample_db, id="c-bad-location", location={"lat": "x", "lon": 38.4})
    view = view_of(sample_db)
    collection = geojson.loads(export_geojson(view).decode())
    assert collection.is_valid, collection.errors()
    ids = [f["id"] for f in collection["features"]]
    assert "lyman" not in ids and "milove" not in ids and "c-bad-location" not in ids
    located = next(f for f in collection["features"] if f["id"] == "c-located")
    assert located["geometry"]["coordinates"] == [38.4, 48.95]
    assert located["properties"]["precision_m"] == 500
    assert located["properties"]["kind"] == "claim"
    assert summary(view) == ("7 settlements and 1 located claims as GeoJSON; "
                             "2 settlements without coordinates left out")
