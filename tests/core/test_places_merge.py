"""``sitrep places merge KEEP DROP``: two Kharkiv records made one, in one write, undoable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from sitrep.analysis.origins import root_origin
from sitrep.errors import InvalidValueError, NotFoundError
from sitrep.feeds.importer import import_bytes
from sitrep.feeds.native import build_feed, dump_feed
from sitrep.store import Store, validate_document
from tests.core.test_places_cli import run

KHARKIV = {"id": "kharkiv", "name": "Kharkiv", "alt_names": ["Kharkov"], "region": "Kharkiv",
           "country": "UA", "lat": 49.982, "lon": 36.255, "ids": {"geonames": 706483},
           "control": [{"controller": "ua", "as_of": "2022-05", "claim": None, "note": None}],
           "notes": "", "history": [{"at": "2026-11-01T10:00:00Z", "by": "alice",
                                     "field": "created", "from": None, "to": None,
                                     "note": "by hand"}]}
KHARKIV_UK = {"id": "kharkiv-uk", "name": "Харків", "alt_names": ["Харьков"],
              "region": "Харківська область", "country": "UA",
              "control": [{"controller": "ua", "as_of": "2022-09-12", "claim": "c-3",
                           "note": "counteroffensive"}],
              "notes": "from the Ukrainian wire",
              "history": [{"at": "2026-11-02T10:00:00Z", "by": "bob", "field": "created",
                           "from": None, "to": None, "note": "imported"}]}
IZIUM = {"id": "izium", "name": "Izium", "alt_names": ["Ізюм"], "region": "Kharkiv",
         "country": "UA", "control": [], "notes": "", "history": []}


def _claim(cid: str, places: list[str], origin: str | None = None) -> dict[str, Any]:
    return {"id": cid, "text": f"Claim {cid}.", "source": "wire", "via": "", "origin": origin,
            "settlements": places, "reported_at": "2022-09-10", "status": "unverified",
            "credibility": 3, "tags": [], "history": []}


@pytest.fixture
def two_kharkivs(tmp_path: Path) -> Path:
    """A real DB file with Kharkiv twice (see :func:`write_two_kharkivs`)."""
    return write_two_kharkivs(tmp_path / "sitrep.json")


def write_two_kharkivs(path: Path) -> Path:
    """A real DB file with Kharkiv twice (Latin / Cyrillic), claims on each and on both,
    control on each, and an origin chain across them."""
    doc = {
        "_meta": {"1": {"schema": 1}},
        "settlements": {"1": KHARKIV, "2": KHARKIV_UK, "3": IZIUM},
        "sources": {"1": {"id": "wire", "name": "Wire", "aliases": [], "reliability": "C",
                          "history": []}},
        "claims": {"1": _claim("c-1", ["kharkiv"]),
                   "2": _claim("c-2", ["kharkiv-uk", "izium"], origin="c-1"),
                   "3": _claim("c-3", ["kharkiv", "kharkiv-uk"], origin="c-2"),
                   "4": _claim("c-4", ["izium"], origin="wire")},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n")
    return path


def test_merge_moves_every_reference_in_one_write(two_kharkivs: Path) -> None:
    before = two_kharkivs.read_bytes()
    store = Store.open(two_kharkivs)
    record, moved = store.merge_settlements("kharkiv", "kharkiv-uk", by="carol")
    assert moved == 2
    again = Store.open(two_kharkivs)
    assert [s["id"] for s in again.settlements()] == ["kharkiv", "izium"]
    assert again.claim("c-1")["settlements"] == ["kharkiv"]
    assert again.claim("c-2")["settlements"] == ["kharkiv", "izium"]
    assert again.claim("c-3")["settlements"] == ["kharkiv"]  # both: named once
    assert again.claim("c-4")["settlements"] == ["izium"]
    assert {c["id"] for c in again.claims_for_settlement("kharkiv")} == {"c-1", "c-2", "c-3"}
    kharkiv = again.settlement("kharkiv")
    assert kharkiv == record
    assert kharkiv["name"] == "Kharkiv" and kharkiv["region"] == "Kharkiv"
    assert kharkiv["alt_names"] == ["Kharkov", "Харків", "Харьков"]
    assert kharkiv["ids"] == {"geonames": 706483} and kharkiv["merged_from"] == ["kharkiv-uk"]
    assert [o["as_of"] for o in kharkiv["control"]] == ["2022-05", "2022-09-12"]
    assert again.current_control("kharkiv")["claim"] == "c-3"
    assert kharkiv["notes"] == "from the Ukrainian wire"
    history = kharkiv["history"]
    assert [h["by"] for h in history] == ["alice", "bob", "carol"]  # both, then the merge
    assert history[-1]["field"] == "merged" and history[-1]["from"] == "kharkiv-uk"
    c3 = again.claim("c-3")["history"][-1]
    assert c3["field"] == "settlements" and c3["from"] == ["kharkiv", "kharkiv-uk"]
    # origins are claim and source ids: the chains are intact
    assert [again.claim(c)["origin"] for c in ("c-1", "c-2", "c-3")] == [None, "c-1", "c-2"]
    assert root_origin(again.claim("c-3"), again.claims()) == root_origin(
        Store.open(store.backups.path(1)).claim("c-3"), again.claims())
    assert validate_document(again.document) == []
    # one write: the version before is backup 1, byte for byte
    assert store.backups.path(1).read_bytes() == before
    assert store.backups.path(2).exists() is False


def test_merge_refusals_change_nothing(two_kharkivs: Path) -> None:
    before = two_kharkivs.read_bytes()
    store = Store.open(two_kharkivs)
    with pytest.raises(InvalidValueError, match="both 'kharkiv'"):
        store.merge_settlements("kharkiv", "kharkiv", by="carol")
    with pytest.raises(NotFoundError, match="no settlement with id 'kyiv'"):
        store.merge_settlements("kharkiv", "kyiv", by="carol")
    store.put("settlements", {**IZIUM, "ids": {"geonames": 707753}}, by="carol")
    written = two_kharkivs.read_bytes()
    with pytest.raises(InvalidValueError, match="different geonames ids"):
        Store.open(two_kharkivs).merge_settlements("kharkiv", "izium", by="carol")
    assert two_kharkivs.read_bytes() == written != before


def test_a_feed_that_still_says_drop_is_pointed_at_keep(two_kharkivs: Path,
                                                        tmp_path: Path) -> None:
    feed = dump_feed(build_feed(Store.open(two_kharkivs), analyst="bob"))  # before the merge
    Store.open(two_kharkivs).merge_settlements("kharkiv", "kharkiv-uk", by="carol")
    merged = two_kharkivs.read_bytes()
    report = import_bytes(Store.open(two_kharkivs), feed, analyst="carol")
    store = Store.open(two_kharkivs)
    assert store.settlement("kharkiv-uk") is None
    assert store.claim("c-2")["settlements"] == ["kharkiv", "izium"]
    assert ("kharkiv-uk", "kharkiv") in {(r.incoming, r.existing) for r in report.reconciled}
    assert (report.new, report.updated) == (0, 0) and not report.written
    assert two_kharkivs.read_bytes() == merged


def test_cli_merge_and_undo(two_kharkivs: Path) -> None:
    before = two_kharkivs.read_bytes()
    result = run("places", "merge", "kharkiv", "kharkiv-uk", db=two_kharkivs)
    assert result.returncode == 0, result.stderr
    assert "merged kharkiv-uk (Харків, Харьков) into kharkiv: 2 claims re-pointed" in (
        result.stdout)
    assert "backup 1" in result.stdout and "sitrep restore 1" in result.stdout
    assert "kharkiv-uk" not in {s["id"] for s in json.loads(
        two_kharkivs.read_text())["settlements"].values()}
    undo = run("restore", "1", db=two_kharkivs)
    assert undo.returncode == 0, undo.stderr
    assert two_kharkivs.read_bytes() == before


def test_cli_merge_json_and_errors(two_kharkivs: Path) -> None:
    before = two_kharkivs.read_bytes()
    same = run("places", "merge", "kharkiv", "kharkiv", db=two_kharkivs)
    assert same.returncode == 1 and same.stderr.startswith("sitrep: KEEP and DROP are both")
    unknown = run("places", "merge", "kharkiv", "kyiv", db=two_kharkivs)
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == "sitrep: no settlement with id 'kyiv'"
    usage = run("places", "merge", "kharkiv", db=two_kharkivs)
    assert usage.returncode == 2
    assert two_kharkivs.read_bytes() == before
    done = run("places", "merge", "kharkiv-uk", "kharkiv", "--json", db=two_kharkivs)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["keep"], data["drop"], data["claims"]) == ("kharkiv-uk", "kharkiv", 2)
    assert data["backup"].endswith("sitrep.json.bak.1")
    assert data["record"]["name"] == "Харків" and "Kharkiv" in data["record"]["alt_names"]
    assert data["record"]["ids"] == {"geonames": 706483}
    assert data["record"]["region"] == "Харківська область"


def test_a_json_feed_naming_drop_links_keep(two_kharkivs: Path) -> None:
    Store.open(two_kharkivs).merge_settlements("kharkiv", "kharkiv-uk", by="carol")
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Wire",
            "feed_url": "https://wire.example/feed.json",
            "items": [{"id": "1", "content_text": "Explosions reported.",
                       "date_published": "2022-09-12T10:00:00Z",
                       "_sitrep": {"settlements": ["kharkiv-uk"]}}]}
    report = import_bytes(Store.open(two_kharkivs), orjson.dumps(feed), analyst="carol")
    assert report.rejected == 0 and report.new == 1
    (claim,) = [c for c in Store.open(two_kharkivs).claims() if c.get("feed_item_id") == "1"]
    assert claim["settlements"] == ["kharkiv"]
