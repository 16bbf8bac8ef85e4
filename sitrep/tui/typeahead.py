"""Keys typed ahead of a focus change: ``r`` then a file name in one burst (a paste, a fast
typist, an ssh link delivering many keys in one read).

Textual sends each key to the widget that has focus when the key is *read*. A burst is read at
once, so every key of ``rreport.md`` goes to the claims pane; ``r`` bubbles up to the app and
opens the file-name pop-up, and the rest bubble up after it, where no binding of the pop-up
takes them: the name was lost, and only the enter (a binding of the now-focused input) arrived.
A printable key can bubble up to the app only from a widget that did not take it (an input
takes every printable key), so when one arrives while an input has focus, it was typed for
that input: it goes there, in the order it was typed.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.widgets import Input


def to_focused_input(app: App[Any], event: events.Key) -> bool:
    """Put a printable key that bubbled up to ``app`` into the input that has focus; True
    when it did (the caller stops there)."""
    if not event.is_forwarded or not event.is_printable or not event.character:
        return False
    field = app.screen.focused
    if not isinstance(field, Input) or field.disabled:
        return False
    event.stop()
    selection = field.selection
    if selection.is_empty:
        field.insert_text_at_cursor(event.character)
    else:
        field.replace(event.character, *selection)
    return True
