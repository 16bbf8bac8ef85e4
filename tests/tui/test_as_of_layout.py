"""The model of a date cut from the layout of now (``sitrep.tui.as_of.layout_of``) is the
model laid out from that date's picture: on generated data, for dates across its span, with
a filter, collapsed groups and sort carried over, and after a status shown before the store
wrote it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate, write
from sitrep.analysis.as_of import AsOfView
from sitrep.store import Store
from sitrep.tui.as_of import layout_of, model_as_of
from sitrep.tui.model import DashboardModel, build_model

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
