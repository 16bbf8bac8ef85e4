"""Pilot tests: press the dashboard's keys, quit, then read the DB file on disk."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from sitrep.tui.app import SitrepApp
from sitrep.tui.widgets.claims_pane import ClaimsPane
from sitrep.tui.widgets.detail_pane import DetailPane
from sitrep.tui.widgets.settlements_pane import SettlementsPane
from sitrep.tui.widgets.verification_pane import VerificationPane

from .conftest import read_claims, read_sources, ready, workers_done
from .screen_text import screen_text

FIRST = "c-cnn-new-front"  # the first claim row of the sample, under CNN


async def settle(pilot, app: SitrepApp) -> None:
    """Let queued store jobs finish and their messages arrive."""
    await pilot.pause()
    await workers_done(app)
    await pilot.pause()


def current_claim(app: SitrepApp) -> str:
    p = app.current_position()
    assert p is not None and app.model is not None
    return str(app.model.claims[p]["id"])


@pytest.mark.parametrize(
    ("key", "status"),
    [("v", "confirmed"), ("c", "corroborated"), ("d", "disputed"), ("x", "false")],
)
async def test_status_key_is_written_with_history(db: Path, make_app, key: str, status: str):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        assert current_claim(app) == FIRST
        await pilot.press(key)
        await settle(pilot, app)
        assert app.store.pending_journal == 1          # durable in the journal at once
        await pilot.press("q")
    claim = read_claims(db)[FIRST]
    assert claim["status"] == status
    last = claim["history"][-1]
    assert (last["field"], last["from"], last["to"], last["by"]) == (
        "status", "unverified", status, "tester")
    assert not db.with_name(db.name + ".journal").exists()   # folded on quit


async def test_back_to_unverified_and_undo_is_repeatable(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("v")
        await pilot.press("U")
        await settle(pilot, app)
        assert app.model.statuses[app.current_position()] == "unverified"
        await pilot.press("u")            # undo U -> confirmed
        await settle(pilot, app)
        assert "✓ conf" in screen_text(app)
        await pilot.press("u")            # undo v -> unverified
        await settle(pilot, app)
        await pilot.press("q")
    claim = read_claims(db)[FIRST]
    assert claim["status"] == "unverified"
    assert [h["to"] for h in claim["history"] if h["field"] == "status"] == [
        "confirmed", "unverified", "confirmed", "unverified"]


async def test_undo_after_a_note_retracts_the_note_not_an_older_change(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("v")
        await pilot.press("n", *"queues seen", "enter")
        await settle(pilot, app)
        await pilot.press("u")            # the note: retracted (history is append-only)
        await settle(pilot, app)
        assert app.model.statuses[app.current_position()] == "confirmed"
        detail = "\n".join(item.plain for item, _ in app.query_one(DetailPane)._items)
        assert "note retracted: queues seen" in detail
        await pilot.press("u")            # then the status
        await settle(pilot, app)
        await pilot.press("q")
    claim = read_claims(db)[FIRST]
    assert claim["status"] == "unverified"
    notes = [(h["from"], h["note"]) for h in claim["history"] if h["field"] == "note"]
    assert notes == [(None, "queues seen"), ("queues seen", "retracted")]


async def test_marked_claims_change_together(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        ids = []
        for _ in range(3):
            ids.append(current_claim(app))
            await pilot.press("space")          # mark and move down
        assert "3 marked" in screen_text(app)
        await pilot.press("d")
        await settle(pilot, app)
        await pilot.press("escape")             # no filter: clears the marks
        assert "marked" not in screen_text(app).splitlines()[0]
        await pilot.press("q")
    claims = read_claims(db)
    changed = [c for c in ids if claims[c]["status"] == "disputed"]
    # the second sample claim was already confirmed; disputed now for all three
    assert changed == ids


async def test_note_and_grade(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("n")
        await pilot.press(*"queues seen")
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("g", "C", "5")       # digit completes the grade
        await settle(pilot, app)
        await pilot.press("q")
    claim = read_claims(db)[FIRST]
    assert claim["credibility"] == 5
    assert any(h["field"] == "note" and h["note"] == "queues seen" for h in claim["history"])
    assert read_sources(db)[claim["source"]]["reliability"] == "C"


async def test_filter_applies_as_you_type_and_escape_clears(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("slash", *"Лисичанськ")      # a Cyrillic alternative spelling
        text = screen_text(app)
        assert "filter: Лисичанськ" in text
        assert app.model.total_visible < app.model.n
        assert all("Lysychansk" in app.model.claims[p]["text"] or
                   "lysychansk" in app.model.claims[p]["settlements"]
                   for p in range(app.model.n) if app.model.is_visible(p))
        await pilot.press("escape")
        assert app.model.total_visible == app.model.n
        assert "filter:" not in screen_text(app)


async def test_enter_on_settlement_filters_other_panes(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        app.query_one(SettlementsPane).focus()
        await pilot.press("enter")
        pid = app.query_one(SettlementsPane).selected
        assert pid and f"place:{pid}" in screen_text(app)
        assert isinstance(app.focused, ClaimsPane)
        visible = [p for p in range(app.model.n) if app.model.is_visible(p)]
        assert visible and all(pid in app.model.claims[p]["settlements"] for p in visible)


async def test_next_unverified_and_tab_and_help_and_maximise(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("j")                       # the confirmed claim
        assert app.model.statuses[app.current_position()] == "confirmed"
        await pilot.press("right_square_bracket")
        assert app.model.statuses[app.current_position()] == "unverified"
        await pilot.press("tab")
        assert isinstance(app.focused, DetailPane)
        await pilot.press("shift+tab", "shift+tab")
        assert isinstance(app.focused, VerificationPane)
        await pilot.press("z")
        assert app.screen.maximized is app.focused
        await pilot.press("z")
        assert app.screen.maximized is None
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = screen_text(app)
        for key_id in ("status.confirmed", "claim.grade", "app.undo", "record.edit"):
            assert key_id in help_text
        await pilot.press("escape")


def json_editor(rewrite: Callable[[dict], object]) -> Callable[[str], str]:
    """A stand-in for $EDITOR on a record's JSON: ``rewrite`` changes the record in place."""
    def edit(text: str) -> str:
        record = json.loads(text)
        rewrite(record)
        return json.dumps(record, ensure_ascii=False, indent=2)
    return edit


async def test_edit_as_json_valid_and_invalid(db: Path, make_app, monkeypatch):
    app = make_app(db)
    seen: list[dict] = []

    def rewrite(record: dict) -> None:
        seen.append(dict(record))
        if len(seen) == 1:  # a rewrite with a status the store refuses
            record.update(text="Ukrainian forces have opened a front.", status="nonsense")
        else:  # the analyst fixes the status in the text they typed
            record["status"] = "unverified"

    monkeypatch.setattr(app.editor, "run_editor", json_editor(rewrite))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("e")
        await settle(pilot, app)
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Edit refused, nothing written: claims") for m in messages)
        assert app.store.pending_journal == 0 and app.session.undo_stack == []
        await pilot.press("e")  # reopens what was typed, not the record
        await settle(pilot, app)
        assert seen[1]["status"] == "nonsense"
        await pilot.press("q")
    claim = read_claims(db)[FIRST]
    assert claim["text"] == "Ukrainian forces have opened a front."
    assert claim["history"][-1]["field"] == "record"


async def test_u_after_an_edit_as_json_puts_the_record_back(db: Path, make_app, monkeypatch):
    # the undo puts the old fields back with the history as it is by then (history is
    # append-only: putting the old record whole was refused, "Refused, nothing written")
    app = make_app(db)
    before = read_claims(db)[FIRST]

    monkeypatch.setattr(app.editor, "run_editor",
                        json_editor(lambda record: record.update(text="A rewrite to take back.")))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("e")
        await settle(pilot, app)
        assert app.store.claim(FIRST)["text"] == "A rewrite to take back."
        await pilot.press("u")
        await settle(pilot, app)
        messages = [n.message for n in app._notifications]
        assert not any(m.startswith("Refused") for m in messages), messages
        assert app.store.claim(FIRST)["text"] == before["text"]
        await pilot.press("q")
    claim = read_claims(db)[FIRST]
    assert claim["text"] == before["text"]
    assert claim["history"][: len(before["history"])] == before["history"]
    assert [h.get("note") for h in claim["history"][len(before["history"]):]] == [None, "undo"]


async def test_a_refused_edit_keeps_the_typed_text_until_fixed_or_dropped(
        db: Path, make_app, monkeypatch):
    app = make_app(db)
    before = db.read_bytes()
    broken = '{"id": "c-cnn-new-front",\n "text": "my long rewrite" oops}\n'
    replies = iter([broken, "keep", "keep"])
    seen: list[str] = []

    def fake_editor(text: str) -> str:
        seen.append(text)
        reply = next(replies)
        return text if reply == "keep" else reply

    monkeypatch.setattr(app.editor, "run_editor", fake_editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("e")  # invalid JSON: refused, text kept
        await settle(pilot, app)
        last = [n.message for n in app._notifications][-1]
        assert "not valid JSON at line 2:" in last and "press e" in last
        await pilot.press("e")  # reopened on the typed text; saved unchanged: dropped
        await settle(pilot, app)
        assert seen[1] == broken and app.session.refused_edit is None
        await pilot.press("e")  # the record again, saved unchanged: nothing to do
        await settle(pilot, app)
        assert json.loads(seen[2])["id"] == FIRST and "oops" not in seen[2]
        assert db.read_bytes() == before and app.store.pending_journal == 0
    assert app.session.undo_stack == []


async def test_e_on_a_source_header_edits_the_source(db: Path, make_app, monkeypatch):
    app = make_app(db)
    seen: list[dict] = []

    def rewrite(record: dict) -> None:
        seen.append(dict(record))
        record["role"] = "US news network (edited)"

    monkeypatch.setattr(app.editor, "run_editor", json_editor(rewrite))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        claims = app.query_one(ClaimsPane)
        claims.focus()
        await pilot.press("k")  # from the first claim up to its source's header
        assert claims.current_position() is None and claims.current_source() == "cnn"
        await pilot.press("e")
        await settle(pilot, app)
        await pilot.press("q")
    assert seen and seen[0]["id"] == "cnn" and "reliability" in seen[0]
    source = read_sources(db)["cnn"]
    assert source["role"] == "US news network (edited)"
    assert source["history"][-1]["field"] == "record"


async def test_N_writes_a_long_note_in_the_editor(db: Path, make_app, monkeypatch):
    app = make_app(db)
    replies = iter(["# only the comment is left\n", "Queues seen at Kupiansk.\n\n"
                    "# the template line\nTwo sources, one photo.\n"])
    seen: list[str] = []

    def fake_editor(text: str) -> str:
        seen.append(text)
        return next(replies)

    monkeypatch.setattr(app.editor, "run_editor", fake_editor)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("N")  # nothing but comments: dropped
        await settle(pilot, app)
        assert app.store.pending_journal == 0
        await pilot.press("N")
        await settle(pilot, app)
        await pilot.press("q")
    assert f"A note on {FIRST}" in seen[0]
    note = read_claims(db)[FIRST]["history"][-1]
    assert (note["field"], note["note"]) == (
        "note", "Queues seen at Kupiansk.\n\nTwo sources, one photo.")


async def test_keymap_file_remaps_a_key(db: Path, make_app, tmp_path: Path):
    (tmp_path / "config").mkdir(exist_ok=True)
    (tmp_path / "config" / "keymap.toml").write_text('[keys]\n"status.confirmed" = "V"\n')
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("v")                 # no longer bound
        await pilot.press("V")
        await settle(pilot, app)
        await pilot.press("q")
    assert read_claims(db)[FIRST]["status"] == "confirmed"


async def test_the_gc_is_back_on_after_the_first_frame(db: Path, make_app):
    """The model is built with the cyclic GC off; it is on again once the frame is drawn
    (with what is alive then frozen), and after an app that closed at once."""
    import gc

    frozen = gc.get_freeze_count()
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        assert gc.isenabled()
    if frozen == 0:
        assert gc.get_freeze_count() == 0       # what the app froze, it unfroze on closing
    app = make_app(db)
    async with app.run_test(size=(80, 24)):
        app.exit()
    assert gc.isenabled()


async def test_the_filter_line_shows_above_the_footer(db: Path, make_app):
    """The filter line is on screen while typing (a docked line was under the footer)."""
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("slash", *"lys")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert lines[-2].strip() == "lys"
        assert "Filter" in lines[-1]
