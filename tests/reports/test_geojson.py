"""GeoJSON: valid RFC 7946 per the geojson library, [lon, lat] order, no crs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import geojson
import orjson

from sitrep.reports import fields
from sitrep.reports.geojson_export import (
    _control,
    _coordinates,
    export_geojson,
    status_counts,
    summary,
)

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


# Awkward values a hand edit can leave, for the fast paths of the settlement features.
_CONTROLS = [
    None, "ua", {"controller": "ua"}, [], [1, "x", None],
    [{"controller": "ua", "as_of": "2022-03-01"}],
    [{"controller": "ru", "as_of": "2022-06"}, {"controller": "ua", "as_of": "2022-06"}],
    [{"controller": "ua", "as_of": "2022-06-01"}, {"controller": "ua", "as_of": "2022-03"},
     {"controller": "ru", "as_of": "2022-02-24"}, {"controller": "ua", "as_of": "2022-09"}],
    [{"controller": "ua", "as_of": "June 2022"}, {"controller": "odd", "as_of": "2022-07-01"},
     {"controller": 3, "as_of": "2022-08-01"}, {"as_of": "not a date"}, {"controller": "ru"}],
    [{"controller": "ru", "as_of": 2022}, {"controller": "ru", "as_of": ""},
     {"controller": "ru", "as_of": "2022-01-01T10:00:00Z"}, "obs"],
]
_POINTS = [(48.9, 38.4), (48, 38), (48.9, 38), (True, 38.4), (float("nan"), 38.4),
           (48.9, float("inf")), (91.0, 38.4), (-90.0, -180.0), ("48.9", 38.4), (None, None)]


def test_the_fast_control_and_coordinates_read_as_the_fields_definitions() -> None:
    for control in _CONTROLS:
        settlement = {"id": "s", "control": control}
        current, since = fields.control_since(settlement)
        expected = ((fields.controller(current), since, fields.date(current.get("as_of")))
                    if current else (None, None, None))
        assert _control(settlement) == expected, control
    for lat, lon in _POINTS:
        record = {"lat": lat, "lon": lon}
        assert _coordinates(record) == fields.coordinates(record), (lat, lon)


def test_status_counts_are_the_counts_of_each_settlements_claims(sample_view) -> None:
    claims = [{"status": "confirmed", "settlements": ["a", "b", "a"]},
              {"status": "false", "settlements": ["b"]}, {"status": "unverified",
                                                          "settlements": []},
              *sample_view.claims]
    view = replace(sample_view, claims=claims)
    counts = status_counts(view)
    assert counts is not None and counts["a"]["confirmed"] == 1  # named twice, counted once
    assert counts == {sid: fields.counts_by_status(found)
                      for sid, found in view.claims_by_settlement.items()}
    for odd in ({"status": ["x"], "settlements": ["a"]}, {"status": "odd", "settlements": []},
                {"status": "false", "settlements": "a"}, {"status": "false",
                                                          "settlements": ["a", ""]},
                {"status": "false", "settlements": ["a", 3]}, {"settlements": ["a"]}):
        assert status_counts(replace(sample_view, claims=[*claims, odd])) is None, odd
