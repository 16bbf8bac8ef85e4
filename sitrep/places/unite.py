"""Two settlement records that are one place, made one: pure rules over plain records.

``sitrep places merge KEEP DROP`` (the store's builder ``Changes.merge_settlements``) keeps
KEEP's record and gives it everything DROP knew:

* names: DROP's name and alternative names (every script) join KEEP's ``alt_names``;
* external ids: DROP's ``ids`` of a kind KEEP lacks (the same kind with another value refuses
  the merge: :func:`id_clash`), and ``merged_from`` lists DROP's id (and the ids merged into
  DROP before), so a feed that still says DROP is pointed at KEEP;
* control observations: DROP's that KEEP does not have, after KEEP's;
* a field KEEP lacks or leaves empty (region, coordinates, country, a field sitrep does not
  know) takes DROP's value; ``notes`` of both are kept, KEEP's first;
* history: KEEP's, then DROP's entries KEEP does not carry (append-only either way).
"""

from __future__ import annotations

from typing import Any

Record = dict[str, Any]
MERGED_FROM = "merged_from"  # the ids merged into a settlement: feeds that still use them
LISTS = ("alt_names", "control", "history", MERGED_FROM)


def _listed(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def id_clash(keep: Record, drop: Record) -> str | None:
    """Why the two cannot be one place (an external id of one kind that differs), or None."""
    ours, theirs = keep.get("ids"), drop.get("ids")
    if not isinstance(ours, dict) or not isinstance(theirs, dict):
        return None
    for kind in sorted(ours.keys() & theirs.keys()):
        if str(ours[kind]) != str(theirs[kind]):
            return (f"{keep.get('id')} and {drop.get('id')} have different {kind} ids"
                    f" ({ours[kind]}, {theirs[kind]}): they are two places")
    return None


def unite(keep: Record, drop: Record) -> Record:
    """KEEP's record with DROP's names, ids, control, history and missing fields (a new dict;
    neither argument is changed)."""
    united: Record = dict(keep)
    own_name = keep.get("name")
    names = [drop.get("name"), *_listed(drop.get("alt_names"))]
    alt = _listed(keep.get("alt_names"))
    alt.extend(n for n in dict.fromkeys(names)
               if isinstance(n, str) and n.strip() and n != own_name and n not in alt)
    united["alt_names"] = alt
    control = _listed(keep.get("control"))
    control.extend(obs for obs in _listed(drop.get("control")) if obs not in control)
    united["control"] = control
    history = _listed(keep.get("history"))
    history.extend(entry for entry in _listed(drop.get("history")) if entry not in history)
    united["history"] = history
    merged = _listed(keep.get(MERGED_FROM))
    merged.extend(rid for rid in [drop.get("id"), *_listed(drop.get(MERGED_FROM))]
                  if isinstance(rid, str) and rid not in merged and rid != keep.get("id"))
    united[MERGED_FROM] = merged
    ids = drop.get("ids")
    if isinstance(ids, dict):
        own = keep["ids"] if isinstance(keep.get("ids"), dict) else {}
        united["ids"] = {**ids, **own}
    notes = [n for n in (keep.get("notes"), drop.get("notes")) if isinstance(n, str) and n]
    if notes:
        united["notes"] = "\n\n".join(dict.fromkeys(notes))
    for field, value in drop.items():
        if field in (*LISTS, "id", "name", "ids", "notes"):
            continue
        if _empty(united.get(field)) and not _empty(value):
            united[field] = value
    return united


def merged_into(settlements: list[Record]) -> dict[str, str]:
    """Every id merged away → the settlement that holds it now (from ``merged_from``)."""
    found: dict[str, str] = {}
    for record in settlements:
        rid = record.get("id")
        if not isinstance(rid, str):
            continue
        for old in _listed(record.get(MERGED_FROM)):
            if isinstance(old, str):
                found.setdefault(old, rid)
    return found
