"""The keys that change data (status, mark, grade, note, undo, accepting a suggestion) and
what the dashboard shows of their results. While the dashboard shows the past
(:mod:`sitrep.tui.as_of`) the app refuses these keys before they get here.

:class:`Triage` is the part of the app that asks and tells: the pop-ups, the notifications,
the repaints. What a key changes is the :class:`~sitrep.tui.session.Session`'s rule; the
change is shown at once (a status is applied to the view model optimistically), queued as a
:class:`~sitrep.tui.session.Job` and written by the :class:`~sitrep.tui.saver.Saver` in a
worker. Undo applies the previous values back through the store, so the history records the
undo too. Editing a record as JSON is in :mod:`sitrep.tui.record_editor`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sitrep.models import listed
from sitrep.tui.host import Dashboard
from sitrep.tui.messages import BuildReason, FileProblem, Refused, Saved
from sitrep.tui.model import DashboardModel, build_model
from sitrep.tui.screens.confirm_modal import HiddenMarksModal
from sitrep.tui.screens.grade_modal import GradeModal
from sitrep.tui.screens.note_modal import NoteModal
from sitrep.tui.session import Job, JobKind
from sitrep.tui.widgets.claims_pane import ClaimsPane
from sitrep.tui.widgets.detail_pane import DetailPane
from sitrep.tui.widgets.row_list import RowList
from sitrep.tui.widgets.settlements_pane import SettlementsPane
from sitrep.tui.widgets.verification_pane import VerificationPane

#: What a status key did, said after a change on marked claims ({n}: "3 claims").
STATUS_DONE = {
    "confirmed": "confirmed {n}",
    "corroborated": "corroborated {n}",
    "disputed": "disputed {n}",
    "false": "marked {n} false",
    "unverified": "marked {n} unverified",
}
#: a status change on more claims than this repaints whole panes, not rows
ROW_REPAINTS = 20


class Triage:
    """The change keys' flow in the dashboard, and their results from the store."""

    def __init__(self, app: Dashboard, reopen: Callable[[str, str, Any], Job],
                 refuse_edit: Callable[[str, str, str, str], None]) -> None:
        self.app = app
        #: the job that undoes a conflict's resolution (the conflict resolver's)
        self._reopen = reopen
        #: keeps a refused edit's text and says why (the record editor's)
        self._refuse_edit = refuse_edit

    # ------------------------------------------------------------------ targets
    def with_targets(self, act: Callable[[list[int]], None]) -> None:
        """Run ``act`` on the claims a change key acts on (the marked ones, else the current).

        A change never touches a marked claim the filter hides without asking: "3 marked,
        2 hidden by the filter: apply to all 3? y/n" (y: all, n: only the shown, esc:
        nothing)."""
        app, model = self.app, self.app.model
        positions = app.session.targets(model, app.current_position()) if model else []
        if model is None or not positions:
            app.notify("No claim here: move to a claim first.", severity="warning")
            return
        hidden = app.session.hidden(model, positions)
        if not hidden:
            act(positions)
            return

        def answered(answer: str | None) -> None:
            chosen = positions if answer == "all" else (
                [p for p in positions if p not in set(hidden)] if answer == "shown" else [])
            if chosen:
                act(chosen)
            else:
                app.notify("Nothing changed.", timeout=3)

        app.push_screen(HiddenMarksModal(len(positions), len(hidden)), answered)

    def say_bulk(self, done: str, count: int) -> None:
        """After a change on marked claims: what it did, e.g. "confirmed 3 claims · u undoes"."""
        if self.app.session.marked:
            noun = "claim" if count == 1 else "claims"
            self.app.notify(done.format(n=f"{count} {noun}") + " · u undoes", timeout=4,
                            markup=False)

    def refresh_marks(self) -> None:
        """Repaint marks in the lists and the header."""
        for pane in (self.app.query_one(ClaimsPane), self.app.query_one(VerificationPane)):
            pane.marked = self.app.session.marked
            pane.refresh_rows()
        self.app.update_header()

    def toggle_mark(self) -> None:
        """Mark or unmark the current claim and move down."""
        app = self.app
        p = app.current_position()
        if p is None or app.model is None:
            return
        app.session.toggle_mark(str(app.model.claims[p].get("id")))
        self.refresh_marks()
        focused = app.focused
        if isinstance(focused, RowList):
            focused.action_cursor_down()

    def clear_marks(self) -> bool:
        """Unmark every claim, saying how many; False when none was marked."""
        count = self.app.session.clear_marks()
        if not count:
            return False
        self.refresh_marks()
        self.app.notify(f"cleared {count} mark{'s' if count != 1 else ''}", timeout=3)
        return True

    # ------------------------------------------------------------------ status
    def set_status(self, status: str) -> None:
        """Set the status of the marked claims (or the current one)."""
        self.with_targets(lambda positions: self._set_status(positions, status))

    def _set_status(self, positions: list[int], status: str) -> None:
        app, model = self.app, self.app.model
        if model is None:
            return
        change = app.session.set_status(model, positions, status)
        if change is None:
            self.say_bulk(f"nothing changed: {{n}} already {status}", len(positions))
            return
        app.saver.submit(change.job)
        self.refresh_after_status(model, change.positions, change.statuses)
        self.say_bulk(STATUS_DONE.get(status, f"set {{n}} {status}"), len(change.positions))

    def refresh_after_status(self, model: DashboardModel, positions: list[int],
                             statuses: list[str]) -> None:
        """Repaint only what a status change touched: the claim's row and its group's counts,
        its settlements' rows, the status counts, the triage queue (when a claim joined or
        left it), the detail and the header. ``statuses``: the new and the old ones. A big
        batch repaints everything."""
        app = self.app
        claims = app.query_one(ClaimsPane)
        places = app.query_one(SettlementsPane)
        queue = app.query_one(VerificationPane)
        if len(positions) > ROW_REPAINTS:
            claims.refresh_rows()
            places.refresh_rows()
            queue.reset()
        else:
            place_row = {pid: r for r, pid in enumerate(model.place_rows)}
            for p in positions:
                row = model.row_of_position(p)
                if row is not None:
                    claims.refresh_row(row)
                group_row = model.group_row(model.group_at(p)[0])
                if group_row is not None:
                    claims.refresh_row(group_row)
                for pid in listed(model.claims[p].get("settlements")):
                    if pid in place_row:
                        places.refresh_row(place_row[pid])
            if "unverified" in statuses:
                queue.reset()  # the queue grew or shrank: its rows shift
            else:
                queue.refresh_header()
        app.show_detail()
        app.update_header()

    # ------------------------------------------------------------------ grade and note
    def grade(self) -> None:
        """Ask for a grade (B, 3 or B3) and apply it to the target claims."""
        def ask(positions: list[int]) -> None:
            title = f"Grade {len(positions)} claim(s): letter → source, digit → claim"
            self.app.push_screen(GradeModal(title),
                                 lambda result: self._grade(positions, result))

        self.with_targets(ask)

    def _grade(self, positions: list[int],
               result: tuple[str | None, int | None] | None) -> None:
        model = self.app.model
        if result is None or model is None:
            return
        job = self.app.session.grade(model, positions, *result)
        if job is not None:
            self.app.saver.submit(job)
            if job.undo:
                self.say_bulk("graded {n}", len(positions))

    def accept_suggestion(self) -> None:
        """Take what the analysis suggests: on a source (its group header or detail) its
        suggested reliability, else the suggested credibility of the marked claims (or the
        current one). A grade like any other: recorded in history, undone by ``u``."""
        sid = self._source_in_view()
        if sid is not None:
            self._accept_reliability(sid)
        else:
            self.with_targets(self._accept_credibility)

    def _source_in_view(self) -> str | None:
        """The source the focused pane is on (a group header, a source's detail), or None."""
        focused = self.app.focused
        if isinstance(focused, DetailPane) and focused.subject and focused.subject[0] == "source":
            return focused.subject[1]
        if isinstance(focused, ClaimsPane) and focused.current_position() is None:
            return focused.current_source()
        return None

    def _accept_credibility(self, positions: list[int]) -> None:
        app, model = self.app, self.app.model
        if model is None:
            return
        suggested: dict[int, int] = {}
        waiting = False
        for p in positions:
            found = app.insight.claim(model, p)
            waiting |= found is None
            if found is not None and found.suggested_credibility is not None:
                suggested[p] = found.suggested_credibility
        accepted = app.session.accept_credibility(model, suggested)
        if accepted is None:
            app.notify("Still analysing: try again in a moment." if waiting else
                       "Nothing to accept: the credibility is the one suggested.", timeout=3)
            return
        job, digits = accepted
        app.saver.submit(job)
        shown = "/".join(str(d) for d in digits)
        app.notify(f"credibility {shown} on {len(job.undo)} claim(s), as suggested · u undoes",
                   timeout=4, markup=False)

    def _accept_reliability(self, sid: str) -> None:
        app, model = self.app, self.app.model
        source = model.sources.get(sid) if model is not None else None
        if model is None or source is None:
            app.notify(f"No source {sid!r} to grade.", severity="warning", markup=False)
            return
        letter = app.insight.record(model, sid).suggested_reliability
        job = app.session.accept_reliability(source, letter)
        if job is None:
            app.notify(f"Nothing to accept: {sid} is already {letter}.", timeout=3,
                       markup=False)
            return
        app.saver.submit(job)
        app.notify(f"{sid}: reliability {letter}, as its record suggests · u undoes",
                   timeout=4, markup=False)

    def add_note(self) -> None:
        """Ask for a note and append it to the target claims' history."""
        def ask(ids: list[str]) -> None:
            title = f"Note on {ids[0]}" if len(ids) == 1 else f"Note on {len(ids)} marked claims"
            self.app.push_screen(NoteModal(title), lambda text: self.note(ids, text))

        self.with_note_targets(ask)

    def with_note_targets(self, act: Callable[[list[str]], None]) -> None:
        """Run ``act`` on the ids of the claims a note goes on (marked, else current), asking
        first about marked claims the filter hides."""
        model = self.app.model
        self.with_targets(lambda positions: act(
            [str(model.claims[p].get("id")) for p in positions] if model else []))

    def note(self, ids: list[str], text: str | None) -> None:
        """Append the note ``text`` to the claims ``ids`` (nothing for an empty one)."""
        if not text:
            return
        self.app.saver.submit(self.app.session.note(ids, text))
        self.say_bulk("noted {n}", len(ids))

    # ------------------------------------------------------------------ undo
    def undo(self) -> None:
        """Put back the previous values of the last change (repeatable)."""
        app, model = self.app, self.app.model
        undone = app.session.undo(model, self._reopen) if model is not None else None
        if undone is None:
            app.notify("Nothing to undo.", timeout=2)
            return
        jobs, size = undone
        for job in jobs:
            app.saver.submit(job)
        app.refresh_views()
        app.notify(f"Undone: {size} change(s).", timeout=2)

    # ------------------------------------------------------------------ jump to unverified
    def step_unverified(self, direction: int) -> None:
        """Go to the next (1) or previous (-1) unverified claim in the claims pane's order."""
        app, model = self.app, self.app.model
        if model is None or not model.n:
            return
        p = app.current_position()
        q = (p if p is not None else -1) + direction
        while 0 <= q < model.n:
            if model.statuses[q] == "unverified" and model.is_visible(q):
                break
            q += direction
        else:
            app.notify("No more unverified claims that way.", timeout=2)
            return
        app.jump_to_claim(str(model.claims[q].get("id")))
        app.focus_visibly(app.query_one(ClaimsPane))

    # ------------------------------------------------------------------ results from workers
    def saved(self, message: Saved) -> None:
        """Take the store's records into the view; a failed write shows a banner."""
        app = self.app
        kind = message.job.kind
        if kind is JobKind.EDIT:
            app.insight.forget()  # links or origins may have changed
        if app.as_of.past and message.error is None:
            app.as_of.rebuild()  # a change made before the view went to the past
            return
        model = app.model
        rebuild = message.reloaded
        if model is not None:
            for table, record in message.records:
                if table == "claims":
                    rebuild |= not model.sync_claim(record)
                elif table == "sources":
                    model.sync_source(record)
                elif table == "settlements":
                    model.sync_place(record)
        if message.error is not None:
            app.saver.write_failed = True
            app.say(f"Could not save ({message.error}); the change is kept and will be "
                    "retried.")
        elif rebuild and model is not None:
            app.take_model(build_model(app.store, model), BuildReason.EDITED)
            return
        if kind in (JobKind.STATUS, JobKind.NOTE):
            # the rows and counts show the change already; the store added a history line
            app.show_detail()
            app.update_header()
            return
        app.refresh_views(rows_changed=kind is JobKind.EDIT)

    def refused(self, message: Refused) -> None:
        """The store said no: undo the optimistic view and say why."""
        app, job = self.app, message.job
        app.session.refused(None if app.as_of.past else app.model, job)
        if job.draft is not None:
            self._refuse_edit(*job.draft, str(message.error))
        else:
            app.notify(f"Refused, nothing written: {message.error}", severity="error",
                       markup=False, timeout=8)
        app.refresh_views()

    def file_problem(self, message: FileProblem) -> None:
        """Show or clear the banner for an invalid file or a failing disk."""
        app, saver = self.app, self.app.saver
        if message.kind == "merged":  # an editor's stale save: sitrep's changes merged back
            app.say(message.notice)
            return
        if message.kind == "read":
            saver.file_invalid = message.error is not None
        else:
            saver.write_failed = message.error is not None
        if message.error is None:
            if not saver.file_invalid and not saver.write_failed:
                app.say("")
        elif message.kind == "read":
            app.say(f"{message.error} — showing the last good state; your changes go to the "
                    "journal and nothing is written to the file until it is valid.")
        else:
            app.say(f"Could not save ({message.error}); kept pending, retrying.")
        app.update_header()
