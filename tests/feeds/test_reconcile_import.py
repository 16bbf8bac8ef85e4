"""Reconciliation on import (issue 13): one place, one record, in both feed formats."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from sitrep.feeds.importer import import_bytes
from sitrep.feeds.native import build_feed, dump_feed
from sitrep.store import Store

KHARKIV = {"id": "kharkiv", "name": "Kharkiv", "alt_names": ["Харків"], "region": "Kharkiv",
           "country": "UA", "lat": 49.982, "lon": 36.255, "control": [], "history": []}
VASYLIVKA = {"id": "vasylivka", "name": "Vasylivka", "alt_names": ["Василівка"],
             "region": "Zaporizhzhia", "country": "UA", "lat": 47.442, "lon": 35.282,
             "control": [], "history": []}


def _db(path: Path, settlements: list[dict[str, Any]]) -> Path:
    """A real DB file holding ``settlements`` and one source."""
    doc: dict[str, Any] = {"_meta": {"1": {"schema": 1}},
                           "settlements": {str(i): s for i, s in enumerate(settlements, 1)},
                           "sources": {"1": {"id": "wire", "name": "Wire", "aliases": [],
                                             "reliability": "C", "history": []}},
                           "claims": {}}
    path.write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n")
    return path


def _feed(tmp_path: Path, settlement: dict[str, Any], claim_id: str = "c-1") -> bytes:
    """A sitrep feed exported from a colleague's DB with one settlement and one claim on it."""
    other = _db(tmp_path / f"colleague-{claim_id}.json", [settlement])
    store = Store.open(other)
    store.put("claims", {"id": claim_id, "text": "Shelling reported.", "source": "wire",
                         "settlements": [settlement["id"]], "reported_at": "2022-09-10",
                         "status": "unverified", "credibility": 3, "history": []}, by="bob")
    store.add_control(settlement["id"], "ua", "2022-09-11", by="bob")
    return dump_feed(build_feed(Store.open(other), analyst="bob"))


def _settlement(sid: str, name: str, *alt: str, **fields: Any) -> dict[str, Any]:
    return {"id": sid, "name": name, "alt_names": list(alt), "country": "UA", "control": [],
            "history": [], **fields}


def test_russian_era_spelling_with_coordinates_is_the_same_place(tmp_path: Path) -> None:
    db = _db(tmp_path / "mine.json", [KHARKIV])
    feed = _feed(tmp_path, _settlement("kharkov-city", "Kharkov", lat=49.99, lon=36.23))
    report = import_bytes(Store.open(db), feed, analyst="alice")
    store = Store.open(db)
    assert [s["id"] for s in store.settlements()] == ["kharkiv"]
    assert store.claim("c-1")["settlements"] == ["kharkiv"]
    kharkiv = store.settlement("kharkiv")
    assert "Kharkov" in kharkiv["alt_names"] and kharkiv["name"] == "Kharkiv"
    assert [c["controller"] for c in kharkiv["control"]] == ["ua"]
    assert [(r.incoming, r.existing, r.kind) for r in report.reconciled] == [
        ("kharkov-city", "kharkiv", "same")]
    assert any("kharkov-city → kharkiv" in line for line in report.lines())
    assert report.to_dict()["reconciled"][0]["existing"] == "kharkiv"


def test_cyrillic_name_in_the_same_region_is_the_same_place(tmp_path: Path) -> None:
    db = _db(tmp_path / "mine.json", [KHARKIV])
    feed = _feed(tmp_path, _settlement("kharkiv-ua", "Харків", region="Харківська область"))
    import_bytes(Store.open(db), feed, analyst="alice")
    store = Store.open(db)
    assert [s["id"] for s in store.settlements()] == ["kharkiv"]
    assert store.claim("c-1")["settlements"] == ["kharkiv"]
    again = import_bytes(Store.open(db), feed, analyst="alice")  # idempotent
    assert again.new == 0 and again.updated == 0


def test_two_vasylivkas_in_different_oblasts_stay_two(tmp_path: Path) -> None:
    db = _db(tmp_path / "mine.json", [VASYLIVKA])
    feed = _feed(tmp_path, _settlement("vasylivka-odesa", "Vasylivka", "Василівка",
                                       region="Odesa", lat=46.608, lon=30.306))
    report = import_bytes(Store.open(db), feed, analyst="alice")
    store = Store.open(db)
    assert {s["id"] for s in store.settlements()} == {"vasylivka", "vasylivka-odesa"}
    assert store.claim("c-1")["settlements"] == ["vasylivka-odesa"]
    assert store.settlement("vasylivka")["alt_names"] == ["Василівка"]
    assert report.reconciled == []


def test_a_probable_duplicate_is_created_and_reported(tmp_path: Path) -> None:
    db = _db(tmp_path / "mine.json", [KHARKIV])
    feed = _feed(tmp_path, _settlement("kharkiv-2", "Kharkiv"))  # no region, no coordinates
    report = import_bytes(Store.open(db), feed, analyst="alice")
    store = Store.open(db)
    assert {s["id"] for s in store.settlements()} == {"kharkiv", "kharkiv-2"}
    assert [(r.incoming, r.existing, r.kind) for r in report.reconciled] == [
        ("kharkiv-2", "kharkiv", "probable")]
    assert any("kharkiv-2 may be kharkiv" in line for line in report.lines())


def test_jsonfeed_settlement_id_that_is_a_spelling_of_an_existing_one(fk, tmp_path: Path
                                                                      ) -> None:
    db = _db(tmp_path / "mine.json", [{**KHARKIV, "alt_names": ["Харків", "Kharkov"]}])
    items = [fk.item("j1", "Explosions overnight.", _sitrep={"settlements": ["kharkov"]}),
             fk.item("j2", "Nothing.", _sitrep={"settlements": ["atlantis"]})]
    report = import_bytes(Store.open(db), fk.jsonfeed(items), analyst="alice")
    store = Store.open(db)
    by_item = {c["feed_item_id"]: c["settlements"] for c in store.claims()}
    assert by_item == {"j1": ["kharkiv"]}
    assert [r.item_id for r in report.rejections] == ["j2"]
    assert [(r.incoming, r.existing) for r in report.reconciled] == [("kharkov", "kharkiv")]
