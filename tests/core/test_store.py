"""The store on real files: round trips, indexes, hand edits, journal, no clobbering."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tinydb import TinyDB

from sitrep.errors import DataFileError, InvalidValueError, NotFoundError
from sitrep.store import SitrepStorage, Store, journal_path

CLAIM = "c-hayday-lysychansk-outskirts"


def test_open_and_query_the_sample(sample_db: Path) -> None:
    store = Store.open(sample_db)
    assert len(store.settlements()) == 9 and len(store.sources()) == 4
    assert store.claim(CLAIM)["source"] == "hayday"
    assert {c["id"] for c in store.claims_for_settlement("lysychansk")} >= {CLAIM}
    assert all(c["source"] == "hayday" for c in store.claims_for_source("hayday"))
    counts = store.counts_by_status()
    assert sum(counts.values()) == len(store.claims())
    assert store.filter_claims(text="OUTSKIRTS")[0]["id"] == CLAIM
    assert store.filter_claims(status="unverified", settlement="lysychansk", source="hayday")


def test_round_trip_keeps_unknown_fields_and_key_order(sample_db: Path) -> None:
    raw = json.loads(sample_db.read_text())
    key = next(k for k, c in raw["claims"].items() if c["id"] == CLAIM)
    claim = raw["claims"][key]
    raw["claims"][key] = {"zzz_custom": {"keep": [1, 2]}, **claim}  # hand-added field, first
    raw["my_table"] = {"1": {"anything": True}}
    sample_db.write_text(json.dumps(raw, indent=2, ensure_ascii=False) + "\n")

    store = Store.open(sample_db)
    store.set_status(CLAIM, "disputed", by="a", note="why")
    after = json.loads(sample_db.read_text())
    assert list(after["claims"][key])[0] == "zzz_custom"
    assert after["claims"][key]["zzz_custom"] == {"keep": [1, 2]}
    assert after["my_table"] == {"1": {"anything": True}}
    assert list(after["claims"][key]) == ["zzz_custom", *claim.keys()]
    text = sample_db.read_text()
    assert "Лисичанськ" in text  # Cyrillic stays readable
    assert text.startswith('{\n  "') and text.endswith("}\n")  # indent 2, trailing newline


def test_write_of_unchanged_data_is_byte_identical(sample_db: Path) -> None:
    before = sample_db.read_bytes()
    store = Store.open(sample_db)
    store.set_status(CLAIM, "confirmed", by="a")
    store.set_status(CLAIM, "unverified", by="a")
    # the claim's history grew by two entries, and every other byte is as the sample has it:
    # the expected file is the old bytes with the two entries spliced in after the claim's
    # last history entry, each laid out by the standard library at its depth (indent 2)
    after = sample_db.read_bytes()
    added = next(c for c in json.loads(after)["claims"].values()
                 if c["id"] == CLAIM)["history"][-2:]
    last_entry_ends = b"\n        }\n      ]"  # the closing of the history's last entry
    end = before.index(last_entry_ends, before.index(f'"id": "{CLAIM}"'.encode())) + 10
    pieces = [json.dumps(entry, indent=2, ensure_ascii=False).replace("\n", "\n        ")
              for entry in added]
    spliced = "".join(f",\n        {piece}" for piece in pieces).encode()
    assert after == before[:end] + spliced + before[end:]


def test_history_records_every_change(sample_db: Path) -> None:
    store = Store.open(sample_db)
    store.set_status(CLAIM, "corroborated", by="ana", note="queues seen")
    store.set_credibility(CLAIM, 2, by="ana")
    store.set_reliability("hayday", "B", by="ana")
    store.add_control("lysychansk", "contested", "10 Sep 2022", by="ana", claim=CLAIM)
    store.add_note("claims", CLAIM, "called the bureau", by="ana")
    history = Store.open(sample_db).claim(CLAIM)["history"]
    assert [h["field"] for h in history[-3:]] == ["status", "credibility", "note"]
    assert history[-3]["from"] == "unverified" and history[-3]["to"] == "corroborated"
    assert history[-3]["note"] == "queues seen" and history[-3]["by"] == "ana"
    place = Store.open(sample_db).settlement("lysychansk")
    assert place["control"][-1] == {"controller": "contested", "as_of": "2022-09-10",
                                    "claim": CLAIM, "note": None}
    assert place["history"][-1]["field"] == "control"


def test_control_as_of(sample_db: Path) -> None:
    store = Store.open(sample_db)
    assert store.control_as_of("lysychansk", "2021") is None
    assert store.control_as_of("lysychansk", "2022-05")["controller"] == "ua"
    assert store.control_as_of("lysychansk", "2022-06-15")["controller"] == "ru"
    store.add_control("lysychansk", "ua", "2022-10-01", by="a")
    assert store.control_as_of("lysychansk", "2022-09-10")["controller"] == "ru"
    assert store.control_as_of("lysychansk", "2022-10")["controller"] == "ua"
    assert store.current_control("lysychansk")["controller"] == "ua"


def test_wrong_values_and_ids_change_nothing(sample_db: Path) -> None:
    before = sample_db.read_bytes()
    store = Store.open(sample_db)
    with pytest.raises(NotFoundError):
        store.set_status("c-nope", "confirmed", by="a")
    with pytest.raises(InvalidValueError):
        store.set_status(CLAIM, "maybe", by="a")
    with pytest.raises(InvalidValueError):
        store.set_credibility(CLAIM, 9, by="a")
    with pytest.raises(InvalidValueError):
        store.add_control("lysychansk", "nato", "2022-09-10", by="a")
    with pytest.raises(InvalidValueError):
        store.add_control("lysychansk", "ua", "someday", by="a")
    assert sample_db.read_bytes() == before


def test_hand_edit_saved_by_rename_between_read_and_write_is_kept(sample_db: Path) -> None:
    store = Store.open(sample_db)  # reads the file
    raw = json.loads(sample_db.read_text())
    raw["sources"]["99"] = {"id": "hand-added", "name": "Added in vim", "reliability": "C"}
    tmp = sample_db.with_name("vim-swap.json")
    tmp.write_text(json.dumps(raw, indent=2, ensure_ascii=False))
    os.replace(tmp, sample_db)  # how vim and most IDEs save
    store.set_status(CLAIM, "disputed", by="a")
    after = json.loads(sample_db.read_text())
    assert after["sources"]["99"]["id"] == "hand-added"
    assert next(c for c in after["claims"].values() if c["id"] == CLAIM)["status"] == "disputed"


def test_hand_added_doc_id_does_not_break_next_insert(sample_db: Path) -> None:
    raw = json.loads(sample_db.read_text())
    raw["sources"]["500"] = {"id": "by-hand", "name": "By hand", "reliability": "F"}
    sample_db.write_text(json.dumps(raw, indent=2))
    store = Store.open(sample_db)
    store.put("sources", {"id": "new-one", "name": "New"}, by="a")
    after = json.loads(sample_db.read_text())
    assert after["sources"]["500"]["id"] == "by-hand"
    assert after["sources"]["501"]["id"] == "new-one"


def test_records_are_linked_by_id_not_doc_id(sample_db: Path) -> None:
    raw = json.loads(sample_db.read_text())
    claims = list(raw["claims"].values())[::-1]
    raw["claims"] = {str(100 + n): c for n, c in enumerate(claims)}  # reordered, renumbered
    sample_db.write_text(json.dumps(raw, indent=2))
    store = Store.open(sample_db)
    store.set_status(CLAIM, "false", by="a")
    assert Store.open(sample_db).claim(CLAIM)["status"] == "false"


def test_invalid_records_are_kept_untouched_on_write(sample_db: Path) -> None:
    raw = json.loads(sample_db.read_text())
    raw["claims"]["77"] = {"id": "c-broken", "text": 5, "status": "???", "source": "ghost"}
    raw["claims"]["78"] = "not even an object"
    sample_db.write_text(json.dumps(raw, indent=2))
    store = Store.open(sample_db)
    store.set_status(CLAIM, "confirmed", by="a")
    after = json.loads(sample_db.read_text())
    assert after["claims"]["77"] == raw["claims"]["77"]
    assert after["claims"]["78"] == "not even an object"


def test_unparseable_file_is_never_written(sample_db: Path) -> None:
    sample_db.write_text('{"claims": {"1": {"id": "x",}}}')
    before = sample_db.read_bytes()
    with pytest.raises(DataFileError) as info:
        Store.open(sample_db)
    assert info.value.line == 1 and info.value.column is not None
    assert sample_db.read_bytes() == before


def test_missing_file_is_created_on_first_write(tmp_path: Path) -> None:
    path = tmp_path / "new.json"
    store = Store.open(path)
    assert store.claims() == [] and not path.exists()
    store.put("sources", {"id": "s", "name": "S"}, by="a")
    assert json.loads(path.read_text())["sources"]["1"]["id"] == "s"


def test_journal_mode_appends_then_folds(sample_db: Path) -> None:
    before = sample_db.read_bytes()
    store = Store.open(sample_db, journal=True)
    store.set_status(CLAIM, "confirmed", by="a")
    assert sample_db.read_bytes() == before  # main file untouched until fold
    assert journal_path(sample_db).exists()
    # another process (the CLI) sees the change by replaying the journal
    assert Store.open(sample_db).claim(CLAIM)["status"] == "confirmed"
    assert store.fold()
    assert not journal_path(sample_db).exists()
    assert json.loads(sample_db.read_text())["claims"]
    assert Store.open(sample_db).claim(CLAIM)["status"] == "confirmed"


def test_a_fold_with_nothing_to_fold_still_clears_a_killed_writes_temp_file(
    sample_db: Path,
) -> None:
    before = sample_db.read_bytes()
    debris = sample_db.parent / f".{sample_db.name}.k1ll3d.tmp"  # what kill -9 mid-write leaves
    debris.write_bytes(before[: len(before) // 2])
    unrelated = sample_db.parent / "notes.tmp"
    unrelated.write_text("mine")
    store = Store.open(sample_db, journal=True)
    assert debris.exists()  # opening only reads
    assert store.fold() is False  # nothing to write ...
    assert not debris.exists()  # ... but the debris is gone
    assert unrelated.read_text() == "mine" and sample_db.read_bytes() == before


def test_journal_is_not_replayed_twice_after_crash_between_fold_steps(sample_db: Path) -> None:
    store = Store.open(sample_db, journal=True)
    store.set_status(CLAIM, "confirmed", by="a")
    journal = journal_path(sample_db).read_bytes()
    store.fold()
    journal_path(sample_db).write_bytes(journal)  # as if the crash came before the unlink
    history = Store.open(sample_db).claim(CLAIM)["history"]
    assert sum(1 for h in history if h["field"] == "status") == 1


def test_journal_survives_an_invalid_main_file_and_applies_when_fixed(sample_db: Path) -> None:
    store = Store.open(sample_db, journal=True)
    good = sample_db.read_bytes()
    sample_db.write_text("{ broken")
    with pytest.raises(DataFileError):
        store.reload()
    store.set_status(CLAIM, "disputed", by="a")  # kept in the journal, main not written
    assert sample_db.read_text() == "{ broken"
    with pytest.raises(DataFileError):
        store.fold()
    sample_db.write_bytes(good)
    assert store.reload()
    assert store.claim(CLAIM)["status"] == "disputed"
    store.fold()
    assert Store.open(sample_db).claim(CLAIM)["status"] == "disputed"


def test_reapplied_change_over_deleted_record_is_reported(sample_db: Path) -> None:
    store = Store.open(sample_db, journal=True)
    store.set_status(CLAIM, "disputed", by="a")
    raw = json.loads(sample_db.read_text())
    raw["claims"] = {k: c for k, c in raw["claims"].items() if c["id"] != CLAIM}
    sample_db.write_text(json.dumps(raw, indent=2))
    store.reload()
    assert store.claim(CLAIM) is None
    assert store.rejected and "c-hayday-lysychansk-outskirts" in store.rejected[-1][1]


def test_put_enforces_append_only_history_and_validation(sample_db: Path) -> None:
    store = Store.open(sample_db)
    claim = dict(store.claim(CLAIM))
    with pytest.raises(InvalidValueError, match="append-only"):
        store.put("claims", {**claim, "history": []}, by="a")
    with pytest.raises(InvalidValueError, match="status"):
        store.put("claims", {**claim, "status": "bogus"}, by="a")
    edited = store.put("claims", {**claim, "text": "Edited text."}, by="a")
    assert edited["history"][-1]["field"] == "record"
    assert edited["history"][-1]["from"] == ["text"]


def test_tinydb_can_use_the_storage(sample_db: Path) -> None:
    db = TinyDB(sample_db, storage=SitrepStorage)
    assert len(db.table("claims")) == 16
    db.table("sources").insert({"id": "via-tinydb", "name": "T"})
    assert Store.open(sample_db).source("via-tinydb")["name"] == "T"


def test_pieces_serialise_exactly_like_one_dump() -> None:
    from sitrep.store.document import PIECE_RECORDS, dump_document, dump_document_pieces

    big = {str(n): {"id": f"c{n}", "text": "line\nbreak", "tags": [], "h": [{"a": None}]}
           for n in range(PIECE_RECORDS * 2 + 7)}
    cases = [{}, {"claims": {}}, {"_meta": {"1": {"schema": 1}}, "claims": big, "x": [1, {}]},
             {"claims": {str(n): n for n in range(PIECE_RECORDS + 1)}},
             {"claims": {str(n): n for n in range(PIECE_RECORDS)}},
             {'ta"b\\лё\n': big, "e": 5, "s": "x\ny", "n": None, "l": [], "d": {"k": {}}},
             {"claims": {str(n): {"deep": [[{"x": [n]}]]} for n in range(PIECE_RECORDS * 2)}}]
    for doc in cases:
        assert b"".join(dump_document_pieces(doc)) == dump_document(doc)


def test_indexed_filters_follow_changes_and_return_live_records(sample_db: Path) -> None:
    store = Store.open(sample_db)
    assert store.claims_with_status("confirmed")  # build the claim sets before changing
    store.set_status(CLAIM, "false", by="a")
    assert [c["id"] for c in store.claims_with_status("false")] == [CLAIM]
    assert CLAIM not in {c["id"] for c in store.claims_with_status("unverified")}
    edited = store.put("claims", {**store.claim(CLAIM), "source": "cnn"}, by="a")
    assert any(c is edited for c in store.claims_for_source("cnn"))
    assert CLAIM not in {c["id"] for c in store.claims_for_source("hayday")}
    assert store.filter_claims(status="false", source="cnn") == [edited]
    store.delete("claims", CLAIM, by="a")
    assert store.claims_with_status("false") == []


def test_a_table_name_that_is_not_a_string_is_refused_not_written(sample_db: Path) -> None:
    from sitrep.errors import WriteError
    from sitrep.store.document import dump_document_pieces

    with pytest.raises(WriteError):
        b"".join(dump_document_pieces({None: {}}))  # type: ignore[dict-item]
    store = Store.open(sample_db)
    with pytest.raises(InvalidValueError):
        store.apply([{"op": "set", "table": None, "id": CLAIM, "fields": {}, "at": "x",
                      "by": "a"}])
    json.loads(sample_db.read_text())


def test_every_filter_combination_matches_a_plain_scan(sample_db: Path) -> None:
    import itertools

    from sitrep.store import searchable_text

    store = Store.open(sample_db)
    store.set_status(CLAIM, "disputed", by="a")  # the indexes and the text cache follow changes
    everything = store.claims()
    choices = {
        "status": [None, "unverified", "disputed"],
        "source": [None, "hayday", "cnn"],
        "settlement": [None, "lysychansk"],
        "since": [None, "2022-09", "2022-06-01"],
        "text": [None, "lysychansk", "ukrainian forces", "OUTSKIRTS of", "nothing-like-this", " "],
    }
    for values in itertools.product(*choices.values()):
        query = {k: v for k, v in zip(choices, values, strict=True) if v is not None}

        def wanted(c: dict, q: dict = query) -> bool:
            return (
                q.get("status") in (None, c["status"])
                and q.get("source") in (None, c["source"])
                and ("settlement" not in q or q["settlement"] in c["settlements"])
                and ("since" not in q or c["reported_at"] >= q["since"])
                and all(w in searchable_text(c) for w in q.get("text", "").casefold().split())
            )

        expected = [c["id"] for c in everything if wanted(c)]
        assert sorted(c["id"] for c in store.filter_claims(**query)) == sorted(expected), query


def _finish_edit_after_reading(monkeypatch: pytest.MonkeyPatch, db: Path, final: bytes,
                               chunked: bool = False) -> None:
    """Make the next read of ``db`` (whole, or by the chunked reader) return what is on disk
    now, and an editor write ``final`` in place at once after it, before sitrep looks at the
    file's stamp again."""
    from sitrep.store import chunked_read, document

    module, name = (chunked_read, "_parse") if chunked else (document, "read_bytes")
    real = getattr(module, name)

    def read_then_finish(arg: object) -> object:
        data = real(arg)
        monkeypatch.setattr(module, name, real)
        with open(db, "r+b") as handle:  # in place, like `cat > db.json`
            handle.write(final)
            handle.truncate()
        return data

    monkeypatch.setattr(module, name, read_then_finish)


def test_an_edit_finished_during_a_failed_read_is_read_next_time(
        sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = sample_db.read_bytes()
    store = Store.open(sample_db, journal=True)
    sample_db.write_bytes(good[:100])  # the editor has written part of the file
    _finish_edit_after_reading(monkeypatch, sample_db, good.replace(b"Svatove", b"Svatovo"))
    with pytest.raises(DataFileError):
        store.reload()
    assert store.file_error is not None
    assert store.changed_on_disk()  # the finished file is not mistaken for the one read
    assert store.reload() and store.file_error is None
    assert store.get("settlements", "svatove")["name"] == "Svatovo"


@pytest.mark.parametrize("chunked", [True, False])
def test_an_edit_finished_during_a_good_read_is_read_at_once(
        sample_db: Path, monkeypatch: pytest.MonkeyPatch, chunked: bool) -> None:
    good = sample_db.read_bytes()
    store = Store.open(sample_db)
    first = good.replace(b"Svatove", b"Svatovo")
    # the whole-file read takes a file not in sitrep's layout (here: compact JSON)
    sample_db.write_bytes(first if chunked else json.dumps(json.loads(first)).encode())
    _finish_edit_after_reading(monkeypatch, sample_db, good.replace(b"Svatove", b"Svativ"),
                               chunked=chunked)
    assert store.reload()
    # the file changed under the read (which takes no lock): it is read again at once
    assert store.get("settlements", "svatove")["name"] == "Svativ"
    assert not store.changed_on_disk()
    store.set_status(CLAIM, "disputed", by="a")
    on_disk = sample_db.read_text()
    assert '"name": "Svativ"' in on_disk and '"status": "disputed"' in on_disk


def test_an_editor_saving_right_after_sitreps_write_is_not_mistaken_for_it(
        sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sitrep.store.files

    store = Store.open(sample_db)
    real_replace = os.replace

    def replace_then_editor_saves(src: str, dst: str | Path) -> None:
        real_replace(src, dst)
        if Path(dst) == sample_db:  # sitrep's write is in place; vim saves a new file over it
            monkeypatch.setattr(sitrep.store.files.os, "replace", real_replace)
            edited = sample_db.read_text().replace('"name": "Svatove"', '"name": "Svativ"')
            new = sample_db.with_name("edit.tmp")
            new.write_text(edited)
            real_replace(new, sample_db)

    monkeypatch.setattr(sitrep.store.files.os, "replace", replace_then_editor_saves)
    store.set_status(CLAIM, "disputed", by="a")
    assert store.changed_on_disk()
    store.set_status(CLAIM, "false", by="a")  # re-reads first: the editor's save is kept
    on_disk = sample_db.read_text()
    assert '"name": "Svativ"' in on_disk and '"status": "false"' in on_disk


def test_control_that_is_not_a_list_is_no_observation(sample_db: Path) -> None:
    # found by hypothesis: a hand edit left a number where the list of observations belongs
    doc = json.loads(sample_db.read_text())
    place = next(p for p in doc["settlements"].values() if p["id"] == "lysychansk")
    for value in (1, 2.5, True, "ru", {"controller": "ru"}):
        place["control"] = value
        sample_db.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        store = Store.open(sample_db)
        assert store.control_as_of("lysychansk", "2022-09-10") is None, value
