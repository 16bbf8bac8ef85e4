"""Drive the real dashboard (``SitrepApp``, headless under Pilot) the way an analyst does.

Shared by the app fault tests and by ``app_writer.py`` (the child process the crash test kills),
so it imports nothing from the test package. Every change is made with the dashboard's keys
(status ``v c d x U``, ``g`` + digit, ``n`` + pasted text + enter) on a claim reached with
``j``/``k`` or ``jump_to_claim``. Each change gets a unique tag as the analyst's name (``by`` in
history) and, for notes, as the note text, so it can be found exactly once in the file.

A change counts as *durable* when the app says so: ``SitrepApp.saver.changes_durable()`` (in
``sitrep/tui/saver.py``) is true once every submitted job went through the store and nothing
is pending, i.e. the change is an fsync'd journal line or in the main file.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

from textual import events
from textual.widgets import Input

from sitrep.models import STATUSES
from sitrep.store import Store
from sitrep.tui.app import SitrepApp

TAG = re.compile(r"^[a-z]+\d*-\d+$")
STATUS_KEYS = {"confirmed": "v", "corroborated": "c", "disputed": "d", "false": "x",
               "unverified": "U"}
assert set(STATUS_KEYS) == set(STATUSES)


def make_app(db: Path, name: str = "app", poll_interval: float = 0.2) -> SitrepApp:
    """The dashboard on ``db`` (journal mode, as ``sitrep`` opens it), no user keymap."""
    store = Store.open(db, journal=True)
    return SitrepApp(store, analyst=name, config=db.parent / "no-config",
                     poll_interval=poll_interval)


async def wait_until(pilot: Any, predicate: Any, seconds: float = 5.0,
                     step: float = 0.01) -> bool:
    """Let the app run until ``predicate()`` holds; False after ``seconds``."""
    for _ in range(int(seconds / step)):
        if predicate():
            return True
        await pilot.pause(step)
    return bool(predicate())


async def wait_ready(pilot: Any, app: SitrepApp) -> None:
    """Until the first model is on screen."""
    assert await wait_until(pilot, lambda: app.model is not None, 10.0), "app never loaded"
    await pilot.pause()


def current_claim(app: SitrepApp) -> str | None:
    """Id of the claim the status keys act on, or None (a group row, nothing loaded)."""
    p = app.current_position()
    if p is None or app.model is None:
        return None
    return str(app.model.claims[p].get("id"))


def entries_by(store_or_doc: Store | dict[str, Any], tag: str) -> int:
    """History entries made under ``tag`` (in the store's memory or a document)."""
    doc = store_or_doc.document if isinstance(store_or_doc, Store) else store_or_doc
    return tag_counts(doc)[tag]


def tag_counts(doc: dict[str, Any]) -> Counter[str]:
    """How many history entries carry each suite tag (as ``note``, else as ``by``)."""
    found: Counter[str] = Counter()
    for table in ("claims", "sources", "settlements"):
        records = doc.get(table)
        if not isinstance(records, dict):
            continue
        for record in records.values():
            if not isinstance(record, dict) or not isinstance(record.get("history"), list):
                continue
            for entry in record["history"]:
                if not isinstance(entry, dict):
                    continue
                for value in (entry.get("note"), entry.get("by")):
                    if isinstance(value, str) and TAG.match(value):
                        found[value] += 1
                        break
    return found


async def move_to_some_claim(pilot: Any, app: SitrepApp, rng: random.Random) -> str:
    """Move the claims cursor a few rows with j/k, landing on a claim (not a group row)."""
    for key in rng.choices(("j", "k"), k=rng.choice((0, 0, 1, 2))):
        await pilot.press(key)
    for _ in range(40):
        claim = current_claim(app)
        if claim is not None:
            return claim
        await pilot.press(rng.choice(("j", "k")))
    raise AssertionError("no claim reachable with j/k")


async def make_change(pilot: Any, app: SitrepApp, rng: random.Random, tag: str,
                      claim: str | None = None, timeout: float = 20.0,
                      others_write: bool = False) -> tuple[str, str, bool]:
    """Press the keys of one random change (status, grade or note) on ``claim`` (or one
    reached with j/k) under the analyst name ``tag``; wait until the app says it is durable.

    Returns (kind, claim id, effective): effective is False when there was nothing to change,
    so there is no history entry. That happens only with ``others_write`` (another writer set
    the same value first: the store found nothing to do, or a reload showed the value before
    the key's action ran and the app submitted nothing).
    """
    if claim is None:
        claim = await move_to_some_claim(pilot, app, rng)
    else:
        app.jump_to_claim(claim)
        await pilot.pause()
        assert current_claim(app) == claim, (claim, current_claim(app))
    assert app.model is not None
    record = app.model.claims[app.model.pos[claim]]
    app.analyst = tag
    before = app.saver.jobs_submitted
    kind = rng.choice(("status", "grade", "note"))
    if kind == "status":
        shown = app.model.statuses[app.model.pos[claim]]
        status = rng.choice([s for s in STATUSES if s != shown])
        await pilot.press(STATUS_KEYS[status])
    elif kind == "grade":
        digit = rng.choice([d for d in range(1, 7) if d != record.get("credibility")])
        await pilot.press("g", str(digit))
    else:
        await pilot.press("n")
        box = app.screen.query_one(Input)
        box.post_message(events.Paste(tag))  # a bracketed paste: quicker than a key per char
        await pilot.pause()
        assert box.value == tag, box.value
        await pilot.press("enter")
    wait = 2.0 if others_write else timeout
    submitted = await wait_until(pilot, lambda: app.saver.jobs_submitted > before, wait)
    if not submitted and others_write:
        await pilot.press("escape")  # in case a modal is still open
        return kind, claim, False
    assert submitted, f"{tag}: the {kind} key submitted no change"
    durable = await wait_until(pilot, app.saver.changes_durable, timeout)
    assert durable, f"{tag}: not durable after {timeout}s (pending {app.store.pending})"
    return kind, claim, entries_by(app.store, tag) == 1


def screen_text(app: SitrepApp) -> str:
    """The current screen, one line per terminal row, without styles (what a person sees)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip).rstrip() for strip in strips)


def pane_lines(pane: Any, width: int = 80) -> list[str]:
    """Every row a list pane would draw (scrolled into view or not), as plain text."""
    return [pane.render_row(row, width).plain for row in range(pane.row_count())]
