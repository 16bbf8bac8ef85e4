"""Keys given twice: a record pasted under a doc id in use must never be deleted by a write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.errors import DataFileError
from sitrep.store import Store
from sitrep.store.chunked_read import PIECE, read_document_chunked
from sitrep.store.document import dump_document
from sitrep.store.json_keys import find_duplicate_keys


def _claim(n: int) -> dict:
    return {"id": f"c-{n}", "text": f"claim {n} " + "x" * 200, "source": "s", "settlements": [],
            "reported_at": "2022-09-10", "status": "unverified", "history": []}


def _big_doc(n: int) -> dict:
    return {"_meta": {"1": {"schema": 1}}, "settlements": {}, "sources": {"1": {"id": "s"}},
            "claims": {str(k): _claim(k) for k in range(1, n + 1)}}


def _paste(text: str, key: str, new_id: str, at_end: bool = False) -> str:
    """Copy the claims record under doc key ``key`` the way vim would, with a new id."""
    start = text.index(f'\n    "{key}": {{', text.index('"claims": {'))
    end = text.index("\n    }", start) + len("\n    }")
    copy = text[start:end].replace('"id": "c-', f'"id": "{new_id}', 1)
    if at_end:  # appended after the last claim
        last = text.index("\n  }", text.index('"claims": {'))
        return text[:last] + "," + copy + text[last:]
    return text[:end] + "," + copy + text[end:]


def test_a_pasted_record_is_refused_with_its_line_and_nothing_is_written(
        sample_db: Path) -> None:
    dashboard = Store.open(sample_db, journal=True)  # open before the hand edit
    text = _paste(sample_db.read_text(), "1", "c-pasted-")
    sample_db.write_text(text)
    before = sample_db.read_bytes()
    with pytest.raises(DataFileError) as caught:
        Store.open(sample_db)
    error = caught.value
    lines = [n for n, line in enumerate(text.splitlines(), 1) if line == '    "1": {']
    assert error.line == lines[-1] and f"also at line {lines[-2]}" in str(error)
    assert "doc id '1' is used 2 times in table 'claims'" in str(error)
    # the dashboard sees the edit as an invalid file: its changes wait in the journal
    with pytest.raises(DataFileError):
        dashboard.reload()
    dashboard.set_status("c-hayday-lysychansk-outskirts", "confirmed", by="a")
    with pytest.raises(DataFileError):
        dashboard.fold()
    assert sample_db.read_bytes() == before
    # the analyst gives the pasted record its own doc id: both records and the change survive
    at = text.rindex('\n    "1": {')  # the pasted copy, after the original
    fixed = text[:at] + '\n    "99": {' + text[at + len('\n    "1": {'):]
    sample_db.write_text(fixed)
    dashboard.reload()
    assert dashboard.fold()
    claims = {c["id"]: c for c in json.loads(sample_db.read_text())["claims"].values()}
    assert {"c-cnn-new-front", "c-pasted-cnn-new-front"} <= set(claims)
    assert claims["c-hayday-lysychansk-outskirts"]["status"] == "confirmed"


@pytest.mark.parametrize("at_end", [False, True])
def test_a_doc_id_used_twice_is_found_within_a_piece_and_across_pieces(
        tmp_path: Path, at_end: bool) -> None:
    db = tmp_path / "db.json"
    clean = dump_document(_big_doc(3 * PIECE // 300))  # a few pieces of the chunked reader
    assert read_document_chunked_ok(db, clean)
    db.write_text(_paste(clean.decode(), "2", "c-pasted-", at_end=at_end))
    assert read_document_chunked(db) is None  # the count sends it to the whole read
    with pytest.raises(DataFileError, match="doc id '2' is used 2 times"):
        Store.open(db)


def read_document_chunked_ok(db: Path, payload: bytes) -> bool:
    db.write_bytes(payload)
    found = read_document_chunked(db)
    return found is not None and found[0] == json.loads(payload)


def test_compact_json_and_a_table_given_twice_are_refused(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    db.write_text('{"claims": {"1": {"id": "a"}, "1": {"id": "b"}}}')
    with pytest.raises(DataFileError, match="doc id '1' is used 2 times") as caught:
        Store.open(db)
    assert (caught.value.line, caught.value.column) == (1, 31)
    db.write_text('{"claims": {"1": {"id": "a"}},\n "claims": {}}')
    with pytest.raises(DataFileError, match="the table 'claims' appears 2 times"):
        Store.open(db)


def test_an_empty_record_still_opens(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    doc = _big_doc(5)
    doc["claims"]["9"] = {}  # not counted as a record opening: the whole read takes it
    db.write_bytes(dump_document(doc))
    assert read_document_chunked(db) is None
    assert Store.open(db).document["claims"]["9"] == {}


def test_find_duplicate_keys_gives_paths_and_lines() -> None:
    text = (b'{\n  "claims": {\n    "1": {\n      "id": "c-1",\n      "status": "a",\n'
            b'      "history": [{"note": 1, "note": 2}],\n      "status": "b"\n    }\n  }\n}\n')
    found = {(d.path, d.key): d for d in find_duplicate_keys(text)}
    status = found[(("claims", "1"), "status")]
    assert (status.count, status.line, status.column, status.other_lines) == (2, 7, 7, (5,))
    assert not status.loses_records
    note = found[(("claims", "1", "history", 0), "note")]
    assert note.line is None  # inside a list: the path is given, not the line
    assert find_duplicate_keys(b'{"a": {"b": 1}}') == []
    assert find_duplicate_keys(b"[" * 100_000 + b"]" * 100_000) == []  # too deep: no answer


def test_validate_names_a_field_given_twice(sample_db: Path) -> None:
    from sitrep.store import read_document
    from sitrep.store.json_keys import DuplicateKey
    from sitrep.store.validate import duplicate_key_problems

    first = '\n      "id": "c-cnn-new-front"'
    text = sample_db.read_text().replace(first, '\n      "status": "false",' + first)
    sample_db.write_text(text)
    duplicates: list[DuplicateKey] = []
    doc, _ = read_document(sample_db, duplicates=duplicates)
    [problem] = duplicate_key_problems(duplicates, doc)
    assert (problem.table, problem.record_id, problem.field) == ("claims", "c-cnn-new-front",
                                                                 "status")
    assert problem.message.startswith("given 2 times (lines ")
