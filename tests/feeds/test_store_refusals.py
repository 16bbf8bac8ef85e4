"""An item or record the feed parser passes but the store refuses is named by where it is in
the feed (``jf.json:13:25: item 2: …``), through the real binary on real files, and the DB
file is left as it was."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from pytest_httpserver import HTTPServer

from sitrep.errors import InvalidValueError
from sitrep.feeds.importer import import_bytes
from sitrep.store import Store

V11 = "https://jsonfeed.org/version/1.1"
SITREP, MAYBE, NOBODY, ITEM_1 = '{"status"', '"maybe"', '"nobody"', '{"id": "1"'


def run(db: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "sitrep", "--db", str(db), *args]
    done = subprocess.run(argv, input=stdin, capture_output=True, timeout=60)
    return subprocess.CompletedProcess(argv, done.returncode, done.stdout.decode(),
                                       done.stderr.decode())


def where(text: str, needle: str) -> str:
    """``line:column`` of the first ``needle`` in ``text`` (1-based, as the messages count)."""
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    return f"{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def jsonfeed(title: str, status: str) -> str:
    return (
        "{\n"
        f'  "version": "{V11}",\n'
        '  "title": "Field notes",\n'
        '  "items": [\n'
        '    {"id": "0", "title": "a first item"},\n'
        f'    {{"id": "1", "title": "{title}",\n'
        f'     "_sitrep": {{"status": "{status}"}}}}\n'
        "  ]\n"
        "}\n"
    )


def hand_edit(db: Path, claim_prefix: str, field: str, value: object) -> None:
    doc = orjson.loads(db.read_bytes())
    for claim in doc["claims"].values():
        if claim["id"].startswith(claim_prefix):
            claim[field] = value
    db.write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2))


def test_a_claim_the_store_refuses_names_the_items_field(sample_db: Path, tmp_path: Path
                                                         ) -> None:
    feed = tmp_path / "jf.json"
    feed.write_text(jsonfeed("first words", "disputed"), "utf-8")
    assert run(sample_db, "import", str(feed)).returncode == 0
    # someone edits the DB by hand: a value the store refuses, in a field the item does not
    # speak to; the item then changes, and the claim it would update is refused: the message
    # names the item and, of the item, the nearest value to the field (its _sitrep object)
    hand_edit(sample_db, "f-1-", "against_interest", "maybe")
    text = jsonfeed("second words", "disputed")
    feed.write_text(text, "utf-8")
    before = sample_db.read_bytes()
    done = run(sample_db, "import", str(feed))
    assert done.returncode == 0, done.stderr
    (line,) = [line for line in done.stdout.splitlines() if "item 1" in line]
    assert line.startswith(f"  {feed}:{where(text, SITREP)}: item 1: claims 'f-1-")
    assert line.endswith("field 'against_interest': must be true or false")
    assert sample_db.read_bytes() == before
    # the same from standard input
    done = run(sample_db, "import", "-", stdin=text.encode())
    assert f"  <stdin>:{where(text, SITREP)}: item 1: claims 'f-1-" in done.stdout
    assert sample_db.read_bytes() == before
    report = orjson.loads(run(sample_db, "import", str(feed), "--json").stdout)
    (rejection,) = report["rejections"]
    assert (rejection["index"], rejection["table"], rejection["field"]) == (
        1, "items", "_sitrep.against_interest")


def test_a_refusal_of_a_downloaded_item_names_the_url(sample_db: Path, tmp_path: Path,
                                                      httpserver: HTTPServer) -> None:
    first, second = jsonfeed("first words", "disputed"), jsonfeed("second words", "disputed")
    httpserver.expect_ordered_request("/feed.json").respond_with_data(
        first, content_type="application/feed+json")
    httpserver.expect_ordered_request("/feed.json").respond_with_data(
        second, content_type="application/feed+json")
    url = httpserver.url_for("/feed.json")
    assert run(sample_db, "import", url).returncode == 0
    hand_edit(sample_db, "f-1-", "against_interest", "maybe")
    before = sample_db.read_bytes()
    done = run(sample_db, "import", url)
    assert done.returncode == 0, done.stderr
    assert f"  {url}:{where(second, SITREP)}: item 1: claims 'f-1-" in done.stdout
    assert sample_db.read_bytes() == before


NATIVE = """{
  "sitrep_feed": 1,
  "id": "x",
  "claims": [
    {"id": "c-dup", "text": "first", "source": "cnn", "status": "maybe"},
    {"id": "c-dup", "text": "second", "source": "nobody"}
  ]
}
"""


def test_a_record_refused_by_the_store_is_the_one_named_when_its_id_is_given_twice(
        sample_db: Path, tmp_path: Path) -> None:
    feed = tmp_path / "nat.json"
    feed.write_text(NATIVE, "utf-8")
    before = sample_db.read_bytes()
    done = run(sample_db, "import", str(feed))
    assert done.returncode == 0, done.stderr
    assert (f"  {feed}:{where(NATIVE, MAYBE)}: claim c-dup: 'status' 'maybe' is not one"
            in done.stdout)
    # the second c-dup is refused by the store (a missing source): it is the one pointed at
    assert (f"  {feed}:{where(NATIVE, NOBODY)}: claim c-dup: source: refers to missing"
            " source 'nobody'" in done.stdout)
    assert sample_db.read_bytes() == before
    done = run(sample_db, "import", "-", "--json", stdin=NATIVE.encode())
    second = orjson.loads(done.stdout)["rejections"][1]
    assert (second["index"], second["field"]) == (1, "source")
    assert sample_db.read_bytes() == before


RECONCILED = """{
  "sitrep_feed": 1,
  "id": "y",
  "settlements": [
    {"id": "lysy-a", "name": "Lysychansk", "region": "Luhansk", "alt_names": ["Lysy A"]},
    {"id": "lysy-b", "name": "Lysychansk", "region": "Luhansk", "alt_names": ["Lysy B"]}
  ]
}
"""


def test_two_settlements_that_are_one_existing_place_both_reach_it(sample_db: Path,
                                                                   tmp_path: Path) -> None:
    # each is merged into the same record of the batch: the second put no longer replaces
    # the first (which lost "Lysy A")
    feed = tmp_path / "rec.json"
    feed.write_text(RECONCILED, "utf-8")
    done = run(sample_db, "import", str(feed))
    assert done.returncode == 0, done.stderr
    assert "updated settlements 1: lysychansk\n" in done.stdout
    doc = orjson.loads(sample_db.read_bytes())
    (place,) = [s for s in doc["settlements"].values() if s["id"] == "lysychansk"]
    assert place["alt_names"][-2:] == ["Lysy A", "Lysy B"]


def test_an_import_planned_on_an_older_view_is_planned_again(sample_db: Path) -> None:
    # the dashboard's store (a) has the DB open; another process (b) adds a note to a claim
    # the feed then changes: the history a's plan carries is no longer the file's
    dashboard = Store.open(sample_db)
    import_bytes(dashboard, jsonfeed("first words", "disputed").encode(), analyst="a")
    other = Store.open(sample_db)
    (cid,) = [c["id"] for c in other.claims() if c["id"].startswith("f-1-")]
    other.add_note("claims", cid, "checked by phone", by="b")
    report = import_bytes(dashboard, jsonfeed("second words", "disputed").encode(),
                          analyst="a")
    assert report.written and report.updated == 1
    claim = Store.open(sample_db).get("claims", cid)
    assert claim is not None and claim["text"] == "second words"
    assert any(h.get("field") == "note" and h.get("by") == "b" for h in claim["history"])


def test_a_write_refused_again_names_the_item_and_changes_nothing(sample_db: Path) -> None:
    # another process adds a note to the claim each time this import makes its plan (the
    # clock is read once per plan): the plan made again is refused too, and the error names
    # the item whose claim the store refused
    first, second = jsonfeed("first words", "disputed"), jsonfeed("second words", "disputed")
    notes: list[str] = []

    def clock() -> datetime:
        if notes:
            other = Store.open(sample_db)
            other.add_note("claims", notes[0], f"note {len(notes)}", by="b")
            notes.append("written")
        return datetime.now(UTC)

    dashboard = Store.open(sample_db, clock=clock)
    import_bytes(dashboard, first.encode(), analyst="a")
    notes.append(next(c["id"] for c in dashboard.claims() if c["id"].startswith("f-1-")))
    with pytest.raises(InvalidValueError) as refused:
        import_bytes(dashboard, second.encode(), analyst="a")
    assert len(notes) == 3  # planned twice
    assert str(refused.value) == (
        f"<stdin>:{where(second, ITEM_1)}: item 1: claims {notes[0]!r}: history is"
        " append-only; existing entries cannot be changed")
    claim = Store.open(sample_db).get("claims", notes[0])
    assert claim is not None and claim["text"] == "first words"
