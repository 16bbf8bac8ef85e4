"""The dashboard's ``r`` (the report of the view, written to a file named in a prompt, then
``$PAGER``) and ``C`` (resolve a conflict a merge recorded), on the real binary."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from .conftest import Start
from .harness import Terminal, sitrep_executable, terminal_env, toast_text

FRONT = "c-cnn-new-front"


def dashboard_answers(term: Terminal) -> None:
    """The dashboard is drawn and takes keys: ``j`` moves the cursor to the second claim."""
    term.wait_for("▶ Claims by source")
    term.write("j")
    term.wait_for(re.compile(r"^›.*Russian forces"), what="j to move the cursor")


def test_r_with_the_prompt_typed_as_a_burst_writes_the_report_of_the_filtered_view(
    start: Start, db: Path, tmp_path: Path
) -> None:
    term = start("--db", db)
    term.wait_for("▶ Claims by source")
    term.write("/")
    term.wait_for("filter: words", what="the filter line to open")
    term.write("status:conf\r")
    term.wait_for("filter: status:conf")
    # the key, a name over the default, enter: one burst, as a fast typist or a paste sends it
    term.write("rconfirmed.md\r")
    term.wait_for("y: open it", what="the question after writing")
    report = tmp_path / "confirmed.md"  # the folder sitrep was started in
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# SITREP")
    assert "status:conf" in text.splitlines()[0] or "status:conf" in text[:400]
    assert "c-cnn-lysychansk-lost-june" in text
    assert FRONT not in text  # unverified: not in the view
    term.write("n")
    term.wait_gone("y: open it")
    dashboard_answers(term)
    assert not (tmp_path / "rconfirmed.md").exists()


@pytest.mark.parametrize(("pager", "said"), [
    ("nonexistent-pager", "cannot run pager 'nonexistent-pager': not found; set $PAGER"),
    ("false", "pager 'false' exited with status 1"),
])
def test_a_pager_that_is_missing_or_fails_brings_the_dashboard_back_with_a_message(
    start: Start, db: Path, tmp_path: Path, pager: str, said: str
) -> None:
    term = start("--db", db, env={"PAGER": pager})
    term.wait_for("▶ Claims by source")
    term.write("r")
    term.wait_for("sitrep-report-")
    term.write("\r")
    term.wait_for("y: open it", what="the question after writing")
    term.write("y")
    term.wait_for(lambda lines: said in toast_text(lines), what=said)
    dashboard_answers(term)
    assert list(tmp_path.glob("sitrep-report-*.txt"))
    term.write("q")
    assert term.wait_exit() == 0


def test_the_pager_shows_the_report_and_gives_the_terminal_back(
    start: Start, db: Path, tmp_path: Path
) -> None:
    term = start("--db", db, env={"PAGER": "cat"})
    term.wait_for("▶ Claims by source")
    term.write("r\r")
    term.wait_for("y: open it", what="the question after writing")
    mark = len(term.raw)
    term.write("y")
    dashboard_answers(term)
    shown = term.raw_since(mark)
    assert b"SITUATION BY SETTLEMENT" in shown  # what cat printed while the app was suspended
    assert b"\x1b[?1049l" in shown and shown.rindex(b"\x1b[?1049h") > shown.index(b"\x1b[?1049l")


def merged_db(tmp_path: Path, sample: Path) -> Path:
    """Two analysts' copies of the sample, changed apart (alice, then bob: status and
    credibility of one claim), merged by ``sitrep merge``: two conflicts recorded."""
    env = terminal_env(tmp_path)
    folder = tmp_path / "team"
    folder.mkdir()
    base, ours, theirs, out = (folder / n for n in ("base.json", "a.json", "b.json", "m.json"))
    for path in (base, ours, theirs):
        path.write_bytes(sample.read_bytes())
    exe = sitrep_executable()
    for path, by, status, cred in ((ours, "alice", "false", "5"), (theirs, "bob", "confirmed",
                                                                     "2")):
        for args in (["set-status", FRONT, status], ["grade", FRONT, cred]):
            subprocess.run([exe, "--db", str(path), "--by", by, *args], env=env, check=True,
                           capture_output=True)
    done = subprocess.run([exe, "merge", str(base), str(ours), str(theirs), "-o", str(out)],
                          env=env, capture_output=True)
    assert done.returncode == 1, done.stderr  # merged, with conflicts recorded
    return out


def keep_alices_value_and_quit(term: Terminal, merged: Path, tmp_path: Path) -> str:
    """``2`` (alice's value) in the values pop-up, wait for the header to count one conflict
    left, quit; what ``sitrep show`` then says of the claim."""
    term.write("2")
    term.wait_for(re.compile(r"· 1 conflict( ·|$)"), what="the header to count 1 conflict")
    term.write("q")
    assert term.wait_exit() == 0
    return subprocess.run([sitrep_executable(), "--db", str(merged), "show", FRONT],
                          env=terminal_env(tmp_path), capture_output=True, text=True).stdout


def test_c_resolves_a_conflict_from_the_header_count_to_the_file(
    start: Start, db: Path, tmp_path: Path
) -> None:
    merged = merged_db(tmp_path, db)
    term = start("--db", merged)
    term.wait_for("· 2 conflicts")
    term.write("C")
    term.wait_for("has 2 open conflicts: resolve which?", what="the list of conflicts")
    term.write("1")
    found = term.wait_for(re.compile(r"conflict on (status|credibility)"), what="the modal")
    assert isinstance(found, re.Match)
    field = found.group(1)  # the claim's first open conflict
    alice = {"status": "false", "credibility": "5"}[field]
    bob = {"status": "confirmed", "credibility": "2"}[field]
    term.wait_for(f"{bob} — kept now (bob")
    term.wait_for(f"{alice} — not kept (alice")
    done = keep_alices_value_and_quit(term, merged, tmp_path)
    assert f"{field} {bob} → {alice} (resolves the conflict)" in done


def test_c_lists_both_conflicts_and_resolves_the_second_one(
    start: Start, db: Path, tmp_path: Path
) -> None:
    """The list of the claim's two conflicts, each with both values and who gave them; the
    second picked, its values, alice's kept: the first stays open, in the header and on disk.
    Esc at the list first changes nothing."""
    merged = merged_db(tmp_path, db)
    term = start("--db", merged)
    term.wait_for("· 2 conflicts")
    term.write("C")
    term.wait_for("has 2 open conflicts: resolve which?", what="the list of conflicts")
    listed = term.wait_for(lambda lines: [m.group(1) for line in lines if (m := re.search(
        r"[› ] [12]  (status|credibility)\s*│", line))], what="both fields listed")
    assert isinstance(listed, list) and sorted(listed) == ["credibility", "status"]
    first, second = listed
    for side in ("confirmed — kept now (bob", "false — not kept (alice",
                 "2 — kept now (bob", "5 — not kept (alice"):
        term.wait_for(side)
    term.write("\x1b")  # esc: nothing changes
    term.wait_gone("resolve which?")
    term.write("C")
    term.wait_for("resolve which?")
    term.write("j\r")  # the second conflict by the cursor
    term.wait_for(f"conflict on {second} of {FRONT}", what="the values of the second")
    alice = {"status": "false", "credibility": 5}[second]
    term.wait_for(f"{alice} — not kept (alice")
    done = keep_alices_value_and_quit(term, merged, tmp_path)
    assert "resolves the conflict" in done
    assert f"open: sitrep resolve {FRONT} {first} VALUE" in done
    assert f"open: sitrep resolve {FRONT} {second}" not in done
    shown = subprocess.run([sitrep_executable(), "--db", str(merged), "show", "--json", FRONT],
                           env=terminal_env(tmp_path), capture_output=True, text=True)
    assert json.loads(shown.stdout)[second] == alice
