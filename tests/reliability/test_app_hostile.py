"""Hostile input, the dashboard itself: the real app (headless under Pilot) opens a DB whose
strings carry Rich markup (``[bold]``, ``[@click=app.quit]``), ANSI and OSC escapes (colour,
window title, hyperlink, clear screen), NUL and other control characters, a right-to-left
override, and a 300 KB string.

The app opens; every pane and the detail of each hostile record show the text literally (markup
as typed, escapes made visible as ``\\x1b``); nothing that would act on the terminal reaches the
rendered output (no ESC, C1, NUL or bidi override in the screen or the SVG screenshot, no
hyperlink or click action in any segment's style); and quitting without a change leaves the
file byte-identical (no journal, no backup, no rewrite).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import orjson

from sitrep.tui.widgets.detail_pane import DetailPane
from sitrep.tui.widgets.settlements_pane import SettlementsPane

from .app_driver import make_app, pane_lines, screen_text, wait_ready, wait_until
from .helpers import SAMPLE, dump

FIRST = "c-cnn-new-front"  # the first claim row, shown at start
BIG = "c-cnn-kharkiv-sweep"
MARKUP = "[bold red]BOOM[/] [@click=app.quit]quit[/]"
ESCAPES = ("\x1b[31mRED\x1b[0m \x1b]0;pwned\x07 \x1b]8;;http://x/\x1b\\link\x1b]8;;\x1b\\ "
           "\x1b[2J\x9b2J")
CONTROL = "nul\x00bell\x07bs\x08del\x7f"
RTL = "abc\u202edcba"
HOSTILE = f"{MARKUP} {ESCAPES} {CONTROL} {RTL}"
SOURCE_NAME = "[reverse]src[/reverse]\x1b[31m"
PLACE_NAME = "[@click=app.quit]Svatove[/]\x1b]0;t\x07"
PLACE_SHOWN = "[@click=app.quit]Svatove[/]\\x1b]0;t\\x07"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# What each hostile string must look like on screen.
SHOWN = ["[bold red]BOOM[/] [@click=app.quit]quit[/]", "\\x1b[31mRED\\x1b[0m",
         "\\x1b]0;pwned\\x07", "nul\\x00bell\\x07bs\\x08del\\x7f", "abc\\u202edcba"]


def _hostile_db(folder: Path) -> Path:
    doc = orjson.loads(SAMPLE.read_bytes())
    claims = {c["id"]: c for c in doc["claims"].values()}
    claims[FIRST]["text"] = HOSTILE
    claims[FIRST]["urls"] = [f"https://x.example/{HOSTILE}"]
    claims[FIRST]["evidence"] = [{"url": HOSTILE, "kind": "video", "note": HOSTILE}]
    claims[FIRST]["location"] = {"lat": HOSTILE, "lon": 38.4}
    claims[FIRST]["history"].append({"at": "2022-09-11T00:00:00Z", "by": ESCAPES,
                                     "field": "note", "from": None, "to": None,
                                     "note": HOSTILE})
    claims[BIG]["text"] = "BIGTEXT " + "x" * 300_000
    claims[BIG]["notes"] = "\u202e" * 1000 + "y" * 299_000
    source = next(s for s in doc["sources"].values() if s["id"] == claims[FIRST]["source"])
    source["name"] = SOURCE_NAME
    place = next(p for p in doc["settlements"].values() if p["id"] == "svatove")
    place["name"] = PLACE_NAME
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "db.json"
    db.write_bytes(dump(doc))
    return db


def _assert_inert(app, where: str) -> None:
    text = screen_text(app)
    bad = UNSAFE.search(text)
    assert bad is None, (where, repr(bad.group()) if bad else None)
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            style = segment.style
            if style is None:
                continue
            assert not style.link, (where, style.link)
            assert "@click" not in str(style.meta or {}), (where, style.meta)
    svg = app.export_screenshot()
    assert not UNSAFE.search(svg), (where, "screenshot")


async def test_hostile_strings_are_shown_literally(tmp_path: Path, figures) -> None:
    db = _hostile_db(tmp_path)
    original = db.read_bytes()
    app = make_app(db, "app")
    checks = 0
    async with app.run_test(size=(80, 24)) as pilot:
        started = time.monotonic()
        await wait_ready(pilot, app)
        opened = time.monotonic() - started
        text = screen_text(app)
        assert "[bold red]BOOM[/] [@click=app.quit]" in text  # claims row and detail
        _assert_inert(app, "first screen")
        checks += 1

        app.query_one(DetailPane).focus()  # every line of the hostile claim's detail
        await pilot.pause()
        detail = "\n".join(pane_lines(app.query_one(DetailPane)))
        for shown in [*SHOWN, "[reverse]src[/reverse]\\x1b[31m"]:
            assert shown in detail, shown
        for label in ("URL: https://x.example/[bold red]BOOM[/]", "Evidence: video [bold red]",
                      "Location: [bold red]BOOM[/]"):  # the claim's links, literally
            assert label in detail, label
        assert not UNSAFE.search(detail)
        await pilot.press("G")  # scroll to the history with the hostile note
        _assert_inert(app, "detail, end")
        checks += 1

        places = app.query_one(SettlementsPane)
        places.focus()
        await pilot.pause()
        # the name column at 80 columns cuts the name after its markup; what shows is literal
        shown = "\n".join(pane_lines(places))
        assert "[@click=app.quit]Svatove[/]" in shown and not UNSAFE.search(shown)
        assert app.model is not None
        places.move_to(app.model.place_rows.index("svatove"), force_message=True)
        await pilot.pause()  # the detail pane shows the settlement, its whole name
        assert PLACE_SHOWN in "\n".join(pane_lines(app.query_one(DetailPane)))
        _assert_inert(app, "settlements")
        checks += 1

        started = time.monotonic()
        app.jump_to_claim(BIG)  # a 300 KB text and a 300 KB note in the detail pane
        assert await wait_until(pilot, lambda: "BIGTEXT xxxx" in screen_text(app), 10.0)
        big_shown = time.monotonic() - started
        app.query_one(DetailPane).focus()
        await pilot.press("G")
        _assert_inert(app, "300 KB detail")
        checks += 1
        await pilot.click(offset=(3, 3))  # a click where markup would have put an action
        assert app.is_running
        await pilot.press("q")
    assert db.read_bytes() == original
    assert not db.with_name(db.name + ".journal").exists()
    assert not db.with_name(db.name + ".bak.1").exists()
    figures.add("hostile input (app under Pilot)", screens_checked=checks, raw_escapes_shown=0,
                file_changed=0, open_ms=int(opened * 1000), big_detail_ms=int(big_shown * 1000))
