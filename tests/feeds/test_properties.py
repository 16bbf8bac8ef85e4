"""Property tests: whatever bytes arrive, the importer gives a report or one clear FeedError."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import orjson
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sitrep.errors import FeedError
from sitrep.feeds.importer import import_bytes
from sitrep.feeds.jsonfeed import html_to_text
from sitrep.feeds.report import ImportReport
from sitrep.store import Store

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "sitrep.json"
FIELDS = ["id", "title", "summary", "content_text", "content_html", "date_published",
          "date_modified", "url", "external_url", "tags", "authors", "author", "_sitrep",
          "settlements", "status", "credibility", "origin", "event_at", "against_interest",
          "text", "source", "history", "name", "control", "reported_at", "feed_url"]
scalars = (st.none() | st.booleans() | st.integers(-10, 10**12) | st.floats(allow_nan=False)
           | st.text(max_size=30) | st.sampled_from(["lyman", "hayday", "2022-09-10",
                                                    "2022-09-10T10:00:00+03:00", "B", "ua",
                                                    "disputed", "Лиман", "\x00", "[b]x"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), inner,
                                        max_size=5), max_leaves=20)
records = st.dictionaries(st.sampled_from(FIELDS), values, max_size=10)
texts = st.text(max_size=40) | st.sampled_from(["Shelling near Lysychansk", "Бои под Лиманом",
                                                "\x1b[31m[bold]x", "<p>a &amp; b</p>"])


def _mutated(base: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A valid record with zero to two fields replaced by anything."""
    return st.builds(lambda changes: {**base, **changes},
                     st.dictionaries(st.sampled_from(FIELDS), values, max_size=2))


good_items = st.builds(
    lambda i, t, extra: {"id": i, "content_text": t, **extra},
    st.text(min_size=1, max_size=12) | st.integers(0, 99),
    texts,
    st.fixed_dictionaries({}, optional={
        "title": texts, "date_published": st.sampled_from(["2022-09-10T10:00:00+03:00",
                                                           "2022-09", "bad"]),
        "tags": st.lists(st.text(max_size=5), max_size=3),
        "authors": st.lists(st.fixed_dictionaries({"name": texts}), max_size=2),
        "_sitrep": st.fixed_dictionaries({}, optional={
            "settlements": st.lists(st.sampled_from(["lyman", "lysychansk", "nowhere"])),
            "status": st.sampled_from(["unverified", "disputed", "wrong"]),
            "credibility": st.integers(0, 7), "origin": st.sampled_from(["hayday", "x"])}),
    }),
).flatmap(_mutated)
good_claims = st.builds(
    lambda i, t: {"id": i, "text": t, "source": "hayday", "settlements": ["lyman"],
                  "reported_at": "2022-09-10", "status": "unverified", "credibility": 3},
    st.sampled_from(["c-cnn-new-front", "c-new-1", "c-new-2"]) | st.text(min_size=1,
                                                                          max_size=8),
    texts,
).flatmap(_mutated)


def _store() -> tuple[Store, Path]:
    folder = Path(tempfile.mkdtemp(prefix="sitrep-prop-"))
    path = folder / "db.json"
    shutil.copyfile(SAMPLE, path)
    return Store.open(path), folder


def _check(data: bytes, *, dry_run: bool) -> None:
    store, folder = _store()
    try:
        before = store.path.read_bytes()
        try:
            report = import_bytes(store, data, analyst="prop", dry_run=dry_run)
        except FeedError as exc:
            assert str(exc) and "\n" not in str(exc)
            event("FeedError")
            assert store.path.read_bytes() == before
            return
        assert isinstance(report, ImportReport)
        event(f"new>0: {report.new > 0}, updated>0: {report.updated > 0}")
        assert all(r.reason for r in report.rejections)
        if dry_run or not report.written:
            assert store.path.read_bytes() == before
        else:
            reopened = Store.open(store.path)  # what was written reads back
            assert len(reopened.claims()) >= len(Store.open(SAMPLE).claims())
            again = import_bytes(reopened, data, analyst="prop")  # idempotent
            assert again.new == 0 and again.updated == 0 and not again.written
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_any_bytes(data: bytes) -> None:
    _check(data, dry_run=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(good_items | records | values, max_size=6),
       st.dictionaries(st.sampled_from(FIELDS), values, max_size=3))
def test_any_jsonfeed_shape(items: list[Any], top: dict[str, Any]) -> None:
    doc = {**top, "version": "https://jsonfeed.org/version/1.1", "title": "prop", "items": items}
    _check(orjson.dumps(doc), dry_run=False)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records, max_size=3), st.lists(records, max_size=3),
       st.lists(good_claims | records | values, max_size=4))
def test_any_sitrep_feed_shape(sources: list[Any], places: list[Any], claims: list[Any]) -> None:
    doc = {"sitrep_feed": 1, "sources": sources, "settlements": places, "claims": claims}
    _check(orjson.dumps(doc), dry_run=False)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_html_to_text_never_fails(html: str) -> None:
    assert isinstance(html_to_text(html), str)
