"""The model of a date cut from the layout of now (``sitrep.tui.as_of.layout_of``) is the
model laid out from that date's picture: on generated data, for dates across its span, with
a filter, collapsed groups and sort carried over, and after a status shown before the store
wrote it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate, write
from sitrep.analysis.as_of import AsOfView
from sitrep.store import Store
from sitrep.tui.as_of import layout_of, model_as_of
from sitrep.tui.model import DashboardModel, build_model
from sitrep.tui.model_build import _RankMask

# before the span (2022-02-24 + 900 days), in it at every precision, and after it
DATES = ["2022-01-01", "2022-02-24", "2022-06", "2022-09-30", "2023", "2023-06-15",
         "2024-03-01T12:00:00Z", "2024-08", "2025"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("generated") / "db.json"
    write(generate(1500, seed=3), path)
    return Store.open(path)


def shown(model: DashboardModel) -> dict[str, Any]:
    """Everything the panes read of a model (and what a status change works from)."""
    groups = [(g.source_id, g.start, g.end, g.count, g.collapsed, list(model.members(g)),
               model.group_counts(g)) for g in model.groups]
    return {
        "as_of": model.as_of, "n": model.n, "claims": model.claims,
        "reported": model.reported, "statuses": model.statuses,
        "ids": [model.claims[p].get("id") for p in range(model.n)],
        "groups": groups, "rows": [model.row(y) for y in range(model.row_count)],
        "counts": model.counts, "total_counts": model.total_counts,
        "place_stats": {pid: vars(st) for pid, st in model.place_stats.items()},
        "place_view": {pid: vars(st) for pid, st in model.place_view.items()},
        "place_rows": model.place_rows,
        "place_positions": {pid: model.place_positions(pid) for pid in model.places},
        "triage": model.triage_all, "triage_head": model.triage_slice(0, 100),
        "triage_keys": [model.triage_key(p) for p in model.triage_all],
        "impact": model.impact_positions(), "disputed": model.disputed,
        "stale": [model.is_stale(p) for p in range(model.n)],
        "linked": sorted(p for p in range(model.n) if model.links_contradiction(p)),
        "places": model.places, "sources": model.sources,
        "stale_cutoff": model.stale_cutoff,
    }


def test_the_layout_gives_the_model_laid_out_from_the_picture_at_every_date(store: Store):
    view = AsOfView(store.claims(), store.sources(), store.settlements())
    layout = layout_of(view)
    assert layout.usable
    now = build_model(store)
    for when in DATES:
        cut = model_as_of(store, view, when, now, 9, layout)
        laid_out = model_as_of(store, view, when, now, 9)
        assert shown(cut) == shown(laid_out), when
    # the data has claims whose status then differs from now, and empty and full pictures
    assert any(model_as_of(store, view, w, None, 9, layout).n == 0 for w in DATES)
    assert model_as_of(store, view, "2025", None, 9, layout).n == len(store.claims())
    copies = model_as_of(store, view, "2023-06-15", None, 9, layout)
    assert any(c not in store.claims() for c in copies.claims)


def test_filter_folds_sort_and_a_status_change_behave_the_same(store: Store):
    view = AsOfView(store.claims(), store.sources(), store.settlements())
    layout = layout_of(view)
    like = build_model(store)
    like.set_query("status:unv")
    like.set_all_collapsed(True)
    like.set_collapsed(like.group_ranges[0][0], False)
    like.sort_places("unverified", True)
    for when in ("2022-09-30", "2023-06-15", "2025"):
        cut = model_as_of(store, view, when, like, 7, layout)
        laid_out = model_as_of(store, view, when, like, 7)
        assert shown(cut) == shown(laid_out), when
        for model in (cut, laid_out):  # a key shows a new status before the store writes it
            model.set_status(model.triage_all[0], "confirmed")
            model.set_status(next(p for p in range(model.n)
                                  if model.statuses[p] == "false"), "unverified")
        assert shown(cut) == shown(laid_out), when
    # the layout itself is never changed by a model cut from it
    assert shown(layout.model) == shown(DashboardModel(view.claims, view.sources,
                                                       view.settlements))


def test_an_id_used_twice_is_laid_out_from_the_picture(tmp_path: Path):
    data = generate(200, seed=1)
    claims = list(data["claims"].values())
    claims[5]["id"] = claims[9]["id"]
    path = tmp_path / "db.json"
    write(data, path)
    store = Store.open(path)
    view = AsOfView(store.claims(), store.sources(), store.settlements())
    layout = layout_of(view)
    assert not layout.usable
    for when in ("2022-09-30", "2025"):
        assert shown(model_as_of(store, view, when, None, 7, layout)) == shown(
            model_as_of(store, view, when, None, 7))


def _history_dates(store: Store) -> list[str]:
    """Dates at the edges the layout's lists are cut at: a status change's instant, its day
    and month, a report's instant and the day before a report's day."""
    claims = store.claims()
    change = next(e["at"] for c in claims for e in c["history"] if e["field"] == "status")
    report = next(c["reported_at"] for c in claims if len(c["reported_at"]) == 20)
    day = next(c["reported_at"] for c in claims if len(c["reported_at"]) == 10)
    before = (date.fromisoformat(day) - timedelta(days=1)).isoformat()
    return [change, change[:10], change[:7], report, report[:10], day, before]


def test_dates_at_a_change_or_a_report_give_the_model_laid_out_from_the_picture(store: Store):
    view = AsOfView(store.claims(), store.sources(), store.settlements())
    layout = layout_of(view)
    # the stale part of the triage queue is a slice here: the first days of the claims
    # waiting, in the order they entered, do not go down
    assert layout.waiting_days_sorted
    for when in _history_dates(store):
        for stale_days in (0, 9, 400):
            cut = model_as_of(store, view, when, None, stale_days, layout)
            laid_out = model_as_of(store, view, when, None, stale_days)
            assert shown(cut) == shown(laid_out), (when, stale_days)


def test_undated_and_odd_dates_give_the_model_laid_out_from_the_picture(tmp_path: Path):
    data = generate(600, seed=5)
    claims = list(data["claims"].values())
    waiting = [c for c in claims if c["status"] == "unverified"
               and [e["field"] for e in c["history"]] == ["created"]]
    del waiting[0]["reported_at"]  # entered when created
    del waiting[1]["reported_at"]
    waiting[1]["history"] = []  # no date at all: in every picture, never stale
    waiting[2]["reported_at"] = "2022"  # the year's first day
    # a hand edit sorting between "2022" and "2022-01": the first days of the claims in
    # the order they entered go down, so the stale ones are not one slice
    waiting[3]["reported_at"] = "2022-0"
    waiting[4]["reported_at"] = "2022-03-01T10:00:00Z"
    waiting[4]["history"][0]["at"] = "2022-03-01T10:00:00Z"
    changed = next(c for c in claims if c["history"] and c["history"][-1]["field"] == "status")
    path = tmp_path / "db.json"
    write(data, path)
    store = Store.open(path)
    view = AsOfView(store.claims(), store.sources(), store.settlements())
    layout = layout_of(view)
    assert layout.usable and not layout.waiting_days_sorted
    at = changed["history"][-1]["at"]
    for when in ("2021", "2022", "2022-01-01", "2022-03-01T10:00:00Z", "2022-03-01",
                 "2022-09-30", at, at[:10], "2025"):
        for stale_days in (0, 9):
            cut = model_as_of(store, view, when, None, stale_days, layout)
            laid_out = model_as_of(store, view, when, None, stale_days)
            assert shown(cut) == shown(laid_out), (when, stale_days)
    # the undated claim is in the earliest picture; it and the odd dates are in the queue
    early = model_as_of(store, view, "2021", None, 0, layout)
    assert [c["id"] for c in early.claims] == [waiting[1]["id"]]
    assert early.triage_all == [0]


@pytest.mark.parametrize("top", [0, 1, 255, 256, 300, 65535, 65536, 70000])
def test_the_mask_of_ranks_below_a_bound_is_the_comparison(top: int):
    ranks = sorted({0, top, top // 2, max(0, top - 1), min(top, 255), min(top, 256)})
    ranks += [(i * 7919) % (top + 1) for i in range(200)]
    mask = _RankMask(ranks, top)
    for bound in sorted({0, 1, 255, 256, 257, top // 2, top, top + 1, *ranks[:5]}):
        assert mask.below(bound) == bytes(r < bound for r in ranks), bound
