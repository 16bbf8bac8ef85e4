"""How the CLI prints records: plain aligned tables for people, JSON for scripts."""

from __future__ import annotations

import shutil
import sys
from typing import TYPE_CHECKING, Any

import orjson

from sitrep.models import Record, current_control
from sitrep.text import printable, shorten

if TYPE_CHECKING:
    from sitrep.store import Store


def print_json(value: Any) -> None:
    """Print ``value`` as indented JSON (UTF-8, field names as in the file)."""
    sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n")


def _width() -> int:
    return max(60, shutil.get_terminal_size((120, 24)).columns)


def _rows(headers: list[str], rows: list[list[str]], flex: int) -> None:
    """Print aligned columns; column ``flex`` takes what is left of the terminal width."""
    cells = [[printable(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            if i != flex:
                widths[i] = max(widths[i], len(cell))
    fixed = sum(w for i, w in enumerate(widths) if i != flex) + 2 * (len(headers) - 1)
    widths[flex] = max(20, _width() - fixed)
    line = "  ".join(h.ljust(widths[i]) for i, h in enumerate(headers))
    print(line.rstrip())
    for row in cells:
        print("  ".join(shorten(c, widths[i]).ljust(widths[i]) for i, c in enumerate(row))
              .rstrip())


def print_table(kind: str, records: list[Record], store: Store) -> None:
    """Print claims, settlements or sources as a table."""
    if kind == "claims":
        rows = []
        for c in records:
            source = store.source(c.get("source") or "") or {}
            grade = f"{source.get('reliability', '?')}{c.get('credibility', '?')}"
            rows.append([c.get("id", ""), c.get("reported_at") or "", c.get("status", ""), grade,
                         c.get("source", ""), ",".join(c.get("settlements") or []),
                         c.get("text", "")])
        _rows(["ID", "REPORTED", "STATUS", "GRADE", "SOURCE", "SETTLEMENTS", "TEXT"], rows, 6)
    elif kind == "settlements":
        rows = []
        for s in records:
            obs = current_control(s) or {}
            claims = store.claims_for_settlement(s.get("id", ""))
            unverified = sum(1 for c in claims if c.get("status") == "unverified")
            rows.append([s.get("id", ""), s.get("name", ""), s.get("region", ""),
                         f"{obs.get('controller', '-')} {obs.get('as_of', '')}".strip(),
                         str(len(claims)), str(unverified)])
        _rows(["ID", "NAME", "REGION", "CONTROL", "CLAIMS", "UNVERIFIED"], rows, 1)
    else:
        rows = []
        for s in records:
            rows.append([s.get("id", ""), s.get("reliability", ""), s.get("alignment", ""),
                         str(len(store.claims_for_source(s.get("id", "")))), s.get("name", "")
                         + (f" ({s['role']})" if s.get("role") else "")])
        _rows(["ID", "GRADE", "ALIGNMENT", "CLAIMS", "NAME"], rows, 4)
    print(f"{len(records)} {kind}", file=sys.stderr)


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(printable(v) for v in value) if value else "-"
    if value is None or value == "":
        return "-"
    return printable(value)


def print_record(table: str, record: Record, store: Store) -> None:
    """Print one record field by field, then its history."""
    print(f"{table.rstrip('s')} {printable(record.get('id'))}")
    for key, value in record.items():
        if key in ("id", "history", "control"):
            continue
        print(f"  {key:<17} {_value(value)}")
    if table == "claims":
        source = store.source(record.get("source") or "")
        if source:
            print(f"  {'source is':<17} {printable(source.get('name'))}, "
                  f"{printable(source.get('role'))} (reliability {source.get('reliability')})")
    for obs in record.get("control") or []:
        if isinstance(obs, dict):
            print(f"  control           {obs.get('as_of')}: {_value(obs.get('controller'))}"
                  f" (claim {_value(obs.get('claim'))}) {_value(obs.get('note'))}")
    history = record.get("history") or []
    if history:
        print("  history")
    for h in history if isinstance(history, list) else []:
        if not isinstance(h, dict):
            continue
        change = f"{h.get('field')}: {_value(h.get('from'))} -> {_value(h.get('to'))}"
        if h.get("field") in ("note", "created"):
            change = str(h.get("field"))
        note = f"  ({printable(h.get('note'))})" if h.get("note") else ""
        print(f"    {h.get('at')}  {printable(h.get('by'))}  {change}{note}")
