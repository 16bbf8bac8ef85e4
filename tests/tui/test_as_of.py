"""Pilot tests: the dashboard as of a date (``@``, ``<`` ``>`` ``{`` ``}``), changes refused in
the past, and accepting what the analysis suggests (``a``), read back from the file on disk."""

from __future__ import annotations

from pathlib import Path

from sitrep.tui.app import SitrepApp
from sitrep.tui.as_of import AsOfLine
from sitrep.tui.screens.input_modal import InputModal
from sitrep.tui.widgets.claims_pane import ClaimsPane
from sitrep.tui.widgets.detail_pane import DetailPane
from sitrep.tui.widgets.settlements_pane import SettlementsPane

from .conftest import read_claims, read_sources, ready, workers_done
from .screen_text import screen_text

FIRST = "c-cnn-new-front"  # the first claim row of the sample, under CNN
EXODUS = "c-hayday-exodus-milove"  # corroborated by CNN's own vehicle lines: suggests 1


async def settle(pilot, app: SitrepApp) -> None:
    """Let workers (the as-of build, store jobs) finish and their messages arrive."""
    await pilot.pause()
    await workers_done(app)
    await pilot.pause()


async def as_of(pilot, app: SitrepApp, typed: str) -> None:
    """``@``, type ``typed``, enter, and wait for the picture."""
    await pilot.press("at")
    assert app.query_one(AsOfLine).has_focus
    for key in typed:
        await pilot.press(key)
    await pilot.press("enter")
    await settle(pilot, app)


def header(app: SitrepApp) -> str:
    return screen_text(app).splitlines()[0]


def detail_text(app: SitrepApp) -> str:
    pane = app.query_one(DetailPane)
    return " ".join(" ".join(pane.render_row(r, 80).plain.split())
                    for r in range(pane.row_count()))


def settlement_row(app: SitrepApp, name: str) -> str:
    return next(line for line in screen_text(app).splitlines() if line.startswith(f" {name} "))


async def test_at_shows_the_picture_as_of_a_date_and_an_empty_line_returns_to_now(
        db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        assert "16 claims" in header(app) and "as of" not in header(app)
        await as_of(pilot, app, "30 June 2022")  # any form sitrep.dates reads
        assert app.model is not None and app.model.as_of == "2022-06-30"
        assert "as of 2022-06-30" in header(app)
        assert "0 claims" in header(app)  # every sample claim was reported 2022-09-10
        assert "RU 2022-06" in settlement_row(app, "Lysychansk")  # lost in June
        await as_of(pilot, app, "2022-05-31")
        assert "as of 2022-05-31" in header(app)
        assert "UA 2022" in settlement_row(app, "Lysychansk")  # held before June
        await as_of(pilot, app, "")  # an empty line: now
        assert app.model.as_of is None and app.as_of.when is None
        assert "as of" not in header(app) and "16 claims" in header(app)
        assert "RU 2022-06" in settlement_row(app, "Lysychansk")


async def test_esc_in_the_prompt_returns_to_now_and_a_bad_date_keeps_it_open(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot, app)
        await as_of(pilot, app, "2022-06")
        assert "as of 2022-06" in header(app)
        assert not app.query_one(AsOfLine).has_focus  # closed: focus is back on the pane
        await pilot.press("at")
        assert "as of: 2022-06-30 · 30 Jun 2022 · June 2022" in screen_text(app)  # the forms
        for key in "soon":
            await pilot.press(key)
        await pilot.press("enter")
        await pilot.pause()
        line = app.query_one(AsOfLine)
        assert line.has_focus and line.value == "soon"  # still asking, with the reason
        said = [n.message for n in app._notifications]
        assert said[-1].startswith("cannot read date 'soon': type a date such as 2022-06-30")
        assert app.as_of.when == "2022-06"
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.as_of.when is None and "as of" not in header(app)
        assert isinstance(app.focused, ClaimsPane)


async def test_at_typed_in_the_filter_line_is_a_character(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("slash", "a", "at", "b", "space", "g", "r", "a", "d", "e", "colon",
                          "less_than_sign", "equals_sign", "C", "right_curly_bracket")
        await pilot.pause()
        assert app.query_one("#filter").value == "a@b grade:<=C}"  # type: ignore[attr-defined]
        assert not app.query_one(AsOfLine).has_class("-shown") and app.as_of.when is None


async def test_status_in_force_at_the_date_not_the_one_set_since(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("v")  # confirmed now (the fixed clock: 2026-11-24)
        await settle(pilot, app)
        await as_of(pilot, app, "2022-09-10")
        model = app.model
        assert model is not None and model.n == 16
        assert model.statuses[model.pos[FIRST]] == "unverified"
        assert "14 unverified" in header(app)
        await as_of(pilot, app, "")
        assert app.model.statuses[app.model.pos[FIRST]] == "confirmed"
        assert "13 unverified" in header(app)


async def test_angle_and_curly_brackets_step_a_day_and_a_week(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("greater_than_sign")  # already now: nothing to step to
        await settle(pilot, app)
        assert app.as_of.when is None
        await pilot.press("less_than_sign")  # from now: yesterday
        await settle(pilot, app)
        assert app.as_of.when == "2026-11-23" and "as of 2026-11-23" in header(app)
        await pilot.press("greater_than_sign")  # today is now again
        await settle(pilot, app)
        assert app.as_of.when is None and "as of" not in header(app)
        await as_of(pilot, app, "2022-06")  # a month steps from its last day
        for key, expected in (("less_than_sign", "2022-06-29"), ("greater_than_sign", "2022-06-30"),
                              ("left_curly_bracket", "2022-06-23"),
                              ("right_curly_bracket", "2022-06-30"),
                              ("right_curly_bracket", "2022-07-07")):
            await pilot.press(key)
            await settle(pilot, app)
            assert app.as_of.when == expected and app.model.as_of == expected, key
            assert f"as of {expected}" in header(app)
        assert "UA " not in settlement_row(app, "Lysychansk")


async def test_change_keys_are_refused_in_the_past_and_nothing_is_written(db: Path, make_app):
    before = db.read_bytes()
    app = make_app(db)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot, app)
        await as_of(pilot, app, "2022-09-10")
        app.query_one(ClaimsPane).focus()
        await pilot.pause()
        for key in ("v", "c", "d", "x", "U", "g", "n", "N", "e", "u", "a", "i", "R"):
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, InputModal), key  # no grade/note/import prompt
            assert app.screen is app.screen_stack[0], key
        assert await app.run_action("set_status('confirmed')")  # the palette's way in
        await settle(pilot, app)
        assert app.saver.jobs_submitted == 0 and app.store.pending_journal == 0
        assert app.model is not None and app.model.statuses[app.model.pos[FIRST]] == "unverified"
        refusals = [n.message for n in app._notifications if "changes are off" in n.message]
        assert refusals and refusals[-1] == ("Showing the picture as of 2022-09-10: changes are "
                                             "off. @ then enter goes back to now.")
        assert "as of 2022-09-10" in header(app)
        await pilot.press("q")
    assert db.read_bytes() == before


async def test_detail_shows_the_analysis_and_a_settlement_s_control_timeline(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 40)) as pilot:
        await ready(pilot, app)
        app.jump_to_claim(EXODUS)
        await settle(pilot, app)
        text = detail_text(app)
        assert "Analysis: 2 reports · 2 independent origins (hayday, cnn) · suggested 1" in text
        assert "a accepts" in text
        places = app.query_one(SettlementsPane)
        places.focus()
        await pilot.pause()
        places.move_to(app.model.place_rows.index("lysychansk"))
        await settle(pilot, app)
        text = detail_text(app)
        assert "Control: 2022 ua → 2022-06 ru" in text
        assert "c-cnn-lysychansk-lost-june · CNN · ✓ confirmed · reported 2022-09-10" in text
        await as_of(pilot, app, "2022-06-30")
        text = detail_text(app)
        assert "Control: 2022 ua → 2022-06 ru" in text
        assert "c-cnn-lysychansk-lost-june (not yet reported as of 2022-06-30)" in text


async def test_a_accepts_the_suggested_credibility_and_u_undoes_it(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        app.jump_to_claim(EXODUS)
        await settle(pilot, app)
        await pilot.press("a")
        await settle(pilot, app)
        assert "Analysis:" in detail_text(app) and "a accepts" not in detail_text(app)
        await pilot.press("u")
        await settle(pilot, app)
        await pilot.press("q")
    claim = read_claims(db)[EXODUS]
    assert claim["credibility"] == 2
    entries = [(h["field"], h["from"], h["to"], h["by"], h.get("note"))
               for h in claim["history"] if h["field"] == "credibility"]
    assert entries == [
        ("credibility", 2, 1, "tester", "accepted the suggested credibility"),
        ("credibility", 1, 2, "tester", entries[1][4]),
    ]


async def test_a_on_a_source_accepts_its_suggested_reliability_and_u_undoes_it(
        db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        claims = app.query_one(ClaimsPane)
        claims.move_to(0)  # CNN's group header: its record is 1 confirmed of 7
        await settle(pilot, app)
        assert "B assigned · record: 1 confirmed of 7 · suggests F" in detail_text(app)
        await pilot.press("a")
        await settle(pilot, app)
        assert app.model is not None and app.model.sources["cnn"]["reliability"] == "F"
        assert "F assigned" in detail_text(app)
        await pilot.press("q")
    source = read_sources(db)["cnn"]
    assert source["reliability"] == "F"
    last = source["history"][-1]
    assert (last["field"], last["from"], last["to"], last["note"]) == (
        "reliability", "B", "F", "accepted the suggested reliability")


async def test_undo_of_an_accepted_reliability_puts_the_grade_back(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        app.query_one(ClaimsPane).move_to(0)
        await settle(pilot, app)
        await pilot.press("a")
        await settle(pilot, app)
        await pilot.press("u")
        await settle(pilot, app)
        assert app.model is not None and app.model.sources["cnn"]["reliability"] == "B"
        await pilot.press("q")
    source = read_sources(db)["cnn"]
    assert source["reliability"] == "B"
    changes = [(h["from"], h["to"]) for h in source["history"] if h["field"] == "reliability"]
    assert changes == [("B", "F"), ("F", "B")]


async def test_the_config_files_stale_days_is_the_dashboards_now_and_as_of_a_date(
        db: Path, make_app, tmp_path: Path):
    def stale_marks(app: SitrepApp) -> int:
        model = app.model
        assert model is not None
        return sum(model.is_stale(p) for p in range(model.n))

    default = make_app(db)
    async with default.run_test(size=(80, 24)) as pilot:
        await ready(pilot, default)
        assert default.model is not None and default.model.stale_days == 7
        assert stale_marks(default) > 0  # the sample's unverified claims are years old
        assert "⧖" in screen_text(default)
    (tmp_path / "config").mkdir(exist_ok=True)
    (tmp_path / "config" / "config.toml").write_text("stale_days = 100000\n", encoding="utf-8")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        assert app.model is not None and app.model.stale_days == 100000
        assert stale_marks(app) == 0 and "⧖" not in screen_text(app)
        await as_of(pilot, app, "2022-06-30")
        assert app.model.as_of == "2022-06-30" and app.model.stale_days == 100000
        assert stale_marks(app) == 0
        await as_of(pilot, app, "")  # back to now: the same window
        assert app.model.as_of is None and app.model.stale_days == 100000
        assert stale_marks(app) == 0 and "⧖" not in screen_text(app)
