"""The dashboard's app-level key bindings and the user's keymap file.

Every binding has an ``id``; a user remaps keys in ``keymap.toml`` (or ``keymap.json``) in the
sitrep config folder (``sitrep.paths.config_dir()``), e.g.::

    [keys]
    "status.confirmed" = "V"
    "list.down" = "j,down,ctrl+n"

Unknown ids are reported, never fatal.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from textual.binding import Binding

STATUS = Binding.Group("Status", compact=True)

APP_BINDINGS: list[Binding] = [
    Binding("tab", "app.focus_next", "Next pane", show=False, id="app.next_pane"),
    Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, id="app.prev_pane"),
    Binding("v", "set_status('confirmed')", "Confirmed", id="status.confirmed",
            group=STATUS),
    Binding("c", "set_status('corroborated')", "Corroborated", id="status.corroborated",
            group=STATUS),
    Binding("d", "set_status('disputed')", "Disputed", id="status.disputed",
            group=STATUS),
    Binding("x", "set_status('false')", "False", id="status.false",
            group=STATUS),
    Binding("U", "set_status('unverified')", "Unverified", id="status.unverified",
            group=STATUS),
    Binding("space", "toggle_mark", "Mark", show=False, id="claim.mark"),
    Binding("n", "add_note", "Note", show=False, id="claim.note"),
    Binding("N", "note_in_editor", "Note in $EDITOR", show=False, id="claim.note_editor"),
    Binding("g", "grade", "Grade", show=False, id="claim.grade"),
    Binding("u", "undo", "Undo", show=False, id="app.undo"),
    Binding("right_square_bracket", "next_unverified", "Next unverified", show=False,
            id="claim.next_unverified"),
    Binding("left_square_bracket", "prev_unverified", "Prev unverified", show=False,
            id="claim.prev_unverified"),
    Binding("e", "edit_record", "Edit JSON", show=False, id="record.edit"),
    Binding("slash", "open_filter", "Filter", id="app.filter"),
    Binding("escape", "clear", "Clear", show=False, id="app.clear"),
    Binding("z", "toggle_maximize", "Maximise", show=False, id="app.maximize"),
    Binding("i", "import_feed", "Import a feed", show=False, id="feeds.import"),
    Binding("R", "pull_feeds", "Pull all subscriptions", show=False, id="feeds.pull_all"),
    Binding("I", "show_import_log", "Import log", show=False, id="feeds.log"),
    Binding("ctrl+l", "redraw", "Redraw the screen", show=False, id="app.redraw"),
    Binding("question_mark", "help", "Help", id="app.help"),
    Binding("q", "quit_app", "Quit", id="app.quit"),
]


def keymap_path(folder: Path) -> Path | None:
    """The keymap file in ``folder`` (TOML preferred), or None."""
    for name in ("keymap.toml", "keymap.json"):
        if (folder / name).is_file():
            return folder / name
    return None


def load_keymap(path: Path | None) -> tuple[dict[str, str], list[str]]:
    """Read a keymap file: (binding id -> keys, problems). A missing file is an empty keymap."""
    if path is None or not path.is_file():
        return {}, []
    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode()) if path.suffix == ".toml" else json.loads(raw)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        return {}, [f"{path}: cannot read keymap ({exc})"]
    table = data.get("keys", data) if isinstance(data, dict) else {}
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in table.items():
        if isinstance(keys, str) and keys.strip():
            keymap[str(binding_id)] = keys
        elif isinstance(keys, list) and all(isinstance(k, str) for k in keys):
            keymap[str(binding_id)] = ",".join(keys)
        else:
            problems.append(f"{path}: keys for {binding_id!r} must be a string")
    return keymap, problems


def known_ids(bindings: list[Binding]) -> set[str]:
    """The ids of these bindings."""
    return {b.id for b in bindings if b.id}
