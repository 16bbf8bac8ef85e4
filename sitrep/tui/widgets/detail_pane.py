"""The detail pane: every field of the focused claim (or source, or settlement), its links and
history, and what the analysis makes of it (:mod:`sitrep.tui.insight`): a claim's origins and
suggested credibility, a source's record and suggested reliability, a settlement's control
timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message

from sitrep import dates
from sitrep.errors import InvalidValueError
from sitrep.keymap import spec
from sitrep.models import (
    RELIABILITY_MEANING,
    describe_change,
    describe_evidence,
    describe_location,
    listed,
    open_conflicts,
)
from sitrep.tui.fmt import CONTROLLER_LABEL, status_label
from sitrep.tui.keymap import binding
from sitrep.tui.model import DashboardModel, current_control
from sitrep.tui.safe import safe_lines, safe_text
from sitrep.tui.widgets.row_list import RowList

if TYPE_CHECKING:
    from sitrep.tui.insight import Insight


def with_precision(value: Any) -> str:
    """``2022-09 (month)``: a date with the precision its form carries (a value that is no
    date is shown as it is)."""
    if not isinstance(value, str) or not value:
        return "-"
    try:
        precision = dates.precision_of(value)
    except (InvalidValueError, RecursionError):
        return safe_text(value)
    return f"{safe_text(value)} ({precision})"


class DetailPane(RowList):
    """Lines of detail; the cursor rests on any line, enter on a linked claim jumps to it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("detail.jump", "jump"),
    ]

    class Jumped(Message):
        """Enter on a corroborates/contradicts/origin line."""

        def __init__(self, claim_id: str) -> None:
            super().__init__()
            self.claim_id = claim_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.model: DashboardModel | None = None
        #: the analysis of what the model shows (set by the app)
        self.insight: Insight | None = None
        self._items: list[tuple[Text, str | None]] = []
        self._lines: list[tuple[Text, str | None]] = []
        self._width = 0
        self.subject: tuple[str, str] | None = None

    def show(self, kind: str | None, record_id: str | None) -> None:
        """Show a claim (``kind='claim'``) or settlement, or nothing; keeps the cursor on reshow."""
        subject = (kind, record_id) if kind and record_id else None
        keep = subject == self.subject
        self.subject = subject
        before, width = self._lines, self._width
        self._items = self._build()
        self._width = 0
        if not width or width != self._wrap_width() or (not keep and round(self.scroll_y)):
            self.reset(keep_cursor=keep)
            return
        if not keep and self.cursor:  # another record: its first line takes the cursor
            self._repaint_row(self.cursor)
            self.cursor = 0
            self._repaint_row(0)
        # repaint only the lines that differ (the border, the title and lines two records
        # share stay as they are)
        self.row_count()
        lines = self._lines
        for row in range(max(len(before), len(lines))):
            if row >= len(before) or row >= len(lines) or before[row] != lines[row]:
                self.refresh_row(row)
        if len(lines) != len(before):
            self._set_virtual_size(Size(self.content_width, len(lines) + self.header_height))
            if self.cursor >= len(lines):
                self.move_to(len(lines) - 1)

    def row_count(self) -> int:
        """Wrapped lines of detail."""
        width = self._wrap_width()
        if width != self._width:
            self._wrap(width)
        return len(self._lines)

    def _wrap_width(self) -> int:
        return max(10, (self.content_width or 80) - 1)

    def _wrap(self, width: int) -> None:
        lines: list[tuple[Text, str | None]] = []
        console = self.app.console
        for text, link in self._items:
            if "\n" not in text.plain and "\t" not in text.plain and text.cell_len <= width:
                text.end = ""
                lines.append((text, link))  # fits: what wrap() would give, without its cost
                continue
            for line in text.wrap(console, width, overflow="fold"):
                line.end = ""
                lines.append((line, link))
        self._lines = lines
        self._width = width

    def render_row(self, row: int, width: int) -> Text:
        """One wrapped line."""
        return self._lines[row][0] if row < len(self._lines) else Text()

    def action_jump(self) -> None:
        """Jump to the claim this line links to."""
        if self.cursor < len(self._lines):
            link = self._lines[self.cursor][1]
            if link:
                self.post_message(self.Jumped(link))

    # --------------------------------------------------------------- content
    def _field(self, label: str, value: str, style: str = "") -> Text:
        text = Text(no_wrap=False, end="")
        text.append(f"{label}: ", self.cstyle("rowlist--dim"))
        text.append(value, self.cstyle(style) if style else "")
        return text

    def _build(self) -> list[tuple[Text, str | None]]:
        model = self.model
        if model is None or self.subject is None:
            return [(Text("Nothing selected: move to a claim."), None)]
        kind, rid = self.subject
        if kind == "settlement":
            place = model.places.get(rid)
            return self._settlement(model, place) if place else []
        if kind == "source":
            return self._source(model, rid)
        p = model.position(rid)
        if p is None:
            return [(Text(f"Claim {safe_text(rid)} no longer exists."), None)]
        return self._claim(model, p)

    def _claim(self, model: DashboardModel, p: int) -> list[tuple[Text, str | None]]:
        c = model.claims[p]
        status = model.statuses[p]
        items: list[tuple[Text, str | None]] = []
        head = Text(no_wrap=False, end="")
        head.append(safe_text(c.get("id")), "bold")
        head.append("  ")
        head.append(status_label(status, short=False), self.cstyle(f"status--{status}"))
        src_id = str(c.get("source") or "")
        head.append(f"  grade {model.source_grade(src_id) or '-'}{c.get('credibility') or '-'}")
        if c.get("against_interest"):
            head.append("  against interest", "bold")
        items.append((head, None))
        for line in safe_lines(c.get("text")):
            items.append((Text(line, end=""), None))
        if c.get("quote"):
            items.append((self._field("Quote", "“" + " ".join(safe_lines(c["quote"])) + "”"), None))
        src = model.sources.get(src_id, {})
        who = safe_text(src.get("name") or src_id)
        extra = [safe_text(src[k]) for k in ("role", "alignment") if src.get(k)]
        rel = src.get("reliability")
        who += f" [{safe_text(rel)}]" if rel else ""
        items.append((self._field("Source", "; ".join([who, *extra])), None))
        if c.get("via"):
            items.append((self._field("Via", safe_text(c["via"])), None))
        items.extend(self._analysis(model, p))
        origin = c.get("origin")
        if isinstance(origin, str) and origin:
            target = origin if model.position(origin) is not None else None
            label = safe_text(origin) + (" ↵" if target else "")
            items.append((self._field("Origin", label, "rowlist--link" if target else ""), target))
        for pid in listed(c.get("settlements")):
            place = model.places.get(pid, {}) if isinstance(pid, str) else {}
            obs = current_control(place) if place else None
            ctl = ""
            if obs:
                who_ctl = CONTROLLER_LABEL.get(str(obs.get("controller")), "?")
                ctl = f" — {who_ctl} as of {with_precision(obs.get('as_of'))}"
            items.append((self._field("Place", safe_text(model.place_name(pid)) + ctl), None))
        items.append((self._field("Reported", with_precision(c.get("reported_at"))), None))
        items.append((self._field("Event", with_precision(c.get("event_at"))), None))
        if c.get("tags"):
            tags = ", ".join(safe_text(t) for t in listed(c["tags"]))
            items.append((self._field("Tags", tags), None))
        for label, key in (("Corroborates", "corroborates"), ("Contradicts", "contradicts")):
            for other in listed(c.get(key)):
                found = model.position(other) if isinstance(other, str) else None
                target = other if found is not None else None
                gist = ""
                if found is not None and target:
                    gist = " " + safe_text(str(model.claims[found].get("text"))[:60])
                link = self._field(label, "↵ " + safe_text(other) + gist, "rowlist--link")
                items.append((link, target))
        items.extend(self._links(c))
        if c.get("notes"):
            items.append((self._field("Notes", " ".join(safe_lines(c["notes"]))), None))
        items.extend(self._history(c.get("history")))
        return items

    def _analysis(self, model: DashboardModel, p: int) -> list[tuple[Text, str | None]]:
        """``Analysis: 2 reports · 1 independent origin (hayday) · suggested 3``, with the
        loop of a circular report on its own line (each id a jump) and the accept key's hint."""
        if self.insight is None:
            return []
        found = self.insight.claim(model, p)
        if found is None:
            return [(self._field("Analysis", "analysing…"), None)]
        words = safe_text(found.words())
        suggested = found.suggested_credibility
        if suggested is not None and suggested != model.claims[p].get("credibility"):
            words += f" · {self._accept_key()} accepts"
        items: list[tuple[Text, str | None]] = [(self._field("Analysis", words), None)]
        for cid in found.circular or ():
            target = cid if model.position(cid) is not None else None
            items.append((self._field("Loop", "↵ " + safe_text(cid),
                                      "rowlist--link" if target else ""), target))
        return items

    def _accept_key(self) -> str:
        """The key in force that accepts a suggestion (``a`` unless remapped)."""
        keys = getattr(self.app, "_keymap", {}).get("analysis.accept", "a")
        return str(keys).split(",")[0]

    def _links(self, claim: dict[str, Any]) -> list[tuple[Text, str | None]]:
        """The claim's links: its URL, each of its other URLs, a line per piece of evidence
        (``video https://… — note``) and its own point, when it has them."""
        items: list[tuple[Text, str | None]] = []
        if claim.get("url"):
            items.append((self._field("URL", safe_text(claim["url"])), None))
        for url in listed(claim.get("urls")):
            items.append((self._field("URL", safe_text(url)), None))
        for piece in listed(claim.get("evidence")):
            items.append((self._field("Evidence", safe_text(describe_evidence(piece))), None))
        if claim.get("location") is not None:
            where = safe_text(describe_location(claim["location"]))
            items.append((self._field("Location", where), None))
        return items

    def _history(self, history: Any) -> list[tuple[Text, str | None]]:
        items: list[tuple[Text, str | None]] = []
        if not isinstance(history, list) or not history:
            return items
        items.append((Text("History:", style="bold", end=""), None))
        still_open = {id(e) for e in open_conflicts({"history": history})}
        for entry in history:
            if not isinstance(entry, dict):
                continue
            line = Text(no_wrap=False, end="")
            line.append(f"  {safe_text(entry.get('at'))} {safe_text(entry.get('by'))} ", "")
            line.append(safe_text(describe_change(entry)))
            if id(entry) in still_open:
                line.append(f"  ! open: {self._resolve_key()} resolves", "bold")
            items.append((line, None))
        return items

    def _resolve_key(self) -> str:
        """The key in force that resolves a conflict (``C`` unless remapped)."""
        keys = getattr(self.app, "_keymap", {}).get("record.resolve", spec("record.resolve").keys)
        return str(keys).split(",")[0]

    def _source(self, model: DashboardModel, sid: str) -> list[tuple[Text, str | None]]:
        src = model.sources.get(sid, {"id": sid})
        rel = src.get("reliability")
        head = Text(safe_text(src.get("name") or sid), style="bold", end="")
        head.append(f"  reliability {safe_text(rel or '-')}")
        if isinstance(rel, str) and rel in RELIABILITY_MEANING:
            head.append(f" ({RELIABILITY_MEANING[rel]})")
        items: list[tuple[Text, str | None]] = [(head, None)]
        if self.insight is not None:
            record = self.insight.record(model, sid)
            words = safe_text(record.words(rel if isinstance(rel, str) else None))
            if record.suggested_reliability != rel:
                words += f" · {self._accept_key()} accepts"
            items.append((self._field("Grade", words), None))
        for label, key in (("Role", "role"), ("Alignment", "alignment"), ("URL", "url")):
            if src.get(key):
                items.append((self._field(label, safe_text(src[key])), None))
        if src.get("aliases"):
            aliases = ", ".join(safe_text(a) for a in src["aliases"])
            items.append((self._field("Also", aliases), None))
        if src.get("notes"):
            items.append((self._field("Notes", " ".join(safe_lines(src["notes"]))), None))
        items.extend(self._history(src.get("history")))
        return items

    def _settlement(self, model: DashboardModel, place: dict[str, Any]
                    ) -> list[tuple[Text, str | None]]:
        items: list[tuple[Text, str | None]] = []
        head = Text(safe_text(place.get("name") or place.get("id")), style="bold", end="")
        where = f"{place.get('region') or ''} {place.get('country') or ''}"
        head.append(f"  {safe_text(where)}")
        items.append((head, None))
        alts = place.get("alt_names") or []
        if alts:
            items.append((self._field("Also", ", ".join(safe_text(a) for a in alts)), None))
        stats = model.place_stats.get(str(place.get("id")))
        if stats:
            summary = f"{stats.claims} claims, {stats.unverified} unverified, "
            summary += f"latest {stats.latest or '-'}"
            items.append((self._field("Claims", summary), None))
        items.extend(self._timeline(model, place))
        if place.get("notes"):
            items.append((self._field("Notes", " ".join(safe_lines(place["notes"]))), None))
        items.extend(self._history(place.get("history")))
        return items

    def _timeline(self, model: DashboardModel, place: dict[str, Any]
                  ) -> list[tuple[Text, str | None]]:
        """The control timeline (:func:`sitrep.analysis.triage.control_timeline`): the strip
        of who held it when, then each observation in order with the claim it rests on, that
        claim's source and status (enter on one jumps to the claim)."""
        if self.insight is None:
            return []
        timeline = self.insight.timeline(model, place)
        items: list[tuple[Text, str | None]] = [
            (self._field("Control", safe_text(timeline.strip)), None)]
        for entry in timeline.entries:
            who = CONTROLLER_LABEL.get(entry.controller, safe_text(entry.controller))
            line = Text(no_wrap=False, end="")
            line.append(f"  {safe_text(entry.as_of):<10} {who:<4} ")
            target = None
            if entry.claim:
                target = entry.claim if entry.status is not None else None
                line.append(("↵ " if target else "") + safe_text(entry.claim),
                            self.cstyle("rowlist--link") if target else "")
                if entry.status is None:
                    gone = (f"not yet reported as of {model.as_of}" if model.as_of
                            else "no such claim")
                    line.append(f" ({gone})", self.cstyle("rowlist--dim"))
                else:
                    src = model.sources.get(entry.source or "", {})
                    line.append(f" · {safe_text(src.get('name') or entry.source or '-')} · ")
                    line.append(status_label(entry.status, short=False),
                                self.cstyle(f"status--{entry.status}"))
                    if entry.reported_at:
                        line.append(f" · reported {safe_text(entry.reported_at)}")
            if entry.note:
                line.append(f" — {safe_text(entry.note)}")
            items.append((line, target))
        return items
