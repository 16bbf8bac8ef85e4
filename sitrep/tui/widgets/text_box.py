"""A one-line text box that keeps every key of a burst.

Textual's ``Input`` selects its whole value when its Focus event is handled
(``select_on_focus``). That event is a message, handled after the keys already read with the
key that opened the box (``/source:hayday`` in one write, a paste, a fast typist over ssh):
those keys had reached the box (see :mod:`sitrep.tui.typeahead`), the late Focus selected
them, and the next key replaced them all (``/source:hayday place:lysychansk`` left
``ace:lysychansk``). A :class:`TextBox` never selects on focus; a default meant to be
replaced by the first key typed is selected when the box is made, before any key can arrive.
"""

from __future__ import annotations

from textual.widgets import Input
from textual.widgets.input import Selection


class TextBox(Input):
    """An ``Input`` for typed bursts: no selection on focus, no blinking cursor (a blink is a
    repaint, and bytes on the wire, twice a second)."""

    def __init__(self, value: str = "", *, placeholder: str = "", max_length: int = 0,
                 replace_default: bool = False, id: str | None = None) -> None:
        """``replace_default``: the first key typed replaces ``value`` (it starts selected)."""
        super().__init__(value, placeholder=placeholder, max_length=max_length,
                         select_on_focus=False, id=id)
        self.cursor_blink = False
        if replace_default and value:
            self.selection = Selection(0, len(value))
