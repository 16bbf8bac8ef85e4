"""Two feeds that disagree about a field never flip it back and forth (issue 13).

The feeds are real sitrep feed files exported from two colleagues' DB files; they are imported
alternately into a third DB, again and again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from sitrep.feeds.importer import import_bytes
from sitrep.feeds.native import build_feed, dump_feed
from sitrep.models import open_conflicts
from sitrep.store import Store


def _colleague(tmp_path: Path, name: str, region: str, text: str) -> Path:
    """A colleague's DB: one settlement (with ``region``) and one claim about it."""
    path = tmp_path / f"{name}.json"
    doc: dict[str, Any] = {
        "_meta": {"1": {"schema": 1}},
        "settlements": {"1": {"id": "svatove", "name": "Svatove", "alt_names": ["Сватове"],
                              "region": region, "country": "UA", "control": [],
                              "history": []}},
        "sources": {"1": {"id": "wire", "name": "Wire", "aliases": [], "reliability": "C",
                          "history": []}},
        "claims": {},
    }
    path.write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n")
    Store.open(path).put("claims", {
        "id": "c-svatove", "text": text, "source": "wire", "settlements": ["svatove"],
        "reported_at": "2022-09-10", "status": "unverified", "credibility": 3,
        "history": []}, by=name)
    return path


def _feed_file(tmp_path: Path, db: Path, analyst: str) -> Path:
    out = tmp_path / f"{analyst}-feed.json"
    out.write_bytes(dump_feed(build_feed(Store.open(db), analyst=analyst)))
    return out


def _two_feeds(tmp_path: Path) -> tuple[Path, Path]:
    alice = _colleague(tmp_path, "alice", "Luhansk", "Queues leaving Svatove.")
    carol = _colleague(tmp_path, "carol", "Луганська область", "Queues leave Svatove.")
    return _feed_file(tmp_path, alice, "alice"), _feed_file(tmp_path, carol, "carol")


def test_alternating_feeds_record_the_disagreement_once(tmp_path: Path) -> None:
    feed_a, feed_c = _two_feeds(tmp_path)
    db = tmp_path / "bob.json"
    first = import_bytes(Store.open(db), feed_a.read_bytes(), analyst="bob",
                         location=str(feed_a))
    assert first.new == 3
    second = import_bytes(Store.open(db), feed_c.read_bytes(), analyst="bob",
                          location=str(feed_c))
    # the region and the text were set from alice's feed: carol's values are recorded, not taken
    assert {(d.record_id, d.field) for d in second.disagreements} == {
        ("svatove", "region"), ("c-svatove", "text")}
    assert second.written
    store = Store.open(db)
    svatove = store.settlement("svatove")
    assert svatove["region"] == "Luhansk"
    (entry,) = [e for e in svatove["history"] if e.get("field") == "conflict"]
    assert entry["conflict"] == "region"
    assert entry["to"]["value"] == "Luhansk" and entry["from"]["value"] == "Луганська область"
    assert open_conflicts(svatove) == [entry]
    assert store.claim("c-svatove")["text"] == "Queues leaving Svatove."
    assert any("feeds disagree" in line for line in second.lines())
    sizes = []
    for _ in range(4):
        for feed in (feed_a, feed_c):
            before = db.read_bytes()
            again = import_bytes(Store.open(db), feed.read_bytes(), analyst="bob",
                                 location=str(feed))
            assert (again.new, again.updated, again.disagreements) == (0, 0, [])
            assert not again.written
            sizes.append(len(db.read_bytes()) - len(before))
            assert db.read_bytes() == before
    assert sizes == [0] * 8


def test_a_feed_still_updates_what_it_set(tmp_path: Path) -> None:
    """The feed that set a field keeps it up to date (rule 4); only another feed is held off."""
    alice = _colleague(tmp_path, "alice", "Luhansk", "Queues leaving Svatove.")
    feed_a = _feed_file(tmp_path, alice, "alice")
    db = tmp_path / "bob.json"
    import_bytes(Store.open(db), feed_a.read_bytes(), analyst="bob", location=str(feed_a))
    store_a = Store.open(alice)
    store_a.put("settlements", {**store_a.settlement("svatove"), "region": "Luhansk Oblast"},
                by="alice")
    feed_a = _feed_file(tmp_path, alice, "alice")
    report = import_bytes(Store.open(db), feed_a.read_bytes(), analyst="bob",
                          location=str(feed_a))
    assert report.updated == 1 and report.disagreements == []
    assert Store.open(db).settlement("svatove")["region"] == "Luhansk Oblast"


def test_a_resolved_disagreement_stays_resolved(tmp_path: Path) -> None:
    feed_a, feed_c = _two_feeds(tmp_path)
    db = tmp_path / "bob.json"
    for feed in (feed_a, feed_c):
        import_bytes(Store.open(db), feed.read_bytes(), analyst="bob", location=str(feed))
    Store.open(db).resolve("svatove", "region", "Луганська область", by="bob")
    for feed in (feed_a, feed_c, feed_a):
        before = db.read_bytes()
        report = import_bytes(Store.open(db), feed.read_bytes(), analyst="bob",
                              location=str(feed))
        assert db.read_bytes() == before and report.updated == 0
    assert Store.open(db).settlement("svatove")["region"] == "Луганська область"
