"""The command palette (ctrl+p): every key's action by name, with its key.

The app's own bindings run on the app; a pane's bindings run on that pane, focused first, so a
command does what its key does when pressed in that pane ("Settlements: Sort" sorts the
settlements wherever the focus was); the list moves run on the focused list. The keys shown are
the ones in force (after ``keymap.toml``). Like **darrenburns/posting**'s ``commands.py``, the
commands are built from the bindings, so a new binding is in the palette without more code.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType

from sitrep.tui.keymap import APP_BINDINGS
from sitrep.tui.widgets.claims_pane import ClaimsPane
from sitrep.tui.widgets.detail_pane import DetailPane
from sitrep.tui.widgets.row_list import RowList
from sitrep.tui.widgets.settlements_pane import SettlementsPane
from sitrep.tui.widgets.verification_pane import VerificationPane

PANES: tuple[tuple[str, type[RowList]], ...] = (
    ("Settlements", SettlementsPane),
    ("Claims", ClaimsPane),
    ("Verification", VerificationPane),
    ("Detail", DetailPane),
)


def _bindings(bindings: list[BindingType]) -> Iterator[Binding]:
    for b in bindings:
        if isinstance(b, Binding):
            yield b


#: Short names for keys in help and the palette.
KEY_NAMES = {"right_square_bracket": "]", "left_square_bracket": "[", "slash": "/",
             "question_mark": "?", "space": "space", "at": "@", "less_than_sign": "<",
             "greater_than_sign": ">", "left_curly_bracket": "{", "right_curly_bracket": "}"}


def key_name(key: str) -> str:
    """A key as help and the palette show it (``question_mark`` -> ``?``)."""
    return KEY_NAMES.get(key.strip(), key.strip())


def shown_keys(app: App[Any], binding: Binding) -> str:
    """The keys of a binding as in force (remapped or not), for people."""
    keys = app._keymap.get(binding.id or "", binding.key)
    return ",".join(key_name(k) for k in keys.split(","))


def palette_commands(app: App[Any]) -> Iterator[SystemCommand]:
    """A command per binding of the app, of any list and of each pane."""
    for b in APP_BINDINGS:
        title = f"{b.group.description}: {b.description}" if b.group else b.description
        yield SystemCommand(title, f"key {shown_keys(app, b)}", _on_app(app, b.action))
    for b in _bindings(RowList.BINDINGS):
        yield SystemCommand(f"List: {b.description}",
                            f"key {shown_keys(app, b)} in the focused list",
                            _on_pane(app, None, b.action))
    for name, pane in PANES:
        for b in _bindings(pane.BINDINGS):
            yield SystemCommand(f"{name}: {b.description}",
                                f"key {shown_keys(app, b)} in the {name.lower()} pane",
                                _on_pane(app, pane, b.action))


def _on_app(app: App[Any], action: str) -> Callable[[], Coroutine[Any, Any, bool]]:
    async def run() -> bool:
        return await app.run_action(action)

    return run


def _on_pane(
    app: App[Any], pane: type[RowList] | None, action: str
) -> Callable[[], Coroutine[Any, Any, bool]]:
    async def run() -> bool:
        target: RowList
        if pane is None:
            focused = app.focused
            target = focused if isinstance(focused, RowList) else app.query_one(ClaimsPane)
        else:
            target = app.query_one(pane)
        if app.focused is not target:
            app.set_focus(target)
        return await app.run_action(action, target)

    return run
