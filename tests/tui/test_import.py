"""Feed imports in the dashboard (``i``, ``R``, ``I``): Pilot presses keys against real temp
files and a real loopback HTTP server, then reads the screen and the DB file on disk."""

from __future__ import annotations

import json
import math
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from sitrep.feeds.subscriptions import add_subscription
from sitrep.store import Store
from sitrep.tui.app import SitrepApp
from sitrep.tui.screens.import_log import ImportLogScreen
from sitrep.tui.screens.import_modal import ImportModal
from sitrep.tui.widgets.claims_pane import ClaimsPane

from .conftest import read_claims, ready, workers_done
from .screen_text import screen_text

REPO = Path(__file__).resolve().parents[2]
REAL_FEED = REPO / "tests" / "data" / "jsonfeed11_3960_journal.json"
WIRE_URL_ID = "https://wire.example/feed.json"
HOSTILE_TITLE = "[bold red]Wire[/bold red] [@click=app.quit]x[/] \x1b]0;pwned\x07"
HOSTILE_ID = "[b]bad-date[/b]"
PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy",
              "all_proxy", "no_proxy")


@pytest.fixture(autouse=True)
def _no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Talk to the loopback server directly."""
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)


def wire_feed(title: str = "Regional wire") -> bytes:
    """A JSON Feed 1.1: two good items naming sample settlements, one with a bad date."""
    items: list[dict[str, Any]] = [
        {"id": "w-1", "title": "Long queues of vehicles reported leaving Svatove",
         "content_text": "Queues at the western exit of Svatove.",
         "date_published": "2022-09-10T16:30:00Z", "authors": [{"name": "Wire desk"}]},
        {"id": "w-2", "content_text": "Shelling reported near Lysychansk [red]overnight[/red].",
         "date_published": "2022-09-10T18:00:00Z", "authors": [{"name": "Wire desk"}]},
        {"id": HOSTILE_ID, "content_text": "An item whose date cannot be read.",
         "date_published": "last Tuesday"},
    ]
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": title,
                       "feed_url": WIRE_URL_ID, "items": items}).encode()


async def settle(pilot, app: SitrepApp) -> None:
    """Let the import worker finish and its messages arrive."""
    for _ in range(3):
        await pilot.pause()
        await workers_done(app)
    await pilot.pause()


async def import_via_modal(pilot, app: SitrepApp, location: str) -> None:
    """Press i, type the location as a person would, press enter, wait for the result."""
    await pilot.press("i")
    assert isinstance(app.screen, ImportModal)
    await pilot.press(*location)
    await pilot.press("enter")
    await settle(pilot, app)


def messages(app: SitrepApp) -> list[str]:
    return [n.message for n in app._notifications]


def wire_claims(app: SitrepApp) -> list[dict[str, Any]]:
    assert app.model is not None
    return [c for c in app.model.claims if c.get("feed") == WIRE_URL_ID]


def journal(db: Path) -> Path:
    return db.with_name(db.name + ".journal")


async def test_i_with_a_path_imports_into_the_panes_and_the_file(db: Path, make_app,
                                                                 tmp_path: Path):
    feed = tmp_path / "wire.json"
    feed.write_bytes(wire_feed())
    app = make_app(db)
    # No fold when idle: the journal is looked at below, and on a busy machine the idle fold
    # (2 s after the change) could run first (the test then failed on pending_journal).
    app.saver.fold_delay = math.inf
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await import_via_modal(pilot, app, str(feed))
        assert not isinstance(app.screen, ImportModal)
        assert len(wire_claims(app)) == 2
        assert app.store.pending_journal > 0               # one apply, in the journal
        await pilot.press("end")                            # the last group: the new one
        await pilot.pause()
        text = screen_text(app)
        assert "Wire desk" in text                          # the new source's group
        assert "Long queues of vehicles" in text            # a claim row (cut to the pane)
        note = messages(app)[-1]
        # one short line (the toast covers two rows of the screen); the details are in I
        assert note == "Regional wire: new 2 · rejected 1"
        assert list(app._notifications)[-1].title == "Import · I: import log"
        assert not app.query("#import-progress")            # the progress line is gone
        await pilot.press("q")
    on_disk = read_claims(db)
    assert sum(c.get("feed") == WIRE_URL_ID for c in on_disk.values()) == 2
    assert not journal(db).exists()                         # folded on quit


async def test_import_keeps_the_selection(db: Path, make_app, tmp_path: Path):
    feed = tmp_path / "wire.json"
    feed.write_bytes(wire_feed())
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("j", "j")
        before = app.model.claims[app.current_position()]["id"]
        await import_via_modal(pilot, app, str(feed))
        assert len(wire_claims(app)) == 2
        assert app.model.claims[app.current_position()]["id"] == before


async def test_i_with_a_served_json_feed(db: Path, make_app, httpserver: HTTPServer):
    httpserver.expect_request("/feed.json").respond_with_data(
        REAL_FEED.read_bytes(), content_type="application/feed+json")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        before = app.model.n
        await import_via_modal(pilot, app, httpserver.url_for("/feed.json"))
        assert app.model.n == before + 20
        assert messages(app)[-1] == "fboës - Der Blog | Star…: new 20"
        await pilot.press("q")
    assert len(read_claims(db)) == before + 20


async def test_404_shows_one_line_and_changes_nothing(db: Path, make_app,
                                                      httpserver: HTTPServer):
    httpserver.expect_request("/nope.json").respond_with_data(b"not here", status=404)
    before = db.read_bytes()
    app = make_app(db)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot, app)
        n = app.model.n
        await import_via_modal(pilot, app, httpserver.url_for("/nope.json"))
        note = messages(app)[-1]
        assert "HTTP 404" in note and "Traceback" not in note
        assert list(app._notifications)[-1].severity == "error"
        assert app.model.n == n and app.store.pending_journal == 0
        await pilot.pause(0.2)
        assert "HTTP 404" in screen_text(app)               # the toast is on screen
        await pilot.press("q")
    assert db.read_bytes() == before
    assert not journal(db).exists()


async def test_a_missing_file_and_a_bad_feed_change_nothing(db: Path, make_app,
                                                            tmp_path: Path):
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"version": "https://jsonfeed.org/version/1.1", "items": [')
    before = db.read_bytes()
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await import_via_modal(pilot, app, str(tmp_path / "missing.json"))
        assert "no such file" in messages(app)[-1]
        await import_via_modal(pilot, app, str(bad))
        assert "truncated" in messages(app)[-1]
        assert len(app.importer.log) == 2
        await pilot.press("q")
    assert db.read_bytes() == before


async def test_esc_cancels_the_modal(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("i", "x", "escape")
        assert not isinstance(app.screen, ImportModal)
        await settle(pilot, app)
        assert app.importer.log == [] and app.store.pending_journal == 0


def subscribe(db: Path, url: str, name: str) -> None:
    store = Store.open(db)
    add_subscription(store, url, analyst="tester", name=name)


async def test_picking_a_subscription_pulls_it(db: Path, make_app, httpserver: HTTPServer):
    httpserver.expect_request("/a.json").respond_with_data(b"{}", status=500)
    httpserver.expect_request("/wire.json").respond_with_data(
        wire_feed(), content_type="application/feed+json", headers={"ETag": '"v1"'})
    subscribe(db, httpserver.url_for("/a.json"), "alpha")
    subscribe(db, httpserver.url_for("/wire.json"), "wire")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("i")
        modal = app.screen
        assert isinstance(modal, ImportModal)
        assert "wire" in screen_text(app) and "alpha" in screen_text(app)
        await pilot.press("down", "j")                      # into the list, then to 'wire'
        await pilot.press("enter")
        await settle(pilot, app)
        assert len(wire_claims(app)) == 2
        assert messages(app)[-1] == "wire: new 2 · rejected 1"
        await pilot.press("q")
    doc = json.loads(db.read_text(encoding="utf-8"))
    wire = next(r for r in doc["feeds"].values() if r["id"] == "wire")
    assert wire["etag"] == '"v1"' and wire["last_pulled"]
    assert not any(req.path == "/a.json" for req, _ in httpserver.log)   # only 'wire' pulled


async def test_R_pulls_all_and_a_304_writes_nothing(db: Path, make_app,
                                                    httpserver: HTTPServer):
    httpserver.expect_request("/wire.json", headers={"If-None-Match": '"v1"'}
                              ).respond_with_data(b"", status=304)
    httpserver.expect_request("/wire.json").respond_with_data(
        wire_feed(), content_type="application/feed+json", headers={"ETag": '"v1"'})
    httpserver.expect_request("/down.json").respond_with_data(b"gone", status=404)
    subscribe(db, httpserver.url_for("/wire.json"), "wire")
    subscribe(db, httpserver.url_for("/down.json"), "down")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("R")
        await settle(pilot, app)
        note = messages(app)[-1]
        assert note == "2 feeds: new 2 · rejected 1; failed: down"
        _when, _what, results = app.importer.log[-1]          # the whole report is in the log
        assert "unreadable date" in results[0].report.rejections[0].reason
        assert "HTTP 404" in results[1].error
        assert len(wire_claims(app)) == 2
        assert app.saver.fold_now() is None                       # everything in the main file
        main_before = db.read_bytes()
        await pilot.press("R")
        await settle(pilot, app)
        note = messages(app)[-1]
        assert note == "2 feeds: nothing new; failed: down"
        assert app.store.pending_journal == 0 and not journal(db).exists()   # no write
        assert db.read_bytes() == main_before
        assert [s for _r, s in httpserver.log if _r.path == "/wire.json"][-1].status_code == 304
        await pilot.press("q")


async def test_R_without_subscriptions_says_so(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("R")
        await settle(pilot, app)
        assert "No subscriptions" in messages(app)[-1]
        assert app.importer.log == []


async def test_the_import_log_lists_every_report(db: Path, make_app, tmp_path: Path,
                                                 httpserver: HTTPServer):
    feed = tmp_path / "wire.json"
    feed.write_bytes(wire_feed())
    httpserver.expect_request("/nope.json").respond_with_data(b"", status=404)
    app = make_app(db)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot, app)
        await pilot.press("I")
        assert isinstance(app.screen, ImportLogScreen)
        assert "No imports yet this session" in screen_text(app)
        await pilot.press("escape")
        await import_via_modal(pilot, app, str(feed))
        await import_via_modal(pilot, app, httpserver.url_for("/nope.json"))
        await pilot.press("I")
        text = screen_text(app)
        assert "new 2 · updated 0 · unchanged 0 · rejected 1 · conflicts 0" in text
        assert f"{HOSTILE_ID}: unreadable date in 'date_published': 'last Tuesday'" in text
        assert "HTTP 404" in text
        assert text.index("nope.json") < text.index("wire.json")   # newest first
        await pilot.press("escape")
        assert not isinstance(app.screen, ImportLogScreen)


async def test_the_import_log_is_in_the_palette_and_help(db: Path, make_app):
    app = make_app(db)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot, app)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Import a feed", "Pull all subscriptions", "Import log"} <= set(titles)
        await pilot.press("question_mark")
        text = screen_text(app)
        for binding_id in ("feeds.import", "feeds.pull_all", "feeds.log"):
            assert binding_id in text
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.press(*"import log")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ImportLogScreen)


async def test_import_keys_can_be_remapped(db: Path, make_app, tmp_path: Path):
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "keymap.toml").write_text('[keys]\n"feeds.log" = "L"\n', encoding="utf-8")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("L")
        assert isinstance(app.screen, ImportLogScreen)


async def test_hostile_feed_strings_are_shown_literally(db: Path, make_app, tmp_path: Path):
    feed = tmp_path / "hostile.json"
    feed.write_bytes(wire_feed(HOSTILE_TITLE))
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await import_via_modal(pilot, app, str(feed))
        note = messages(app)[-1]
        assert note == "[bold red]Wire[/bold re…: new 2 · rejected 1"
        assert "\x1b" not in note and "\x07" not in note
        await pilot.press("I")
        text = screen_text(app)
        assert "[bold red]Wire[/bold red] [@click=app.quit]x[/]" in text
        assert "[b]bad-date[/b]" in text and "\\x1b]0;pwned\\x07" in text
        assert "\x1b" not in text
        await pilot.press("escape")
        assert app.is_running                               # no [@click=app.quit] fired
        assert "[red]overnight[/red]" in "\n".join(
            c.get("text", "") for c in wire_claims(app))


async def test_the_ui_stays_responsive_with_a_progress_line(db: Path, make_app,
                                                            httpserver: HTTPServer):
    release = threading.Event()

    def slow(_request: Request) -> Response:
        release.wait(10)
        return Response(wire_feed(), content_type="application/feed+json")

    httpserver.expect_request("/slow.json").respond_with_handler(slow)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("i", *httpserver.url_for("/slow.json"), "enter")
        await pilot.pause(0.2)
        assert app.query("#import-progress")
        assert "importing" in screen_text(app)
        claims = app.query_one(ClaimsPane)
        row = claims.cursor
        started = time.monotonic()
        await pilot.press("j")                               # keys work while it downloads
        assert claims.cursor == row + 1 and time.monotonic() - started < 2
        await pilot.press("i")                               # one import at a time
        assert not isinstance(app.screen, ImportModal)
        assert "An import is running" in messages(app)[-1]
        release.set()
        await settle(pilot, app)
        assert not app.query("#import-progress")
        assert len(wire_claims(app)) == 2


async def test_a_failed_save_keeps_the_import_pending_and_retries(db: Path, make_app,
                                                                  tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch):
    from sitrep.errors import WriteError
    from sitrep.tui.widgets.banner import Banner

    feed = tmp_path / "wire.json"
    feed.write_bytes(wire_feed())
    app = make_app(db)
    real_append = app.store._journal.append

    def disk_full(*args: Any, **kwargs: Any) -> Any:
        raise WriteError(f"{db}.journal: cannot write: disk full")

    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        monkeypatch.setattr(app.store._journal, "append", disk_full)
        await import_via_modal(pilot, app, str(feed))
        assert app.saver.write_failed and app.store.pending > 0
        assert "Could not save" in app.query_one(Banner).message
        note = messages(app)[-1]
        assert "imported but not saved yet" in note and "disk full" in note
        assert len(wire_claims(app)) == 2                    # applied, kept, shown
        monkeypatch.setattr(app.store._journal, "append", real_append)
        for _ in range(40):                                  # the idle tick retries
            await pilot.pause(0.1)
            if not app.saver.write_failed:
                break
        await settle(pilot, app)
        assert not app.saver.write_failed and app.store.pending == 0
        await pilot.press("q")
    assert sum(c.get("feed") == WIRE_URL_ID for c in read_claims(db).values()) == 2


async def test_status_keys_save_while_a_pull_waits_on_a_slow_server(db: Path, make_app,
                                                                    httpserver: HTTPServer):
    release = threading.Event()

    def slow(_request: Request) -> Response:
        release.wait(10)
        return Response(wire_feed(), content_type="application/feed+json")

    httpserver.expect_request("/slow.json").respond_with_handler(slow)
    subscribe(db, httpserver.url_for("/slow.json"), "slow")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("R")
        await pilot.pause(0.3)
        assert app.importer.importing is not None
        await pilot.press("v")                               # the fetch holds no store lock
        for _ in range(50):
            await pilot.pause(0.05)
            if app.store.pending_journal:
                break
        assert app.store.pending_journal == 1 and app.importer.importing is not None
        release.set()
        await settle(pilot, app)
        assert app.importer.importing is None and len(wire_claims(app)) == 2
        await pilot.press("q")
    claims = read_claims(db)
    assert claims["c-cnn-new-front"]["status"] == "confirmed"
    assert sum(c.get("feed") == WIRE_URL_ID for c in claims.values()) == 2
