"""The keys that change data: status, mark, grade, note, undo, accepting a suggestion, and
their results. While the dashboard shows the past (:mod:`sitrep.tui.as_of`) the app refuses
these keys before they get here.

Each change is shown at once (status is applied to the view model optimistically), queued as a
:class:`~sitrep.tui.persist.Job` and written by the store in a worker. Undo applies the previous
values back through the store, so the history records the undo too. Editing a record as JSON
is in :mod:`sitrep.tui.edit_json`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sitrep.models import listed
from sitrep.store import Changes, Op, Store
from sitrep.tui import persist
from sitrep.tui.screens.confirm_modal import HiddenMarksModal
from sitrep.tui.screens.grade_modal import GradeModal
from sitrep.tui.screens.note_modal import NoteModal

if TYPE_CHECKING:
    from sitrep.tui.app import SitrepApp

Record = dict[str, Any]
UndoStep = list[tuple[str, str, str, Any]]  # (table, id, field, previous value)
# What a status key did, said after a change on marked claims ({n}: "3 claims").
STATUS_DONE = {
    "confirmed": "confirmed {n}",
    "corroborated": "corroborated {n}",
    "disputed": "disputed {n}",
    "false": "marked {n} false",
    "unverified": "marked {n} unverified",
}


class TriageActions:
    """Mixin for SitrepApp: marked claims, the undo stack and the data-changing actions."""

    def init_triage(self: SitrepApp) -> None:  # type: ignore[misc]
        """Set up marks, undo and edits (call from App.__init__)."""
        self.marked: set[str] = set()
        self.undo_stack: list[UndoStep] = []
        # A refused edit as JSON: (table, id, the text typed), reopened by the next ``e`` on it.
        self.refused_edit: tuple[str, str, str] | None = None

    # ------------------------------------------------------------------ targets
    def targets(self: SitrepApp) -> list[int]:  # type: ignore[misc]
        """Positions the status and grade keys act on: the marked claims, else the current."""
        if self.model is None:
            return []
        if self.marked:
            return sorted(self.model.marked_positions(self.marked))
        p = self.current_position()
        return [] if p is None else [p]

    def with_targets(self: SitrepApp,  # type: ignore[misc]
                     act: Callable[[list[int]], None]) -> None:
        """Run ``act`` on the claims a change key acts on (the marked ones, else the current).

        A change never touches a marked claim the filter hides without asking: "3 marked,
        2 hidden by the filter: apply to all 3? y/n" (y: all, n: only the shown, esc:
        nothing)."""
        model = self.model
        positions = self.targets()
        if model is None or not positions:
            self.notify("No claim here: move to a claim first.", severity="warning")
            return
        hidden = [p for p in positions if not model.is_visible(p)] if self.marked else []
        if not hidden:
            act(positions)
            return

        def answered(answer: str | None) -> None:
            chosen = positions if answer == "all" else (
                [p for p in positions if p not in set(hidden)] if answer == "shown" else [])
            if chosen:
                act(chosen)
            else:
                self.notify("Nothing changed.", timeout=3)

        self.push_screen(HiddenMarksModal(len(positions), len(hidden)), answered)

    def say_bulk(self: SitrepApp, done: str, count: int) -> None:  # type: ignore[misc]
        """After a change on marked claims: what it did, e.g. "confirmed 3 claims · u undoes"."""
        if self.marked:
            noun = "claim" if count == 1 else "claims"
            self.notify(done.format(n=f"{count} {noun}") + " · u undoes", timeout=4,
                        markup=False)

    def refresh_marks(self: SitrepApp) -> None:  # type: ignore[misc]
        """Repaint marks in the lists and the header."""
        from sitrep.tui.widgets.claims_pane import ClaimsPane
        from sitrep.tui.widgets.verification_pane import VerificationPane

        for pane in (self.query_one(ClaimsPane), self.query_one(VerificationPane)):
            pane.marked = self.marked
            pane.refresh_rows()
        self.update_header()

    def action_toggle_mark(self: SitrepApp) -> None:  # type: ignore[misc]
        """Mark or unmark the current claim and move down."""
        p = self.current_position()
        if p is None or self.model is None:
            return
        cid = str(self.model.claims[p].get("id"))
        self.marked.symmetric_difference_update({cid})
        self.refresh_marks()
        focused = self.focused
        if hasattr(focused, "action_cursor_down"):
            focused.action_cursor_down()  # type: ignore[union-attr]

    # ------------------------------------------------------------------ status
    def action_set_status(self: SitrepApp, status: str) -> None:  # type: ignore[misc]
        """Set the status of the marked claims (or the current one)."""
        self.with_targets(lambda positions: self._set_status(positions, status))

    def _set_status(self: SitrepApp, positions: list[int],  # type: ignore[misc]
                    status: str) -> None:
        model = self.model
        if model is None:
            return
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
            self.say_bulk(f"nothing changed: {{n}} already {status}", len(positions))
            return
        self.undo_stack.append(undo)
        by = self.analyst
        self.submit(self._job(f"status {status}",
                              lambda changes: [changes.status(c, status, by=by) for c in ids],
                              undo))
        self.refresh_after_status(changed, [status, *(u[3] for u in undo)])
        self.say_bulk(STATUS_DONE.get(status, f"set {{n}} {status}"), len(ids))

    def refresh_after_status(self: SitrepApp, positions: list[int],  # type: ignore[misc]
                             statuses: list[str]) -> None:
        """Repaint only what a status change touched: the claim's row and its group's counts,
        its settlements' rows, the status counts, the triage queue (when a claim joined or
        left it), the detail and the header. ``statuses``: the new and the old ones. A big
        batch repaints everything."""
        from sitrep.tui.widgets.claims_pane import ClaimsPane
        from sitrep.tui.widgets.settlements_pane import SettlementsPane
        from sitrep.tui.widgets.verification_pane import VerificationPane

        model = self.model
        assert model is not None
        claims = self.query_one(ClaimsPane)
        places = self.query_one(SettlementsPane)
        triage = self.query_one(VerificationPane)
        if len(positions) > 20:
            claims.refresh_rows()
            places.refresh_rows()
            triage.reset()
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
                triage.reset()  # the queue grew or shrank: its rows shift
            else:
                triage.refresh_header()
        self.show_detail()
        self.update_header()

    def _job(self: SitrepApp, label: str,  # type: ignore[misc]
             build: Callable[[Changes], list[Op]], undo: UndoStep) -> persist.Job:
        """A job that builds its ops with the store's builders (in the worker, against the
        records as they are then) and applies them in one batch."""

        def run(store: Store) -> list[tuple[str, Record]]:
            ops = build(store.changes)
            store.apply(ops)
            return [(op["table"], r) for op in ops
                    if (r := store.get(op["table"], op["id"])) is not None]

        return persist.Job(label, run, undo=undo)

    # ------------------------------------------------------------------ grade and note
    def action_grade(self: SitrepApp) -> None:  # type: ignore[misc]
        """Ask for a grade (B, 3 or B3) and apply it to the target claims."""
        def ask(positions: list[int]) -> None:
            title = f"Grade {len(positions)} claim(s): letter → source, digit → claim"
            self.push_screen(GradeModal(title), lambda result: self._grade(positions, result))

        self.with_targets(ask)

    def _grade(self: SitrepApp, positions: list[int],  # type: ignore[misc]
               result: tuple[str | None, int | None] | None) -> None:
        if result is None or self.model is None:
            return
        letter, digit = result
        ids: list[str] = []
        undo: UndoStep = []
        seen: set[str] = set()
        unknown_source = False
        for p in positions:
            claim = self.model.claims[p]
            cid, sid = str(claim.get("id")), str(claim.get("source") or "")
            ids.append(cid)
            if digit is not None and claim.get("credibility") != digit:
                undo.append(("claims", cid, "credibility", claim.get("credibility")))
            src = self.model.sources.get(sid)
            unknown_source |= bool(letter) and src is None
            if letter and src is not None and sid not in seen:
                seen.add(sid)
                if src.get("reliability") != letter:
                    undo.append(("sources", sid, "reliability", src.get("reliability")))
        if undo or unknown_source:  # an unknown source: the store's builder says why not
            if undo:
                self.undo_stack.append(undo)
            by = self.analyst
            self.submit(self._job("grade", lambda changes: changes.grade(
                ids, (letter, digit), by=by), undo))
            if undo:
                self.say_bulk("graded {n}", len(positions))

    # ------------------------------------------------------------------ accept a suggestion
    def action_accept_suggestion(self: SitrepApp) -> None:  # type: ignore[misc]
        """Take what the analysis suggests: on a source (its group header or detail) its
        suggested reliability, else the suggested credibility of the marked claims (or the
        current one). A grade like any other: recorded in history, undone by ``u``."""
        sid = self._source_in_view()
        if sid is not None:
            self._accept_reliability(sid)
        else:
            self.with_targets(self._accept_credibility)

    def _source_in_view(self: SitrepApp) -> str | None:  # type: ignore[misc]
        """The source the focused pane is on (a group header, a source's detail), or None."""
        from sitrep.tui.widgets.claims_pane import ClaimsPane
        from sitrep.tui.widgets.detail_pane import DetailPane

        focused = self.focused
        if isinstance(focused, DetailPane) and focused.subject and focused.subject[0] == "source":
            return focused.subject[1]
        if isinstance(focused, ClaimsPane) and focused.current_position() is None:
            return focused.current_source()
        return None

    def _accept_credibility(self: SitrepApp, positions: list[int]) -> None:  # type: ignore[misc]
        model = self.model
        if model is None:
            return
        by_digit: dict[int, list[str]] = {}
        undo: UndoStep = []
        waiting = False
        for p in positions:
            found = self.insight.claim(model, p)
            claim = model.claims[p]
            if found is None or found.suggested_credibility is None:
                waiting |= found is None
                continue
            digit = found.suggested_credibility
            if claim.get("credibility") != digit:
                cid = str(claim.get("id"))
                by_digit.setdefault(digit, []).append(cid)
                undo.append(("claims", cid, "credibility", claim.get("credibility")))
        if not undo:
            self.notify("Still analysing: try again in a moment." if waiting else
                        "Nothing to accept: the credibility is the one suggested.", timeout=3)
            return
        self.undo_stack.append(undo)
        by = self.analyst
        note = "accepted the suggested credibility"
        self.submit(self._job("grade", lambda changes: [
            op for digit, ids in by_digit.items()
            for op in changes.grade(ids, (None, digit), by=by, note=note)], undo))
        digits = "/".join(str(d) for d in by_digit)
        self.notify(f"credibility {digits} on {len(undo)} claim(s), as suggested · u undoes",
                    timeout=4, markup=False)

    def _accept_reliability(self: SitrepApp, sid: str) -> None:  # type: ignore[misc]
        model = self.model
        source = model.sources.get(sid) if model is not None else None
        if model is None or source is None:
            self.notify(f"No source {sid!r} to grade.", severity="warning", markup=False)
            return
        letter = self.insight.record(model, sid).suggested_reliability
        before = source.get("reliability")
        if before == letter:
            self.notify(f"Nothing to accept: {sid} is already {letter}.", timeout=3,
                        markup=False)
            return
        undo: UndoStep = [("sources", sid, "reliability", before)]
        self.undo_stack.append(undo)
        by = self.analyst
        self.submit(self._job("grade", lambda changes: changes.grade(
            [sid], (letter, None), by=by, note="accepted the suggested reliability"), undo))
        self.notify(f"{sid}: reliability {letter}, as its record suggests · u undoes",
                    timeout=4, markup=False)

    def action_add_note(self: SitrepApp) -> None:  # type: ignore[misc]
        """Ask for a note and append it to the target claims' history."""
        def ask(ids: list[str]) -> None:
            title = f"Note on {ids[0]}" if len(ids) == 1 else f"Note on {len(ids)} marked claims"
            self.push_screen(NoteModal(title), lambda text: self._note(ids, text))

        self.with_note_targets(ask)

    def with_note_targets(self: SitrepApp,  # type: ignore[misc]
                          act: Callable[[list[str]], None]) -> None:
        """Run ``act`` on the ids of the claims a note goes on (marked, else current), asking
        first about marked claims the filter hides."""
        model = self.model
        self.with_targets(lambda positions: act(
            [str(model.claims[p].get("id")) for p in positions] if model else []))

    def _note(self: SitrepApp, ids: list[str], text: str | None) -> None:  # type: ignore[misc]
        if not text:
            return
        undo: UndoStep = [("claims", c, "note", text) for c in ids]
        self.undo_stack.append(undo)
        self.submit(persist.Job("note", self._note_run(ids, text), undo=undo))
        self.say_bulk("noted {n}", len(ids))

    def _note_run(self: SitrepApp, ids: list[str], text: str,  # type: ignore[misc]
                  retract: bool = False) -> Callable[[Store], list[tuple[str, Record]]]:
        """The store call adding (or, for undo, retracting) one note on each claim."""
        by = self.analyst

        def run(store: Store) -> list[tuple[str, Record]]:
            build = store.changes.retract_note if retract else store.changes.note
            store.apply([build("claims", c, text, by=by) for c in ids])
            return [("claims", r) for c in ids if (r := store.get("claims", c)) is not None]

        return run

    # ------------------------------------------------------------------ undo
    def action_undo(self: SitrepApp) -> None:  # type: ignore[misc]
        """Put back the previous values of the last change (repeatable)."""
        if not self.undo_stack or self.model is None:
            self.notify("Nothing to undo.", timeout=2)
            return
        step = self.undo_stack.pop()
        changes: UndoStep = []
        for table, rid, field, value in step:
            if field == "record":
                self.submit(self._put_job(table, value, undoing=True))
                continue
            if field == "resolve":  # the conflict is recorded again, open
                self.submit(self.conflict_resolver.undo_job(table, rid, value))
                continue
            if field == "note":  # history is append-only: the note is marked retracted
                self.submit(persist.Job("note", self._note_run([rid], value, retract=True)))
                continue
            if table == "claims" and field == "status" and rid in self.model.pos:
                self.model.set_status(self.model.pos[rid], value)
            changes.append((table, rid, field, value))
        if changes:
            by = self.analyst
            self.submit(self._job("undo", lambda builders: [
                builders.restore(t, rid, f, v, by=by) for t, rid, f, v in changes], []))
        self.refresh_views()
        self.notify(f"Undone: {len(step)} change(s).", timeout=2)

    # ------------------------------------------------------------------ jump to unverified
    def _step_unverified(self: SitrepApp, direction: int) -> None:  # type: ignore[misc]
        from sitrep.tui.widgets.claims_pane import ClaimsPane

        model = self.model
        if model is None or not model.n:
            return
        p = self.current_position()
        start = (p if p is not None else -1) + direction
        q = start
        while 0 <= q < model.n:
            if model.statuses[q] == "unverified" and model.is_visible(q):
                break
            q += direction
        else:
            self.notify("No more unverified claims that way.", timeout=2)
            return
        self.jump_to_claim(str(model.claims[q].get("id")))
        self.focus_visibly(self.query_one(ClaimsPane))

    def action_next_unverified(self: SitrepApp) -> None:  # type: ignore[misc]
        """Go to the next unverified claim (in the claims pane's order)."""
        self._step_unverified(1)

    def action_prev_unverified(self: SitrepApp) -> None:  # type: ignore[misc]
        """Go to the previous unverified claim."""
        self._step_unverified(-1)

    # ------------------------------------------------------------------ results from workers
    def on_saved(self: SitrepApp, message: persist.Saved) -> None:  # type: ignore[misc]
        """Take the store's records into the view; a failed write shows a banner."""
        if not self.screen_stack:  # the app is closing
            return
        from sitrep.tui.widgets.banner import Banner

        if message.job.label == "edit":
            self.insight.forget()  # links or origins may have changed
        if self.as_of.past and message.error is None:
            self.as_of.rebuild()  # a change made before the view went to the past
            return
        model = self.model
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
            self.write_failed = True
            self.query_one(Banner).say(f"Could not save ({message.error}); the change is kept "
                                       "and will be retried.")
        elif rebuild and model is not None:
            self.model = persist.build_model(self.store, model)
            self.on_model_built(persist.ModelBuilt(self.model, "edited"))
            return
        if message.job.label.startswith("status ") or message.job.label == "note":
            # the rows and counts show the change already; the store added a history line
            self.show_detail()
            self.update_header()
            return
        self.refresh_views(rows_changed=message.job.label == "edit")

    def on_refused(self: SitrepApp, message: persist.Refused) -> None:  # type: ignore[misc]
        """The store said no: undo the optimistic view and say why."""
        if not self.screen_stack:  # the app is closing
            return
        if message.job.undo and self.undo_stack and self.undo_stack[-1] is message.job.undo:
            self.undo_stack.pop()
        if message.job.draft is not None:
            self._refuse_edit(*message.job.draft, str(message.error))
            self.refresh_views()
            return
        if self.model is not None and not self.as_of.past:
            for table, rid, field, value in message.job.undo:
                if table == "claims" and field == "status" and rid in self.model.pos:
                    self.model.set_status(self.model.pos[rid], value)
        self.notify(f"Refused, nothing written: {message.error}", severity="error",
                    markup=False, timeout=8)
        self.refresh_views()

    def on_file_problem(self: SitrepApp, message: persist.FileProblem) -> None:  # type: ignore[misc]
        """Show or clear the banner for an invalid file or a failing disk."""
        if not self.screen_stack:  # the app is closing
            return
        from sitrep.tui.widgets.banner import Banner

        banner = self.query_one(Banner)
        if message.kind == "merged":  # an editor's stale save: sitrep's changes merged back
            banner.say(message.notice)
            return
        if message.kind == "read":
            self.file_invalid = message.error is not None
        else:
            self.write_failed = message.error is not None
        if message.error is None:
            if not self.file_invalid and not self.write_failed:
                banner.clear()
        elif message.kind == "read":
            banner.say(f"{message.error} — showing the last good state; your changes go to "
                       "the journal and nothing is written to the file until it is valid.")
        else:
            banner.say(f"Could not save ({message.error}); kept pending, retrying.")
        self.update_header()

