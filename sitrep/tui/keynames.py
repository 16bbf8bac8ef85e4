"""Which key names Textual knows, without loading Textual (for ``sitrep keys`` and the app).

Textual accepts any string as a binding's key; one the terminal never sends (``ctlr+n``,
``pgdn``) just never fires. Its own list of key names is ``textual/keys.py``, a module that
needs only the standard library, but ``import textual.keys`` runs ``textual/__init__`` and
loads Textual and Rich (measured: about 100 modules, 0.3-0.9 s). So this module executes that
one file on its own, under a private name, and asks it: the names are Textual's, read from
the installed (pinned) version, not a copy. ``tests/tui/test_keymap.py`` checks that this
agrees with ``textual.keys`` and that no ``textual`` module is loaded.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from types import ModuleType

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


@cache
def _textual_keys() -> ModuleType | None:
    """``textual/keys.py`` executed alone (None if Textual is not installed or it changed
    so that it needs the rest of Textual)."""
    found = importlib.util.find_spec("textual")
    if found is None or not found.submodule_search_locations:
        return None
    for folder in found.submodule_search_locations:
        location = f"{folder}/keys.py"
        spec = importlib.util.spec_from_file_location("_sitrep_textual_keys", location)
        if spec is None or spec.loader is None:
            continue
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # Enum and dataclass machinery look modules up
        try:
            spec.loader.exec_module(module)
        except Exception:  # noqa: BLE001 - any failure means: cannot check, not a crash
            sys.modules.pop(spec.name, None)
            return None
        return module
    return None


@cache
def _named_keys() -> frozenset[str] | None:
    keys = _textual_keys()
    if keys is None:
        return None
    names = {str(k.value).rpartition("+")[2] for k in keys.Keys}
    names |= set(keys.KEY_NAME_REPLACEMENTS.values()) | set(keys.KEY_ALIASES)
    return frozenset(names)


def key_problem(name: str) -> str | None:
    """Why ``name`` is not a key Textual can deliver (``ctlr+n``: unknown modifier), or None
    when it is one (``V``, ``ctrl+n``, ``pagedown``, ``question_mark``) or cannot be checked."""
    named = _named_keys()
    keys = _textual_keys()
    if named is None or keys is None:
        return None
    *mods, base = name.split("+")
    unknown = [m for m in mods if m not in MODIFIERS]
    if unknown:
        return f"unknown modifier {unknown[0]!r}"
    if len(base) == 1:
        return None if base.isprintable() else "not a printable character"
    if base in named or keys.key_to_character(base) is not None:
        return None
    return "no such key name; e.g. V, ctrl+n, pagedown, question_mark"
