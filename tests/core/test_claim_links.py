"""A claim's links (issue 13 §4): ``urls``, ``evidence`` ``[{url, kind, note}]`` and its own
``location`` ``{lat, lon, precision_m}``: the model, validation, the store and ``sitrep show``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sitrep.errors import InvalidValueError
from sitrep.models import Claim, Evidence, Location, link_problems
from sitrep.store import Store
from tests.reliability.helpers import run_main

CLAIM = "c-hayday-lysychansk-outskirts"
LINKS = {
    "urls": ["https://t.me/luhanskaVTSA/1234", "https://suspilne.media/x"],
    "evidence": [
        {"url": "https://x.com/geo/status/1", "kind": "geolocation",
         "note": "treeline matches 48.9042, 38.4418"},
        {"url": "https://web.archive.org/web/2022/https://t.me/x", "kind": "archive"},
    ],
    "location": {"lat": 48.9042, "lon": 38.4418, "precision_m": 50},
}


def _edit(db: Path, **fields: Any) -> None:
    doc = json.loads(db.read_text(encoding="utf-8"))
    claim = next(c for c in doc["claims"].values() if c["id"] == CLAIM)
    claim.update(fields)
    db.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def test_a_new_claim_has_no_link_fields_until_it_has_links() -> None:
    assert not {"urls", "evidence", "location"} & set(Claim(id="c", text="t").to_record())
    record = Claim(id="c", text="t", url="https://a", urls=["https://b"],
                   evidence=[Evidence("https://c", "video").to_record()],
                   location=Location(48.9, 38.4).to_record()).to_record()
    keys = list(record)
    assert keys[keys.index("url"):keys.index("url") + 4] == ["url", "urls", "evidence",
                                                             "location"]
    assert record["evidence"] == [{"url": "https://c", "kind": "video", "note": ""}]
    assert record["location"] == {"lat": 48.9, "lon": 38.4}
    assert link_problems(record) == []


@pytest.mark.parametrize(("fields", "problems"), [
    ({"urls": "https://a"}, [("urls", "must be a list of URL strings, not a string")]),
    ({"urls": ["https://a", 3, " "]}, [("urls[1]", "must be a URL string, not a number"),
                                       ("urls[2]", "must be a non-empty URL")]),
    ({"evidence": [{"url": "https://a", "kind": "photo"}]},
     [("evidence[0].kind", "unknown kind 'photo' (one of geolocation, imagery, video,"
                           " document, archive)")]),
    ({"evidence": [{"kind": "video", "note": 5}, "x"]},
     [("evidence[0].url", "is required"), ("evidence[0].note", "must be a string, not a number"),
      ("evidence[1]", "must be an object {url, kind, note}, not a string")]),
    ({"location": {"lat": 91, "lon": "east", "precision_m": -1}},
     [("location.lat", "must be a number between -90 and 90, not 91"),
      ("location.lon", "must be a number between -180 and 180, not a string"),
      ("location.precision_m", "must be a distance in metres (a number >= 0)")]),
    ({"location": [48.9, 38.4]}, [("location", "must be an object {lat, lon, precision_m},"
                                               " not a list")]),
    ({"urls": [], "evidence": [], "location": None}, []),
])
def test_link_problems_name_the_field_path(fields: dict[str, Any],
                                           problems: list[tuple[str, str]]) -> None:
    assert link_problems(fields) == problems


def _value_at(db: Path, pair: str) -> str:
    """``path:line:column`` of the value in the one line of the file holding ``pair``."""
    rows = [(n, row) for n, row in enumerate(db.read_text("utf-8").splitlines(), 1)
            if pair in row]
    assert len(rows) == 1, rows
    line, row = rows[0]
    return f"{db}:{line}:{row.index(pair) + pair.index(': ') + 3}"


def test_validate_names_file_record_and_field_of_a_bad_link(sample_db: Path) -> None:
    _edit(sample_db, evidence=[{"url": "https://a", "kind": "photo"}],
          location={"lat": "north", "lon": 38.4})
    code, out, err = run_main(["--db", str(sample_db), "validate"])
    assert code == 1 and "Traceback" not in out + err
    lines = out.splitlines()
    kind, lat = _value_at(sample_db, '"kind": "photo"'), _value_at(sample_db, '"lat": "north"')
    assert f"{kind}: claims '{CLAIM}' field 'evidence[0].kind': unknown kind 'photo'" \
           " (one of geolocation, imagery, video, document, archive)" in lines
    assert f"{lat}: claims '{CLAIM}' field 'location.lat': must be a number between" \
           " -90 and 90, not a string" in lines
    code, out, _ = run_main(["--db", str(sample_db), "validate", "--json"])
    fields = {p["field"] for p in json.loads(out)}
    assert fields == {"evidence[0].kind", "location.lat"}


def test_good_links_validate_clean_and_the_store_keeps_them(sample_db: Path) -> None:
    _edit(sample_db, **LINKS)
    code, out, err = run_main(["--db", str(sample_db), "validate"])
    assert code == 0, out + err
    store = Store.open(sample_db)
    assert {k: store.claim(CLAIM)[k] for k in LINKS} == LINKS


def test_the_store_refuses_a_record_with_a_bad_link_and_leaves_the_file(sample_db: Path
                                                                         ) -> None:
    before = sample_db.read_bytes()
    store = Store.open(sample_db)
    claim = dict(store.claim(CLAIM), evidence=[{"url": "", "kind": "video"}])
    with pytest.raises(InvalidValueError, match=r"evidence\[0\]\.url"):
        store.put("claims", claim, by="tester")
    assert sample_db.read_bytes() == before


def test_show_lists_urls_evidence_and_location_one_a_line(sample_db: Path) -> None:
    _edit(sample_db, **LINKS)
    code, out, err = run_main(["--db", str(sample_db), "show", CLAIM])
    assert code == 0, err
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  urls"))
    assert lines[start:start + 5] == [
        "  urls              https://t.me/luhanskaVTSA/1234",
        "                    https://suspilne.media/x",
        "  evidence          geolocation https://x.com/geo/status/1 — treeline matches"
        " 48.9042, 38.4418",
        "                    archive https://web.archive.org/web/2022/https://t.me/x",
        "  location          48.9042, 38.4418 (±50 m)",
    ]
    code, out, _ = run_main(["--db", str(sample_db), "show", CLAIM, "--json"])
    shown = json.loads(out)
    assert {k: shown[k] for k in LINKS} == LINKS


def test_show_prints_hostile_links_literally(sample_db: Path) -> None:
    evil = "[bold]x[/bold] \x1b]8;;http://evil/\x07click\x1b]8;;\x07 \u202eevil"
    _edit(sample_db, urls=[evil], evidence=[{"url": evil, "kind": "video", "note": evil}],
          location={"lat": evil, "lon": 1})
    code, out, err = run_main(["--db", str(sample_db), "show", CLAIM])
    assert code == 0, err
    assert "\x1b" not in out and "\u202e" not in out
    assert out.count("[bold]x[/bold] \\x1b]8;;http://evil/\\x07click") == 4
    code, out, _ = run_main(["--db", str(sample_db), "show", CLAIM, "--json"])
    assert "\x1b" not in out and "\u202e" not in out
    assert json.loads(out)["urls"] == [evil]
