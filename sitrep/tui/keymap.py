"""The dashboard's key bindings, built from the Textual-free table in :mod:`sitrep.keymap`.

Every binding has an ``id``, default keys and a description there (so ``sitrep keys`` and the
help screen show the same thing); this module adds what only the dashboard knows: the action
each id runs, whether the footer shows it, and its footer group. The user's ``keymap.toml``
is read and checked by :func:`sitrep.keymap.read_keymap`, with key names checked against
Textual's own (:mod:`sitrep.tui.keynames`); unknown ids and key names are reported in a
notification at start, never fatal.
"""

from __future__ import annotations

from textual.binding import Binding

from sitrep.keymap import keymap_path, load_keymap, spec

__all__ = ["APP_BINDINGS", "CHANGE_ACTIONS", "STATUS", "action_name", "binding", "keymap_path",
           "known_ids", "load_keymap"]

STATUS = Binding.Group("Status", compact=True)


def binding(binding_id: str, action: str, *, show: bool = True,
            group: Binding.Group | None = None, priority: bool = False) -> Binding:
    """The Binding of ``binding_id``: its default keys and description from the table."""
    entry = spec(binding_id)
    return Binding(entry.keys, action, entry.description, show=show, id=binding_id,
                   group=group, priority=priority)


APP_BINDINGS: list[Binding] = [
    binding("app.next_pane", "app.focus_next", show=False),
    binding("app.prev_pane", "app.focus_previous", show=False),
    binding("status.confirmed", "set_status('confirmed')", group=STATUS),
    binding("status.corroborated", "set_status('corroborated')", group=STATUS),
    binding("status.disputed", "set_status('disputed')", group=STATUS),
    binding("status.false", "set_status('false')", group=STATUS),
    binding("status.unverified", "set_status('unverified')", group=STATUS),
    binding("claim.mark", "toggle_mark", show=False),
    binding("claim.note", "add_note", show=False),
    binding("claim.note_editor", "note_in_editor", show=False),
    binding("claim.grade", "grade", show=False),
    binding("app.undo", "undo", show=False),
    binding("claim.next_unverified", "next_unverified", show=False),
    binding("claim.prev_unverified", "prev_unverified", show=False),
    binding("record.edit", "edit_record", show=False),
    binding("record.resolve", "resolve_conflict", show=False),
    binding("app.report", "write_report", show=False),
    binding("app.filter", "open_filter"),
    binding("app.clear", "clear", show=False),
    binding("app.maximize", "toggle_maximize", show=False),
    binding("analysis.accept", "accept_suggestion", show=False),
    # priority: run as the key arrives, so the rest of a burst (@2022-06-30⏎) reaches the
    # date line it opens, not the pane that had focus (the app lets a text box have the key)
    binding("view.as_of", "ask_as_of", show=False, priority=True),
    binding("view.day_back", "step_as_of(-1)", show=False),
    binding("view.day_forward", "step_as_of(1)", show=False),
    binding("view.week_back", "step_as_of(-7)", show=False),
    binding("view.week_forward", "step_as_of(7)", show=False),
    binding("feeds.import", "import_feed", show=False),
    binding("feeds.pull_all", "pull_feeds", show=False),
    binding("feeds.log", "show_import_log", show=False),
    binding("app.redraw", "redraw", show=False),
    binding("app.help", "help"),
    binding("app.quit", "quit_app"),
]


def action_name(action: str) -> str:
    """The method part of an action string: ``set_status('false')`` -> ``set_status``."""
    return action.split("(", 1)[0].rpartition(".")[2]


#: The app's actions that change data (their key's ``changes`` in :mod:`sitrep.keymap`):
#: refused while the dashboard shows the past.
CHANGE_ACTIONS = frozenset(action_name(b.action) for b in APP_BINDINGS
                           if b.id and spec(b.id).changes)


def known_ids(bindings: list[Binding]) -> set[str]:
    """The ids of these bindings."""
    return {b.id for b in bindings if b.id}
