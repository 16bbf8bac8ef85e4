"""The session's rules without Textual: a change key becomes a change of the view model plus a
job, run here against a real Store on a copy of the sample, as the saver's worker would."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from sitrep.errors import SitrepError
from sitrep.store import Store
from sitrep.tui.model import DashboardModel, build_model
from sitrep.tui.session import Job, JobKind, Session

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "sitrep.json"
CNN = "c-cnn-new-front"
PUSHILIN = "c-pushilin-lyman-tough"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    path = tmp_path / "sitrep.json"
    shutil.copyfile(SAMPLE, path)
    return Store.open(path)


def run(store: Store, job: Job) -> None:
    job.run(store)


def at(model: DashboardModel, claim_id: str) -> int:
    return model.pos[claim_id]


def on_disk(store: Store, claim_id: str) -> dict:
    doc = json.loads(store.path.read_text(encoding="utf-8"))
    return next(c for c in doc["claims"].values() if c["id"] == claim_id)


def test_the_session_module_needs_no_textual() -> None:
    import subprocess

    code = ("import sys, sitrep.tui.session\n"
            "print(','.join(m for m in ('textual', 'rich') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == ""


def test_targets_are_the_marks_else_the_current_claim(store: Store) -> None:
    model, session = build_model(store), Session("alice")
    assert session.targets(model, 3) == [3]
    assert session.targets(model, None) == []
    session.toggle_mark(CNN)
    session.toggle_mark(PUSHILIN)
    assert session.targets(model, 3) == sorted([at(model, CNN), at(model, PUSHILIN)])
    session.toggle_mark(PUSHILIN)
    assert session.targets(model, 3) == [at(model, CNN)]


def test_marks_hidden_by_the_filter_are_named(store: Store) -> None:
    model, session = build_model(store), Session("alice")
    session.marked.update({CNN, PUSHILIN})
    model.set_query("source:push")
    positions = session.targets(model, None)
    assert session.hidden(model, positions) == [at(model, CNN)]
    assert session.clear_marks() == 2 and session.targets(model, None) == []


def test_a_status_is_shown_at_once_written_by_its_job_and_undone(store: Store) -> None:
    model, session = build_model(store), Session("alice")
    p = at(model, CNN)
    change = session.set_status(model, [p], "confirmed")
    assert change is not None and change.job.kind is JobKind.STATUS
    assert model.statuses[p] == "confirmed"                  # the view, before any write
    assert change.statuses == ["confirmed", "unverified"] and change.positions == [p]
    assert on_disk(store, CNN)["status"] == "unverified"
    run(store, change.job)
    store.flush()
    assert on_disk(store, CNN)["status"] == "confirmed"
    assert on_disk(store, CNN)["history"][-1]["by"] == "alice"
    undone = session.undo(model, reopen=lambda *a: pytest.fail("no conflict here"))
    assert undone is not None
    jobs, size = undone
    assert size == 1 and model.statuses[p] == "unverified"
    for job in jobs:
        run(store, job)
    store.flush()
    assert on_disk(store, CNN)["status"] == "unverified"
    assert session.undo(model, reopen=lambda *a: pytest.fail("nothing left")) is None


def test_a_status_every_target_has_already_changes_nothing(store: Store) -> None:
    model, session = build_model(store), Session("alice")
    assert session.set_status(model, [at(model, CNN)], "unverified") is None
    assert session.undo_stack == []


def test_a_refused_job_takes_its_undo_step_and_puts_the_status_back(store: Store) -> None:
    model, session = build_model(store), Session("alice")
    p = at(model, CNN)
    change = session.set_status(model, [p], "confirmed")
    assert change is not None and len(session.undo_stack) == 1
    session.refused(model, change.job)
    assert session.undo_stack == [] and model.statuses[p] == "unverified"


def test_a_grade_letter_grades_the_source_and_the_digit_the_claim(store: Store) -> None:
    model, session = build_model(store), Session("alice")
    job = session.grade(model, [at(model, CNN)], "A", 1)
    assert job is not None and job.kind is JobKind.GRADE
    assert sorted(job.undo) == [("claims", CNN, "credibility", 3),
                                ("sources", "cnn", "reliability", "B")]
    run(store, job)
    assert store.get("sources", "cnn")["reliability"] == "A"
    assert store.claim(CNN)["credibility"] == 1


def test_a_grade_on_a_claim_whose_source_is_unknown_is_refused_by_the_store(
        store: Store) -> None:
    # the same rule and message as the CLI's (Changes.grade), not skipped silently; such a
    # claim comes from a hand edit of the file (the store refuses to write one)
    doc = json.loads(store.path.read_text(encoding="utf-8"))
    next(c for c in doc["claims"].values() if c["id"] == CNN)["source"] = "nobody-knows"
    store.path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    store = Store.open(store.path)
    model, session = build_model(store), Session("alice")
    job = session.grade(model, [at(model, CNN)], "B", None)
    assert job is not None and job.undo == []
    with pytest.raises(SitrepError, match="has no known source to grade B"):
        run(store, job)


def test_a_grade_that_changes_nothing_is_no_job(store: Store) -> None:
    model, session = build_model(store), Session("alice")
    assert session.grade(model, [at(model, CNN)], "B", 3) is None


def test_a_note_is_added_and_its_undo_retracts_it(store: Store) -> None:
    model, session = build_model(store), Session("alice")
    job = session.note([CNN], "seen on two channels")
    run(store, job)
    notes = [h for h in store.claim(CNN)["history"] if h.get("note") == "seen on two channels"]
    assert len(notes) == 1
    undone = session.undo(model, reopen=lambda *a: pytest.fail("no conflict"))
    assert undone is not None
    for undo_job in undone[0]:
        assert undo_job.kind is JobKind.NOTE
        run(store, undo_job)
    assert "retract" in json.dumps(store.claim(CNN)["history"][-1])


def test_an_edit_keeps_the_text_typed_and_its_undo_puts_the_record_back(store: Store) -> None:
    model, session = build_model(store), Session("alice")
    before = dict(store.claim(CNN))
    after = {**before, "text": "A new front, as CNN saw it."}
    job = session.edit("claims", before, after, "the text as typed")
    assert job.draft == ("claims", CNN, "the text as typed") and job.kind is JobKind.EDIT
    run(store, job)
    assert store.claim(CNN)["text"] == "A new front, as CNN saw it."
    undone = session.undo(model, reopen=lambda *a: pytest.fail("no conflict"))
    assert undone is not None
    for undo_job in undone[0]:
        run(store, undo_job)
    assert store.claim(CNN)["text"] == before["text"]


def test_accepting_a_suggested_credibility_changes_only_the_claims_that_differ(
        store: Store) -> None:
    model, session = build_model(store), Session("alice")
    cnn, pushilin = at(model, CNN), at(model, PUSHILIN)
    accepted = session.accept_credibility(model, {cnn: 3, pushilin: 4})
    assert accepted is not None
    job, digits = accepted
    assert digits == [4] and job.undo == [("claims", PUSHILIN, "credibility", 2)]
    run(store, job)
    assert store.claim(PUSHILIN)["credibility"] == 4
    assert session.accept_credibility(model, {cnn: 3}) is None


def test_accepting_a_suggested_reliability(store: Store) -> None:
    session = Session("alice")
    source = store.get("sources", "pushilin")
    assert source is not None
    assert session.accept_reliability(source, "D") is None
    job = session.accept_reliability(source, "E")
    assert job is not None
    run(store, job)
    assert store.get("sources", "pushilin")["reliability"] == "E"
