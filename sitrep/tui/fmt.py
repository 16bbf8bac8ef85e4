"""How records look on screen: status words and symbols, grades, dates, columns.

Status is always readable without colour: a symbol *and* a word. Colours come from the
``status-*`` styles in ``sitrep.tcss`` and disappear under ``NO_COLOR`` without losing meaning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from sitrep.tui.safe import safe_text

STATUS_SYMBOL = {
    "unverified": "?",
    "corroborated": "+",
    "confirmed": "✓",
    "disputed": "!",
    "false": "✗",
}
STATUS_SHORT = {
    "unverified": "unver",
    "corroborated": "corr",
    "confirmed": "conf",
    "disputed": "disp",
    "false": "false",
}
CONTROLLER_LABEL = {"ua": "UA", "ru": "RU", "contested": "contested", "unknown": "unknown"}
#: Marks beside a claim's status, readable without colour (README, ``?`` help's legend).
STALE_MARK = "⧖"  # unverified and waiting longer than stale_days
AGAINST_INTEREST_MARK = "¬"  # a statement against its source's own interest
#: Before a settlement's name: claims disagree about who holds it (a disputed picture).
DISPUTED_MARK = "!"
LEGEND = (
    f"{STALE_MARK} stale (unverified longer than stale_days) · "
    f"{AGAINST_INTEREST_MARK} statement against interest · "
    f"{DISPUTED_MARK}Name: settlement with a disputed picture"
)


def day(value: object) -> str:
    """A stored date as the dashboard shows it everywhere: ``2022-09-10`` (a time is cut to
    its day; a month or a year keeps its precision: ``2022-06``, ``2022``)."""
    return safe_text(value[:10]) if isinstance(value, str) else ""


def short_name(record: dict[str, Any] | None, fallback: str) -> str:
    """A source's name for a narrow column: its name if one word, else its first one-word
    alias (``Serhiy Hayday`` → ``Hayday``), else its name (cut where it is shown)."""
    record = record or {}
    names = [record.get("name"), *(record.get("aliases") or [])] if isinstance(
        record.get("aliases") or [], list) else [record.get("name")]
    for name in names:
        if isinstance(name, str) and name.strip() and " " not in name.strip():
            return safe_text(name.strip())
    name = record.get("name")
    return safe_text(name if isinstance(name, str) and name else fallback)


def places_label(names: Sequence[str], width: int) -> str:
    """A claim's settlements in ``width`` cells: ``Svatove +3`` for several (the first name
    cut, never the count), ``-`` for none."""
    if not names:
        return fit("-", width)
    more = f" +{len(names) - 1}" if len(names) > 1 else ""
    room = width - cell_len(more)
    if room < 2:
        return fit(names[0] + more, width)
    return fit(names[0], room).rstrip() + more + " " * max(0, room - cell_len(names[0]))


def status_label(status: str, *, short: bool = True) -> str:
    """``? unver`` / ``✓ confirmed``: symbol and word, never colour alone."""
    word = STATUS_SHORT.get(status, status) if short else status
    return f"{STATUS_SYMBOL.get(status, '·')} {safe_text(word)}"


def grade(reliability: Any, credibility: Any) -> str:
    """An Admiralty grade such as ``B3`` (``-`` for a missing half)."""
    letter = reliability if isinstance(reliability, str) and reliability else "-"
    digit = str(credibility) if isinstance(credibility, int) else "-"
    return f"{safe_text(letter)}{digit}"


def fit(text: str, width: int) -> str:
    """Pad or cut ``text`` to exactly ``width`` cells (with an ellipsis when cut)."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    return set_cell_size(text, width - 1) + "…"


@dataclass(frozen=True)
class Column:
    """A column of a pane: its title, preferred width and priority (lower is kept longer).

    A ``flex`` column grows into the spare width: up to ``cap`` cells if it has one (these are
    served first), else it shares what is left with the other uncapped flex columns. A
    ``spare_only`` column is shown only when every capped column can still reach its cap.
    """

    key: str
    title: str
    width: int
    priority: int
    flex: bool = False
    right: bool = False
    cap: int | None = None
    spare_only: bool = False


def layout(columns: Sequence[Column], width: int) -> list[tuple[Column, int]]:
    """Choose which columns fit in ``width`` and how wide each is (flex takes the rest)."""
    chosen = sorted(columns, key=lambda c: c.priority)
    while len(chosen) > 1 and _need(chosen, capped=False) > width:
        chosen.pop()
    while any(c.spare_only for c in chosen) and _need(chosen, capped=True) > width:
        chosen.remove(next(c for c in reversed(chosen) if c.spare_only))
    spare = max(0, width - _need(chosen, capped=False))
    widths = {col.key: col.width for col in chosen}
    for col in sorted((c for c in chosen if c.flex and c.cap), key=lambda c: c.priority):
        grow = min(spare, max(0, (col.cap or 0) - col.width))
        widths[col.key] += grow
        spare -= grow
    # what is left goes to the uncapped flex columns, else past its cap to the first flex one
    takers = [c for c in chosen if c.flex and not c.cap] or [c for c in chosen if c.flex][:1]
    for i, col in enumerate(takers):
        widths[col.key] += spare // len(takers) + (1 if i < spare % len(takers) else 0)
    return [(col, widths[col.key]) for col in columns if col in chosen]


def _need(columns: Sequence[Column], *, capped: bool) -> int:
    """Cells the columns take side by side: at their widths, or with flex columns at caps."""
    widths = (max(c.width, c.cap) if capped and c.flex and c.cap else c.width for c in columns)
    return sum(widths) + len(columns) - 1


def row_text(cells: Sequence[tuple[str, str]], widths: Sequence[tuple[Column, int]]) -> Text:
    """A row of already-safe cell strings with styles, laid out in ``widths``."""
    text = Text(no_wrap=True, end="")
    for i, ((value, style), (col, w)) in enumerate(zip(cells, widths, strict=True)):
        if i:
            text.append(" ")
        cell = fit(value, w)
        if col.right and cell_len(value) < w:
            cell = " " * (w - cell_len(value)) + value
        text.append(cell, style)
    return text
