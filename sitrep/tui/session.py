"""The analyst's session: marked claims, the undo stack, a refused edit kept for the next try,
and the rules that turn a change key into a change of the view model plus a :class:`Job`.

No Textual here: the app's :class:`~sitrep.tui.triage.Triage` asks and tells (pop-ups,
notifications, repaints), the :class:`~sitrep.tui.saver.Saver` runs the jobs in a worker, and
this decides what a key changes. Every job builds its ops with the store's own builders
(:class:`sitrep.store.Changes`), in the worker, against the records as they are then: a change
from the dashboard is validated exactly as the same change from the CLI or a feed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from sitrep.store import Changes, Op, Store
from sitrep.tui.model import DashboardModel

Record = dict[str, Any]
#: (table, id, field, previous value); field ``record``: a whole record put back, ``note``: a
#: note to retract, ``resolve``: a conflict resolution to reopen
UndoStep = list[tuple[str, str, str, Any]]
Run = Callable[[Store], list[tuple[str, Record]]]


class JobKind(Enum):
    """What a job changes, which decides how much of the screen its result repaints."""

    STATUS = "status"  # rows and counts show it already: the detail gets the history line
    NOTE = "note"  # likewise
    GRADE = "grade"
    EDIT = "edit"  # a record put whole (edit as JSON, a conflict resolved): rows may move
    UNDO = "undo"


@dataclass
class Job:
    """One change to make through the store: ``run(store)`` returns the touched records."""

    kind: JobKind
    run: Run
    undo: UndoStep = field(default_factory=list)
    # What the analyst typed (an edit as JSON): kept for the next ``e`` if the store refuses it.
    draft: tuple[str, str, str] | None = None


@dataclass(frozen=True)
class StatusChange:
    """What a status key did to the view: the job, the positions whose status changed and
    the statuses involved (the new one first, then the old ones)."""

    job: Job
    positions: list[int]
    statuses: list[str]


def changes_job(kind: JobKind, build: Callable[[Changes], list[Op]],
                undo: UndoStep | None = None) -> Job:
    """A job that builds its ops with the store's builders and applies them in one batch."""

    def run(store: Store) -> list[tuple[str, Record]]:
        ops = build(store.changes)
        store.apply(ops)
        return [(op["table"], r) for op in ops
                if (r := store.get(op["table"], op["id"])) is not None]

    return Job(kind, run, undo or [])


def put_job(table: str, record: Record, by: str, *, undoing: bool = False) -> Job:
    """A job that puts ``record`` whole (an edit as JSON; its undo puts the old one back,
    with the history as it is by then: history is append-only, so the undo is one more entry
    and the edit's entry stays)."""

    def run(store: Store) -> list[tuple[str, Record]]:
        put = record
        current = store.get(table, str(record.get("id"))) if undoing else None
        if current is not None:
            put = {**record, "history": list(current.get("history") or [])}
        return [(table, store.put(table, put, by=by, note="undo" if undoing else None))]

    return Job(JobKind.EDIT, run)


def note_job(ids: list[str], text: str, by: str, *, retract: bool = False) -> Job:
    """A job adding (or, for undo, retracting) one note on each claim."""

    def run(store: Store) -> list[tuple[str, Record]]:
        build = store.changes.retract_note if retract else store.changes.note
        store.apply([build("claims", c, text, by=by) for c in ids])
        return [("claims", r) for c in ids if (r := store.get("claims", c)) is not None]

    return Job(JobKind.NOTE, run)


class Session:
    """Marks, undo and the refused edit of one analyst's session, and the change keys' rules."""

    def __init__(self, analyst: str) -> None:
        self.analyst = analyst
        self.marked: set[str] = set()
        self.undo_stack: list[UndoStep] = []
        #: a refused edit as JSON: (table, id, the text typed), reopened by the next ``e``
        self.refused_edit: tuple[str, str, str] | None = None

    # ------------------------------------------------------------------ marks
    def targets(self, model: DashboardModel, current: int | None) -> list[int]:
        """Positions a change key acts on: the marked claims, else the current one."""
        if self.marked:
            return sorted(model.marked_positions(self.marked))
        return [] if current is None else [current]

    def hidden(self, model: DashboardModel, positions: list[int]) -> list[int]:
        """The marked targets the filter hides (a change asks before touching them)."""
        return [p for p in positions if not model.is_visible(p)] if self.marked else []

    def toggle_mark(self, claim_id: str) -> None:
        """Mark the claim, or unmark it."""
        self.marked.symmetric_difference_update({claim_id})

    def clear_marks(self) -> int:
        """Unmark every claim; how many were marked."""
        count = len(self.marked)
        self.marked.clear()
        return count

    def forget_gone(self, model: DashboardModel) -> None:
        """Drop the marks of claims no longer in ``model`` (O(marks))."""
        self.marked.difference_update([c for c in self.marked if c not in model.pos])

    # ------------------------------------------------------------------ undo
    def remember(self, undo: UndoStep) -> None:
        """Push one undo step (taken off again by :meth:`refused` if the store says no)."""
        self.undo_stack.append(undo)

    def refused(self, model: DashboardModel | None, job: Job) -> None:
        """The store refused ``job``: its undo step goes, and a status shown optimistically is
        put back in ``model`` (None: the view shows the past, nothing to put back)."""
        if job.undo and self.undo_stack and self.undo_stack[-1] is job.undo:
            self.undo_stack.pop()
        if model is None or job.draft is not None:
            return
        for table, rid, name, value in job.undo:
            if table == "claims" and name == "status" and rid in model.pos:
                model.set_status(model.pos[rid], value)

    def undo(self, model: DashboardModel,
             reopen: Callable[[str, str, Any], Job]) -> tuple[list[Job], int] | None:
        """The jobs that put back the last step's previous values, and its size; None when
        there is nothing to undo. Statuses are put back in ``model`` at once; ``reopen`` builds
        the job that undoes a conflict's resolution."""
        if not self.undo_stack:
            return None
        step = self.undo_stack.pop()
        jobs: list[Job] = []
        restored: UndoStep = []
        for table, rid, name, value in step:
            if name == "record":
                jobs.append(put_job(table, value, self.analyst, undoing=True))
            elif name == "resolve":  # the conflict is recorded again, open
                jobs.append(reopen(table, rid, value))
            elif name == "note":  # history is append-only: the note is marked retracted
                jobs.append(note_job([rid], value, self.analyst, retract=True))
            else:
                if table == "claims" and name == "status" and rid in model.pos:
                    model.set_status(model.pos[rid], value)
                restored.append((table, rid, name, value))
        if restored:
            by = self.analyst
            jobs.append(changes_job(JobKind.UNDO, lambda builders: [
                builders.restore(t, rid, f, v, by=by) for t, rid, f, v in restored]))
        return jobs, len(step)

    # ------------------------------------------------------------------ the change keys
    def set_status(self, model: DashboardModel, positions: list[int],
                   status: str) -> StatusChange | None:
        """Set ``status`` on the claims at ``positions`` in the view at once (optimistic) and
        the job that records it; None when each already has it."""
        undo: UndoStep = []
        ids: list[str] = []
        changed: list[int] = []
        for p in positions:
            cid = str(model.claims[p].get("id"))
            before = model.set_status(p, status)
            if before != status:
                undo.append(("claims", cid, "status", before))
                ids.append(cid)
                changed.append(p)
        if not ids:
            return None
        self.remember(undo)
        by = self.analyst
        job = changes_job(JobKind.STATUS,
                          lambda changes: [changes.status(c, status, by=by) for c in ids], undo)
        return StatusChange(job, changed, [status, *(u[3] for u in undo)])

    def grade(self, model: DashboardModel, positions: list[int], letter: str | None,
              digit: int | None) -> Job | None:
        """A grade (``B``, ``3`` or ``B3``) on the claims at ``positions``: the digit grades
        each claim, the letter its source (the store's one rule, ``Changes.grade``, which
        refuses a claim whose source is unknown). None when nothing would change."""
        ids: list[str] = []
        undo: UndoStep = []
        seen: set[str] = set()
        unknown_source = False
        for p in positions:
            claim = model.claims[p]
            cid, sid = str(claim.get("id")), str(claim.get("source") or "")
            ids.append(cid)
            if digit is not None and claim.get("credibility") != digit:
                undo.append(("claims", cid, "credibility", claim.get("credibility")))
            src = model.sources.get(sid)
            unknown_source |= bool(letter) and src is None
            if letter and src is not None and sid not in seen:
                seen.add(sid)
                if src.get("reliability") != letter:
                    undo.append(("sources", sid, "reliability", src.get("reliability")))
        if not undo and not unknown_source:
            return None
        if undo:  # an unknown source and nothing else: the store's builder says why not
            self.remember(undo)
        by = self.analyst
        return changes_job(JobKind.GRADE,
                           lambda changes: changes.grade(ids, (letter, digit), by=by), undo)

    def accept_credibility(self, model: DashboardModel,
                           suggested: dict[int, int]) -> tuple[Job, list[int]] | None:
        """Take the suggested credibility (``suggested``: position -> digit) where it differs
        from the claim's: the job and the digits set; None when every claim has it already."""
        by_digit: dict[int, list[str]] = {}
        undo: UndoStep = []
        for p, digit in suggested.items():
            claim = model.claims[p]
            if claim.get("credibility") != digit:
                cid = str(claim.get("id"))
                by_digit.setdefault(digit, []).append(cid)
                undo.append(("claims", cid, "credibility", claim.get("credibility")))
        if not undo:
            return None
        self.remember(undo)
        by = self.analyst
        note = "accepted the suggested credibility"
        job = changes_job(JobKind.GRADE, lambda changes: [
            op for digit, ids in by_digit.items()
            for op in changes.grade(ids, (None, digit), by=by, note=note)], undo)
        return job, list(by_digit)

    def accept_reliability(self, source: Record, letter: str) -> Job | None:
        """Take the reliability a source's record suggests; None when it has it already."""
        sid = str(source.get("id"))
        before = source.get("reliability")
        if before == letter:
            return None
        undo: UndoStep = [("sources", sid, "reliability", before)]
        self.remember(undo)
        by = self.analyst
        return changes_job(JobKind.GRADE, lambda changes: changes.grade(
            [sid], (letter, None), by=by, note="accepted the suggested reliability"), undo)

    def note(self, ids: list[str], text: str) -> Job:
        """A note on each of the claims ``ids`` (undone by retracting it)."""
        undo: UndoStep = [("claims", c, "note", text) for c in ids]
        self.remember(undo)
        job = note_job(ids, text, self.analyst)
        job.undo = undo
        return job

    def edit(self, table: str, before: Record, after: Record, text: str) -> Job:
        """Put ``after`` in place of ``before`` (an edit as JSON, ``text`` as typed: kept for
        the next ``e`` if the store refuses it)."""
        rid = str(before.get("id"))
        job = put_job(table, after, self.analyst)
        job.undo = [(table, rid, "record", dict(before))]
        job.draft = (table, rid, text)
        self.remember(job.undo)
        return job
