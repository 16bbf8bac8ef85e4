"""Place names: the one normalising function, scripts, and rule-based transliteration.

:func:`normal_form` is THE normal form in which sitrep compares names and searches text: the filter
language (:mod:`sitrep.query`), the dashboard's search, the gazetteer's lookup, the matcher and
the reconciliation rules all call it, so ``Kup'yans'k``, ``Kup’yans’k`` and ``KUPYANSK`` meet.
It casefolds, drops apostrophes and their look-alikes (``'`` ``’`` ``ʼ`` ``ʹ`` ``‘`` ...),
removes Latin diacritics (``Vasiļivka`` ~ ``Vasilivka``, ``Kijów`` ~ ``Kijow``), makes hyphens
spaces (``Ivano-Frankivsk`` ~ ``Ivano Frankivsk``) and normalises ``ё`` to ``е`` and ``ґ`` to ``г``.
Cyrillic ``й`` and ``ї`` are letters of their own and are kept. It never changes the number
of words, so it is safe on whole texts (the dashboard normalises every claim once).

Transliteration goes one way, Cyrillic to Latin, by the rules of three systems, so that a
gazetteer record carries the spellings an English text actually uses:

* :func:`uk_national` — Ukraine's national romanisation (Cabinet resolution 55 of 2010):
  ``Харків`` → ``Kharkiv``, ``Куп'янськ`` → ``Kupiansk``, ``Запоріжжя`` → ``Zaporizhzhia``;
* :func:`uk_bgn` — the older BGN/PCGN Ukrainian form common in English before 2014:
  ``Kup'yans'k``, ``Lysychans'k``, ``Zaporizhzhya``;
* :func:`ru_bgn` — BGN/PCGN Russian, the Russian-era forms: ``Харьков`` → ``Khar'kov``,
  ``Лисичанск`` → ``Lisichansk``; :func:`ru_simple` the same with ``ia``/``iu`` (``Slaviansk``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# ---------------------------------------------------------------------------------- normalising
APOSTROPHES = "'\u2019\u02bc\u02b9\u2018\u0060\u00b4\u2032\u02bb\u02bd\u02ba\u2033"
HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_SPECIAL = {"ß": "ss", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "ħ": "h", "œ": "oe",
            "þ": "th", "ð": "d", "ŀ": "l", "ё": "е", "ґ": "г"}


def _normal_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(ch): None for ch in APOSTROPHES}
    table.update({ord(ch): " " for ch in HYPHENS})
    table.update({ord(k): v for k, v in _SPECIAL.items()})
    table.update({cp: None for cp in range(0x0300, 0x0370)})  # combining marks left after NFC
    for cp in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        ch = chr(cp)
        if ch.lower() != ch or ord(ch) in table:
            continue  # normal_form() casefolds first, so only lower-case letters reach the table
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if base and base != ch and base.isascii():
            table[cp] = base
    return table


_TABLE: dict[str, str] = {}  # filled on the first normal_form(): nothing at import time
_NORMALISER: list[re.Pattern[str]] = []


def _replace(match: re.Match[str]) -> str:
    return _TABLE[match.group()]


def normal_form(text: str) -> str:
    """``text`` in the form names are compared in: casefolded, apostrophes and Latin
    diacritics dropped, hyphens made spaces, ``ё``→``е``, ``ґ``→``г``.

    >>> normal_form("Kup'yans'k") == normal_form("KUP’YANS’K") == "kupyansk"
    True
    """
    if not _NORMALISER:
        _TABLE.update({chr(k): v or "" for k, v in _normal_table().items()})
        _NORMALISER.append(re.compile("[" + "".join(map(re.escape, _TABLE)) + "]"))
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    # One regex pass finds the few characters to change; str.translate with a dict costs a
    # lookup per character (six times slower on a dashboard's worth of claim texts).
    return _NORMALISER[0].sub(_replace, text.casefold())


def name_key(name: str) -> str:
    """A whole name normalised with its spacing normalised (``" Ivano -Frankivsk"`` →
    ``"ivano frankivsk"``): the key under which names are indexed."""
    return " ".join(normal_form(name).split())


# ---------------------------------------------------------------------------------- scripts
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
UK_LETTERS = frozenset("іїєґІЇЄҐ")
RU_LETTERS = frozenset("ыэъёЫЭЪЁ")
# Letters of Cyrillic alphabets other than Ukrainian and Russian (Belarusian, Serbian,
# Macedonian, Chuvash, Kazakh, Tatar, Church Slavonic): names carrying them are neither.
OTHER_CYRILLIC = frozenset("ўЎјЈљЉњЊћЋђЂџЏѓЃќЌѕЅӳӲӑӐӗӖҫҪәӘөӨүҮұҰқҚғҒңҢһҺѣѢѥѤꙑꙐ")


def script(name: str) -> str:
    """``"cyrillic"``, ``"latin"``, ``"mixed"`` or ``"other"`` for a name."""
    cyr = bool(_CYRILLIC.search(name))
    lat = bool(_LATIN.search(name))
    if cyr and lat:
        return "mixed"
    return "cyrillic" if cyr else "latin" if lat else "other"


def cyrillic_language(name: str) -> str | None:
    """``"uk"``, ``"ru"`` or ``"either"`` for a Cyrillic name by its letters; None when it
    uses letters of another alphabet (or is not Cyrillic)."""
    if script(name) != "cyrillic" or any(ch in OTHER_CYRILLIC for ch in name):
        return None
    chars = set(name)
    if chars & UK_LETTERS:
        return None if chars & RU_LETTERS else "uk"
    return "ru" if chars & RU_LETTERS else "either"


# ---------------------------------------------------------------------------- transliteration
_UK_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "y", "і": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch",
}
_UK_NATIONAL_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_UK_NATIONAL_MEDIAL = {"є": "ie", "ї": "i", "й": "i", "ю": "iu", "я": "ia"}
_UK_BGN = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya", "ь": "'"}
_RU = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ж": "zh", "з": "z", "и": "i", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "",
    "ы": "y", "ь": "'", "э": "e", "ю": "yu", "я": "ya", "ё": "yo", "і": "i", "є": "ye",
    "ї": "yi", "ґ": "g",
}
_RU_VOWELS = set("аеёиоуыэюяєії")
_WORD_START = set(" -\u2010\u2011(\"«")


def _cased(latin: str, original: str) -> str:
    if not latin:
        return latin
    if original.isupper() and len(original) > 1:
        return latin.upper()
    return latin[0].upper() + latin[1:] if original.isupper() else latin


def _transliterate(name: str, pick: Callable[[str, str, str], str | None]) -> str:
    out: list[str] = []
    prev = " "
    for i, ch in enumerate(name):
        low = ch.lower()
        piece = pick(low, prev, name[i + 1:i + 2].lower())
        out.append(ch if piece is None else _cased(piece, ch))
        prev = low
    return "".join(out)


def uk_national(name: str) -> str:
    """Ukrainian Cyrillic → Latin by the national system of 2010 (``Київ`` → ``Kyiv``)."""

    def pick(ch: str, prev: str, nxt: str) -> str | None:
        if ch in APOSTROPHES or ch == "ь":
            return ""
        if ch == "г" and prev == "з":
            return "gh"
        if ch in _UK_NATIONAL_INITIAL:
            table = _UK_NATIONAL_INITIAL if prev in _WORD_START else _UK_NATIONAL_MEDIAL
            return table[ch]
        return _UK_COMMON.get(ch)

    return _transliterate(name, pick)


def uk_bgn(name: str) -> str:
    """Ukrainian Cyrillic → Latin by BGN/PCGN 1965 (``Лисичанськ`` → ``Lysychans'k``)."""

    def pick(ch: str, prev: str, nxt: str) -> str | None:
        if ch in APOSTROPHES:
            return "'"
        return _UK_BGN.get(ch) or _UK_COMMON.get(ch)

    return _transliterate(name, pick)


def ru_bgn(name: str) -> str:
    """Russian Cyrillic → Latin by BGN/PCGN (``Харьков`` → ``Khar'kov``)."""

    def pick(ch: str, prev: str, nxt: str) -> str | None:
        if ch == "е":
            return "ye" if prev in _WORD_START or prev in _RU_VOWELS or prev in "ъь" else "e"
        return _RU.get(ch)

    return _transliterate(name, pick)


_ADJ_END = re.compile(r"(?:iy|yy|yi)\b", re.IGNORECASE)
_IOT = re.compile(r"(?<=[a-z'])y([aeu])", re.IGNORECASE)
_VOWEL_YE = re.compile(r"(?<=[aeou])ye", re.IGNORECASE)
_I_IOT = re.compile(r"(?<=i)y(?=[aeu])", re.IGNORECASE)


def ru_simple(name: str) -> str:
    """Russian Cyrillic → Latin as newspapers often write it: BGN without the soft sign,
    ``ia``/``iu`` after consonants, ``ie`` for ``iye`` and ``-y`` for ``-ий``/``-ый``
    (``Slaviansk``, ``Kiev``)."""
    latin = _I_IOT.sub("", ru_bgn(name).replace("'", ""))
    latin = _VOWEL_YE.sub(lambda m: m.group()[1], latin)
    latin = _IOT.sub(lambda m: "i" + m.group(1), latin)
    return _ADJ_END.sub(lambda m: m.group()[0], latin)


def transliterations(uk: str | None, ru: list[str]) -> list[str]:
    """The Latin spellings of a place from its Ukrainian and Russian names, distinct after
    normalising, the national form first."""
    forms: list[str] = []
    seen: set[str] = set()
    candidates: list[str] = []
    if uk:
        candidates += [uk_national(uk), uk_bgn(uk)]
    for name in ru:
        candidates += [ru_bgn(name), ru_simple(name)]
    for form in candidates:
        key = name_key(form)
        if key and key not in seen and script(form) == "latin":
            seen.add(key)
            forms.append(form)
    return forms
