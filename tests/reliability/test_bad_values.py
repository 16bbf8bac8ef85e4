"""A valid JSON file whose records hold bad values: the real binary names the file, the record,
the field and the line:column of the value, exits non-zero where the command judges the file,
writes nothing, and shows no traceback. In the DB file (pretty and on one line), in a sitrep
feed (a file, stdin) and in a JSON Feed."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.reliability.helpers import fresh_db, run_sitrep

CLAIM = "c-cnn-new-front"
BAD_VALUES: dict[str, Any] = {
    "status": "maybe",
    "reported_at": "yesterday",
    "credibility": 9,
    "location": {"lat": 200, "lon": 38.4},
    "evidence": [{"url": "https://example.org/a", "kind": "photo"}],
}
# field named in the message -> the bad value found at its line:column
EXPECTED = {"status": "maybe", "reported_at": "yesterday", "credibility": 9,
            "location.lat": 200, "evidence[0].kind": "photo"}
LOCATED = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<rest>.*)$")


def _value_at(text: str, line: int, column: int) -> Any:
    offset = sum(len(row) for row in text.splitlines(keepends=True)[: line - 1]) + column - 1
    return json.JSONDecoder().raw_decode(text, offset)[0]


def _located(lines: list[str], path: Path) -> list[tuple[str, Any]]:
    """(the message after the place, the JSON value at the place) of each located line."""
    text = path.read_text("utf-8")
    found = []
    for row in lines:
        match = LOCATED.match(row.strip())
        if match and match["path"] in (str(path), "<stdin>"):
            found.append((match["rest"], _value_at(text, int(match["line"]),
                                                   int(match["column"]))))
    return found


def _break_db(db: Path, *, one_line: bool, duplicate_id: bool = False) -> None:
    doc = orjson.loads(db.read_bytes())
    key = next(k for k, c in doc["claims"].items() if c["id"] == CLAIM)
    if duplicate_id:  # the bad copy comes second, under its own doc key, with the same id
        doc["claims"]["999"] = {**doc["claims"][key], **BAD_VALUES}
    else:
        doc["claims"][key].update(BAD_VALUES)
    db.write_text(json.dumps(doc, ensure_ascii=False, indent=None if one_line else 2))


@pytest.mark.parametrize("one_line", [False, True], ids=["pretty", "one line"])
def test_validate_names_file_record_field_and_line_column(tmp_path: Path, one_line: bool
                                                          ) -> None:
    db = fresh_db(tmp_path)
    _break_db(db, one_line=one_line)
    before = db.read_bytes()
    result = run_sitrep(db, "validate")
    out, err = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 1 and "Traceback" not in out + err
    located = _located(out.splitlines(), db)
    assert len(located) == len(EXPECTED) == len(out.splitlines()), out
    for field, value in EXPECTED.items():
        assert [found for rest, found in located
                if rest.startswith(f"claims '{CLAIM}' field '{field}': ")] == [value], field
    if one_line:
        assert all(row.startswith(f"{db}:1:") for row in out.splitlines())
    problems = orjson.loads(run_sitrep(db, "validate", "--json").stdout)
    assert {(p["field"], p["line"] is not None) for p in problems} == {
        (field, True) for field in EXPECTED}
    listed = run_sitrep(db, "list", "claims")  # the records are shown, kept as they are
    assert listed.returncode == 0 and b"Traceback" not in listed.stderr
    assert db.read_bytes() == before


def test_a_duplicate_id_points_at_the_record_that_is_bad(tmp_path: Path) -> None:
    db = fresh_db(tmp_path)
    _break_db(db, one_line=False, duplicate_id=True)
    out = run_sitrep(db, "validate").stdout.decode()
    text = db.read_text("utf-8")
    second = text.index('"999": {')
    status = next(row for row in out.splitlines() if "field 'status'" in row)
    match = LOCATED.match(status)
    assert match is not None, status
    assert _value_at(text, int(match["line"]), int(match["column"])) == "maybe"
    assert int(match["line"]) > text.count("\n", 0, second)
    assert any(f"claims '{CLAIM}' field 'id': duplicate id" in row for row in out.splitlines())


@pytest.mark.parametrize("command", [("list", "claims"), ("validate",), ("show", CLAIM)])
def test_a_syntax_error_is_one_line_with_line_column_and_nothing_written(
        tmp_path: Path, command: tuple[str, ...]) -> None:
    db = fresh_db(tmp_path)
    text = db.read_text("utf-8")
    db.write_text(text.replace('"status": "unverified",', '"status": "unverified"', 1))
    before = db.read_bytes()
    result = run_sitrep(db, *command)
    err = result.stderr.decode()
    assert result.returncode == 65 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    # the next key, on the line after the missing comma, is where the parser stopped
    line = text.count("\n", 0, text.index('"status": "unverified",')) + 2
    assert err.startswith(f"sitrep: {db}:{line}:7: invalid JSON: "), err
    assert db.read_bytes() == before


def _native_feed(db: Path) -> dict[str, Any]:
    doc = orjson.loads(db.read_bytes())
    claims = [dict(c) for c in doc["claims"].values()][:3]
    claims[0].update(id="c-feed-1", status="maybe")
    claims[1].update(id="c-feed-2", credibility=9, reported_at="yesterday")
    claims[2].update(id="c-feed-3", evidence=[{"url": "https://example.org/a", "kind": "photo"}])
    return {"sitrep_feed": 1, "id": "sitrep:bob:db.json", "title": "bob",
            "sources": list(doc["sources"].values()),
            "settlements": list(doc["settlements"].values()), "claims": claims}


@pytest.mark.parametrize("how", ["file, pretty", "stdin, one line"])
def test_a_sitrep_feed_names_the_place_of_each_rejected_value(tmp_path: Path, how: str) -> None:
    db = fresh_db(tmp_path)
    feed = tmp_path / "feed.json"
    one_line = how.startswith("stdin")
    feed.write_text(json.dumps(_native_feed(db), ensure_ascii=False,
                               indent=None if one_line else 2))
    before = db.read_bytes()
    if one_line:
        result = run_sitrep(db, "import", "-", input=feed.read_bytes())
    else:
        result = run_sitrep(db, "import", str(feed))
    out = result.stdout.decode()
    assert result.returncode == 0 and b"Traceback" not in result.stderr  # the feed was read
    located = _located(out.splitlines(), feed)
    assert sorted(rest.split(":")[0] for rest, _ in located) == [
        "claim c-feed-1", "claim c-feed-2", "claim c-feed-3"], out
    values = {rest.split(":")[0]: value for rest, value in located}
    assert values == {"claim c-feed-1": "maybe", "claim c-feed-2": "yesterday",
                      "claim c-feed-3": "photo"}
    assert ("<stdin>:1:" if one_line else f"{feed}:") in out
    report = orjson.loads(run_sitrep(db, "import", str(feed), "--json").stdout)
    assert {(r["id"], r["field"]) for r in report["rejections"]} == {
        ("c-feed-1", "status"), ("c-feed-2", "reported_at"),
        ("c-feed-3", "evidence[0].kind")}
    assert db.read_bytes() == before  # every new record was rejected: nothing to write


def test_a_json_feed_names_the_place_of_each_rejected_value(tmp_path: Path) -> None:
    db = fresh_db(tmp_path)
    feed = tmp_path / "wire.json"
    items = [
        {"id": "a", "title": "Shelling near Lyman", "date_published": "yesterday"},
        {"id": "b", "title": "Lyman", "_sitrep": {"status": "maybe"}},
        {"id": "c", "title": "Lyman", "_sitrep": {"credibility": 9}},
        {"id": "d", "title": "Lyman", "_sitrep": {"location": {"lat": 200, "lon": 1}}},
    ]
    feed.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1",
                                "title": "Wire", "items": items}, indent=4))
    before = db.read_bytes()
    result = run_sitrep(db, "import", str(feed))
    out = result.stdout.decode()
    assert result.returncode == 0 and b"Traceback" not in result.stderr
    values = {rest.split(":")[0]: value for rest, value in _located(out.splitlines(), feed)}
    assert values == {"item a": "yesterday", "item b": "maybe", "item c": 9, "item d": 200}, out
    assert db.read_bytes() == before
