"""Pilot tests (the fast layer) for what tests/terminal checks on a real terminal: an editor
that cannot start, and a signal right after a change."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from .conftest import read_claims, ready, workers_done

FIRST = "c-cnn-new-front"


async def test_an_editor_that_is_not_installed_is_named_and_nothing_is_written(
    db: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", "nonexistent-ed")
    monkeypatch.delenv("VISUAL", raising=False)
    before = db.read_bytes()
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("e")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert "cannot run editor 'nonexistent-ed': not found; set $VISUAL or $EDITOR" in said
        assert app.screen is app.screen_stack[0]
    assert db.read_bytes() == before


async def test_sigterm_after_a_change_folds_it_into_the_main_file(db: Path, make_app) -> None:
    app = make_app(db)
    journal = db.with_name(db.name + ".journal")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("v")
        await workers_done(app)
        await pilot.pause()
        assert journal.exists() and read_claims(db)[FIRST]["status"] == "unverified"
        app.exit_on_signal(signal.SIGTERM)
    assert app.return_value == 128 + signal.SIGTERM
    assert read_claims(db)[FIRST]["status"] == "confirmed"
    assert not journal.exists()


async def test_v_on_marks_the_filter_hides_asks_first(db: Path, make_app) -> None:
    from sitrep.tui.screens.confirm_modal import HiddenMarksModal

    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        app.session.marked.update({FIRST, "c-pushilin-lyman-tough"})
        app.dashboard.set_filter("source:push")
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, HiddenMarksModal)
        assert (app.screen.marked, app.screen.hidden) == (2, 1)
        await pilot.press("escape")
        await pilot.pause()
        model = app.model
        assert model is not None and model.statuses[model.pos[FIRST]] == "unverified"
        await pilot.press("v", "y")
        await workers_done(app)
        await pilot.pause()
        assert "confirmed 2 claims · u undoes" in [n.message for n in app._notifications]
        await pilot.press("q")
    claims = read_claims(db)
    assert claims[FIRST]["status"] == claims["c-pushilin-lyman-tough"]["status"] == "confirmed"
