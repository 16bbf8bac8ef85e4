"""The sitrep feed: export → import round trips, local analyst changes, the shipped schema."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from sitrep.feeds.detect import parse_feed
from sitrep.feeds.importer import import_bytes
from sitrep.feeds.native import build_feed, dump_feed, parse_native, schema
from sitrep.models import Claim, Settlement, Source
from sitrep.store import Store


def export(path: Path, analyst: str = "alice", since: str | None = None) -> bytes:
    return dump_feed(build_feed(Store.open(path), analyst=analyst, since=since))


def records(path: Path) -> dict[str, list[dict]]:
    store = Store.open(path)
    return {"claims": store.claims(), "sources": store.sources(),
            "settlements": store.settlements()}


def test_round_trip_into_empty_db_loses_nothing(sample_db: Path, tmp_path: Path,
                                                real_feed_bytes: bytes) -> None:
    import_bytes(Store.open(sample_db), real_feed_bytes, analyst="alice")  # feed claims too
    store_a = Store.open(sample_db)
    store_a.set_status("c-cnn-new-front", "corroborated", by="alice", note="seen")
    store_a.add_control("lysychansk", "contested", "2022-09-10", by="alice")
    data = export(sample_db)
    target = tmp_path / "bob.json"
    report = import_bytes(Store.open(target), data, analyst="bob")
    assert report.rejected == 0 and report.updated == 0
    assert report.new == 20 + 16 + 5 + 9
    assert records(target) == records(sample_db)
    # idempotent: a second import writes nothing
    before = target.read_bytes()
    again = import_bytes(Store.open(target), data, analyst="bob")
    assert (again.new, again.updated, again.unchanged) == (0, 0, 50)
    assert target.read_bytes() == before


def test_round_trip_into_db_with_local_changes(sample_db: Path, tmp_path: Path) -> None:
    bob = tmp_path / "bob.json"
    shutil.copyfile(sample_db, bob)
    # Bob works on his copy: his status, his note, his tag, his notes field
    store_b = Store.open(bob)
    store_b.set_status("c-cnn-new-front", "disputed", by="bob", note="my call")
    store_b.add_note("claims", "c-cnn-new-front", "called the desk", by="bob")
    claim = store_b.claim("c-hayday-lysychansk-target")
    store_b.put("claims", {**claim, "tags": [*claim["tags"], "bobs-tag"],
                           "notes": "Bob's notes"}, by="bob")
    # Alice changes the same claims, and grades a source Bob never touched
    store_a = Store.open(sample_db)
    store_a.set_status("c-cnn-new-front", "corroborated", by="alice", note="imagery")
    claim = store_a.claim("c-hayday-lysychansk-target")
    store_a.put("claims", {**claim, "text": claim["text"] + " (edited)",
                           "notes": "Alice's notes", "tags": [*claim["tags"], "alices-tag"]},
                by="alice")
    store_a.set_reliability("cnn", "A", by="alice")
    report = import_bytes(Store.open(bob), export(sample_db), analyst="bob")
    conflicts = {(c.record_id, c.field): (c.local, c.incoming) for c in report.conflicts}
    assert conflicts == {
        ("c-cnn-new-front", "status"): ("disputed", "corroborated"),
        ("c-hayday-lysychansk-target", "notes"): ("Bob's notes", "Alice's notes"),
    }
    store_b = Store.open(bob)
    mixed = store_b.claim("c-cnn-new-front")
    assert mixed["status"] == "disputed"  # Bob's, kept
    fields = [h["field"] for h in mixed["history"]]
    assert fields.count("status") == 2 and "note" in fields  # Alice's entry joins Bob's
    target = store_b.claim("c-hayday-lysychansk-target")
    assert target["text"].endswith("(edited)")  # feed-owned: Alice's edit arrives
    assert target["notes"] == "Bob's notes"
    assert target["tags"][-2:] == ["bobs-tag", "alices-tag"]
    assert store_b.source("cnn")["reliability"] == "A"  # Bob never graded it
    assert report.rejected == 0
    # importing the same export again changes nothing
    before = bob.read_bytes()
    again = import_bytes(Store.open(bob), export(sample_db), analyst="bob")
    assert again.new == again.updated == 0 and bob.read_bytes() == before
    assert len(again.conflicts) == 2


def test_status_flows_when_importer_only_ever_imported(sample_db: Path, tmp_path: Path) -> None:
    bob = tmp_path / "bob.json"
    import_bytes(Store.open(bob), export(sample_db), analyst="bob")
    Store.open(sample_db).set_status("c-cnn-new-front", "confirmed", by="alice")
    report = import_bytes(Store.open(bob), export(sample_db), analyst="bob")
    assert report.updated == 1 and not report.conflicts
    assert Store.open(bob).claim("c-cnn-new-front")["status"] == "confirmed"


def test_export_since_takes_referenced_records(sample_db: Path, tmp_path: Path) -> None:
    Store.open(sample_db).set_status("c-cnn-new-front", "corroborated", by="alice")
    doc = orjson.loads(export(sample_db, since="2026-01-01"))
    assert [c["id"] for c in doc["claims"]] == ["c-cnn-new-front"]
    assert [s["id"] for s in doc["sources"]] == ["cnn"]
    assert doc["since"] == "2026-01-01"
    report = import_bytes(Store.open(tmp_path / "x.json"), orjson.dumps(doc), analyst="b")
    assert report.rejected == 0 and report.new == 2


def test_bad_records_rejected_rest_imported(tmp_path: Path) -> None:
    doc = {"sitrep_feed": 1, "sources": [{"id": "s1", "name": "S"}, {"id": "s2"}],
           "settlements": [{"id": "p1", "name": "P", "control": [{"controller": "xx"}]}],
           "claims": [
               {"id": "c1", "text": "ok", "source": "s1"},
               {"id": "c2", "text": "no such source", "source": "ghost"},
               {"id": "c3", "text": "bad date", "source": "s1", "reported_at": "10 Sep 2022"},
               {"id": "c4", "text": "", "source": "s1"},
               {"id": "c\x1b5", "text": "x", "source": "s1"},
           ]}
    report = import_bytes(Store.open(tmp_path / "db.json"), orjson.dumps(doc), analyst="b")
    reasons = {r.item_id: r.reason for r in report.rejections}
    assert report.new == 2
    assert set(reasons) == {"s2", "p1", "c2", "c3", "c4", "c\\x1b5"}
    assert "name" in reasons["s2"] and "controller" in reasons["p1"]
    assert "missing source 'ghost'" in reasons["c2"]
    assert "'2022-09-10'" in reasons["c3"]


def test_parse_detects_both_formats(sample_db: Path, real_feed_bytes: bytes) -> None:
    assert parse_feed(export(sample_db)).format == "sitrep"
    assert parse_feed(real_feed_bytes).format == "jsonfeed"
    with pytest.raises(Exception, match="not a sitrep feed"):
        parse_native({"x": 1})


def test_schema_ships_and_matches_the_model() -> None:
    s = schema()
    assert s["properties"]["sitrep_feed"] == {"const": 1}
    defs = s["$defs"]
    for name, model in (("claim", Claim), ("source", Source), ("settlement", Settlement)):
        fields = set(model.__dataclass_fields__)
        assert fields <= set(defs[name]["properties"]), name
    assert defs["claim"]["properties"]["status"]["enum"] == [
        "unverified", "corroborated", "confirmed", "disputed", "false"]
