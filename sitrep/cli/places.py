"""``sitrep places lookup|add|match|duplicates|merge``: the gazetteer and place names in text.

The gazetteer and the matcher are imported inside the handlers, so no other command pays for
them.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sitrep.cli import output as out
from sitrep.cli.context import Context
from sitrep.errors import ConflictError, NotFoundError, SitrepError


def register(sub: Any, common: argparse.ArgumentParser | None = None) -> None:
    """Add ``places`` and its actions to the CLI's subparsers."""
    parents = [common] if common is not None else []

    def command(where: Any, name: str, func: Any, text: str) -> argparse.ArgumentParser:
        p = where.add_parser(name, parents=parents, help=text, description=text)
        p.set_defaults(func=func)
        return p

    places = command(sub, "places", _places_help,
                     "the bundled gazetteer (GeoNames) and place names in text")
    psub = places.add_subparsers(title="place commands", metavar="ACTION")
    p = command(psub, "lookup", cmd_lookup,
                "places called NAME in any script or transliteration, best first")
    p.add_argument("name", metavar="NAME", help="a name, or geonames:ID")
    p.add_argument("--country", default="UA", metavar="CC",
                   help="ISO country code (default UA; others need the places-world extra)")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N (default 20)")
    p.add_argument("--json", action="store_true", help="candidates as a JSON array")
    p = command(psub, "add", cmd_add,
                "add a settlement from the gazetteer with its names, region, coordinates, id")
    p.add_argument("name", metavar="NAME|geonames:ID")
    p.add_argument("--id", metavar="SLUG", help="the settlement's id (default: from the name)")
    p.add_argument("--region", metavar="REGION",
                   help="which of several places of that name (e.g. Zaporizhzhia)")
    p.add_argument("--country", default="UA", metavar="CC")
    p.add_argument("--json", action="store_true", help="print the new record as JSON")
    p = command(psub, "match", cmd_match, "the DB's settlements named in a text")
    p.add_argument("text", metavar="TEXT", help="the text; - reads standard input")
    p.add_argument("--region", action="append", default=[], metavar="REGION",
                   help="a region the text is about (resolves shared names; repeatable)")
    p.add_argument("--json", action="store_true",
                   help="an array of {id, candidates, text, start, end}")
    p = command(psub, "duplicates", cmd_duplicates,
                "settlements of the DB that are (probably) one place, with the reason")
    p.add_argument("--json", action="store_true", help="an array of {keep, drop, kind, reason}")
    p = command(psub, "merge", cmd_merge,
                "make DROP part of KEEP: its claims, control, names, ids and history move to"
                " KEEP, DROP is removed (one write; sitrep restore 1 undoes it)")
    p.add_argument("keep", metavar="KEEP", help="the settlement id that stays")
    p.add_argument("drop", metavar="DROP", help="the settlement id merged into KEEP")
    p.add_argument("--note", metavar="TEXT", help="why (kept in KEEP's history)")
    p.add_argument("--json", action="store_true",
                   help="{keep, drop, claims, backup} and KEEP's record")


def _places_help(args: argparse.Namespace, ctx: Context) -> int:
    raise SitrepError("places needs an action: lookup NAME, add NAME, match TEXT, duplicates"
                      " or merge KEEP DROP")


def _gazetteer(country: str) -> Any:
    from sitrep.places import gazetteer

    try:
        return gazetteer.load(country)
    except gazetteer.GazetteerUnavailable as exc:
        raise SitrepError(str(exc)) from None


def _place_line(place: Any) -> str:
    names = ", ".join(n for n in place.names[1:4])
    region = place.region or place.admin1 or "-"
    return (f"geonames:{place.geonames:<9} {place.name:<24} {region:<16} "
            f"{place.lat:9.5f} {place.lon:9.5f} {place.population:>9,}  {names}")


def cmd_lookup(args: argparse.Namespace, ctx: Context) -> int:
    """Print the candidates for a name; exit 1 when there are none."""
    found = _gazetteer(args.country).lookup(args.name, max(1, args.limit))
    if args.json:
        out.print_json([p.to_json() for p in found])
    else:
        for place in found:
            out.line(_place_line(place))
    if not found:
        if not args.json:
            out.error(f"no place called {args.name!r} in {args.country}")
        return 1
    return 0


def cmd_add(args: argparse.Namespace, ctx: Context) -> int:
    """Add the one place the name (and --region) stand for; refuse when several do."""
    from sitrep.places import gazetteer
    from sitrep.places.names import name_key
    from sitrep.places.reconcile import reconcile
    from sitrep.places.regions import region_code

    gaz = _gazetteer(args.country)
    found = gaz.lookup(args.name, 200)
    key = name_key(args.name)
    if not key.startswith("geonames:"):
        exact = [p for p in found if key in {name_key(n) for n in p.names}]
        found = exact or [p for p in found if key in {name_key(n) for n in p.other}]
    if args.region:
        wanted = region_code(args.region) or name_key(args.region)
        found = [p for p in found if region_code(p.region) == wanted
                 or name_key(p.region or "") == wanted]
    if not found:
        raise NotFoundError(f"no place called {args.name!r} in the gazetteer"
                            + (f" in {args.region}" if args.region else ""))
    if len(found) > 1:
        options = "; ".join(f"geonames:{p.geonames} {p.name} ({p.region}, "
                            f"pop. {p.population:,})" for p in found[:8])
        more = f" and {len(found) - 8} more" if len(found) > 8 else ""
        raise SitrepError(f"{len(found)} places are called {args.name!r}: {options}{more}; "
                          "say which with geonames:ID or --region")
    place = found[0]
    store = ctx.write_store()
    record = gazetteer.to_settlement(place, args.id)
    verdict = reconcile(record, store.settlements(), gaz)
    if verdict.kind == "same":
        raise ConflictError(f"already in the DB as {verdict.existing!r} ({verdict.reason})")
    if store.get("settlements", record["id"]) is not None:
        raise ConflictError(f"a settlement with id {record['id']!r} exists; choose --id")
    created = store.put("settlements", record, by=ctx.analyst,
                        note=f"added from the gazetteer (GeoNames {place.geonames})")
    if args.json:
        out.print_json(created)
    else:
        out.line(f"added {created['id']}: {place.name}, {place.region} "
                 f"(geonames:{place.geonames})")
        if verdict.kind == "probable":
            out.line(f"note: may be the same place as {verdict.existing} "
                     f"({verdict.reason}); see sitrep places duplicates")
    return 0


def cmd_match(args: argparse.Namespace, ctx: Context) -> int:
    """Print the settlements named in the text (one line each, or JSON)."""
    from sitrep.places.matcher import PlaceMatcher

    text = sys.stdin.read() if args.text == "-" else args.text
    store = ctx.read_store()
    mentions = PlaceMatcher(store.settlements()).mentions(text, args.region)
    if args.json:
        out.print_json([m.to_json() for m in mentions])
        return 0
    for m in mentions:
        target = m.id if m.id is not None else "ambiguous: " + ", ".join(m.candidates)
        out.line(f"{m.start}-{m.end} {m.text} {target}")
    return 0


def cmd_duplicates(args: argparse.Namespace, ctx: Context) -> int:
    """List likely duplicate settlements with the reason (the gazetteer helps when bundled)."""
    from sitrep.places import gazetteer
    from sitrep.places.reconcile import duplicates

    store = ctx.read_store()
    try:
        gaz = gazetteer.load("UA")
    except gazetteer.GazetteerUnavailable:
        gaz = None
    found = duplicates(store.settlements(), gaz)
    if args.json:
        out.print_json([d.to_json() for d in found])
        return 0
    if not found:
        out.line("no duplicate settlements found")
    for d in found:
        out.line(f"{d.kind:<8} {d.keep}  <-  {d.drop} {d.reason}")
    return 0


def cmd_merge(args: argparse.Namespace, ctx: Context) -> int:
    """Merge DROP into KEEP in one write and say which backup holds the version before."""
    store = ctx.write_store()
    drop = store.settlement(args.drop)
    record, claims = store.merge_settlements(args.keep, args.drop, by=ctx.analyst,
                                             note=args.note)
    backup = store.backups.path(1)
    if args.json:
        out.print_json({"keep": args.keep, "drop": args.drop, "claims": claims,
                        "backup": str(backup), "record": record})
        return 0
    names = ", ".join(n for n in [drop.get("name") if drop else None,
                                   *((drop or {}).get("alt_names") or [])]
                      if isinstance(n, str))
    out.line(f"merged {args.drop} ({names}) into {args.keep}: {claims} claim"
             f"{'s' if claims != 1 else ''} re-pointed, {args.drop} removed")
    out.line(f"the version before is backup 1 ({backup}): sitrep restore 1 undoes the merge"
             " (and any change made after it)")
    return 0
