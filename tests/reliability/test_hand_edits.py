"""Hand edits while the dashboard's journal-mode Store is open: every hand edit survives.

A person edits the file the ways editors save — in place, a new file renamed over it (vim's
default, most IDEs), vim's "rename the original to NAME~, then write a new file" — and appends a
record, deletes one, reorders records and keys. The store has a change in its journal that is
not yet folded (so the person's editor never saw it), then makes more changes, with or without
reloading first. Afterwards the file has the hand edit *and* every change of the store, and the
store showed the edit as soon as it reloaded.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from sitrep.errors import DataFileError
from sitrep.store import Store

from .helpers import check_main_file, dump, fresh_db, history_notes

HOT = "c-cnn-new-front"
VICTIM = "c-hayday-kreminna-flag"
EDITED = "c-cnn-kharkiv-sweep"

Doc = dict[str, Any]


def _key_of(doc: Doc, table: str, rid: str) -> str:
    return next(k for k, r in doc[table].items() if r.get("id") == rid)


def edit_notes(doc: Doc) -> None:
    doc["claims"][_key_of(doc, "claims", EDITED)]["notes"] = "edited by hand — правка"


def append_record(doc: Doc) -> None:
    doc["claims"]["999"] = {"id": "c-hand-added", "text": "Added in vim.", "source": "cnn",
                            "settlements": [], "status": "unverified", "history": []}


def delete_record(doc: Doc) -> None:
    del doc["claims"][_key_of(doc, "claims", VICTIM)]


def reorder_keys(doc: Doc) -> None:
    doc["claims"] = {k: dict(reversed(r.items())) for k, r in reversed(doc["claims"].items())}


def check_notes(doc: Doc) -> None:
    assert doc["claims"][_key_of(doc, "claims", EDITED)]["notes"] == "edited by hand — правка"


def check_append(doc: Doc) -> None:
    assert doc["claims"]["999"]["id"] == "c-hand-added"


def check_delete(doc: Doc) -> None:
    assert all(r.get("id") != VICTIM for r in doc["claims"].values())


def check_reorder(doc: Doc) -> None:
    keys = list(doc["claims"])
    assert keys == sorted(keys, key=int, reverse=True)
    record = doc["claims"][_key_of(doc, "claims", EDITED)]
    assert list(record)[0] == "history" and list(record)[-1] == "id"


EDITS: dict[str, tuple[Callable[[Doc], None], Callable[[Doc], None]]] = {
    "edit a field": (edit_notes, check_notes),
    "append a record": (append_record, check_append),
    "delete a record": (delete_record, check_delete),
    "reorder records and keys": (reorder_keys, check_reorder),
}


def save_in_place(db: Path, payload: bytes) -> None:
    with open(db, "r+b") as handle:
        handle.write(payload)
        handle.truncate()


def save_by_rename(db: Path, payload: bytes) -> None:
    tmp = db.with_name(db.name + ".swp-new")
    tmp.write_bytes(payload)
    os.replace(tmp, db)


SAVES = {"in place": save_in_place, "rename over": save_by_rename}


@pytest.mark.parametrize("reload_first", [True, False], ids=["reload", "no-reload"])
@pytest.mark.parametrize("save", list(SAVES))
@pytest.mark.parametrize("edit", list(EDITS))
def test_hand_edit_survives(tmp_path: Path, edit: str, save: str, reload_first: bool,
                            figures) -> None:
    db = fresh_db(tmp_path)
    store = Store.open(db, journal=True)
    store.add_note("claims", HOT, "app-1", by="app")  # in the journal, not in the file
    assert store.pending_journal == 1
    change, check = EDITS[edit]
    doc = orjson.loads(db.read_bytes())  # what the editor shows: the file without the journal
    change(doc)
    SAVES[save](db, dump(doc))
    assert store.changed_on_disk()
    if reload_first:
        assert store.reload()
        check(store.document)  # the dashboard shows the edit on its next reload
        assert history_notes(store.document)["app-1"] == 1
    store.set_status(HOT, "confirmed", by="app", note="app-2")
    check(store.document)
    fresh = Store.open(db, journal=True)  # a crash now: the journal replays onto the edit
    check(fresh.document)
    assert _both(history_notes(fresh.document))
    store.fold()
    final = check_main_file(db) if edit != "delete a record" else orjson.loads(db.read_bytes())
    check(final)
    notes = history_notes(final)
    assert notes["app-1"] == 1 and notes["app-2"] == 1
    figures.add("hand edits", edits=1, survived=1)


def test_vim_rename_original_then_write_new(tmp_path: Path, figures) -> None:
    """vim (backupcopy=no) renames the file to NAME~ and then writes a new NAME: for a moment
    there is no file. The store must not take that moment for an empty DB, nor fold into it."""
    db = fresh_db(tmp_path)
    store = Store.open(db, journal=True)
    store.add_note("claims", HOT, "app-1", by="app")
    doc = orjson.loads(db.read_bytes())
    edit_notes(doc)
    os.rename(db, db.with_name(db.name + "~"))
    with pytest.raises(DataFileError):
        store.reload()
    assert store.claim(HOT) is not None  # the last good view stays
    store.add_note("claims", HOT, "app-2", by="app")  # durable in the journal meanwhile
    with pytest.raises(DataFileError):
        store.fold()  # never writes a DB made of the journal alone
    assert not db.exists()
    db.write_bytes(dump(doc))  # vim finishes writing
    assert store.reload()
    check_notes(store.document)
    store.fold()
    final = check_main_file(db)
    check_notes(final)
    assert _both(history_notes(final))
    assert len(final["claims"]) == 16
    figures.add("hand edits", edits=1, survived=1)


def _both(notes: dict[str, int]) -> bool:
    return notes.get("app-1") == 1 and notes.get("app-2") == 1
