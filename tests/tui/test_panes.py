"""What the panes say on the first screen and as the analyst filters and sorts (issue 10 items
1-3, issue 12 §4): every source named, rows that carry source, places and date, the settlements
pane following the filter, the triage queue in impact order, marks readable without colour."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sitrep.analysis.triage import triage_queue
from sitrep.tui.app import SitrepApp
from sitrep.tui.widgets.claims_pane import ClaimsPane
from sitrep.tui.widgets.settlements_pane import SettlementsPane

from .conftest import ready
from .screen_text import screen_text

SIZES = [(80, 24), (120, 40), (70, 16)]
SOURCES_LINE = re.compile(
    r"CNN B \?6 ✓1 · Pushilin D \?1 · Residents… F 0 · Hayday C \?7 \+1")


def lines_of(app: SitrepApp) -> list[str]:
    return screen_text(app).splitlines()


def pane_title(app: SitrepApp, pane: type) -> str:
    return str(app.query_one(pane).border_title)


@pytest.mark.parametrize("size", SIZES)
async def test_the_first_screen_names_every_source_with_its_grade_and_counts(
        db: Path, make_app, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        await ready(pilot, app)
        text = screen_text(app)
        # residents-lysychansk makes no claim of its own (only an origin): named all the same
        assert SOURCES_LINE.search(text), text
        first = next(ln for ln in lines_of(app) if ln.startswith("›"))
        assert re.search(r"CNN +- +\? unver B3 Ukrainian forces", first), first


async def test_every_claim_row_shows_source_places_and_a_four_digit_date(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        claims = app.query_one(ClaimsPane)
        model = app.model
        assert model is not None
        width = claims.content_width - 1
        rendered = {model.claims[p]["id"]: claims.render_row(model.row_of_position(p), width).plain
                    for p in range(model.n)}
        assert "2022-09-10 Hayday   Svatove +4" in rendered["c-hayday-exodus-milove"]
        assert "2022-09-10 Hayday   Svatove +1" in rendered["c-hayday-no-defensive-line"]
        assert "2022-09-10 Pushilin Lyman" in rendered["c-pushilin-lyman-tough"]
        assert "2022-09-10 CNN      -" in rendered["c-cnn-new-front"]
        assert not any(re.search(r"(?<!\d)22-09-10", row) for row in rendered.values())


async def test_the_group_of_the_top_row_stays_visible(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        claims = app.query_one(ClaimsPane)
        for _ in range(16):  # past CNN's 7 claims and Pushilin's one, into Hayday's
            await pilot.press("j")
        await pilot.pause()
        assert round(claims.scroll_y) > 0
        lines = lines_of(app)
        at = next(i for i, ln in enumerate(lines) if "Claims by source" in ln)
        assert SOURCES_LINE.search(lines[at + 1])
        assert lines[at + 2].startswith(" ▾ Serhiy Hayday  C  8 claims")  # sticky
        assert "Hayday" in lines[at + 3] and "›" not in lines[at + 2]
        # and back up: the cursor never hides under the sticky line
        for _ in range(16):
            await pilot.press("k")
            await pilot.pause()
            cursor = next(i for i, ln in enumerate(lines_of(app)) if ln.startswith("›"))
            assert cursor != at + 2 or lines_of(app)[cursor].startswith("›▾")


async def test_triage_rows_show_date_source_place_in_impact_order(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        text = screen_text(app)
        assert "2022-09-10 Pushilin Lyman" in text
        assert "2022-09-10 CNN      Sloviansk" in text
        assert "Triage: 14 unverified · by impact" in text
        model = app.model
        assert model is not None
        doc = json.loads(db.read_text(encoding="utf-8"))
        core = [t.claim["id"] for t in triage_queue(doc["claims"].values(),
                                                    doc["settlements"].values())]
        assert [model.claims[p]["id"] for p in model.triage_slice(0, 100)] == core


async def test_stale_and_against_interest_marks_read_without_colour(
        db: Path, make_app, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        model = app.model
        assert model is not None
        claims = app.query_one(ClaimsPane)
        row = claims.render_row(model.row_of_position(model.pos["c-pushilin-lyman-tough"]), 78)
        assert row.plain.startswith(" ⧖¬ ")  # stale (today) and against interest
        confirmed = model.row_of_position(model.pos["c-cnn-lysychansk-lost-june"])
        assert claims.render_row(confirmed, 78).plain.startswith("    ")  # neither
        # as of the report's day nothing is stale yet
        model.set_stale_cutoff("2022-09-03")
        claims.reset()
        row = claims.render_row(model.row_of_position(model.pos["c-pushilin-lyman-tough"]), 78)
        assert row.plain.startswith("  ¬ ")


async def test_settlements_follow_the_filter_and_show_their_position(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        assert pane_title(app, SettlementsPane).startswith("Settlements 1/9")
        await pilot.press("slash", *"source:hayday", "enter")
        await pilot.pause()
        model = app.model
        assert model is not None
        title = pane_title(app, SettlementsPane)
        assert "1/9 · 7 match" in title
        # Lyman (Pushilin) and Sloviansk (CNN) have no Hayday claim: last, with no counts
        assert model.place_rows[-2:] == ["lyman", "sloviansk"]
        assert model.place_view["lysychansk"].claims == 4
        assert model.place_view["lyman"].claims == 0
        lyman = model.place_rows.index("lyman")
        assert re.search(r"^Lyman .* 0 +0$", app.query_one(SettlementsPane).render_row(
            lyman, 43).plain.rstrip())
        places = app.query_one(SettlementsPane)
        places.focus()
        await pilot.pause()
        for _ in range(5):
            await pilot.press("j")
        await pilot.pause()
        assert "Settlements 6/9 · 7 match" in pane_title(app, SettlementsPane)


async def test_ties_sort_by_name_and_the_control_date_is_never_cut(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        model = app.model
        assert model is not None
        latest = [model.places[p]["name"] for p in model.place_rows]
        assert latest == sorted(latest)  # every sample settlement was reported 2022-09-10
        text = screen_text(app)
        assert "contested 2022-09-10" in text  # Lyman, the widest control


async def test_a_sort_names_a_hidden_column_and_jumps_to_the_top(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        places = app.query_one(SettlementsPane)
        places.focus()
        await pilot.pause()
        assert "by latest▼" in pane_title(app, SettlementsPane)  # Latest: no room at 80
        for _ in range(4):
            await pilot.press("j")
        await pilot.press("s", "s")  # name, then region (not shown at 80 columns)
        await pilot.pause()
        model = app.model
        assert model is not None and model.sort_key == "region"
        assert places.cursor == 0 and round(places.scroll_y) == 0
        assert pane_title(app, SettlementsPane).endswith("1/9 · by region▼")
        assert places.current_id() == "lyman"  # Donetsk before Luhansk, then by name
        await pilot.press("S")
        await pilot.pause()
        assert pane_title(app, SettlementsPane).endswith("1/9 · by region▲")
        await pilot.press("s")  # control: shown, so the title does not name it
        await pilot.pause()
        assert pane_title(app, SettlementsPane).endswith("Settlements 1/9")


@pytest.mark.parametrize("size", [(80, 24), (70, 16)])
async def test_a_bad_filter_term_is_explained_where_it_fits(db: Path, make_app, size):
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        await ready(pilot, app)
        await pilot.press("slash", *"status:foo")
        await pilot.pause()
        lines = lines_of(app)
        hint = next(ln for ln in lines if ln.startswith(" filter: no status starts with 'foo'"))
        assert len(hint) <= size[0]
        if size == (80, 24):  # the whole explanation, on two lines
            assert "statuses: unverified, corroborated," in hint
            below = lines[lines.index(hint) + 1][:size[0] - 1]  # the scrollbar's column off
            assert below.strip() == "confirmed, disputed, false)"
        await pilot.press("escape")
        await pilot.pause()
        assert not any(ln.startswith(" filter: ") for ln in lines_of(app))


def _disputed_db(db: Path) -> Path:
    """The sample with CNN's Sloviansk claim contradicting one more about Sloviansk."""
    doc = json.loads(db.read_text(encoding="utf-8"))
    claims = doc["claims"]
    held = next(c for c in claims.values() if c["id"] == "c-cnn-sloviansk-ua-held")
    other = dict(held, id="c-test-sloviansk-lost", source="pushilin",
                 text="Sloviansk has fallen.", contradicts=["c-cnn-sloviansk-ua-held"],
                 history=[])
    claims[str(max(map(int, claims)) + 1)] = other
    db.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return db


async def test_a_disputed_picture_is_marked_in_the_settlements_pane(db: Path, make_app):
    app = make_app(_disputed_db(db))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        model = app.model
        assert model is not None
        assert list(model.disputed) == ["sloviansk"]
        places = app.query_one(SettlementsPane)
        row = places.render_row(model.place_rows.index("sloviansk"), 43).plain
        assert row.startswith("!Sloviansk ")
        assert not places.render_row(model.place_rows.index("lyman"), 43).plain.startswith("!")
        # the contradicting claims lead the triage queue (they contradict about one place)
        first = [model.claims[p]["id"] for p in model.triage_slice(0, 2)]
        assert set(first) <= {"c-test-sloviansk-lost", "c-cnn-sloviansk-ua-held",
                              "c-pushilin-lyman-tough"}
        # shown false, the contradiction no longer counts: no dispute
        claims = app.query_one(ClaimsPane)
        claims.focus()
        row_of = model.row_of_position(model.pos["c-test-sloviansk-lost"])
        claims.move_to(row_of)
        await pilot.press("x")
        await pilot.pause()
        assert model.disputed == {}
        assert not places.render_row(model.place_rows.index("sloviansk"), 43).plain.startswith(
            "!")


def test_the_model_keeps_the_core_queue_order_through_status_changes() -> None:
    from datetime import UTC, datetime

    from sitrep.analysis.triage import stale_cutoff
    from sitrep.tui.model import DashboardModel
    from tests.core.test_analysis_triage_keys import CLAIMS, PLACES

    now = datetime(2022, 9, 20, 15, 0, tzinfo=UTC)
    sources = [{"id": "s", "name": "S", "reliability": "B"}]
    model = DashboardModel(CLAIMS, sources, PLACES, stale_cutoff=stale_cutoff(now=now))

    def shown() -> list[str]:
        return [model.claims[p]["id"] for p in model.triage_slice(0, 100)]

    core = [t.claim["id"] for t in triage_queue(CLAIMS, PLACES, now=now)]
    assert shown() == core
    assert [model.claims[p]["id"] for p in model._head_of_triage(4)] == core[:4]
    p = model.pos["stale-a"]
    model.set_status(p, "confirmed")
    assert shown() == [c for c in core if c != "stale-a"]
    model.set_status(p, "unverified")
    assert shown() == core
    # the claim it contradicts shown false: "against-false" is no longer first... nor was it,
    # but "contra" loses its place once "other" is false
    model.set_status(model.pos["other"], "false")
    assert shown()[:2] == ["old-control", "control"] and "contra" not in shown()[:3]
