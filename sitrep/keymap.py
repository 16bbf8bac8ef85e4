"""The dashboard's keys as data: every binding's id, default keys and description, and the
user's keymap file, read and checked. No Textual here, so ``sitrep keys`` can show and check
the keymap without loading the dashboard; :mod:`sitrep.tui.keymap` builds the Bindings from
:data:`KEYMAP`.

A user remaps keys by id in ``keymap.toml`` (or ``keymap.json``) in the sitrep config folder
(``sitrep.paths.config_dir()``)::

    [keys]
    "status.confirmed" = "V"
    "list.down" = "j,down,ctrl+n"

Every problem is reported, none is fatal: a file that cannot be read, an id no binding has
(``status.confirmd``), keys that are not a string or list of strings, and key names the
terminal never sends (checked by a function the caller passes, see
:mod:`sitrep.tui.keynames`); the dashboard shows them in a notification at start and
``sitrep keys`` lists them (exit 1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class KeySpec:
    """One remappable binding: its id, default keys (comma-separated) and description;
    ``changes``: the key changes data, so the dashboard refuses it while it shows the past."""

    id: str
    keys: str
    description: str
    changes: bool = False


KEYMAP: tuple[KeySpec, ...] = (
    # everywhere
    KeySpec("app.next_pane", "tab", "Next pane"),
    KeySpec("app.prev_pane", "shift+tab", "Previous pane"),
    KeySpec("status.confirmed", "v", "Confirmed", changes=True),
    KeySpec("status.corroborated", "c", "Corroborated", changes=True),
    KeySpec("status.disputed", "d", "Disputed", changes=True),
    KeySpec("status.false", "x", "False", changes=True),
    KeySpec("status.unverified", "U", "Unverified", changes=True),
    KeySpec("claim.mark", "space", "Mark"),
    KeySpec("claim.note", "n", "Note", changes=True),
    KeySpec("claim.note_editor", "N", "Note in $EDITOR", changes=True),
    KeySpec("claim.grade", "g", "Grade", changes=True),
    KeySpec("app.undo", "u", "Undo", changes=True),
    KeySpec("claim.next_unverified", "right_square_bracket", "Next unverified"),
    KeySpec("claim.prev_unverified", "left_square_bracket", "Prev unverified"),
    KeySpec("record.edit", "e", "Edit JSON", changes=True),
    KeySpec("record.resolve", "C", "Resolve a conflict", changes=True),
    KeySpec("app.report", "r", "Write the report"),
    KeySpec("app.filter", "slash", "Filter"),
    KeySpec("app.clear", "escape", "Clear"),
    KeySpec("app.maximize", "z", "Maximise"),
    KeySpec("analysis.accept", "a", "Accept suggestion", changes=True),
    KeySpec("view.as_of", "at", "As of a date"),
    KeySpec("view.day_back", "less_than_sign", "A day back"),
    KeySpec("view.day_forward", "greater_than_sign", "A day forward"),
    KeySpec("view.week_back", "left_curly_bracket", "A week back"),
    KeySpec("view.week_forward", "right_curly_bracket", "A week forward"),
    KeySpec("feeds.import", "i", "Import a feed", changes=True),
    KeySpec("feeds.pull_all", "R", "Pull all subscriptions", changes=True),
    KeySpec("feeds.log", "I", "Import log"),
    KeySpec("app.redraw", "ctrl+l", "Redraw the screen"),
    KeySpec("app.help", "question_mark", "Help"),
    KeySpec("app.quit", "q", "Quit"),
    # any list
    KeySpec("list.down", "j,down", "Down"),
    KeySpec("list.up", "k,up", "Up"),
    KeySpec("list.page_down", "pagedown,ctrl+f", "Page down"),
    KeySpec("list.page_up", "pageup,ctrl+b", "Page up"),
    KeySpec("list.first", "home", "First"),
    KeySpec("list.last", "end,G", "Last"),
    # panes
    KeySpec("settlements.select", "enter", "Filter to it"),
    KeySpec("settlements.sort", "s", "Sort"),
    KeySpec("settlements.reverse", "S", "Reverse"),
    KeySpec("claims.open", "enter", "Open"),
    KeySpec("claims.collapse", "h,left", "Collapse"),
    KeySpec("claims.expand", "l,right", "Expand"),
    KeySpec("claims.collapse_all", "o", "Collapse all"),
    KeySpec("claims.select_source", "f", "Source only"),
    KeySpec("triage.open", "enter", "Detail"),
    KeySpec("detail.jump", "enter", "Jump to link"),
    # pop-ups
    KeySpec("help.close", "escape,q,question_mark", "Close"),
    KeySpec("help.down", "j,down", "Down"),
    KeySpec("help.up", "k,up", "Up"),
    KeySpec("import_log.close", "escape,q,I", "Close"),
    KeySpec("import_log.down", "j,down", "Down"),
    KeySpec("import_log.up", "k,up", "Up"),
    KeySpec("import_log.page_down", "pagedown,ctrl+f,space", "Page down"),
    KeySpec("import_log.page_up", "pageup,ctrl+b", "Page up"),
    KeySpec("import_log.top", "home", "Top"),
    KeySpec("import_log.bottom", "end,G", "Bottom"),
    KeySpec("import.cancel", "escape", "Cancel"),
    KeySpec("import.to_list", "down", "Subscriptions"),
    KeySpec("import.down", "j", "Down"),
    KeySpec("import.up", "k", "Up"),
    KeySpec("resolve.down", "j,down", "Down"),
    KeySpec("resolve.up", "k,up", "Up"),
    KeySpec("resolve.pick", "enter", "Pick (the conflict, then the value to keep)"),
    KeySpec("modal.cancel", "escape", "Cancel"),
)
SPECS: dict[str, KeySpec] = {spec.id: spec for spec in KEYMAP}
#: Ids renamed since a release, still read from keymap.toml under their old name.
RENAMED = {"claims.fold": "claims.collapse", "claims.unfold": "claims.expand",
           "claims.fold_all": "claims.collapse_all"}

KeyCheck = Callable[[str], "str | None"]  # a key name -> why it is not one, or None


def spec(binding_id: str) -> KeySpec:
    """The table entry of ``binding_id`` (KeyError for an id the table lacks: a bug)."""
    return SPECS[binding_id]


def keymap_path(folder: Path) -> Path | None:
    """The keymap file in ``folder`` (TOML preferred), or None."""
    for name in ("keymap.toml", "keymap.json"):
        if (folder / name).is_file():
            return folder / name
    return None


def load_keymap(path: Path | None) -> tuple[dict[str, str], list[str]]:
    """Read a keymap file: (binding id -> keys, problems reading it). A missing file is an
    empty keymap; ids and key names are checked by :func:`check_keymap`."""
    if path is None or not path.is_file():
        return {}, []
    import json  # only when there is a file: every CLI command imports this module
    import tomllib

    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode()) if path.suffix == ".toml" else json.loads(raw)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        return {}, [f"{path}: cannot read keymap ({exc})"]
    table = data.get("keys", data) if isinstance(data, dict) else {}
    if not isinstance(table, dict):
        return {}, [f"{path}: [keys] must be a table of binding id = \"keys\""]
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in table.items():
        if isinstance(keys, str) and keys.strip():
            keymap[str(binding_id)] = keys
        elif isinstance(keys, list) and keys and all(isinstance(k, str) for k in keys):
            keymap[str(binding_id)] = ",".join(keys)
        else:
            problems.append(f"{path}: keys for {binding_id!r} must be a string")
    return keymap, problems


def check_keymap(keymap: dict[str, str], path: Path | None,
                 key_problem: KeyCheck | None = None) -> tuple[dict[str, str], list[str]]:
    """(the entries that apply, a problem per unknown id or key name). An entry with an
    unknown id or a key name ``key_problem`` refuses is left out, so the default stays."""
    where = f"{path}: " if path is not None else ""
    usable: dict[str, str] = {}
    problems: list[str] = []
    for given_id, keys in keymap.items():
        binding_id = RENAMED.get(given_id, given_id)
        if binding_id not in SPECS:
            near = [s for s in SPECS if s.split(".")[0] == binding_id.split(".")[0]]
            hint = f" (ids in {binding_id.split('.')[0]}: {', '.join(near)})" if near else ""
            problems.append(f"{where}unknown binding id {binding_id!r}{hint}; see 'sitrep keys'")
            continue
        names = [k.strip() for k in keys.split(",")]
        bad = [f"{name!r} ({why})" for name in names
               if (why := "empty key name" if not name else
                   key_problem(name) if key_problem else None)]
        if bad:
            problems.append(f"{where}{binding_id}: not a key: {', '.join(bad)}")
            continue
        usable[binding_id] = ",".join(names)
    return usable, problems


def read_keymap(folder: Path, key_problem: KeyCheck | None = None
                ) -> tuple[Path | None, dict[str, str], list[str]]:
    """The keymap file in ``folder``: (its path, the entries that apply, every problem)."""
    path = keymap_path(folder)
    raw, problems = load_keymap(path)
    usable, more = check_keymap(raw, path, key_problem)
    return path, usable, problems + more


def effective(keymap: dict[str, str]) -> list[KeySpec]:
    """Every binding with the keys in force (the user's where remapped), in table order."""
    return [KeySpec(s.id, keymap.get(s.id, s.keys), s.description, s.changes) for s in KEYMAP]
