"""Live file: outside edits show up, an invalid file gets a banner, hostile strings stay inert."""

from __future__ import annotations

import json
from pathlib import Path

from sitrep.store import Store
from sitrep.tui.widgets.banner import Banner

from .conftest import fixed_clock, read_claims, ready
from .screen_text import screen_text
from .test_keys import FIRST, current_claim, settle


async def wait_for(pilot, predicate, seconds: float = 3.0) -> bool:
    """Pause until ``predicate()`` holds (the poller runs every 0.2 s in tests)."""
    for _ in range(int(seconds / 0.05)):
        if predicate():
            return True
        await pilot.pause(0.05)
    return predicate()


async def test_outside_change_shows_within_two_seconds_and_keeps_focus(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("j", "j")
        focused = current_claim(app)
        other = Store.open(db, clock=fixed_clock)          # the CLI in another shell
        other.set_status(FIRST, "false", by="colleague")
        model_says = lambda: app.model.statuses[app.model.pos[FIRST]] == "false"  # noqa: E731
        assert await wait_for(pilot, model_says, 2.0)
        assert current_claim(app) == focused                # selection kept by id
        # the model changes first, the screen at the next frame
        assert await wait_for(pilot, lambda: "✗ false" in screen_text(app), 1.0)


async def test_invalid_file_banner_keeps_view_and_journal_then_recovers(db: Path, make_app):
    good = db.read_text(encoding="utf-8")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        db.write_text(good[:200] + "\n  oops,\n" + good[200:], encoding="utf-8")
        banner = app.query_one(Banner)
        assert await wait_for(pilot, lambda: banner.has_class("-shown"))
        assert await wait_for(pilot, lambda: "!!" in screen_text(app), 1.0)  # the next frame
        shown = screen_text(app)
        assert db.name in shown
        assert str(db) + ":" in banner.message              # file and line:column
        assert "c-cnn-new-front" in shown                  # last good view stays
        broken = db.read_text(encoding="utf-8")
        await pilot.press("v")                             # the keystroke is kept in the journal
        await settle(pilot, app)
        await pilot.pause(2.5)                             # idle fold would run now
        assert db.read_text(encoding="utf-8") == broken    # main file not written
        db.write_text(good, encoding="utf-8")              # the analyst fixes the file
        assert await wait_for(pilot, lambda: not banner.has_class("-shown"))
        await pilot.press("q")
    assert read_claims(db)[FIRST]["status"] == "confirmed"


HOSTILE = "[bold red]BOOM[/] [@click=app.quit]x[/] \x1b]0;pwned\x07 \x1b[2J \u202eevil\x00"


async def test_hostile_strings_are_shown_literally(db: Path, make_app):
    doc = json.loads(db.read_text(encoding="utf-8"))
    first = next(c for c in doc["claims"].values() if c["id"] == FIRST)
    first["text"] = HOSTILE
    next(iter(doc["sources"].values()))["name"] = "[reverse]src[/reverse]\x1b[31m"
    db.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        app.jump_to_claim(FIRST)
        await pilot.press("enter")                         # detail of the hostile claim
        text = screen_text(app)
        assert "[bold red]BOOM[/]" in text
        assert "[@click=app.quit]x[/]" in text
        assert "\\x1b]0;pwned\\x07" in text
        assert "\\u202eevil\\x00" in text
        assert "[reverse]src[/reverse]\\x1b[31m" in text
        assert "\x1b" not in text and "\u202e" not in text
        assert app.is_running


async def test_failed_write_shows_banner_and_is_retried(db: Path, make_app, monkeypatch):
    from sitrep.errors import WriteError
    from sitrep.store.journal import Journal

    real_append = Journal.append
    calls = {"n": 0}

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise WriteError("disk full (simulated)")
        return real_append(self, *args, **kwargs)

    monkeypatch.setattr(Journal, "append", flaky)
    said: list[str] = []  # on a loaded machine the retry may clear the banner before we look
    real_say = Banner.say
    monkeypatch.setattr(Banner, "say", lambda self, m: (said.append(m), real_say(self, m)))
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("x")
        await settle(pilot, app)
        banner = app.query_one(Banner)
        assert await wait_for(pilot, lambda: any("disk full" in m for m in said), 2.0), said
        assert await wait_for(pilot, lambda: "✗ false" in screen_text(app), 1.0)  # kept
        assert await wait_for(pilot, lambda: not banner.has_class("-shown"), 4.0)
        await pilot.press("q")
    assert read_claims(db)[FIRST]["status"] == "false"


async def test_numbers_where_lists_belong_are_shown_not_crashed_on(db: Path, make_app):
    doc = json.loads(db.read_text(encoding="utf-8"))
    first = next(c for c in doc["claims"].values() if c["id"] == FIRST)
    first.update(settlements=5, tags=7, corroborates=3)
    place = next(p for p in doc["settlements"].values() if p["id"] == "lysychansk")
    place.update(control=1, alt_names=2)
    db.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        app.jump_to_claim(FIRST)
        await pilot.press("enter")                         # the detail of the odd claim
        await pilot.press("shift+tab", "shift+tab")        # the settlements pane
        await pilot.pause()
        assert "Lysychansk" in screen_text(app) and app.is_running


async def test_stale_editor_save_is_merged_back_with_a_banner(db: Path, make_app):
    """vim reads the file; the app confirms the first claim (and quits nothing: its fold is
    forced here), a CLI grades another; vim saves what it read by rename. The app merges both
    changes back, writes the file, and says so in the banner (issue 11)."""
    import os

    editor_read = db.read_bytes()
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        app.jump_to_claim(FIRST)
        await pilot.press("v")
        await settle(pilot, app)
        app.store.fold()
        other = Store.open(db, clock=fixed_clock)          # the CLI in another shell
        other.set_credibility("c-hayday-lysychansk-target", 1, by="colleague")
        await pilot.pause(0.5)                             # the app sees the CLI's write
        tmp = db.with_name(db.name + ".vim")
        tmp.write_bytes(editor_read)
        os.replace(tmp, db)
        banner = app.query_one(Banner)
        assert await wait_for(pilot, lambda: "merged back" in banner.message)
        assert banner.message == "your editor saved over 2 changes; merged back — see history"
        assert await wait_for(pilot, lambda: "merged back" in screen_text(app), 1.0)
        on_disk = read_claims(db)
        assert on_disk[FIRST]["status"] == "confirmed"
        assert on_disk["c-hayday-lysychansk-target"]["credibility"] == 1
        await pilot.press("q")
