"""The semantic three-way merge, rule by rule (the properties are in
test_document_merge_properties.py)."""

from __future__ import annotations

from pathlib import Path

import orjson

from sitrep.document_merge import MERGE_BY, unite
from sitrep.store import dump_document
from sitrep.store.validate import validate_document

from .merge_helpers import T0, by_id, content, copy, entry, merge, small_document


def test_a_file_merged_with_itself_is_byte_identical() -> None:
    raw = (Path(__file__).parents[2] / "sample_data" / "sitrep.json"
           ).read_bytes()
    result = merge(orjson.loads(raw), orjson.loads(raw), orjson.loads(raw))
    assert dump_document(result.document) == raw
    assert result.clean


def test_one_side_unchanged_gives_the_other_side_exactly() -> None:
    base = small_document()
    theirs = copy(base)
    theirs["claims"]["7"] = theirs["claims"].pop("1")  # renumbered by hand
    theirs["claims"]["2"]["status"] = "false"
    assert dump_document(merge(base, copy(base), theirs).document) == dump_document(theirs)
    assert dump_document(merge(base, theirs, copy(base)).document) == dump_document(theirs)


def test_changes_on_different_fields_and_records_are_all_taken() -> None:
    base = small_document()
    ours, theirs = copy(base), copy(base)
    ours["claims"]["1"]["status"] = "confirmed"
    ours["claims"]["1"]["history"].append(entry("2026-01-02T00:00:00Z", "alice", "status",
                                                "unverified", "confirmed"))
    theirs["claims"]["1"]["credibility"] = 2
    theirs["claims"]["1"]["history"].append(entry("2026-01-03T00:00:00Z", "bob", "credibility",
                                                  3, 2))
    theirs["claims"]["2"]["notes"] = "bob's hand edit"
    result = merge(base, ours, theirs)
    claims = by_id(result.document, "claims")
    assert claims["c1"]["status"] == "confirmed" and claims["c1"]["credibility"] == 2
    assert [e["by"] for e in claims["c1"]["history"]] == ["seed", "alice", "bob"]
    assert claims["c2"]["notes"] == "bob's hand edit"
    assert result.clean


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    base = small_document()
    ours, theirs = copy(base), copy(base)
    for doc in (ours, theirs):
        doc["claims"]["3"]["status"] = "disputed"
        doc["claims"]["3"]["history"].append(entry("2026-01-02T00:00:00Z", "x", "status",
                                                   "unverified", "disputed"))
    ours["claims"]["1"]["notes"] = "a"  # so that the documents differ
    result = merge(base, ours, theirs)
    assert result.clean
    assert len(by_id(result.document, "claims")["c3"]["history"]) == 2


def test_history_is_united_in_time_order_each_entry_once() -> None:
    base = small_document()
    ours, theirs = copy(base), copy(base)
    a1 = entry("2026-01-02T00:00:00Z", "alice", "note", note="first")
    a2 = entry("2026-01-04T00:00:00Z", "alice", "note", note="third")
    b1 = entry("2026-01-03T00:00:00Z", "bob", "note", note="second")
    shared = entry("2026-01-05T00:00:00Z", "carol", "note", note="both have it")
    ours["claims"]["1"]["history"] += [a1, a2, shared]
    theirs["claims"]["1"]["history"] += [b1, shared]
    history = by_id(merge(base, ours, theirs).document, "claims")["c1"]["history"]
    assert [e["note"] for e in history[1:]] == ["first", "second", "third", "both have it"]


def test_unite_keeps_each_sides_order_for_equal_times_and_is_symmetric() -> None:
    same = "2026-01-02T00:00:00Z"
    xs = [entry(same, "a", "status", 1, 2), entry(same, "a", "credibility", 3, 2)]
    ys = [entry(same, "b", "note", note="n")]
    one, other = unite(xs, ys), unite(ys, xs)
    assert one == other
    assert one.index(xs[0]) < one.index(xs[1])
    assert unite(xs + xs[:1], xs) == xs + xs[:1]  # an entry held twice stays twice


def test_both_changed_differently_the_later_change_wins_with_a_conflict_entry() -> None:
    base = small_document()
    ours, theirs = copy(base), copy(base)
    ours["claims"]["1"]["status"] = "confirmed"
    ours["claims"]["1"]["history"].append(entry("2026-01-03T00:00:00Z", "alice", "status",
                                                "unverified", "confirmed"))
    theirs["claims"]["1"]["status"] = "false"
    theirs["claims"]["1"]["history"].append(entry("2026-01-02T00:00:00Z", "bob", "status",
                                                  "unverified", "false"))
    for a, b in ((ours, theirs), (theirs, ours)):
        result = merge(base, copy(a), copy(b))
        claim = by_id(result.document, "claims")["c1"]
        assert claim["status"] == "confirmed"
        conflict = claim["history"][-1]
        assert conflict == {
            "at": "2026-01-03T00:00:00Z", "by": MERGE_BY, "field": "conflict",
            "conflict": "status",
            "from": {"by": "bob", "at": "2026-01-02T00:00:00Z", "value": "false"},
            "to": {"by": "alice", "at": "2026-01-03T00:00:00Z", "value": "confirmed"},
            "note": conflict["note"],
        }
        assert [(c.table, c.id, c.field) for c in result.conflicts] == [("claims", "c1",
                                                                         "status")]


def test_a_hand_edit_counts_as_changed_at_the_files_time() -> None:
    base = small_document()
    ours, theirs = copy(base), copy(base)
    ours["claims"]["1"]["status"] = "confirmed"
    ours["claims"]["1"]["history"].append(entry("2026-01-03T00:00:00Z", "alice", "status",
                                                "unverified", "confirmed"))
    theirs["claims"]["1"]["status"] = "false"  # in vim: no history
    later = merge(base, ours, theirs, theirs_at="2026-01-04T00:00:00Z", theirs_by="vim user")
    earlier = merge(base, ours, theirs, theirs_at="2026-01-02T00:00:00Z", theirs_by="vim user")
    assert by_id(later.document, "claims")["c1"]["status"] == "false"
    assert by_id(earlier.document, "claims")["c1"]["status"] == "confirmed"
    entry_ = by_id(later.document, "claims")["c1"]["history"][-1]
    assert entry_["to"] == {"by": "vim user", "at": "2026-01-04T00:00:00Z", "value": "false"}


def test_equal_times_are_broken_the_same_way_whichever_side_is_ours() -> None:
    base = small_document()
    ours, theirs = copy(base), copy(base)
    ours["claims"]["1"]["notes"] = "mine"
    theirs["claims"]["1"]["notes"] = "yours"
    one = merge(base, ours, theirs, ours_at=T0, theirs_at=T0, ours_by="x", theirs_by="x")
    other = merge(base, theirs, ours, ours_at=T0, theirs_at=T0, ours_by="x", theirs_by="x")
    assert content(one.document) == content(other.document)


def test_a_removed_field_is_a_change_to_absent() -> None:
    base = small_document()
    ours, theirs = copy(base), copy(base)
    del ours["claims"]["1"]["quote"]
    theirs["claims"]["1"]["quote"] = "said"
    result = merge(base, ours, theirs, ours_at="2026-01-07T00:00:00Z")
    claim = by_id(result.document, "claims")["c1"]
    assert "quote" not in claim
    assert claim["history"][-1]["to"] == {"by": "alice", "at": "2026-01-07T00:00:00Z",
                                          "absent": True}
    assert claim["history"][-1]["from"]["value"] == "said"


def test_lists_both_sides_appended_to_keep_both_additions() -> None:
    base = small_document()
    ours, theirs = copy(base), copy(base)
    obs_a = {"controller": "ua", "as_of": "2022-09-10", "claim": None, "note": None}
    obs_b = {"controller": "ru", "as_of": "2022-09-11", "claim": None, "note": None}
    ours["settlements"]["1"]["control"].append(obs_a)
    ours["settlements"]["1"]["history"].append(entry("2026-01-03T00:00:00Z", "alice",
                                                     "control", None, obs_a))
    theirs["settlements"]["1"]["control"].append(obs_b)
    theirs["settlements"]["1"]["history"].append(entry("2026-01-02T00:00:00Z", "bob",
                                                       "control", None, obs_b))
    ours["claims"]["1"]["tags"] = ["a"]
    theirs["claims"]["1"]["tags"] = ["b", "a"]
    for a, b in ((ours, theirs), (theirs, ours)):
        result = merge(base, copy(a), copy(b))
        assert by_id(result.document, "settlements")["s1"]["control"] == [obs_b, obs_a]
        assert sorted(by_id(result.document, "claims")["c1"]["tags"]) == ["a", "b"]
        assert result.clean


def test_deleted_on_one_side_changed_on_the_other_is_kept_with_a_conflict() -> None:
    base = small_document()
    ours, theirs = copy(base), copy(base)
    del ours["claims"]["2"]
    theirs["claims"]["2"]["status"] = "confirmed"
    result = merge(base, ours, theirs)
    claim = by_id(result.document, "claims")["c2"]
    assert claim["status"] == "confirmed"
    assert claim["history"][-1]["conflict"] == "record"
    assert claim["history"][-1]["from"] == {"by": "alice", "at": "2026-01-05T00:00:00Z",
                                            "deleted": True}
    assert [(c.id, c.field) for c in result.conflicts] == [("c2", "record")]


def test_deleted_on_one_side_unchanged_on_the_other_is_deleted() -> None:
    base = small_document()
    ours, theirs = copy(base), copy(base)
    del ours["claims"]["2"]
    theirs["claims"]["3"]["notes"] = "x"
    result = merge(base, ours, theirs)
    assert "c2" not in by_id(result.document, "claims") and result.clean


def test_a_deleted_record_still_referred_to_is_kept() -> None:
    base = small_document()
    ours, theirs = copy(base), copy(base)
    del ours["settlements"]["2"]  # nothing referred to s2 in ours
    theirs["claims"]["1"]["settlements"] = ["s1", "s2"]
    result = merge(base, ours, theirs)
    assert "s2" in by_id(result.document, "settlements")
    assert validate_document(result.document) == []
    assert [(c.id, c.field) for c in result.conflicts] == [("s2", "record")]


def test_a_reference_the_deleting_side_left_dangling_itself_does_not_keep_the_record() -> None:
    base = small_document()
    ours, theirs = copy(base), copy(base)
    del ours["settlements"]["1"]  # ours' claims still refer to s1: ours' own problem
    theirs["claims"]["3"]["notes"] = "x"
    result = merge(base, ours, theirs)
    assert "s1" not in by_id(result.document, "settlements")


def test_added_on_both_sides_with_the_same_content_is_one_record() -> None:
    base = small_document()
    ours, theirs = copy(base), copy(base)
    new = {"id": "c9", "text": "new", "source": "src", "history": []}
    ours["claims"]["4"] = dict(new, history=[entry("2026-01-02T00:00:00Z", "alice", "created")])
    theirs["claims"]["4"] = dict(new, history=[entry("2026-01-03T00:00:00Z", "bob", "created")])
    result = merge(base, ours, theirs)
    claims = [c for c in result.document["claims"].values() if c["id"].startswith("c9")]
    assert len(claims) == 1 and len(claims[0]["history"]) == 2 and result.clean


def test_added_on_both_sides_differently_keeps_both() -> None:
    base = small_document()
    ours, theirs = copy(base), copy(base)
    ours["claims"]["4"] = {"id": "c9", "text": "alice's", "source": "src",
                           "history": [entry("2026-01-03T00:00:00Z", "alice", "created")]}
    theirs["claims"]["4"] = {"id": "c9", "text": "bob's", "source": "src",
                             "history": [entry("2026-01-02T00:00:00Z", "bob", "created")]}
    for a, b in ((ours, theirs), (theirs, ours)):
        result = merge(base, copy(a), copy(b))
        claims = by_id(result.document, "claims")
        assert claims["c9"]["text"] == "bob's"  # made first
        assert claims["c9-conflict-1"]["text"] == "alice's"
        assert claims["c9"]["history"][-1] == claims["c9-conflict-1"]["history"][-1]
        assert claims["c9"]["history"][-1]["to"]["value"] == "c9"
        assert claims["c9"]["history"][-1]["from"]["value"] == "c9-conflict-1"
        assert sorted(result.document["claims"]) == ["1", "2", "3", "4", "5"]
        assert validate_document(result.document) == []


def test_the_derived_id_skips_ids_in_use() -> None:
    base = small_document()
    base["claims"]["9"] = {"id": "c9-conflict-1", "text": "t", "source": "src"}
    ours, theirs = copy(base), copy(base)
    ours["claims"]["4"] = {"id": "c9", "text": "a", "source": "src"}
    theirs["claims"]["4"] = {"id": "c9", "text": "b", "source": "src"}
    claims = by_id(merge(base, ours, theirs).document, "claims")
    assert {"c9", "c9-conflict-1", "c9-conflict-2"} <= set(claims)


def test_unknown_tables_and_fields_are_merged_too() -> None:
    base = small_document()
    base["notes_by_desk"] = {"1": {"id": "n1", "text": "x", "history": []}}
    ours, theirs = copy(base), copy(base)
    ours["notes_by_desk"]["1"]["colour"] = "red"
    theirs["notes_by_desk"]["1"]["text"] = "y"
    theirs["claims"]["1"]["x_custom"] = {"a": 1}
    theirs["extra_table"] = {"1": {"id": "e1"}}
    result = merge(base, ours, theirs)
    assert result.document["notes_by_desk"]["1"] == {"id": "n1", "text": "y", "history": [],
                                                     "colour": "red"}
    assert by_id(result.document, "claims")["c1"]["x_custom"] == {"a": 1}
    assert result.document["extra_table"] == {"1": {"id": "e1"}}
    assert list(result.document)[-1] == "extra_table"


def test_new_keys_of_theirs_follow_the_key_they_follow_there() -> None:
    base = small_document()
    ours, theirs = copy(base), copy(base)
    ours["claims"]["1"]["status"] = "false"
    record = theirs["claims"]["1"]
    theirs["claims"]["1"] = {}
    for key, value in record.items():
        theirs["claims"]["1"][key] = value
        if key == "text":
            theirs["claims"]["1"]["summary"] = "short"
    keys = list(by_id(merge(base, ours, theirs).document, "claims")["c1"])
    assert keys[keys.index("text") + 1] == "summary"


def test_records_matched_by_id_not_by_doc_id_or_position() -> None:
    base = small_document()
    ours, theirs = copy(base), copy(base)
    # theirs reorders and renumbers every claim, and changes c1
    theirs["claims"] = {str(10 + n): r for n, r in enumerate(reversed(list(
        theirs["claims"].values())))}
    theirs["claims"]["12"]["status"] = "false"
    ours["claims"]["2"]["status"] = "confirmed"
    result = merge(base, ours, theirs)
    assert list(result.document["claims"]) == ["1", "2", "3"]  # ours' doc ids
    claims = by_id(result.document, "claims")
    assert claims["c1"]["status"] == "false" and claims["c2"]["status"] == "confirmed"


def test_records_only_theirs_has_get_a_free_doc_id() -> None:
    base = small_document()
    ours, theirs = copy(base), copy(base)
    ours["claims"]["4"] = {"id": "a4", "text": "a", "source": "src"}
    theirs["claims"]["4"] = {"id": "b4", "text": "b", "source": "src"}
    theirs["claims"]["5"] = {"id": "b5", "text": "b", "source": "src"}
    result = merge(base, ours, theirs)
    assert {k: r["id"] for k, r in result.document["claims"].items()} == {
        "1": "c1", "2": "c2", "3": "c3", "4": "a4", "5": "b5", "6": "b4"}


def test_meta_is_merged_by_doc_id_without_conflicts() -> None:
    base = small_document()
    ours, theirs = copy(base), copy(base)
    ours["_meta"]["1"]["journal_folded"] = {"id": "a", "seq": 3}
    theirs["_meta"]["1"]["journal_folded"] = {"id": "b", "seq": 9}
    theirs["_meta"]["1"]["schema"] = 2
    result = merge(base, ours, theirs)
    assert result.document["_meta"] == {"1": {"schema": 2,
                                              "journal_folded": {"id": "b", "seq": 9}}}
    assert result.clean


def test_records_without_an_id_changed_on_both_sides_are_both_kept() -> None:
    base = small_document()
    base["loose"] = {"1": {"text": "x"}}
    ours, theirs = copy(base), copy(base)
    ours["loose"]["1"]["text"] = "a"
    theirs["loose"]["1"]["text"] = "b"
    result = merge(base, ours, theirs)
    assert result.document["loose"] == {"1": {"text": "b"}, "2": {"text": "a"}}
    assert [(c.table, c.id, c.field) for c in result.conflicts] == [("loose", None, "record")]


def test_an_id_given_twice_is_matched_by_occurrence() -> None:
    base = small_document()
    base["claims"]["4"] = dict(base["claims"]["1"], text="the second c1")
    ours, theirs = copy(base), copy(base)
    theirs["claims"]["4"]["notes"] = "on the second"
    ours["claims"]["1"]["notes"] = "on the first"
    result = merge(base, ours, theirs)
    assert result.document["claims"]["1"]["notes"] == "on the first"
    assert result.document["claims"]["4"]["notes"] == "on the second"


def test_a_deleted_table_stays_deleted_and_an_added_one_stays() -> None:
    base = small_document()
    ours, theirs = copy(base), copy(base)
    del ours["feeds"]
    theirs["claims"]["1"]["notes"] = "x"
    theirs["empty_new"] = {}
    result = merge(base, ours, theirs)
    assert "feeds" not in result.document and result.document["empty_new"] == {}


def test_true_and_1_are_different_values() -> None:
    base = small_document()
    ours, theirs = copy(base), copy(base)
    ours["claims"]["1"]["x"] = 1
    base["claims"]["1"]["x"] = 1
    theirs["claims"]["1"]["x"] = True  # a hand edit: a change, not "equal to the ancestor"
    ours["claims"]["2"]["notes"] = "n"
    result = merge(base, ours, theirs)
    assert by_id(result.document, "claims")["c1"]["x"] is True


def test_the_merge_does_not_change_its_inputs() -> None:
    base = small_document()
    ours, theirs = copy(base), copy(base)
    del ours["claims"]["2"]
    theirs["claims"]["2"]["status"] = "false"
    ours["claims"]["4"] = {"id": "c9", "text": "a", "source": "src"}
    theirs["claims"]["4"] = {"id": "c9", "text": "b", "source": "src"}
    before = [dump_document(d) for d in (base, ours, theirs)]
    merge(base, ours, theirs)
    assert [dump_document(d) for d in (base, ours, theirs)] == before


def test_a_second_merge_of_the_same_versions_writes_the_same_conflict_entry() -> None:
    base = small_document()
    ours, theirs = copy(base), copy(base)
    ours["claims"]["1"]["status"] = "confirmed"
    theirs["claims"]["1"]["status"] = "false"
    once = merge(base, ours, theirs).document
    other = merge(base, theirs, ours, ours_at="2026-01-06T00:00:00Z", ours_by="bob",
                  theirs_at="2026-01-05T00:00:00Z", theirs_by="alice").document
    assert content(other) == content(once)
    again = merge(base, once, other)
    assert content(again.document) == content(once) and again.clean


def test_hand_mangled_shapes_are_merged_without_an_error() -> None:
    base = small_document()
    deep: object = "bottom"
    for _ in range(300):  # deeper than orjson writes (254)
        deep = [deep]
    base["claims"]["1"]["history"] = "not a list"
    base["claims"]["x"] = 5  # a record that is not an object, under a doc id that is no number
    base["settlements"]["1"]["control"] = 1
    base["sources"]["1"]["deep"] = deep
    ours, theirs = copy(base), copy(base)
    ours["claims"]["1"]["status"], theirs["claims"]["1"]["status"] = "false", "confirmed"
    ours["claims"]["x"], theirs["claims"]["x"] = 6, [7]
    ours["settlements"]["1"]["control"] = [1]
    theirs["settlements"]["1"]["control"] = 2
    ours["sources"]["1"]["deep"], theirs["sources"]["1"]["deep"] = [deep], [[deep]]
    for a, b in ((ours, theirs), (theirs, ours)):
        result = merge(base, copy(a), copy(b))
        claims = result.document["claims"]
        assert claims["1"]["history"] == "not a list"  # nowhere to write the entry: listed only
        assert sorted(map(str, (v for k, v in claims.items() if k not in "123"))) == ["6", "[7]"]
        assert {c.field for c in result.conflicts} == {"status", "record", "control", "deep"}
