"""The SITREP as Markdown (CommonMark with GFM tables): headings, tables, block quotes.

Every value from the data goes through :func:`sitrep.reports.encoding.markdown`, which makes
control characters visible and backslash-escapes every ASCII punctuation character, so a
claim renders as exactly its text: no link, image, emphasis, heading, table cell or HTML
of its own. The only links are the report's numbered references, and only http(s) URLs.
"""

from __future__ import annotations

from sitrep.reports import fields
from sitrep.reports.encoding import markdown as md
from sitrep.reports.report import ClaimEntry, ClaimRef, Sitrep, reliability_label
from sitrep.reports.report_text import STATUS_TITLE, title_line, totals_line

_DASH = "\\-"


def _status(status: str) -> str:
    return f"{fields.STATUS_SYMBOL[status]} {status}"


def _ref(ref: ClaimRef) -> str:
    return f"`{ref.id}`" if _code_safe(ref.id) else md(ref.id)


def _code_safe(value: str) -> bool:
    """True when ``value`` can stand in a code span as it is (ids usually can)."""
    return value.isascii() and value.isprintable() and "`" not in value and "|" not in value


def render_markdown(sitrep: Sitrep) -> str:
    """The whole report as Markdown ending in a newline."""
    out = [f"# {md(title_line(sitrep))}", "", md(totals_line(sitrep))]
    if sitrep.since:
        out += ["", f"Period: changes since {md(sitrep.since)}\\."]
    out += _situation(sitrep)
    out += _claims(sitrep)
    out += _changes(sitrep)
    out += _unverified(sitrep)
    out += _sources(sitrep)
    if sitrep.references:
        out += ["", "## References", ""]
        for number, url in enumerate(sitrep.references, 1):
            out.append(f"{number}\\. <{url}>")  # fields.http_url: plain ASCII, no <>
    return "\n".join(out) + "\n"


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _situation(sitrep: Sitrep) -> list[str]:
    out = ["", "## Situation by settlement", ""]
    if not sitrep.settlements:
        return out + ["No settlements in this view\\."]
    out += [_row("Settlement", "Region", "Control", "Since", "Rests on", "Claims"),
            _row("---", "---", "---", "---", "---", "---:")]
    for s in sitrep.settlements:
        control = fields.CONTROLLER_LABEL[s.controller] if s.controller else "not recorded"
        rests = (f"{_ref(s.rests_on)} {_status(s.rests_on.status)} {md(s.rests_on.grade)}"
                 if s.rests_on else md(s.rests_on_id))
        out.append(_row(md(s.name), md(", ".join(p for p in (s.region, s.country) if p)),
                        control, md(s.since or ""), rests, str(len(s.claims))))
    for s in sitrep.settlements:
        out += ["", f"### {md(s.name)}", ""]
        if s.note:
            out += [md(s.note), ""]
        period = f" since {md(sitrep.since)}" if sitrep.since else ""
        for change in s.changes:
            basis = f" on {_ref(change.claim)}" if change.claim else ""
            out.append(f"- control changed {md(change.as_of)}: "
                       f"{fields.CONTROLLER_LABEL[change.before]} → "
                       f"{fields.CONTROLLER_LABEL[change.after]}{basis}")
        if not s.changes:
            out.append(f"- no change of control recorded{period}")
        for ref in s.claims:
            out.append(f"- {_status(ref.status)} {md(ref.grade)} {_ref(ref)}")
    return out


def _claim(entry: ClaimEntry) -> list[str]:
    flags = "".join(f" · {f}" for f, on in (("against interest", entry.against_interest),
                                             ("**stale**", entry.stale)) if on)
    out = ["", f"#### {_ref(ClaimRef(entry.id, entry.status, entry.grade))} · "
               f"{md(entry.source)} · {md(entry.grade)}{flags}", "", md(entry.text), ""]
    places = ", ".join(md(p) for p in entry.places) or "no settlement named"
    facts = [f"event {md(entry.event)}", f"reported {md(entry.reported)}", places]
    out.append(" · ".join(facts + [md(p) for p in entry.details()]))
    if entry.quote:
        out += ["", f"> “{md(entry.quote)}”"]
    if entry.notes:
        out += ["", f"*Note:* {md(entry.notes)}"]
    return out


def _claims(sitrep: Sitrep) -> list[str]:
    out = ["", "## Claims by status"]
    for status in fields.STATUS_ORDER:
        entries = sitrep.claims[status]
        out += ["", f"### {fields.STATUS_SYMBOL[status]} {STATUS_TITLE[status]} "
                    f"\\({len(entries)}\\)"]
        for entry in entries:
            out += _claim(entry)
    return out


def _changes(sitrep: Sitrep) -> list[str]:
    period = f"since {md(sitrep.since)}" if sitrep.since else "\\(all recorded\\)"
    out = ["", f"## What changed {period}", ""]
    if not sitrep.changes:
        return out + ["No status, grade or control changes and no notes recorded\\."]
    out += [_row("When", "Record", "Change", "By", "Why"), _row("---", "---", "---", "---", "---")]
    for c in sitrep.changes:
        if c.field == "note":
            change, why = "note", md(c.note)
        else:
            change = f"{md(c.field)}: {md(c.before) or _DASH} → {md(c.after) or _DASH}"
            why = md(c.note)
        out.append(_row(md(c.at), _ref(ClaimRef(c.record, "", "")), change, md(c.by), why))
    return out


def _unverified(sitrep: Sitrep) -> list[str]:
    out = ["", "## Still unverified, oldest first", ""]
    if not sitrep.unverified:
        return out + ["None\\."]
    stale = sum(e.stale for e in sitrep.unverified)
    out += [f"{len(sitrep.unverified)} unverified; {stale} stale \\(reported more than "
            f"{sitrep.stale_days} days before {md(sitrep.as_of or 'the report')}\\)\\.", "",
            _row("Reported", "Grade", "Claim", "Stale"), _row("---", "---", "---", "---")]
    for e in sitrep.unverified:
        out.append(_row(md(e.reported), md(e.grade), _ref(ClaimRef(e.id, "", "")),
                        "stale" if e.stale else ""))
    return out


def _sources(sitrep: Sitrep) -> list[str]:
    out = ["", "## Sources", ""]
    if not sitrep.sources:
        return out + ["No sources in this view\\."]
    out += [_row("Source", "Reliability", "Role", "Claims", "By status"),
            _row("---", "---", "---", "---:", "---")]
    for s in sitrep.sources:
        counts = " ".join(f"{fields.STATUS_SYMBOL[k]}{n}" for k, n in s.counts.items() if n)
        ref = f" \\[{s.reference}\\]" if s.reference else ""
        out.append(_row(md(s.name) + ref, md(reliability_label(s.reliability)), md(s.role),
                        str(sum(s.counts.values())), md(counts)))
    return out
