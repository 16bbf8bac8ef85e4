"""The one pull loop (``subscriptions.pull_all``) that ``sitrep feeds pull`` and the
dashboard's ``R`` both run: store access under the caller's lock, downloads outside it,
progress and cancel hooks, a failed write kept apart from a failed feed."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from sitrep.cli import main
from sitrep.feeds.subscriptions import add_subscription, pull_all
from sitrep.store import Store

JSON_FEED = "application/feed+json"
REPO = Path(__file__).resolve().parents[2]


def test_downloads_run_outside_the_lock_and_hooks_are_called(sample_db: Path, fk,
                                                             httpserver: HTTPServer) -> None:
    lock = threading.Lock()
    held_during_fetch: list[bool] = []

    def answer(request: Request) -> Response:
        held_during_fetch.append(lock.locked())
        return Response(fk.jsonfeed([fk.item(request.path.strip("/"))]), content_type=JSON_FEED)

    for name in ("a", "b"):
        httpserver.expect_request(f"/{name}").respond_with_handler(answer)
    store = Store.open(sample_db)
    for name in ("a", "b"):
        add_subscription(store, httpserver.url_for(f"/{name}"), analyst="t", name=name)
    started: list[tuple[str, int, int]] = []
    results = pull_all(store, analyst="t", lock=lambda: lock,
                       started=lambda *args: started.append(args))
    assert [(r.name, r.error, r.report.counts()["new"] if r.report else None)
            for r in results] == [("a", None, 1), ("b", None, 1)]
    assert held_during_fetch == [False, False]
    assert started == [("a", 1, 2), ("b", 2, 2)]


def test_cancel_stops_before_the_next_import(sample_db: Path, fk, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_data(fk.jsonfeed([fk.item("x")]),
                                                      content_type=JSON_FEED)
    store = Store.open(sample_db)
    add_subscription(store, httpserver.url_for("/a"), analyst="t", name="a")
    before = sample_db.read_bytes()
    assert pull_all(store, analyst="t", cancelled=lambda: True) == []
    assert sample_db.read_bytes() == before


def test_a_failed_write_is_unsaved_not_a_failed_feed(sample_db: Path, fk,
                                                     httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_data(fk.jsonfeed([fk.item("x")]),
                                                      content_type=JSON_FEED)
    assert main(["--db", str(sample_db), "feeds", "add", httpserver.url_for("/a"),
                 "--name", "a"]) == 0
    sample_db.chmod(0o444)
    try:
        store = Store.open(sample_db)
        (result,) = pull_all(store, analyst="t")
        assert result.unsaved and "read-only" in (result.error or "")
        assert main(["--db", str(sample_db), "feeds", "pull"]) == 73
    finally:
        sample_db.chmod(0o644)


def test_the_dashboard_runs_the_same_loop() -> None:
    """``R`` in the dashboard calls ``pull_all``; it has no pull loop of its own."""
    source = (REPO / "sitrep" / "tui" / "feed_importer.py").read_text()
    assert "pull_all(" in source
    assert not re.search(r"\b(fetch_subscription|import_pulled|get_subscription)\b", source)
