"""Making data safe to print: text from a feed or the DB is shown, never interpreted.

Control characters, ANSI/OSC escape sequences and bidirectional overrides in data could move
the cursor, retitle the terminal or reorder what the analyst reads. ``printable`` turns each
into a visible escape (``\\x1b``, ``\\u202e``) so the text is shown literally and safely.
"""

from __future__ import annotations

import re

# C0 controls except tab/newline handled by caller, DEL, C1 controls, bidi embeddings,
# overrides and isolates, and zero-width/line-separator characters that confuse terminals.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
_UNSAFE_ONE_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(value: object, *, one_line: bool = True) -> str:
    """``value`` as text with every control, escape and bidi character made visible.

    With ``one_line`` (the default) newlines and tabs are escaped too, so one record stays on
    one line of output; otherwise they are kept.
    """
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    pattern = _UNSAFE_ONE_LINE if one_line else _UNSAFE
    if one_line:
        text = text.replace("\n", " ").replace("\t", " ")
    return pattern.sub(_escape, text)


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with an ellipsis when it is longer."""
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
