"""``sitrep places …`` end to end, through a real subprocess on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def run(*args: str, db: Path | None = None, stdin: str | None = None
        ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SITREP_ANALYST": "cli-tester"}
    argv = [sys.executable, "-m", "sitrep", *(["--db", str(db)] if db else []), *args]
    return subprocess.run(argv, capture_output=True, text=True, env=env, input=stdin,
                          timeout=60)


def test_lookup_any_script_ranked(tmp_path: Path) -> None:
    result = run("places", "lookup", "Kup'yans'k", "--json")
    assert result.returncode == 0, result.stderr
    (first, *_) = json.loads(result.stdout)
    assert first["geonames"] == 703656 and first["name"] == "Kupiansk"
    assert first["region"] == "Kharkiv" and first["uk"] == "Куп’янськ"
    assert {"lat", "lon", "population", "ru", "translit"} <= set(first)
    plain = run("places", "lookup", "Харьков")
    assert plain.returncode == 0 and plain.stdout.startswith("geonames:706483")
    missing = run("places", "lookup", "Atlantis")
    assert missing.returncode == 1 and "no place called" in missing.stderr


def test_add_refuses_a_shared_name_unless_told_which(sample_db: Path) -> None:
    before = sample_db.read_bytes()
    refused = run("places", "add", "Vasylivka", db=sample_db)
    assert refused.returncode == 1 and "places are called 'Vasylivka'" in refused.stderr
    assert sample_db.read_bytes() == before
    added = run("places", "add", "Vasylivka", "--region", "Zaporizhzhia", "--json",
                db=sample_db)
    assert added.returncode == 0, added.stderr
    record = json.loads(added.stdout)
    assert record["ids"] == {"geonames": 686729} and record["region"] == "Zaporizhzhia"
    assert "Василівка" in record["alt_names"]
    on_disk = json.loads(sample_db.read_text())["settlements"]
    assert any(s["id"] == "vasylivka" for s in on_disk.values())
    by_id = run("places", "add", "geonames:690395", "--id", "vasylivka-izmail", db=sample_db)
    assert by_id.returncode == 0, by_id.stderr


def test_add_refuses_a_place_already_in_the_db(sample_db: Path) -> None:
    before = sample_db.read_bytes()
    result = run("places", "add", "Лисичанськ", "--id", "lysychansk-2", db=sample_db)
    assert result.returncode == 1 and "already in the DB as 'lysychansk'" in result.stderr
    assert sample_db.read_bytes() == before


def test_match_json_and_stdin(sample_db: Path) -> None:
    result = run("places", "match", "--json", "Бои под Лиманом; Svatovo and Donetsk Oblast.",
                 db=sample_db)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"id": "lyman", "candidates": ["lyman"], "text": "Лиманом", "start": 8, "end": 15},
        {"id": "svatove", "candidates": ["svatove"], "text": "Svatovo", "start": 17,
         "end": 24},
    ]
    piped = run("places", "match", "-", db=sample_db, stdin="у Кремінній\n")
    assert piped.returncode == 0 and "kreminna" in piped.stdout


def test_duplicates_lists_pairs_with_reasons(sample_db: Path) -> None:
    clean = run("places", "duplicates", "--json", db=sample_db)
    assert clean.returncode == 0 and json.loads(clean.stdout) == []
    data = json.loads(sample_db.read_text())
    data["settlements"]["99"] = {"id": "lisichansk", "name": "Лисичанськ", "region": "Luhansk",
                                 "control": [], "history": []}
    sample_db.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    found = json.loads(run("places", "duplicates", "--json", db=sample_db).stdout)
    assert [(d["keep"], d["drop"], d["kind"]) for d in found] == [
        ("lysychansk", "lisichansk", "same")]
    assert "same region" in found[0]["reason"]


def test_places_needs_an_action() -> None:
    result = run("places")
    assert result.returncode == 1 and "places needs an action" in result.stderr
