"""The command palette has every key's action (issue 3), and each runs what its key runs."""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding

from sitrep.tui.app import SitrepApp
from sitrep.tui.commands import PANES
from sitrep.tui.keymap import APP_BINDINGS
from sitrep.tui.widgets.claims_pane import ClaimsPane
from sitrep.tui.widgets.row_list import RowList
from sitrep.tui.widgets.settlements_pane import SettlementsPane

from .conftest import read_claims, ready
from .test_keys import FIRST, settle


def commands(app: SitrepApp) -> dict[str, object]:
    return {c.title: c for c in app.get_system_commands(app.screen)}


async def run_command(app: SitrepApp, title: str) -> None:
    await commands(app)[title].callback()  # type: ignore[attr-defined]


async def test_every_binding_is_in_the_palette_with_its_key(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        found = commands(app)
        helps = {c.help for c in found.values()}  # type: ignore[attr-defined]
        everything = [*APP_BINDINGS, *RowList.BINDINGS]
        for _name, pane in PANES:
            everything += pane.BINDINGS
        bindings = [b for b in everything if isinstance(b, Binding)]
        assert len(bindings) >= 35
        for b in bindings:
            key = app.get_key_display_name(b.key.split(",")[0])
            assert any(h.startswith(f"key {key}") for h in helps), b.id
        for title in ("Settlements: Sort", "Settlements: Reverse", "Claims: Collapse",
                      "Claims: Expand", "Claims: Collapse all", "Claims: Source only", "Mark",
                      "Note", "Grade", "Edit JSON", "Next unverified", "Prev unverified",
                      "Maximise", "Status: Confirmed", "Detail: Jump to link"):
            assert title in found, title


async def test_pane_commands_act_on_their_pane_like_the_key(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        assert isinstance(app.focused, ClaimsPane)
        await run_command(app, "Settlements: Sort")          # from the claims pane
        await pilot.pause()
        assert app.model.sort_key == "name"
        assert isinstance(app.focused, SettlementsPane)
        await pilot.press("s")                               # the key does the same next step
        assert app.model.sort_key == "region"
        await run_command(app, "Claims: Collapse all")
        await pilot.pause()
        assert isinstance(app.focused, ClaimsPane)
        assert all(g.collapsed for g in app.model.groups)
        await pilot.press("o")
        assert not any(g.collapsed for g in app.model.groups)
        before = app.query_one(ClaimsPane).cursor
        await run_command(app, "List: Down")                 # on the focused list
        await pilot.pause()
        assert app.query_one(ClaimsPane).cursor == before + 1


async def test_status_through_the_palette_ui_is_written(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.press(*"status: confirmed")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        await settle(pilot, app)
        await pilot.press("q")
    assert read_claims(db)[FIRST]["status"] == "confirmed"


async def test_textual_quit_folds_the_journal_too(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("v")
        await settle(pilot, app)
        await pilot.press("ctrl+q")
    assert read_claims(db)[FIRST]["status"] == "confirmed"
    assert not db.with_name(db.name + ".journal").exists()
