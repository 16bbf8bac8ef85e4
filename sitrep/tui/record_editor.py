"""The ``$VISUAL``/``$EDITOR`` round trip: ``e`` edits the focused claim, source or settlement
as JSON, ``N`` writes a long note.

The saved text is parsed and validated before anything is written; a refused edit keeps the
analyst's text (:attr:`sitrep.tui.session.Session.refused_edit`), and the next ``e`` on the
same record reopens it. The write goes through the store in a worker like every other change,
with one undo step.
"""

from __future__ import annotations

import json
import os
import shlex
import tempfile
from pathlib import Path
from typing import Any

from sitrep.tui.host import Dashboard
from sitrep.tui.suspend import run_suspended
from sitrep.tui.widgets.claims_pane import ClaimsPane
from sitrep.tui.widgets.detail_pane import DetailPane
from sitrep.tui.widgets.settlements_pane import SettlementsPane

Record = dict[str, Any]


class RecordEditor:
    """Edit a record as JSON, or write a note, in the analyst's own editor."""

    def __init__(self, app: Dashboard) -> None:
        self.app = app

    def edit_focused(self) -> None:
        """Edit the focused claim, source or settlement as JSON; validated on save."""
        app = self.app
        model = app.model
        if model is None:
            return
        focused = app.focused
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
            p = app.current_position()
            record = model.claims[p] if p is not None else None
        if record is None:
            app.notify("Nothing to edit here.", severity="warning")
            return
        self._edit(table, record)

    def _edit(self, table: str, record: Record) -> None:
        session = self.app.session
        rid = str(record.get("id"))
        original = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
        draft = session.refused_edit
        reopening = draft is not None and draft[:2] == (table, rid)
        edited = self.run_editor(draft[2] if reopening and draft else original)
        if edited is None:
            return
        session.refused_edit = None
        if reopening and draft and edited == draft[2]:
            self.app.notify("Refused edit saved unchanged: dropped, nothing written.",
                            timeout=4)
            return
        try:
            new = json.loads(edited)
        except json.JSONDecodeError as exc:
            self.refuse(table, rid, edited, f"not valid JSON at line {exc.lineno}:"
                        f"{exc.colno}: {exc.msg}")
            return
        if not isinstance(new, dict):
            self.refuse(table, rid, edited, "a record must be a JSON object")
            return
        if new == record:
            return
        if new.get("id") != record.get("id"):
            self.refuse(table, rid, edited, "the id cannot change here")
            return
        self.app.saver.submit(session.edit(table, record, new, edited))

    def refuse(self, table: str, rid: str, text: str, reason: str) -> None:
        """Say why an edit was refused and keep the text for the next ``e`` on the record."""
        self.app.session.refused_edit = (table, rid, text)
        self.app.notify(f"Edit refused, nothing written: {reason}. Your text is kept: press e "
                        "on the record to fix it (save it unchanged to drop it).",
                        severity="error", markup=False, timeout=10)

    def note_text(self, ids: list[str]) -> str | None:
        """A note on the claims ``ids`` written in the editor (for notes longer than a line):
        its text, or None (said why) when there is none to add."""
        if not ids:
            return None
        on = ids[0] if len(ids) == 1 else f"{len(ids)} marked claims"
        written = self.run_editor(f"\n# A note on {on}. Lines starting with # are left out;"
                                  " an empty note is dropped.\n")
        if written is None:
            return None
        text = "\n".join(line for line in written.splitlines()
                         if not line.startswith("#")).strip()
        if not text:
            self.app.notify("Empty note: nothing written.", timeout=3)
            return None
        return text

    def run_editor(self, text: str) -> str | None:
        """Suspend the app, run $VISUAL/$EDITOR on ``text``; the saved text, or None (with one
        message) when the editor cannot start or exits non-zero (the terminal is handed over
        and taken back by :func:`sitrep.tui.suspend.run_suspended`)."""
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with tempfile.TemporaryDirectory(prefix="sitrep-edit-") as folder:
            path = Path(folder) / "record.json"
            path.write_text(text, encoding="utf-8")
            status = run_suspended(self.app, editor, [str(path)], role="editor",
                                   variables="$VISUAL or $EDITOR")
            if status is None:
                return None
            if status != 0:
                name = (shlex.split(editor) or [editor])[0]
                self.app.notify(f"editor {name!r} exited with status {status}: nothing "
                                "written.", severity="warning", markup=False, timeout=8)
                return None
            return path.read_text(encoding="utf-8")
