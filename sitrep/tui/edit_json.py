"""The keys that open ``$VISUAL``/``$EDITOR``: ``e`` edits the focused claim, source or
settlement as JSON, ``N`` writes a long note.

The saved text is parsed and validated before anything is written; a refused edit keeps the
analyst's text, and the next ``e`` on the same record reopens it. The write goes through the
store in a worker like every other change, with one undo step.
"""

from __future__ import annotations

import json
import os
import shlex
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitrep.store import Store
from sitrep.tui import persist
from sitrep.tui.suspend import run_suspended

if TYPE_CHECKING:
    from sitrep.tui.app import SitrepApp

Record = dict[str, Any]


class EditAsJson:
    """Mixin for SitrepApp: the edit-as-JSON action (``refused_edit`` is set up in
    ``init_triage``)."""

    def action_edit_record(self: SitrepApp) -> None:  # type: ignore[misc]
        """Edit the focused claim, source or settlement as JSON in $EDITOR; validated on save."""
        from sitrep.tui.widgets.claims_pane import ClaimsPane
        from sitrep.tui.widgets.detail_pane import DetailPane
        from sitrep.tui.widgets.settlements_pane import SettlementsPane

        model = self.model
        if model is None:
            return
        focused = self.focused
        table, record = "claims", None
        subject = focused.subject if isinstance(focused, DetailPane) else None
        if isinstance(focused, SettlementsPane) and focused.current_id():
            table, record = "settlements", model.places.get(focused.current_id() or "")
        elif subject and subject[0] == "settlement":
            table, record = "settlements", model.places.get(subject[1])
        elif subject and subject[0] == "source":
            table, record = "sources", model.sources.get(subject[1])
        elif (isinstance(focused, ClaimsPane) and focused.current_position() is None
              and focused.current_source()):  # a source's group header
            table, record = "sources", model.sources.get(focused.current_source() or "")
        else:
            p = self.current_position()
            record = model.claims[p] if p is not None else None
        if record is None:
            self.notify("Nothing to edit here.", severity="warning")
            return
        rid = str(record.get("id"))
        original = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
        draft = self.refused_edit
        reopening = draft is not None and draft[:2] == (table, rid)
        edited = self.run_editor(draft[2] if reopening and draft else original)
        if edited is None:
            return
        if reopening and draft and edited == draft[2]:
            self.refused_edit = None
            self.notify("Refused edit saved unchanged: dropped, nothing written.", timeout=4)
            return
        self.refused_edit = None
        try:
            new = json.loads(edited)
        except json.JSONDecodeError as exc:
            self._refuse_edit(table, rid, edited, f"not valid JSON at line {exc.lineno}:"
                              f"{exc.colno}: {exc.msg}")
            return
        if not isinstance(new, dict):
            self._refuse_edit(table, rid, edited, "a record must be a JSON object")
            return
        if new == record:
            return
        if new.get("id") != record.get("id"):
            self._refuse_edit(table, rid, edited, "the id cannot change here")
            return
        job = self._put_job(table, new)
        job.undo = [(table, rid, "record", dict(record))]
        job.draft = (table, rid, edited)
        self.undo_stack.append(job.undo)  # taken off again if the store refuses the edit
        self.submit(job)

    def _refuse_edit(self: SitrepApp, table: str, rid: str,  # type: ignore[misc]
                     text: str, reason: str) -> None:
        """Say why an edit was refused and keep the text for the next ``e`` on the record."""
        self.refused_edit = (table, rid, text)
        self.notify(f"Edit refused, nothing written: {reason}. Your text is kept: press e "
                    "on the record to fix it (save it unchanged to drop it).",
                    severity="error", markup=False, timeout=10)

    def action_note_in_editor(self: SitrepApp) -> None:  # type: ignore[misc]
        """Write a note on the target claims in $EDITOR (for notes longer than one line)."""
        self.with_note_targets(self._note_in_editor)

    def _note_in_editor(self: SitrepApp, ids: list[str]) -> None:  # type: ignore[misc]
        if not ids:
            return
        on = ids[0] if len(ids) == 1 else f"{len(ids)} marked claims"
        written = self.run_editor(f"\n# A note on {on}. Lines starting with # are left out;"
                                  " an empty note is dropped.\n")
        if written is None:
            return
        text = "\n".join(line for line in written.splitlines()
                         if not line.startswith("#")).strip()
        if not text:
            self.notify("Empty note: nothing written.", timeout=3)
            return
        self._note(ids, text)

    def run_editor(self: SitrepApp, text: str) -> str | None:  # type: ignore[misc]
        """Suspend the app, run $VISUAL/$EDITOR on ``text``; the saved text, or None (with one
        message) when the editor cannot start or exits non-zero (the terminal is handed over
        and taken back by :func:`sitrep.tui.suspend.run_suspended`)."""
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with tempfile.TemporaryDirectory(prefix="sitrep-edit-") as folder:
            path = Path(folder) / "record.json"
            path.write_text(text, encoding="utf-8")
            status = run_suspended(self, editor, [str(path)], role="editor",
                                   variables="$VISUAL or $EDITOR")
            if status is None:
                return None
            if status != 0:
                name = (shlex.split(editor) or [editor])[0]
                self.notify(f"editor {name!r} exited with status {status}: nothing "
                            "written.", severity="warning", markup=False, timeout=8)
                return None
            return path.read_text(encoding="utf-8")

    def _put_job(self: SitrepApp, table: str, record: Record,  # type: ignore[misc]
                 undoing: bool = False) -> persist.Job:
        by = self.analyst

        def run(store: Store) -> list[tuple[str, Record]]:
            saved = store.put(table, record, by=by, note="undo" if undoing else None)
            return [(table, saved)]

        return persist.Job("edit", run)

