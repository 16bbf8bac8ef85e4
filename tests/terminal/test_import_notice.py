"""Issue 13: the notification of an import is a line or two, whatever the import brought."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import Start
from .harness import toast_text


def test_an_import_with_many_rejections_is_a_short_toast(start: Start, db: Path,
                                                         tmp_path: Path) -> None:
    items = [{"id": f"good-{n}", "content_text": f"Report {n} from Svatove.",
              "date_published": "2022-09-10T10:00:00Z"} for n in range(30)]
    items += [{"id": f"bad-{n}", "content_text": "No date.", "date_published": "last Tuesday"}
              for n in range(30)]
    feed = tmp_path / "wire.json"
    feed.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1",
                                "title": "Regional wire", "items": items}))
    term = start("--db", db, columns=80, lines=24)
    term.wait_for("▶ Claims by source")
    term.press("i")
    term.wait_for("Import")
    term.write(str(feed))
    term.press("enter")
    term.wait_for(lambda rows: "new 30" in toast_text(rows), what="the import's toast")
    lines = term.settle(quiet=0.3)
    assert toast_text(lines) == ("Import · I: import log Regional wire: new 30 · rejected 30")
    toast_rows = [row for row in lines if "▌" in row]
    assert len(toast_rows) <= 5, lines  # title, one line, padding: the panes stay in view
    assert any("Claims by source" in row for row in lines)
