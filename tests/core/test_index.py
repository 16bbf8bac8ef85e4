"""The in-memory index (sitrep.store.index) on its own: ids, claim sets, doc keys."""

from __future__ import annotations

from typing import Any

from sitrep.store.index import Index


def indexed(doc: dict[str, Any]) -> Index:
    index = Index()
    index.rebuild(doc)
    return index


def test_ids_map_to_doc_keys_and_the_first_of_two_equal_ids_wins() -> None:
    doc = {"claims": {"1": {"id": "a"}, "2": {"id": "b"}, "3": {"id": "a"}},
           "sources": {"5": {"id": "s"}, "6": "not a record", "7": {"id": 3}}}
    index = indexed(doc)
    assert index.by_id["claims"] == {"a": "1", "b": "2"}
    assert index.by_id["sources"] == {"s": "5"}
    assert index.by_id["settlements"] == {}


def test_a_claims_table_with_a_record_that_is_no_object_is_indexed_carefully() -> None:
    index = indexed({"claims": {"1": {"id": "a"}, "2": [1, 2], "3": {"id": "c"}}})
    assert index.by_id["claims"] == {"a": "1", "c": "3"}


def test_claim_sets_are_built_on_first_use_in_file_order() -> None:
    claims = {
        "1": {"id": "a", "source": "s", "status": "unverified", "settlements": ["p", "q"]},
        "2": {"id": "b", "source": "s", "status": "false", "settlements": ["p", 4]},
        "3": {"id": "c", "source": ["s"], "status": None, "settlements": "p"},
    }
    index = indexed({"claims": claims})
    assert index._sets is None  # nothing built on load
    assert list(index.by_settlement["p"]) == ["a", "b"]
    assert list(index.by_source["s"]) == ["a", "b"]
    assert index.by_status["false"] == {"b": claims["2"]}  # the live record itself
    assert "c" not in index.by_source.get("s", {})


def test_add_and_remove_keep_the_sets_in_step() -> None:
    claims = {"1": {"id": "a", "source": "s", "status": "unverified", "settlements": ["p"]}}
    index = indexed({"claims": claims})
    assert list(index.by_status["unverified"]) == ["a"]
    record = claims["1"]
    index.remove("claims", "1", record, replacing=True)
    assert "a" not in index.by_status["unverified"] and "a" not in index.by_id["claims"]
    record["status"] = "false"
    index.add("claims", "1", record)
    assert index.by_status["false"] == {"a": record} and index.by_id["claims"]["a"] == "1"
    index.remove("claims", "9", {"id": "a"})  # not the indexed record of that id: kept
    assert index.by_id["claims"]["a"] == "1"


def test_next_key_goes_past_hand_added_keys_and_never_reuses_a_freed_one() -> None:
    doc = {"claims": {"1": {"id": "a"}, "41": {"id": "b"}, "x": {"id": "c"}}}
    index = indexed(doc)
    assert index.next_key("claims") == "42"
    del doc["claims"]["41"]
    index.remove("claims", "41", {"id": "b"})
    assert index.next_key("claims") == "43"
    assert index.next_key("sources") == "1"
