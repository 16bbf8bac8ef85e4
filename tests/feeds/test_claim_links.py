"""A claim's ``urls``, ``evidence`` and ``location`` from both feed formats: taken as they
are when valid, the item or record rejected with a reason naming the field when not."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jsonschema
import orjson

from sitrep.feeds.importer import import_bytes
from sitrep.feeds.jsonfeed import parse_jsonfeed
from sitrep.feeds.native import build_feed, dump_feed, parse_native, schema
from sitrep.store import Store

LINKS: dict[str, Any] = {
    "urls": ["https://t.me/luhanskaVTSA/1234"],
    "evidence": [{"url": "https://x.com/geo/status/1", "kind": "geolocation",
                  "note": "treeline matches"}],
    "location": {"lat": 48.9042, "lon": 38.4418, "precision_m": 50},
}


def _native(claims: list[dict[str, Any]]) -> bytes:
    return orjson.dumps({"sitrep_feed": 1, "id": "sitrep:alice:x", "sources": [],
                         "settlements": [], "claims": claims})


def test_a_sitrep_feed_carries_links_into_the_store_and_back(sample_db: Path,
                                                             tmp_path: Path) -> None:
    store = Store.open(sample_db)
    claim = dict(store.claim("c-cnn-new-front"), **LINKS)
    store.put("claims", claim, by="alice")
    feed = dump_feed(build_feed(Store.open(sample_db), analyst="alice"))
    jsonschema.validate(orjson.loads(feed), schema())
    target = tmp_path / "bob.json"
    report = import_bytes(Store.open(target), feed, analyst="bob")
    assert report.rejected == 0
    got = Store.open(target).claim("c-cnn-new-front")
    assert {k: got[k] for k in LINKS} == LINKS
    assert list(got) == list(claim)  # field order kept


def test_a_sitrep_feed_record_with_a_bad_link_is_rejected_with_its_field() -> None:
    bad = {"id": "c-bad", "text": "t", "evidence": [{"url": "https://a", "kind": "photo"}],
           "location": {"lat": 95, "lon": 30}}
    good = {"id": "c-good", "text": "t", **LINKS}
    parsed = parse_native(_native([bad, good]))
    assert [c["id"] for c in parsed.claims] == ["c-good"]
    (rejection,) = parsed.rejected
    assert rejection.reason == (
        "claim c-bad: 'evidence[0].kind' unknown kind 'photo' (one of geolocation, imagery,"
        " video, document, archive); 'location.lat' must be a number between -90 and 90,"
        " not 95")
    feed = {"sitrep_feed": 1, "claims": [bad]}
    errors = list(jsonschema.Draft202012Validator(schema()).iter_errors(feed))
    assert {e.json_path for e in errors} == {"$.claims[0].evidence[0].kind",
                                             "$.claims[0].location"}  # the schema agrees


def test_a_json_feed_item_gives_links_in_its_sitrep_extension(fk: SimpleNamespace) -> None:
    item = fk.item("1", url="https://wire.test/1", _sitrep=dict(LINKS))
    parsed = parse_jsonfeed(fk.jsonfeed([item]))
    claim = parsed.items[0].claim
    assert claim is not None and {k: claim[k] for k in LINKS} == LINKS
    keys = list(claim)
    assert keys[keys.index("url"):keys.index("url") + 4] == ["url", "urls", "evidence",
                                                             "location"]
    assert {"urls", "evidence", "location"} <= parsed.items[0].explicit


def test_a_json_feed_item_with_a_bad_link_is_rejected(fk: SimpleNamespace) -> None:
    items = [fk.item("1", _sitrep={"urls": "https://a"}),
             fk.item("2", _sitrep={"location": {"lat": 1}}), fk.item("3")]
    parsed = parse_jsonfeed(fk.jsonfeed(items))
    assert [i.item_id for i in parsed.items] == ["3"]
    assert [r.reason for r in parsed.rejected] == [
        "'_sitrep.urls' must be a list of URL strings, not a string",
        "'_sitrep.location.lon' is required",
    ]


def test_json_feed_links_are_imported_and_updated(sample_db: Path, fk: SimpleNamespace
                                                  ) -> None:
    first = fk.jsonfeed([fk.item("1", _sitrep=dict(LINKS))])
    import_bytes(Store.open(sample_db), first, analyst="alice")
    claim = next(c for c in Store.open(sample_db).claims() if c.get("feed_item_id") == "1")
    assert {k: claim[k] for k in LINKS} == LINKS
    moved = dict(LINKS, location={"lat": 48.95, "lon": 38.40})
    report = import_bytes(Store.open(sample_db), fk.jsonfeed([fk.item("1", _sitrep=moved)]),
                          analyst="alice")
    assert report.updated == 1
    claim = Store.open(sample_db).claim(claim["id"])
    assert claim["location"] == {"lat": 48.95, "lon": 38.40}
