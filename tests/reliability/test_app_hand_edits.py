"""Hand edits while the dashboard is open: the real app (headless under Pilot) keeps working
while a person edits the file the ways editors save it, and every hand edit survives.

One app session runs a sequence of steps. Each step: the app makes a change with its keys (an
fsync'd journal line not yet in the file, so the editor never saw it); a person reads the file,
changes it — edits a claim's text, appends a claim and a settlement, deletes a claim, reorders
records and keys — and saves it in place, by renaming a new file over it, or vim's way (rename
the file to ``NAME~``, the app makes another change while there is no file, then write the new
one). The app must show the edit within 2 s (the new text on screen, the new settlement in the
settlements pane, the deleted claim gone from the claims pane). Then the app makes more changes
(also on a hand-added claim), folds, and the file on disk holds every hand edit so far and every
change the app reported durable, exactly once. Default 6 steps (each save and each edit at least
once); ``SITREP_LONG=1``: every save × every edit, twice (24 steps).
"""

from __future__ import annotations

import itertools
import os
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from sitrep.tui.app import SitrepApp
from sitrep.tui.widgets.banner import Banner
from sitrep.tui.widgets.claims_pane import ClaimsPane
from sitrep.tui.widgets.settlements_pane import SettlementsPane

from .app_driver import (
    make_app,
    make_change,
    pane_lines,
    screen_text,
    tag_counts,
    wait_ready,
    wait_until,
)
from .helpers import HOT_CLAIMS, LONG, check_main_file, dump, fresh_db

EDITED = "c-cnn-kharkiv-sweep"
VICTIMS = ["c-cnn-lysychansk-last-city", "c-hayday-lysychansk-occupiers-fleeing",
           "c-cnn-border-vehicle-lines", "c-hayday-no-defensive-line",
           "c-hayday-svatove-withdrawal"]
SHOW_WITHIN = 2.0

Doc = dict[str, Any]


class Expect:
    """What the file must hold after the hand edits so far."""

    def __init__(self) -> None:
        self.text: str | None = None
        self.added: list[str] = []
        self.added_places: list[str] = []
        self.deleted: list[str] = []
        self.order: list[str] | None = None
        self.edited_keys: list[str] | None = None

    def check(self, doc: Doc) -> None:
        claims = {r["id"]: r for r in doc["claims"].values()}
        places = {r["id"] for r in doc["settlements"].values()}
        if self.text is not None:
            assert claims[EDITED]["text"] == self.text
        assert all(cid in claims for cid in self.added if cid not in self.deleted), self.added
        assert all(pid in places for pid in self.added_places), self.added_places
        assert not any(cid in claims for cid in self.deleted), self.deleted
        if self.order is not None:
            assert list(doc["claims"]) == self.order
            assert list(claims[EDITED]) == self.edited_keys


def _lost(acked: dict[str, str], counts: dict[str, int], expect: Expect) -> list[str]:
    """App changes not in the file exactly once; those on a claim the person later deleted
    by hand went with it (and must not come back)."""
    return [tag for tag, claim in acked.items()
            if counts.get(tag, 0) != (0 if claim in expect.deleted else 1)]


def _key_of(doc: Doc, rid: str) -> str:
    return next(k for k, r in doc["claims"].items() if r.get("id") == rid)


# ---------------------------------------------------------------- the edits: (change, shown)
def edit_text(doc: Doc, step: int, expect: Expect) -> Callable[[SitrepApp], bool]:
    text = f"HANDEDIT{step} Ukrainian forces swept the Kharkiv region — правка"
    doc["claims"][_key_of(doc, EDITED)]["text"] = expect.text = text
    return lambda app: f"HANDEDIT{step} Ukrainian forces" in screen_text(app)


def append_records(doc: Doc, step: int, expect: Expect) -> Callable[[SitrepApp], bool]:
    cid, pid = f"c-hand-{step}", f"handville-{step}"
    doc["settlements"][str(900 + step)] = {"id": pid, "name": f"Handville{step}",
                                           "control": [], "history": []}
    doc["claims"][str(900 + step)] = {
        "id": cid, "text": f"HANDADD{step} added in an editor", "source": "cnn",
        "settlements": [pid], "reported_at": "2022-09-11", "status": "unverified",
        "history": []}
    expect.added.append(cid)
    expect.added_places.append(pid)
    return lambda app: (
        any(f"Handville{step}" in line for line in pane_lines(app.query_one(SettlementsPane)))
        and any(f"HANDADD{step}" in line for line in pane_lines(app.query_one(ClaimsPane))))


def delete_record(doc: Doc, step: int, expect: Expect) -> Callable[[SitrepApp], bool]:
    left = [c for c in VICTIMS + expect.added if c not in expect.deleted]
    victim = left[0]  # the sample's unreferenced claims, then the ones added by hand
    text = doc["claims"][_key_of(doc, victim)]["text"][:40]
    del doc["claims"][_key_of(doc, victim)]
    expect.deleted.append(victim)
    return lambda app: (
        app.model is not None and victim not in app.model.pos
        and not any(text in line for line in pane_lines(app.query_one(ClaimsPane))))


def reorder_keys(doc: Doc, step: int, expect: Expect) -> Callable[[SitrepApp], bool]:
    doc["claims"] = {k: dict(reversed(r.items())) for k, r in reversed(doc["claims"].items())}
    expect.order = list(doc["claims"])
    expect.edited_keys = list(doc["claims"][_key_of(doc, EDITED)])
    order = list(expect.order)
    return lambda app: list(app.store.document["claims"]) == order


EDITS = {"edit a claim's text": edit_text, "append a claim and a settlement": append_records,
         "delete a claim": delete_record, "reorder records and keys": reorder_keys}
SAVES = ["in place", "rename over", "vim NAME~"]


def _track_order(expect: Expect, doc: Doc) -> None:
    """Later edits keep the order the last reorder left (appends at the end, deletes out)."""
    if expect.order is not None:
        expect.order = list(doc["claims"])
        expect.edited_keys = list(doc["claims"][_key_of(doc, EDITED)])


def _steps() -> list[tuple[str, str]]:
    if LONG:
        return list(itertools.product(SAVES, EDITS)) * 2
    edits = list(EDITS)
    return [(SAVES[i % 3], edits[i % 4]) for i in range(6)]


async def test_hand_edits_while_the_app_is_open(tmp_path: Path, figures) -> None:
    db = fresh_db(tmp_path)
    rng = random.Random(5)
    expect = Expect()
    acked: dict[str, str] = {}  # tag -> the claim it changed
    n = 0
    slowest = 0.0
    app = make_app(db, "app")

    async def change(claim: str) -> None:
        nonlocal n
        n += 1
        tag = f"app-{n}"
        _kind, _claim, effective = await make_change(pilot, app, rng, tag, claim=claim)
        assert effective, tag  # nobody else writes these claims' fields here
        acked[tag] = claim

    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot, app)
        banner = app.query_one(Banner)
        for step, (save, edit) in enumerate(_steps(), start=1):
            await change(rng.choice(HOT_CLAIMS))  # in the journal only: the editor never saw it
            assert app.store.pending_journal >= 1
            app.jump_to_claim(EDITED)  # the detail pane shows the claim edited by hand
            await pilot.pause()
            doc = orjson.loads(db.read_bytes())  # the editor opens the file
            shown = EDITS[edit](doc, step, expect)
            _track_order(expect, doc)
            payload = dump(doc)
            if save == "in place":
                with open(db, "r+b") as handle:
                    handle.write(payload)
                    handle.truncate()
            elif save == "rename over":
                new = db.with_name(db.name + ".new")
                new.write_bytes(payload)
                os.replace(new, db)
            else:
                backup = db.with_name(db.name + "~")
                os.rename(db, backup)
                assert await wait_until(pilot, lambda: banner.has_class("-shown"), SHOW_WITHIN)
                assert "disappeared" in banner.message, banner.message
                await change(rng.choice(HOT_CLAIMS))  # durable in the journal meanwhile
                assert not db.exists()  # nothing written over the missing file
                app.jump_to_claim(EDITED)
                await pilot.pause()
                db.write_bytes(payload)
                backup.unlink()
            started = time.monotonic()
            assert await wait_until(pilot, lambda: shown(app), SHOW_WITHIN), (save, edit)  # noqa: B023
            slowest = max(slowest, time.monotonic() - started)
            assert await wait_until(pilot, lambda: not banner.has_class("-shown"), SHOW_WITHIN)
            await change(rng.choice(HOT_CLAIMS))
            if expect.added and expect.added[-1] not in expect.deleted:
                await change(expect.added[-1])  # the app works on a hand-added claim
            for _ in range(100):  # the app's idle fold; skipped while a reload holds the lock
                app.saver.fold_journal()
                if await wait_until(pilot, lambda: app.store.pending_journal == 0, 0.2):
                    break
            on_disk = check_main_file(db)
            expect.check(on_disk)
            counts = tag_counts(on_disk)
            assert _lost(acked, counts, expect) == [], (save, edit)
            figures.add("hand edits (app under Pilot)", edits=1, survived=1)
        await pilot.press("q")
    final = check_main_file(db)
    expect.check(final)
    counts = tag_counts(final)
    assert _lost(acked, counts, expect) == []
    figures.add("hand edits (app under Pilot)", app_changes=len(acked),
                app_changes_lost=len(_lost(acked, counts, expect)),
                slowest_shown_ms=int(slowest * 1000))


async def _edit_text_by_hand(db: Path, marker: str) -> None:
    doc = orjson.loads(db.read_bytes())
    doc["claims"][_key_of(doc, EDITED)]["text"] = f"{marker} swept the Kharkiv region"
    new = db.with_name(db.name + ".new")
    new.write_bytes(dump(doc))
    os.replace(new, db)


async def test_edit_merged_by_a_fold_or_a_failed_write_is_shown(tmp_path: Path) -> None:
    """The store may merge a hand edit inside a fold, a write that then fails, or a retry,
    before the poller sees it; the poller then finds nothing new, so the app must show what
    the store merged there and then. (Polling is off here to make that moment certain.)"""
    db = fresh_db(tmp_path)
    app = make_app(db, "app", poll_interval=3600)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot, app)
        await make_change(pilot, app, random.Random(1), "app-1", claim=HOT_CLAIMS[0])
        app.jump_to_claim(EDITED)
        await pilot.pause()
        await _edit_text_by_hand(db, "HANDFOLD")  # lands just before the idle fold
        app.saver.fold_journal()
        assert await wait_until(pilot, lambda: "HANDFOLD" in screen_text(app), SHOW_WITHIN)

        await _edit_text_by_hand(db, "HANDFAIL")  # lands just before a write that fails
        db.chmod(0o444)
        app.analyst = "app-2"
        await pilot.press("v")  # on the edited claim: its write fails (read-only)
        assert await wait_until(pilot, lambda: "HANDFAIL" in screen_text(app), SHOW_WITHIN)
        db.chmod(0o644)
        await _edit_text_by_hand(db, "HANDRETRY")  # lands just before the retry
        assert await wait_until(pilot, app.saver.changes_durable, 3.0)
        assert await wait_until(pilot, lambda: "HANDRETRY" in screen_text(app), SHOW_WITHIN)
        await pilot.press("q")
    final = check_main_file(db)
    claims = {c["id"]: c for c in final["claims"].values()}
    assert claims[EDITED]["text"].startswith("HANDRETRY")
    assert claims[EDITED]["status"] == "confirmed"
    assert tag_counts(final)["app-1"] == 1 and tag_counts(final)["app-2"] == 1
