"""Two versions of the file meet inside one machine: an editor's stale save, a journal replayed
over a later hand edit (issue 11, "Where it is used" 1 and 2). Real files, the real ``sitrep``
executable for the CLI, a journal-mode Store for the dashboard (as the dashboard opens it)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from sitrep.cli.context import Context
from sitrep.models import open_conflicts
from sitrep.store import Store

REPO = Path(__file__).resolve().parents[2]
SITREP = str(Path(sys.executable).with_name("sitrep"))
SAMPLE = REPO / "sample_data" / "sitrep.json"
A, B, C = "c-cnn-new-front", "c-hayday-lysychansk-target", "c-cnn-border-vehicle-lines"


def env() -> dict[str, str]:
    out = dict(os.environ)
    out.pop("SITREP_DB", None)
    out["SITREP_ANALYST"] = "cli-analyst"
    return out


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SITREP, "--db", str(db), *args], capture_output=True, text=True,
                          env=env(), timeout=60)


def claims(path: Path) -> dict[str, dict[str, Any]]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {c["id"]: c for c in doc["claims"].values()}


def edited(payload: bytes, cid: str, **fields: Any) -> bytes:
    """``payload`` (a whole file) with fields of one claim changed by hand, laid out as
    sitrep does (an editor keeps the layout)."""
    doc = json.loads(payload)
    for record in doc["claims"].values():
        if record["id"] == cid:
            record.update(fields)
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode()


def save_by_rename(path: Path, payload: bytes) -> None:
    """vim's default save: write a new file, rename it over the old one."""
    tmp = path.with_name(path.name + ".swp-new")
    tmp.write_bytes(payload)
    os.replace(tmp, path)


def save_in_place(path: Path, payload: bytes) -> None:
    """vim with backupcopy=yes: truncate and rewrite the same inode."""
    ino = path.stat().st_ino
    with open(path, "r+b") as handle:
        handle.truncate(0)
        handle.write(payload)
    assert path.stat().st_ino == ino


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "db.json"
    path.write_bytes(SAMPLE.read_bytes())
    return path


@pytest.mark.parametrize("save", [save_by_rename, save_in_place])
def test_stale_editor_save_is_merged_back(db: Path, save: Any) -> None:
    """vim reads the file; the dashboard confirms A (and folds), the CLI grades B; vim saves
    what it read with a hand edit of C's text. Nothing is lost: the dashboard merges A and B
    back, keeps the hand edit, writes the file and says so; the editor's save is backup 1."""
    editor_read = db.read_bytes()
    dashboard = Store.open(db, journal=True)
    dashboard.set_status(A, "confirmed", by="dash")
    dashboard.fold()
    result = cli(db, "grade", B, "1")
    assert result.returncode == 0, result.stderr
    assert dashboard.reload()
    assert dashboard.take_stale_saves() == []  # a sitrep write is no stale save
    stale = edited(editor_read, C, text="edited in vim")
    save(db, stale)
    assert dashboard.reload()
    [notice] = dashboard.take_stale_saves()
    assert notice.changes == 2 and notice.conflicts == 0
    assert str(notice) == "your editor saved over 2 changes; merged back — see history"
    on_disk = claims(db)
    assert on_disk[A]["status"] == "confirmed"
    assert on_disk[B]["credibility"] == 1
    assert on_disk[C]["text"] == "edited in vim"
    assert db.with_name("db.json.bak.1").read_bytes() == stale  # the save, as it was
    assert cli(db, "validate").returncode == 0
    # the next look finds nothing more to merge, and the CLI sees it all
    assert not dashboard.reload() and dashboard.take_stale_saves() == []
    shown = cli(db, "show", B).stdout
    assert "credibility 3 → 1" in shown


def test_stale_save_after_a_cli_write_on_top_is_still_merged(db: Path) -> None:
    """The CLI writes on top of the stale save before the dashboard looks: the dashboard
    still finds its change and the CLI's earlier one missing, and merges both back."""
    editor_read = db.read_bytes()
    dashboard = Store.open(db, journal=True)
    dashboard.set_status(A, "confirmed", by="dash")
    dashboard.fold()
    assert cli(db, "grade", B, "1").returncode == 0
    dashboard.reload()
    save_by_rename(db, editor_read)
    assert cli(db, "set-status", C, "disputed").returncode == 0
    dashboard.reload()
    [notice] = dashboard.take_stale_saves()
    assert notice.changes == 2
    on_disk = claims(db)
    assert (on_disk[A]["status"], on_disk[B]["credibility"], on_disk[C]["status"]) == (
        "confirmed", 1, "disputed")


def test_hand_edit_of_a_field_sitrep_changed_is_a_conflict(db: Path) -> None:
    """The stale save also set A's status by hand: both changed it, the later (the save)
    wins, and a conflict entry keeps the dashboard's value; nothing silently overridden."""
    editor_read = db.read_bytes()
    dashboard = Store.open(db, journal=True)
    dashboard.set_status(A, "confirmed", by="dash")
    dashboard.fold()
    save_by_rename(db, edited(editor_read, A, status="false"))
    dashboard.reload()
    [notice] = dashboard.take_stale_saves()
    assert notice.conflicts == 1
    record = claims(db)[A]
    assert record["status"] == "false"
    [conflict] = open_conflicts(record)
    assert conflict["conflict"] == "status"
    assert conflict["from"]["value"] == "confirmed" and conflict["from"]["by"] == "dash"
    assert conflict["to"]["value"] == "false"


def test_hand_edits_on_top_are_not_stale(db: Path) -> None:
    """An edit made on the current file (vim re-read it) is an ordinary hand edit: no merge,
    no notice, the file left as the person saved it."""
    dashboard = Store.open(db, journal=True)
    dashboard.set_status(A, "confirmed", by="dash")
    dashboard.fold()
    fresh = edited(db.read_bytes(), C, text="edited on top")
    save_by_rename(db, fresh)
    assert dashboard.reload()
    assert dashboard.take_stale_saves() == []
    assert db.read_bytes() == fresh


def test_the_cli_says_so_on_stderr(db: Path) -> None:
    """A CLI command whose store finds the file replaced by a stale save between its read
    and its write merges back and has one line for stderr."""
    editor_read = db.read_bytes()
    ctx = Context(db, analyst="cli")
    store = ctx.write_store()
    store.set_status(A, "confirmed", by="cli")
    save_by_rename(db, editor_read)
    store.set_credibility(B, 1, by="cli")
    [line] = ctx.notices()
    assert line == f"{db}: your editor saved over 1 change; merged back — see history"
    on_disk = claims(db)
    assert on_disk[A]["status"] == "confirmed" and on_disk[B]["credibility"] == 1


def test_record_created_since_the_editor_read_is_put_back(db: Path) -> None:
    """A claim added by sitrep after the editor read the file is not in the save: it is put
    back (the editor never saw it, so cannot have deleted it)."""
    editor_read = db.read_bytes()
    dashboard = Store.open(db, journal=True)
    dashboard.set_status(A, "confirmed", by="dash")
    new = dict(dashboard.claim(A) or {})
    new.update(id="c-new", text="added by sitrep", history=[])
    dashboard.put("claims", new, by="dash")
    dashboard.fold()
    save_by_rename(db, editor_read)
    dashboard.reload()
    [notice] = dashboard.take_stale_saves()
    on_disk = claims(db)
    assert "c-new" in on_disk and on_disk[A]["status"] == "confirmed"
    assert notice.changes == 2


KILLED_DASHBOARD = textwrap.dedent("""
    import os, signal, sys
    from sitrep.store import Store
    store = Store.open(sys.argv[1], journal=True)
    store.set_status(sys.argv[2], "confirmed", by="dash")
    os.kill(os.getpid(), signal.SIGKILL)  # before any fold: the change is only in the journal
""")


def test_journal_of_a_killed_dashboard_then_a_hand_edit(db: Path) -> None:
    """The dashboard confirms A and is killed; the analyst sets A to false by hand; the next
    CLI command replays the journal: false stays (the later change), a conflict entry keeps
    the dashboard's confirmed, and no history says `status: false -> confirmed`."""
    proc = subprocess.run([sys.executable, "-c", KILLED_DASHBOARD, str(db), A], env=env(),
                          timeout=60)
    assert proc.returncode == -signal.SIGKILL
    journal = db.with_name("db.json.journal")
    line = json.loads(journal.read_text().splitlines()[1])
    assert line["from"] == {"status": "unverified"}  # the line says what it replaced
    save_by_rename(db, edited(db.read_bytes(), A, status="false"))
    result = cli(db, "note", B, "checked")
    assert result.returncode == 0, result.stderr
    assert not journal.exists()  # folded by the CLI's write
    record = claims(db)[A]
    assert record["status"] == "false"
    changes = [(h.get("from"), h.get("to")) for h in record["history"]
               if h.get("field") == "status"]
    assert ("false", "confirmed") not in changes and changes == []
    [conflict] = [h for h in record["history"] if h.get("field") == "conflict"]
    assert conflict["from"]["value"] == "confirmed" and conflict["from"]["by"] == "dash"
    assert conflict["to"]["value"] == "false"
    listed = cli(db, "show", A).stdout
    assert "conflict on status: kept false" in listed and "not kept confirmed (dash" in listed


def test_journal_line_later_than_a_recorded_change_wins(db: Path) -> None:
    """A journal line made after the file's own recorded change (a CLI change the dashboard
    had not seen yet) is applied, with the other change in a conflict entry."""
    journal = db.with_name("db.json.journal")
    journal.write_text(
        json.dumps({"sitrep_journal": 1, "id": "j1"}) + "\n" + json.dumps({
            "seq": 1, "op": "set", "table": "claims", "id": A, "at": "2099-01-01T00:00:00Z",
            "by": "dash", "fields": {"status": "confirmed"}, "from": {"status": "unverified"},
        }) + "\n")
    assert cli(db, "--db", str(db), "set-status", B, "disputed").returncode == 0  # folds it
    # the journal was folded before the CLI's change, so replay it over a changed file
    journal.write_text(
        json.dumps({"sitrep_journal": 1, "id": "j2"}) + "\n" + json.dumps({
            "seq": 1, "op": "set", "table": "claims", "id": B, "at": "2099-01-01T00:00:00Z",
            "by": "dash", "fields": {"status": "corroborated"},
            "from": {"status": "unverified"},
        }) + "\n")
    store = Store.open(db)
    record = store.claim(B) or {}
    assert record["status"] == "corroborated"
    [conflict] = open_conflicts(record)
    assert conflict["from"]["value"] == "disputed" and conflict["to"]["by"] == "dash"


def test_old_journal_lines_without_from_still_replay(db: Path) -> None:
    """Journals written before lines carried `from` are applied as they always were."""
    db.with_name("db.json.journal").write_text(
        json.dumps({"sitrep_journal": 1, "id": "old"}) + "\n" + json.dumps({
            "seq": 1, "op": "set", "table": "claims", "id": A, "at": "2026-01-01T00:00:00Z",
            "by": "dash", "fields": {"status": "confirmed"}}) + "\n")
    store = Store.open(db)
    assert (store.claim(A) or {})["status"] == "confirmed"
    assert open_conflicts(store.claim(A) or {}) == []
