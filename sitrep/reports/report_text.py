"""The SITREP as plain text: 80 columns, UTF-8, made to be read in ``less``.

Every value from the data goes through :func:`sitrep.reports.encoding.line`, so control
characters, ANSI/OSC escapes and bidi overrides are shown as escapes, never acted on.
"""

from __future__ import annotations

from sitrep.reports import fields
from sitrep.reports.encoding import line
from sitrep.reports.report import (
    ClaimEntry,
    ClaimRef,
    Sitrep,
    SourceEntry,
    reliability_label,
)
from sitrep.text import shorten

WIDTH = 80
STATUS_TITLE = {
    "confirmed": "Confirmed", "corroborated": "Corroborated", "disputed": "Disputed",
    "false": "False", "unverified": "Unverified",
}


def _wrap(text: str, indent: str = "", later: str | None = None) -> list[str]:
    """``text`` (one line) in lines of at most WIDTH characters, breaking at spaces (a word
    longer than a line is cut); the first line starts with ``indent``, the others with
    ``later``.
    (textwrap does the same at a tenth of the speed, which shows at 100k claims.)"""
    later = indent if later is None else later
    if len(indent) + len(text) <= WIDTH and not text.startswith(" "):
        return [indent + text if text else indent.rstrip()]
    lines: list[str] = []
    line, fresh = indent, True
    for word in text.split(" "):  # runs of spaces are kept inside a line (columns)
        if fresh and not word:
            continue
        if len(line) + len(word) + (0 if fresh else 1) <= WIDTH:
            line, fresh = (line + word if fresh else f"{line} {word}"), False
            continue
        if not fresh:
            lines.append(line)
            line = later
        while len(line) + len(word) > WIDTH:
            cut = max(1, WIDTH - len(line))
            lines.append(line + word[:cut])
            word, line = word[cut:], later
        line, fresh = line + word, False
    if not fresh or not lines:
        lines.append(line.rstrip() if fresh else line)
    return lines


def _heading(title: str) -> list[str]:
    return ["", title.upper(), "─" * WIDTH]


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _status(status: str) -> str:
    return f"{fields.STATUS_SYMBOL[status]} {status}"


def _ref(ref: ClaimRef) -> str:
    return f"{line(ref.id)} ({_status(ref.status)}, {line(ref.grade)})"


def title_line(sitrep: Sitrep) -> str:
    """The report's first line: scope, as-of date and generation time."""
    scope = f"filter {line(sitrep.scope)!s}" if sitrep.scope else "all records"
    parts = ["SITREP", scope, f"as of {sitrep.as_of or 'latest data'}"]
    if sitrep.generated_at:
        parts.append(f"generated {line(sitrep.generated_at)}")
    return " · ".join(parts)


def totals_line(sitrep: Sitrep) -> str:
    """How many records the report covers, and the claims by status."""
    t = sitrep.totals
    statuses = ", ".join(f"{t[s]} {s}" for s in fields.STATUS_ORDER)
    return (f"{t['settlements']} settlements, {t['sources']} sources, {t['claims']} claims: "
            f"{statuses}.")


def render_text(sitrep: Sitrep) -> str:
    """The whole report as text ending in a newline."""
    out = _wrap(title_line(sitrep), later="  ")
    out.append("═" * WIDTH)
    out += _wrap(totals_line(sitrep))
    if sitrep.since:
        out += _wrap(f"Period: changes since {sitrep.since}.")
    out += _situation(sitrep)
    out += _claims(sitrep)
    out += _changes(sitrep)
    out += _unverified(sitrep)
    out += _sources(sitrep.sources)
    if sitrep.references:
        out += _heading("References")
        for number, url in enumerate(sitrep.references, 1):
            out += _wrap(f"[{number}] {line(url)}", "  ", "      ")
    return "\n".join(out) + "\n"


def _situation(sitrep: Sitrep) -> list[str]:
    out = _heading("Situation by settlement")
    if not sitrep.settlements:
        out.append("No settlements in this view.")
    for s in sitrep.settlements:
        where = ", ".join(line(p) for p in (s.region, s.country) if p)
        held = (f"{fields.CONTROLLER_LABEL[s.controller]} since {s.since}" if s.controller
                else "control not recorded")
        out.append("")
        out += _wrap(f"{line(s.name)}{f' ({where})' if where else ''}: {held}", later="  ")
        if s.rests_on:
            out += _wrap(f"rests on {_ref(s.rests_on)}", "  ", "    ")
        elif s.rests_on_id:
            out += _wrap(f"rests on {line(s.rests_on_id)} (not in this view)", "  ", "    ")
        if s.note:
            out += _wrap(line(s.note), "  ")
        period = f" since {sitrep.since}" if sitrep.since else ""
        if s.changes:
            for change in s.changes:
                basis = f" on {_ref(change.claim)}" if change.claim else ""
                out += _wrap(f"changed {change.as_of}: {fields.CONTROLLER_LABEL[change.before]}"
                             f" → {fields.CONTROLLER_LABEL[change.after]}{basis}", "  ", "    ")
        else:
            out.append(f"  no change of control recorded{period}")
        if s.claims:
            out.append(f"  claims ({len(s.claims)}):")
            for ref in s.claims:
                out += _wrap(f"{_status(ref.status):<14} {line(ref.grade)}  {line(ref.id)}",
                             "    ", "      ")
    return out


def _claim(entry: ClaimEntry) -> list[str]:
    out = _wrap(f"{line(entry.id)} · {line(entry.source)} · {line(entry.grade)}"
                f"{' · against interest' if entry.against_interest else ''}"
                f"{' · STALE' if entry.stale else ''}", "  ", "    ")
    out += _wrap(line(entry.text), "  ")
    places = ", ".join(line(p) for p in entry.places) or "no settlement named"
    out += _wrap(f"event {line(entry.event)} · reported {line(entry.reported)} · {places}",
                 "  ", "    ")
    if extra := entry.details():
        out += _wrap(" · ".join(line(p) for p in extra), "  ", "    ")
    if entry.quote:
        out += _wrap(f"“{line(entry.quote)}”", "    > ", "    > ")
    if entry.notes:
        out += _wrap(f"note: {line(entry.notes)}", "  ", "    ")
    return out


def _claims(sitrep: Sitrep) -> list[str]:
    out = _heading("Claims by status")
    for status in fields.STATUS_ORDER:
        entries = sitrep.claims[status]
        out += ["", f"{fields.STATUS_SYMBOL[status]} {STATUS_TITLE[status]} ({len(entries)})"]
        for entry in entries:
            out.append("")
            out += _claim(entry)
    return out


def _changes(sitrep: Sitrep) -> list[str]:
    period = f"since {sitrep.since}" if sitrep.since else "(all recorded)"
    out = _heading(f"What changed {period}")
    if not sitrep.changes:
        out.append("No status, grade or control changes and no notes recorded.")
    for c in sitrep.changes:
        what = (f"note: {line(c.note)}" if c.field == "note"
                else f"{line(c.field)}: {line(c.before) or '-'} → {line(c.after) or '-'}")
        out += _wrap(f"{line(c.at)}  {line(c.record)}", later="    ")
        out += _wrap(what, "    ", "      ")
        if c.field != "note" and (c.by or c.note):
            out += _wrap(f"by {line(c.by) or '?'}{f': {line(c.note)}' if c.note else ''}",
                         "    ")
        elif c.by:
            out.append(f"    by {line(c.by)}")
    return out


def _unverified(sitrep: Sitrep) -> list[str]:
    stale = sum(e.stale for e in sitrep.unverified)
    out = _heading("Still unverified, oldest first")
    if not sitrep.unverified:
        out.append("None.")
        return out
    out += _wrap(f"{len(sitrep.unverified)} unverified; {stale} stale (reported more than "
                 f"{sitrep.stale_days} days before {sitrep.as_of or 'the report'}).")
    for entry in sitrep.unverified:
        reported = entry.reported.split(" ")[0]
        flag = "  STALE" if entry.stale else ""
        out += _wrap(f"{line(reported):<10}  {line(entry.grade)}  {line(entry.id)}{flag}",
                     "  ", "      ")
    return out


def _sources(sources: list[SourceEntry]) -> list[str]:
    out = _heading("Sources")
    if not sources:
        out.append("No sources in this view.")
    for s in sources:
        counts = " ".join(f"{fields.STATUS_SYMBOL[k]}{n}" for k, n in s.counts.items() if n)
        total = sum(s.counts.values())
        ref = f" [{s.reference}]" if s.reference else ""
        out += _wrap(f"{shorten(line(s.name), 30):<30} {reliability_label(s.reliability):<24}"
                     f" {_plural(total, 'claim')} {counts}{ref}".rstrip(), "  ", "    ")
        if s.role:
            out += _wrap(line(s.role), "    ")
    return out
