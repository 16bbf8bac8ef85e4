"""Every op kind applied straight to a document and its index (sitrep.store.ops): no Store,
no file."""

from __future__ import annotations

from typing import Any

import pytest

from sitrep.errors import InvalidValueError, NotFoundError
from sitrep.store.index import Index
from sitrep.store.ops import apply_op, json_copy, locate, touched

AT = "2026-01-02T03:04:05Z"


def doc_and_index() -> tuple[dict[str, Any], Index]:
    doc: dict[str, Any] = {
        "sources": {"1": {"id": "s1", "name": "S", "reliability": "F", "history": []}},
        "settlements": {"1": {"id": "p1", "name": "P", "control": [], "history": []}},
        "claims": {
            "1": {"id": "c1", "text": "a", "source": "s1", "status": "unverified",
                  "settlements": ["p1"], "history": []},
            "7": {"id": "c2", "text": "b", "source": "s1", "status": "confirmed",
                  "settlements": [], "history": []},
        },
    }
    index = Index()
    index.rebuild(doc)
    return doc, index


def op(kind: str, table: str, **fields: Any) -> dict[str, Any]:
    return {"op": kind, "table": table, "at": AT, "by": "ana", **fields}


def test_set_records_each_changed_field_and_keeps_the_index() -> None:
    doc, index = doc_and_index()
    assert index.by_status["unverified"].keys() == {"c1"}
    changed = apply_op(doc, index, op("set", "claims", id="c1", note="why",
                                      fields={"status": "false", "text": "a"}))
    claim = doc["claims"]["1"]
    assert changed and claim["status"] == "false"
    assert claim["history"] == [{"at": AT, "by": "ana", "field": "status",
                                 "from": "unverified", "to": "false", "note": "why"}]
    assert "c1" not in index.by_status["unverified"] and "c1" in index.by_status["false"]


def test_set_to_the_same_value_is_a_no_op_unless_it_carries_a_note() -> None:
    doc, index = doc_and_index()
    assert not apply_op(doc, index, op("set", "claims", id="c2", fields={"status": "confirmed"}))
    assert doc["claims"]["7"]["history"] == []
    assert apply_op(doc, index, op("set", "claims", id="c2", note="checked",
                                   fields={"status": "confirmed"}))
    assert doc["claims"]["7"]["history"][-1]["field"] == "note"


def test_note_and_its_retraction() -> None:
    doc, index = doc_and_index()
    apply_op(doc, index, op("note", "claims", id="c1", note="seen"))
    apply_op(doc, index, op("note", "claims", id="c1", note="retracted", retracts="seen"))
    first, second = doc["claims"]["1"]["history"]
    assert (first["from"], first["note"]) == (None, "seen")
    assert (second["from"], second["note"]) == ("seen", "retracted")


def test_append_adds_a_copy_once() -> None:
    doc, index = doc_and_index()
    value = {"controller": "ua", "as_of": "2022-09", "claim": None, "note": None}
    assert apply_op(doc, index, op("append", "settlements", id="p1", field="control",
                                   value=value))
    value["controller"] = "ru"  # the stored observation is a copy
    assert doc["settlements"]["1"]["control"][0]["controller"] == "ua"
    again = {"controller": "ua", "as_of": "2022-09", "claim": None, "note": None}
    assert not apply_op(doc, index, op("append", "settlements", id="p1", field="control",
                                       value=again))
    assert len(doc["settlements"]["1"]["control"]) == 1
    assert len(doc["settlements"]["1"]["history"]) == 1


def test_append_to_a_field_that_is_not_a_list_is_refused() -> None:
    doc, index = doc_and_index()
    doc["settlements"]["1"]["control"] = 3
    with pytest.raises(InvalidValueError, match="not a list"):
        apply_op(doc, index, op("append", "settlements", id="p1", field="control", value={}))


def test_put_inserts_past_the_biggest_key_and_replaces_by_id() -> None:
    doc, index = doc_and_index()
    new = {"id": "c3", "text": "c", "source": "s1", "status": "disputed", "settlements": []}
    assert apply_op(doc, index, op("put", "claims", record=new, field="created"))
    assert doc["claims"]["8"]["id"] == "c3"  # after the hand-set key "7"
    assert doc["claims"]["8"]["history"][0]["field"] == "created"
    assert "history" not in new  # the op's record is copied, not taken
    assert index.by_status["disputed"].keys() == {"c3"}
    edited = {**doc["claims"]["8"], "text": "c!"}
    assert apply_op(doc, index, op("put", "claims", record=edited, field="record"))
    assert doc["claims"]["8"]["text"] == "c!"
    assert doc["claims"]["8"]["history"][-1]["from"] == ["text"]
    assert not apply_op(doc, index, op("put", "claims", record=json_copy(doc["claims"]["8"]),
                                       field="record"))


def test_put_keeps_history_append_only() -> None:
    doc, index = doc_and_index()
    apply_op(doc, index, op("note", "claims", id="c1", note="kept"))
    rewritten = {**doc["claims"]["1"], "history": []}
    with pytest.raises(InvalidValueError, match="append-only"):
        apply_op(doc, index, op("put", "claims", record=rewritten))
    with pytest.raises(InvalidValueError, match="non-empty string id"):
        apply_op(doc, index, op("put", "claims", record={"id": ""}))


def test_delete_forgets_the_record_and_its_key_is_not_reused() -> None:
    doc, index = doc_and_index()
    assert apply_op(doc, index, op("delete", "claims", id="c2"))
    assert "7" not in doc["claims"] and index.by_id["claims"].keys() == {"c1"}
    assert "c2" not in index.by_status["confirmed"]
    apply_op(doc, index, op("put", "claims", record={"id": "c4", "text": "d"}))
    assert "8" in doc["claims"]  # key 7 was handed out once: never again


def test_missing_records_and_unknown_kinds() -> None:
    doc, index = doc_and_index()
    with pytest.raises(NotFoundError, match="no claim with id 'nope'"):
        locate(doc, index, "claims", "nope")
    with pytest.raises(NotFoundError):
        apply_op(doc, index, op("set", "claims", id="nope", fields={"status": "false"}))
    with pytest.raises(InvalidValueError, match="unknown change kind"):
        apply_op(doc, index, op("frobnicate", "claims", id="c1"))
    with pytest.raises(InvalidValueError, match="names no table"):
        apply_op(doc, index, op("set", "", id="c1", fields={}))


def test_touched_names_the_record_an_op_changes() -> None:
    doc, index = doc_and_index()
    assert touched(op("set", "claims", id="c2", fields={}), doc, index) == ("claims", "7")
    assert touched(op("put", "claims", record={"id": "new"}), doc, index) == ("claims", None)
