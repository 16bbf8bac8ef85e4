"""Conflicts a merge recorded, in the dashboard: how many are open (the header), and the key
that resolves one (``C``).

Which conflicts are open is :func:`sitrep.models.open_conflicts` (the one rule, also behind
``conflict:yes`` and ``sitrep show``); a resolution is built by the store's
``Changes.resolve``, as ``sitrep resolve`` builds it. Both parts here are held by the app
(``app.conflicts``), not mixed into it.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from sitrep import dates
from sitrep.models import CONFLICT_FIELD, describe_control, open_conflicts
from sitrep.store import Store
from sitrep.tui.app_calls import AppCalls
from sitrep.tui.screens.resolve_modal import Choice, ConflictPickModal, ResolveModal
from sitrep.tui.session import Job, JobKind, Session

if TYPE_CHECKING:

    from sitrep.tui.model import DashboardModel
    from sitrep.tui.saver import Saver

Record = dict[str, Any]


class Host(AppCalls, Protocol):
    """What the conflict parts use of the app that holds them (the dashboard, or a test's)."""

    model: DashboardModel | None
    analyst: str
    session: Session
    saver: Saver
    conflict_count: ConflictCount

    def update_header(self) -> None: ...


#: the detail pane's subject kinds -> the tables their records are in
TABLE_OF = {"claim": "claims", "source": "sources", "settlement": "settlements"}
#: a conflict on one of these keeps the record as it is: resolving it takes no value
NO_VALUE = ("record", "id")
REOPENED = "reopened: the resolution was undone"


def as_cli_text(value: Any) -> str:
    """A value as ``sitrep resolve`` takes it (text as it is, anything else as JSON), the form
    ``Changes.resolve`` is given."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def value_words(value: Any) -> str:
    """A conflict side's value for people: a control observation in words, else the CLI's
    form."""
    return describe_control(value) if isinstance(value, dict) else as_cli_text(value)


def choices(conflicts: Iterable[Record], subject: str) -> list[Choice]:
    """What the open conflicts on field ``subject`` of one record can be resolved to: the value
    kept first (the field holds it now), then the other, each once."""
    entries = [e for e in conflicts if e.get("conflict") == subject]
    if subject in NO_VALUE:
        return [Choice(None, "keep the record as it is")]
    found: list[Choice] = []
    seen: list[Any] = []
    for entry in entries:
        for key, what in (("to", "kept now"), ("from", "not kept")):
            side = entry.get(key)
            if not isinstance(side, dict) or "value" not in side or side["value"] in seen:
                continue
            seen.append(side["value"])
            who = f"{side.get('by') or '?'}, {side.get('at') or '?'}"
            found.append(Choice(side["value"], f"{value_words(side['value'])} — {what} ({who})"))
    return found


@dataclass
class Reopen:
    """An undo step's value for a resolution: what the field held before it, and the conflict
    entries it closed (recorded again by the undo, so the conflict is open once more)."""

    subject: str
    had_value: bool
    value: Any
    entries: list[Record] = field(default_factory=list)


class ConflictCount:
    """How many conflicts are open in the records the dashboard shows.

    Counted over every claim, source and settlement in a worker when a new model comes in
    (about 60 ms at 100k claims: not in a frame), then kept by recounting only the records
    a change touched.
    """

    def __init__(self, app: Host) -> None:
        self.app = app
        self.total = 0
        self._per: dict[tuple[str, str], int] = {}
        self._model: DashboardModel | None = None
        # records changed while a full count runs: counted again when it lands
        self._pending: dict[tuple[str, str], Record] | None = None

    def recount(self, model: DashboardModel) -> None:
        """Count a new model's open conflicts (in a worker; the header follows)."""
        if model is self._model:
            return
        self._model = model
        self._pending = {}
        self.app.run_worker(lambda: self._count_all(model), thread=True, exclusive=True,
                            group="conflict-count", exit_on_error=False)

    def _count_all(self, model: DashboardModel) -> None:
        per: dict[tuple[str, str], int] = {}
        # list(): copies made under the GIL, so the UI thread may change the model meanwhile
        for table, records in (("claims", list(model.claims)),
                               ("sources", list(model.sources.values())),
                               ("settlements", list(model.places.values()))):
            for record in records:
                if isinstance(record, dict) and (n := len(open_conflicts(record))):
                    per[(table, str(record.get("id")))] = n
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            self.app.call_from_thread(self._install, model, per)

    def _install(self, model: DashboardModel, per: dict[tuple[str, str], int]) -> None:
        if model is not self._model:
            return
        pending, self._pending = self._pending or {}, None
        self._per = per
        for key, record in pending.items():
            self._count(key, record)
        self.total = sum(self._per.values())
        self.app.update_header()

    def records_changed(self, records: Iterable[tuple[str, Record]]) -> None:
        """Count again the records a change went through the store with."""
        for table, record in records:
            key = (table, str(record.get("id")))
            if self._pending is not None:
                self._pending[key] = record
            self._count(key, record)
        self.total = sum(self._per.values())

    def _count(self, key: tuple[str, str], record: Record) -> None:
        n = len(open_conflicts(record))
        if n:
            self._per[key] = n
        else:
            self._per.pop(key, None)


class ConflictResolver:
    """``C``: resolve a conflict of the record the detail pane shows, by picking one of its
    values in a small modal (first the conflict, in a list of them, when the record has open
    conflicts on several fields); the resolution is a history entry, and ``u`` undoes it (the field
    gets its value back and the conflict is recorded again, open)."""

    def __init__(self, app: Host) -> None:
        self.app = app

    def resolve_shown(self) -> None:
        """Resolve an open conflict of the record in the detail pane: with one, the modal of
        its values; with several, first the list of them to pick the one to resolve."""
        found = self._shown_conflicts()
        if found is None:
            return
        subject, conflicts = found
        fields = list(dict.fromkeys(str(e.get("conflict")) for e in conflicts))
        if len(fields) == 1:
            self._offer_values(subject, fields[0])
            return
        listed = [Choice(name, name, tuple(c.label for c in choices(conflicts, name)))
                  for name in fields]
        title = f"{subject[1]} has {len(fields)} open conflicts: resolve which?"

        def picked(choice: Choice | None) -> None:
            if choice is not None:
                self._offer_values(subject, str(choice.value))

        self.app.push_screen(ConflictPickModal(title, listed), picked)

    def _shown_conflicts(self) -> tuple[tuple[str, str], list[Record]] | None:
        """The record in the detail pane (its kind and id) and its open conflicts; None, said
        to the analyst, when there is no record or no open conflict."""
        from sitrep.tui.widgets.detail_pane import DetailPane

        app = self.app
        subject = app.query_one(DetailPane).subject
        record = self._record(*subject) if subject else None
        if subject is None or record is None:
            app.notify("No record here: move to a claim, source or settlement first.",
                       severity="warning")
            return None
        conflicts = open_conflicts(record)
        if not conflicts:
            hint = (" (conflict:yes in / lists the claims that have one)"
                    if app.conflict_count.total else "")
            app.notify(f"No open conflict on {subject[1]}{hint}.", timeout=4, markup=False)
            return None
        return subject, conflicts

    def _offer_values(self, subject: tuple[str, str], name: str) -> None:
        """The modal of the values the conflict on field ``name`` can be resolved to. The
        record is read again: it may have changed while the list of conflicts was open."""
        app = self.app
        table, rid = TABLE_OF[subject[0]], subject[1]
        record = self._record(*subject)
        conflicts = open_conflicts(record) if record is not None else []
        if record is None or not any(e.get("conflict") == name for e in conflicts):
            app.notify(f"The conflict on {name} of {rid} is no longer open.", markup=False,
                       severity="warning", timeout=6)
            return
        options = choices(conflicts, name)
        if not options:
            app.notify(f"The conflict on {name} of {rid} names no value to keep; resolve it "
                       "with sitrep resolve or edit the record (e).", severity="warning",
                       markup=False, timeout=8)
            return
        title = f"Resolve the conflict on {name} of {rid}: keep which?"
        reopen = Reopen(name, name in record, record.get(name),
                        [dict(e) for e in conflicts if e.get("conflict") == name])
        app.push_screen(ResolveModal(title, options),
                        lambda picked: self._resolve(table, rid, reopen, picked))

    def _record(self, kind: str, rid: str) -> Record | None:
        model = self.app.model
        if model is None:
            return None
        if kind == "claim":
            p = model.position(rid)
            return model.claims[p] if p is not None else None
        return (model.sources if kind == "source" else model.places).get(rid)

    def _resolve(self, table: str, rid: str, reopen: Reopen, picked: Choice | None) -> None:
        if picked is None:
            return
        app = self.app
        by = app.analyst
        value = None if reopen.subject in NO_VALUE else as_cli_text(picked.value)

        def run(store: Store) -> list[tuple[str, Record]]:
            store.resolve(rid, reopen.subject, value, by=by)
            record = store.get(table, rid)
            return [(table, record)] if record is not None else []

        undo = [(table, rid, "resolve", reopen)]
        app.session.remember(undo)  # taken off again if the store refuses it
        app.saver.submit(Job(JobKind.EDIT, run, undo))
        app.notify(f"{rid}: {reopen.subject} conflict resolved · u undoes", timeout=4,
                   markup=False)

    def undo_job(self, table: str, rid: str, reopen: Reopen) -> Job:
        """The change that undoes a resolution: the field's value before it, and the conflict
        entries it closed recorded again (history is append-only), in one put."""
        by = self.app.analyst

        def run(store: Store) -> list[tuple[str, Record]]:
            current = store.get(table, rid)
            if current is None:
                return []
            record = dict(current)
            if reopen.had_value:
                record[reopen.subject] = reopen.value
            else:
                record.pop(reopen.subject, None)
            at = dates.utc_now_iso(store.changes.clock())
            history = current.get("history")
            again = [{**entry, "at": at, "by": by, "note": REOPENED} for entry in reopen.entries
                     if entry.get("field") == CONFLICT_FIELD]
            record["history"] = [*(history if isinstance(history, list) else []), *again]
            return [(table, store.put(table, record, by=by, note="undo"))]

        return Job(JobKind.EDIT, run)
