"""The dashboard's half of conflicts (issue 11: the count in the header, the entries in the
detail's history, ``C`` to resolve one, ``u`` to undo it) and of the report (issue 14: ``r``
writes the report of the view to a named file, never over one without asking)."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path
from typing import Any

import pytest

from sitrep.cli import main
from sitrep.models import open_conflicts
from sitrep.store import Store
from sitrep.tui.app import SitrepApp
from sitrep.tui.screens.resolve_modal import (
    Choice,
    ConflictPickModal,
    PickModal,
    ResolveModal,
)
from sitrep.tui.screens.yes_no_modal import FileNameModal, YesNoModal
from sitrep.user_files import write_new_file

from .conftest import SAMPLE, read_claims, ready, workers_done
from .screen_text import screen_text

FRONT = "c-cnn-new-front"  # the first claim under the cursor at start


def cli(*argv: str) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(list(argv))


@pytest.fixture
def merged(tmp_path: Path) -> Path:
    """The sample after two analysts changed one claim apart and ``sitrep merge`` met their
    copies: alice set it false and credibility 5, bob confirmed it with credibility 2 (bob's
    later changes kept); two open conflicts on the claim."""
    base, ours, theirs = (tmp_path / n for n in ("base.json", "alice.json", "bob.json"))
    for path in (base, ours, theirs):
        shutil.copyfile(SAMPLE, path)
    for path, by, status, cred in ((ours, "alice", "false", "5"),
                                   (theirs, "bob", "confirmed", "2")):
        assert cli("--db", str(path), "--by", by, "set-status", FRONT, status) == 0
        assert cli("--db", str(path), "--by", by, "grade", FRONT, cred) == 0
    out = tmp_path / "merged.json"
    assert cli("merge", str(base), str(ours), str(theirs), "-o", str(out)) == 1
    return out


async def settle(pilot: Any, app: SitrepApp) -> None:
    await pilot.pause()
    await workers_done(app)
    await pilot.pause()


def header(app: SitrepApp) -> str:
    return screen_text(app).splitlines()[0]


def said(app: SitrepApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_the_header_counts_open_conflicts_only_when_there_are_some(
    merged: Path, db: Path, make_app: Any
) -> None:
    app = make_app(merged)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        assert "· 2 conflicts" in header(app)
    plain = make_app(db)
    async with plain.run_test(size=(80, 24)) as pilot:
        await ready(pilot, plain)
        assert "conflict" not in header(plain)


async def test_the_detail_history_shows_both_values_and_marks_the_open_ones(
    merged: Path, make_app: Any
) -> None:
    app = make_app(merged)
    async with app.run_test(size=(100, 60)) as pilot:
        await ready(pilot, app)
        await pilot.press("tab", "z")  # the detail pane, maximised
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "conflict on status: kept confirmed (bob," in text
        assert "not kept false (alice," in text
        assert "conflict on credibility: kept 2 (bob," in text
        assert "not kept 5 (alice," in text
        assert text.count("! open: C resolves") == 2


async def test_c_resolves_a_conflict_with_a_value_picked_in_the_modal_and_u_reopens_it(
    merged: Path, make_app: Any
) -> None:
    app = make_app(merged, analyst="carol")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("C", "1")  # the first of the claim's two conflicts
        modal = app.screen
        assert isinstance(modal, ResolveModal)
        field = modal.title_text.split("conflict on ")[1].split()[0]
        bob, alice = {"status": ("confirmed", "false"), "credibility": (2, 5)}[field]
        shown = screen_text(app)
        assert f"1  {bob} — kept now (bob" in shown and f"2  {alice} — not kept (alice" in shown
        await pilot.press("down", "enter")  # alice's value
        await settle(pilot, app)
        claim = app.store.claim(FRONT)
        assert claim is not None and claim[field] == alice
        entry = claim["history"][-1]
        assert (entry["field"], entry["by"], entry["to"], entry.get("resolves")) == (
            field, "carol", alice, "conflict")
        assert [e["conflict"] for e in open_conflicts(claim)] != [field]
        assert len(open_conflicts(claim)) == 1
        assert "· 1 conflict" in header(app) and "conflicts" not in header(app)
        await pilot.press("u")
        await settle(pilot, app)
        claim = app.store.claim(FRONT)
        assert claim is not None and claim[field] == bob
        assert sorted(e["conflict"] for e in open_conflicts(claim)) == ["credibility", "status"]
        reopened = [e for e in claim["history"] if (e.get("note") or "").startswith("reopened")]
        assert [(e["field"], e["conflict"], e["by"]) for e in reopened] == [
            ("conflict", field, "carol")]
        assert "· 2 conflicts" in header(app)
        await pilot.press("q")
    on_disk = read_claims(merged)[FRONT]
    assert on_disk[field] == bob and len(open_conflicts(on_disk)) == 2


async def test_c_lists_the_open_conflicts_and_resolves_the_second_one_picked(
    merged: Path, make_app: Any
) -> None:
    """Two conflicts on the claim: ``C`` lists both (field, both values, who), ``2`` takes the
    second to its values, ``2`` keeps alice's; the first stays open, and the detail and the
    header say so."""
    app = make_app(merged, analyst="carol")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        claim = app.store.claim(FRONT)
        assert claim is not None
        first, second = (e["conflict"] for e in open_conflicts(claim))
        await pilot.press("C")
        await pilot.pause()
        listing = app.screen
        assert isinstance(listing, ConflictPickModal)
        assert [c.value for c in listing.choices] == [first, second]
        shown = screen_text(app)
        assert "has 2 open conflicts: resolve which?" in shown
        assert f"1  {first}" in shown and f"2  {second}" in shown
        for value, who in (("confirmed", "kept now (bob"), ("false", "not kept (alice"),
                           ("2", "kept now (bob"), ("5", "not kept (alice")):
            assert f"{value} — {who}, " in shown
        assert max(len(line) for line in shown.splitlines()) <= 80
        await pilot.press("2")
        await pilot.pause()
        values = app.screen
        assert isinstance(values, ResolveModal)
        assert f"conflict on {second} of {FRONT}" in values.title_text
        alice = {"status": "false", "credibility": 5}[second]
        await pilot.press("2")  # alice's value (bob's is kept now)
        await settle(pilot, app)
        claim = app.store.claim(FRONT)
        assert claim is not None and claim[second] == alice
        assert [e["conflict"] for e in open_conflicts(claim)] == [first]
        assert (claim["history"][-1]["field"], claim["history"][-1]["by"]) == (second, "carol")
        assert "· 1 conflict" in header(app) and "conflicts" not in header(app)
        await pilot.resize_terminal(100, 60)
        await pilot.press("tab", "z")  # the detail, maximised: one conflict still open
        await pilot.pause()
        detail = " ".join(screen_text(app).split())
        assert detail.count("! open: C resolves") == 1
        assert "(resolves the conflict)" in detail
        await pilot.press("z", "u")  # undone: both open again
        await settle(pilot, app)
        claim = app.store.claim(FRONT)
        assert claim is not None
        assert sorted(e["conflict"] for e in open_conflicts(claim)) == sorted([first, second])
        assert "· 2 conflicts" in header(app)
        await pilot.press("q")
    assert len(open_conflicts(read_claims(merged)[FRONT])) == 2


async def test_a_long_list_of_conflicts_scrolls_to_the_cursor_within_80x24(
    db: Path, make_app: Any
) -> None:
    """Twelve conflicts, three lines each, are more than the modal shows at 80x24: the list
    scrolls as the cursor moves, and enter on the last picks the last."""
    app = make_app(db)
    many = [Choice(f"field{n}", f"field{n}", (f"a{n} — kept now", f"b{n} — not kept"))
            for n in range(1, 13)]
    picked: list[Choice | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        app.push_screen(ConflictPickModal("many open conflicts", many), picked.append)
        await pilot.pause()
        shown = screen_text(app)
        assert "1  field1" in shown and "12  field12" not in shown
        await pilot.press(*["down"] * 11)
        await pilot.pause()
        shown = screen_text(app)
        assert "› 12  field12" in shown and "b12 — not kept" in shown
        assert "many open conflicts" in shown and "esc: cancel" in shown
        await pilot.press("enter")
        await pilot.pause()
    assert picked == [many[-1]]


async def test_esc_in_the_resolve_modal_changes_nothing_and_c_without_a_conflict_says_so(
    merged: Path, db: Path, make_app: Any
) -> None:
    before = merged.read_bytes()
    app = make_app(merged)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("C", "escape")  # at the list of conflicts
        await settle(pilot, app)
        assert not isinstance(app.screen, PickModal)
        await pilot.press("C", "down", "enter", "escape")  # at the values of the second
        await settle(pilot, app)
        assert not isinstance(app.screen, PickModal)
        assert app.store.pending_journal == 0 and app.session.undo_stack == []
        assert "· 2 conflicts" in header(app)
        await pilot.press("j", "C")  # the next claim has none
        await settle(pilot, app)
        assert any(m.startswith("No open conflict on c-cnn-lysychansk-lost-june (conflict:yes")
                   for m in said(app))
    assert merged.read_bytes() == before


async def test_the_value_typed_for_resolve_is_the_one_rule_of_sitrep_resolve(
    merged: Path, make_app: Any
) -> None:
    """Both conflicts resolved in the dashboard leave what ``sitrep resolve`` would: no open
    conflict, conflict:yes lists nothing."""
    app = make_app(merged)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("C", "1", "1")  # the first conflict, its first value
        await settle(pilot, app)
        await pilot.press("C")  # one left: straight to its values
        await pilot.pause()
        assert isinstance(app.screen, ResolveModal)
        await pilot.press("1")
        await settle(pilot, app)
        assert "conflict" not in header(app)
        await pilot.press("q")
    store = Store.open(merged)
    assert [c["id"] for c in store.claims() if open_conflicts(c)] == []


async def report_of_view(pilot: Any, app: SitrepApp, name: str | None) -> None:
    """``r``, then a name typed over the default (None: the default), enter."""
    await pilot.press("r")
    await pilot.pause()
    assert isinstance(app.screen, FileNameModal)
    if name is not None:
        await pilot.press(*name)
    await pilot.press("enter")
    await settle(pilot, app)


async def test_r_writes_the_report_of_the_filtered_view(
    db: Path, make_app: Any, tmp_path: Path
) -> None:
    app = make_app(db)
    app.report_export.folder = tmp_path / "out"
    app.report_export.folder.mkdir()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await pilot.press("slash", *"source:hayday", "enter")
        await settle(pilot, app)
        await report_of_view(pilot, app, "hayday.md")
        assert isinstance(app.screen, YesNoModal)
        assert "Open it in" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, YesNoModal)
    text = (tmp_path / "out" / "hayday.md").read_text(encoding="utf-8")
    title, _, body = text.partition("\n")
    assert title.startswith("# SITREP · filter source:hayday · as of latest data")
    assert body.lstrip().startswith("7 settlements, 2 sources, 8 claims")
    # what sitrep report writes for the same filter (but for when it was generated)
    cli_out = tmp_path / "cli.md"
    assert cli("--db", str(db), "report", "--filter", "source:hayday", "--format", "markdown",
               "-o", str(cli_out)) == 0
    assert cli_out.read_text(encoding="utf-8").partition("\n")[2] == body


async def test_r_offers_the_dated_default_and_writes_text(
    db: Path, make_app: Any, tmp_path: Path
) -> None:
    app = make_app(db)
    app.report_export.folder = tmp_path
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await report_of_view(pilot, app, None)
        await pilot.press("escape")
    text = (tmp_path / "sitrep-report-2026-11-24.txt").read_text(encoding="utf-8")
    assert text.startswith("SITREP") and "SITUATION BY SETTLEMENT" in text
    assert max(len(line) for line in text.splitlines()) <= 80


async def test_r_never_replaces_a_file_without_a_y(
    db: Path, make_app: Any, tmp_path: Path
) -> None:
    target = tmp_path / "kept.txt"
    target.write_text("an analyst's notes\n", encoding="utf-8")
    app = make_app(db)
    app.report_export.folder = tmp_path
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await report_of_view(pilot, app, "kept.txt")
        assert isinstance(app.screen, YesNoModal) and "exists: replace it?" in app.screen.question
        await pilot.press("n")
        await settle(pilot, app)
        assert target.read_text(encoding="utf-8") == "an analyst's notes\n"
        assert "kept.txt kept as it was: nothing written." in said(app)
        await report_of_view(pilot, app, "kept.txt")
        await pilot.press("y")
        await settle(pilot, app)
        assert target.read_text(encoding="utf-8").startswith("SITREP")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".kept.txt.")]


def test_a_file_made_meanwhile_is_not_clobbered(tmp_path: Path) -> None:
    """Between the question and the write another program made the file: it stays."""
    target = tmp_path / "report.txt"
    target.write_bytes(b"theirs")
    with pytest.raises(FileExistsError):
        write_new_file(target, b"ours", replace=False)
    assert target.read_bytes() == b"theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]  # no temporary file left
    write_new_file(tmp_path / "new.txt", b"ours", replace=False)
    assert (tmp_path / "new.txt").read_bytes() == b"ours"


async def test_the_new_keys_are_in_help_and_the_palette(db: Path, make_app: Any) -> None:
    from sitrep.tui.commands import palette_commands

    app = make_app(db)
    async with app.run_test(size=(100, 60)) as pilot:
        await ready(pilot, app)
        titles = {c.title: c.help for c in palette_commands(app)}
        assert titles["Resolve a conflict"] == "key C"
        assert titles["Write the report"] == "key r"
        await pilot.press("question_mark")
        await pilot.pause()
        shown = screen_text(app)
        assert "record.resolve" in shown and "app.report" in shown
