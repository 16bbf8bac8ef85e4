"""Display safety: every string from the data goes through here before it reaches a widget.

Rich markup is never parsed (widgets build ``rich.text.Text`` objects directly); this module
removes what Text alone would still send to the terminal: C0/C1 control characters, ESC (so no
ANSI or OSC sequence survives), DEL, and bidirectional overrides/isolates that reorder what the
analyst reads. Each becomes a visible escape such as ``\\x1b`` or ``\\u202e``.
"""

from __future__ import annotations

from sitrep.text import printable


def safe_text(value: object) -> str:
    """One display line: controls, escapes and bidi overrides made visible, newlines spaced."""
    return printable(value, one_line=True)


def safe_lines(value: object) -> list[str]:
    """The lines of a multi-line value, each made safe (tabs become spaces)."""
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    return [safe_text(line) for line in text.replace("\t", "    ").splitlines()] or [""]
