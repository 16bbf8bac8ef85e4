"""Measure the place matcher's accuracy and speed, and the gazetteer's load time (issue 13).

    .venv/bin/python benchmarks/bench_places.py            # figures
    .venv/bin/python benchmarks/bench_places.py --errors   # and every miss and false hit

The DB is every place of the bundled gazetteer (5,224 settlements in Ukraine, made with
``gazetteer.to_settlement``: names in every script, region, coordinates), the hardest case:
every village that shares a word or a name with a city is in it. The sentences
(``benchmarks/data/place_sentences.json``, English, Ukrainian, Russian) carry the mentions a
careful reader finds, each as ``[words, "Name/Region" | "gn:ID" | "?"]`` — ``"?"`` when the
name is shared and the text does not say which (the issue's rule: then it links to none).

A mention counts as right when its words and its settlement (or its being ambiguous) are as
expected; precision = right / found, recall = right / expected. Aim: P >= 0.95, R >= 0.90.

Reconciliation: :func:`messy_db` makes settlements the way two feeds bring them, from real
GeoNames names (one place as ``Kharkiv``/``Харків``, region ``Kharkiv``, and as ``Kharkov``,
region ``Харьковская область``, with coordinates) beside every same-named place of Ukraine
(the Vasylivkas); the duplicates finder should pair the first and merge none of the second.

Speed figures print beside a floor as a ratio: building the index against normalising every
name once; matching against cutting the text into words and normalising them (the least any
matcher must do); loading the gazetteer against the 200 ms the issue allows.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sitrep.places import gazetteer  # noqa: E402
from sitrep.places.matcher import _WORD, PlaceMatcher  # noqa: E402
from sitrep.places.names import name_key, normal_form  # noqa: E402
from sitrep.places.reconcile import duplicates  # noqa: E402
from sitrep.places.regions import BY_CODE  # noqa: E402

SENTENCES = ROOT / "benchmarks" / "data" / "place_sentences.json"


def gazetteer_db() -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Settlement records for every gazetteer place, and their ids' GeoNames ids."""
    records: list[dict[str, Any]] = []
    to_geonames: dict[str, int] = {}
    taken: set[str] = set()
    for place in gazetteer.load().places:
        sid = gazetteer.slug(place.name)
        if sid in taken:
            sid = f"{sid}-{place.geonames}"
        taken.add(sid)
        records.append(gazetteer.to_settlement(place, sid))
        to_geonames[sid] = place.geonames
    return records, to_geonames


def resolve_key(key: str) -> int | None:
    """The GeoNames id a sentence's expected key names (None for "?")."""
    if key == "?":
        return None
    if key.startswith("gn:"):
        return int(key[3:])
    name, _, region = key.partition("/")
    wanted = name_key(name)
    found = [p for p in gazetteer.load().places
             if p.region == region and wanted in {name_key(n) for n in p.names}]
    if len(found) != 1:
        raise SystemExit(f"bench_places: key {key!r} names {len(found)} places")
    return found[0].geonames


def messy_db(pairs: int = 300) -> tuple[list[dict[str, Any]], set[frozenset[str]]]:
    """Settlements as two analysts' feeds would bring them, from real GeoNames names.

    For the ``pairs`` most populous places: one record with the English and Ukrainian names
    and the region in English, and one with another spelling (a Russian-era romanisation, or
    the Russian name), the region in Russian and coordinates. Beside them, every other place
    sharing a name with another place (the Vasylivkas), each with its region and coordinates,
    none a duplicate. Returns the records and the pairs that are one place.
    """
    places = gazetteer.load().places
    records: list[dict[str, Any]] = []
    truth: set[frozenset[str]] = set()
    used: set[int] = set()
    for place in places:
        if len(truth) >= pairs:
            break
        region = BY_CODE.get(place.admin1)
        others = [t for t in place.translit if name_key(t) != name_key(place.name)]
        spelling = others[-1] if others else (place.ru[0] if place.ru else None)
        if region is None or spelling is None or not region.ru_adj:
            continue
        a = {"id": f"a-{place.geonames}", "name": place.name, "alt_names": [place.uk],
             "region": region.name}
        b = {"id": f"b-{place.geonames}", "name": spelling, "alt_names": [],
             "region": f"{region.ru_adj}ая область".capitalize(),
             "lat": place.lat + 0.01, "lon": place.lon - 0.01}
        records += [a, b]
        truth.add(frozenset((a["id"], b["id"])))
        used.add(place.geonames)
    by_name: dict[str, list[Any]] = {}
    for place in places:
        by_name.setdefault(name_key(place.name), []).append(place)
    for group in by_name.values():
        if len(group) > 1:
            for place in group:
                if place.geonames not in used:
                    records.append({"id": f"c-{place.geonames}", "name": place.name,
                                    "alt_names": [place.uk], "region": place.region,
                                    "lat": place.lat, "lon": place.lon})
    return records, truth


def reconciliation() -> dict[str, Any]:
    """The duplicates finder (with the gazetteer) on :func:`messy_db`."""
    records, truth = messy_db()
    started = time.perf_counter()
    found = duplicates(records, gazetteer.load())
    elapsed = time.perf_counter() - started
    # Two GeoNames entries of one name within 10 km are merged by the rule; GeoNames often
    # lists one village twice (Husiatyn 1.3 km, Pikuzy 0.5 km), so they are counted apart.
    twins = {frozenset((d.keep, d.drop)) for d in found
             if d.keep.startswith("c-") and d.drop.startswith("c-") and "km apart" in d.reason}
    same = {frozenset((d.keep, d.drop)) for d in found if d.kind == "same"} - twins
    probable = {frozenset((d.keep, d.drop)) for d in found if d.kind == "probable"} - twins
    return {"settlements": len(records), "true_pairs": len(truth),
            "same_right": len(same & truth), "same_wrong": len(same - truth),
            "probable_right": len(probable & truth), "probable_wrong": len(probable - truth),
            "geonames_twins": len(twins),
            "missed": len(truth - same - probable),
            "after": len(records) - len(same & truth), "seconds": elapsed}


def best(fn: Any, repeat: int) -> float:
    """The best wall time of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def accuracy(matcher: PlaceMatcher, to_geonames: dict[str, int], sentences: list[dict[str, Any]],
             show_errors: bool) -> dict[str, Any]:
    """Precision and recall over the sentences, overall and per language."""
    totals: Counter[str] = Counter()
    for sentence in sentences:
        lang = sentence["lang"]
        expected = Counter((words, resolve_key(key)) for words, key in sentence["expect"])
        found = Counter((m.text, to_geonames[m.id] if m.id else None)
                        for m in matcher.mentions(sentence["text"]))
        right = sum((expected & found).values())
        for scope in ("all", lang):
            totals[f"{scope}:right"] += right
            totals[f"{scope}:found"] += sum(found.values())
            totals[f"{scope}:expected"] += sum(expected.values())
        if show_errors and expected != found:
            print(f"  [{lang}] {sentence['text']}\n      missed {dict(expected - found)}"
                  f"  wrong {dict(found - expected)}")
    out: dict[str, Any] = {}
    for scope in ("all", "en", "uk", "ru"):
        r, f, e = (totals[f"{scope}:{k}"] for k in ("right", "found", "expected"))
        out[scope] = {"precision": r / f if f else 1.0, "recall": r / e if e else 1.0,
                      "right": r, "found": f, "expected": e}
    return out


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every miss and false hit")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    blob = (Path(gazetteer.__file__).parent / "data" / "UA.tsv.gz").read_bytes()
    load_s = best(lambda: gazetteer.parse(gzip.decompress(blob).decode("utf-8")), args.repeat)
    records, to_geonames = gazetteer_db()
    sentences = json.loads(SENTENCES.read_text(encoding="utf-8"))
    all_names = [n for r in records for n in [r["name"], *r["alt_names"]]]
    build_s = best(lambda: PlaceMatcher(records), args.repeat)
    build_floor = best(lambda: [normal_form(n) for n in all_names], args.repeat)
    matcher = PlaceMatcher(records)
    texts = [s["text"] for s in sentences] * 50  # ~11k texts: a big feed import
    match_s = best(lambda: [matcher.mentions(t) for t in texts], args.repeat)
    match_floor = best(lambda: [[normal_form(m.group()) for m in _WORD.finditer(t)] for t in texts],
                       args.repeat)
    result = accuracy(matcher, to_geonames, sentences, args.errors)
    merged = reconciliation()
    figures = {
        "sentences": len(sentences), "settlements": len(records),
        "accuracy": result,
        "gazetteer_load_ms": load_s * 1000, "index_build_s": build_s,
        "match_texts": len(texts), "match_s": match_s,
        "match_us_per_text": match_s / len(texts) * 1e6,
        "reconciliation": merged,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    a = result["all"]
    print(f"{len(sentences)} sentences, {a['expected']} expected mentions, DB of "
          f"{len(records)} settlements")
    for scope in ("all", "en", "uk", "ru"):
        s = result[scope]
        print(f"  {scope:3}  precision {s['precision']:.3f} ({s['right']}/{s['found']})   "
              f"recall {s['recall']:.3f} ({s['right']}/{s['expected']})")
    print(f"  aim: precision >= 0.95 ({a['precision'] / 0.95:.2f}x), recall >= 0.90 "
          f"({a['recall'] / 0.90:.2f}x)")
    m = merged
    print(f"reconciliation: {m['settlements']} settlements with {m['true_pairs']} pairs that "
          f"are one place -> {m['after']} after merging the 'same' pairs")
    print(f"  same: {m['same_right']} right, {m['same_wrong']} wrong; probable: "
          f"{m['probable_right']} right, {m['probable_wrong']} wrong; missed {m['missed']}; "
          f"{m['seconds'] * 1000:.0f} ms")
    print(f"  and {m['geonames_twins']} pairs of same-named GeoNames entries within 10 km "
          "merged by the rule (often one place listed twice)")
    print(f"gazetteer load {load_s * 1000:6.1f} ms   budget 200 ms   ratio {load_s / 0.2:.2f}")
    print(f"index build    {build_s * 1000:6.1f} ms   floor {build_floor * 1000:6.1f} ms "
          f"(normalise every name)   ratio {build_s / build_floor:.1f}")
    print(f"match {len(texts)} texts {match_s * 1000:6.1f} ms ({figures['match_us_per_text']:.0f}"
          f" us each)   floor {match_floor * 1000:6.1f} ms (words + normalise)   ratio "
          f"{match_s / match_floor:.1f}")


if __name__ == "__main__":
    main()
