"""Issue 13: the notification of an import is a line or two, whatever the import brought."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import Start
from .harness import Terminal, toast_text


def wire_feed(folder: Path, items: list[dict]) -> Path:
    """A JSON Feed file titled "Regional wire" holding ``items``."""
    feed = folder / "wire.json"
    feed.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1",
                                "title": "Regional wire", "items": items}))
    return feed


def import_through_the_prompt(term: Terminal, feed: Path, result: str) -> None:
    """``i``, the feed's path, enter; wait for the toast saying ``result`` (``new 2``)."""
    term.wait_for("▶ Claims by source")
    term.press("i")
    term.wait_for("Import")
    term.write(str(feed))
    term.press("enter")
    term.wait_for(lambda rows: result in toast_text(rows), what="the import's toast")


def test_an_import_with_many_rejections_is_a_short_toast(start: Start, db: Path,
                                                         tmp_path: Path) -> None:
    items = [{"id": f"good-{n}", "content_text": f"Report {n} from Svatove.",
              "date_published": "2022-09-10T10:00:00Z"} for n in range(30)]
    items += [{"id": f"bad-{n}", "content_text": "No date.", "date_published": "last Tuesday"}
              for n in range(30)]
    term = start("--db", db, columns=80, lines=24)
    import_through_the_prompt(term, wire_feed(tmp_path, items), "new 30")
    lines = term.settle(quiet=0.3)
    assert toast_text(lines) == ("Import · I: import log Regional wire: new 30 · rejected 30")
    toast_rows = [row for row in lines if "▌" in row]
    assert len(toast_rows) <= 5, lines  # title, one line, padding: the panes stay in view
    assert any("Claims by source" in row for row in lines)


def test_i_with_a_path_imports_into_the_panes_and_the_file(start: Start, db: Path,
                                                           tmp_path: Path) -> None:
    """Defect 9's test, on the real binary: the import reaches the panes at once and the
    main file by the time the app has quit, whatever the machine's load (no idle-fold race:
    the quit folds the journal)."""
    items = [{"id": "wire-1", "content_text": "Long queues of vehicles at Svatove checkpoints.",
              "date_published": "2022-09-10T10:00:00Z",
              "authors": [{"name": "Wire desk"}]},
             {"id": "wire-2", "content_text": "Shelling reported near Kreminna overnight.",
              "date_published": "2022-09-10T11:00:00Z",
              "authors": [{"name": "Wire desk"}]}]
    term = start("--db", db, columns=120, lines=40)
    import_through_the_prompt(term, wire_feed(tmp_path, items), "new 2")
    term.write("G")  # the last row: the new source's group is at the end
    term.wait_for("Long queues of vehicles")
    term.write("q")
    assert term.wait_exit() == 0
    texts = [c["text"] for c in json.loads(db.read_text())["claims"].values()]
    assert sum("Long queues of vehicles" in t or "Shelling reported" in t for t in texts) == 2
    assert not db.with_name(db.name + ".journal").exists()
