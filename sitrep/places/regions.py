"""Ukraine's regions (oblasts, Crimea, Kyiv and Sevastopol cities) and their names in text.

A region is named in text in many forms: ``Donetsk Oblast``, ``Luhansk region``, ``the
Zaporizhzhia oblast``, ``Донецька область``, ``на Донеччині``, ``Донецкой области``,
``Donetsk and Luhansk oblasts``. :func:`region_code` turns a record's ``region`` field or a
written region into the GeoNames first-level code (``"05"`` for Donetsk), so regions are
compared by code, never by spelling. The table is hand-made from GeoNames' admin1 codes for
UA; the forms are the Ukrainian and Russian adjectives (declined by :data:`ADJ_ENDINGS`) and
the ``-щина`` names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sitrep.places.names import name_key


@dataclass(frozen=True)
class Region:
    """One first-level division: its GeoNames admin1 code and the names it goes by."""

    code: str
    name: str  # the English short name used in a settlement's ``region`` field
    latin: tuple[str, ...]  # English spellings (a region noun must follow them in text)
    uk_adj: str  # Ukrainian adjective stem: "донецьк" + а/ої/ій... + область
    ru_adj: str  # Russian adjective stem: "донецк" + ая/ой/ую... + область
    lands: tuple[str, ...] = ()  # names that are the region on their own (Донеччина, Crimea)


REGIONS: tuple[Region, ...] = (
    Region("01", "Cherkasy", ("Cherkasy", "Cherkassy", "Cherkasska"), "черкаськ", "черкасск",
           ("Черкащина",)),
    Region("02", "Chernihiv", ("Chernihiv", "Chernigov"), "чернігівськ", "черниговск",
           ("Чернігівщина", "Черниговщина")),
    Region("03", "Chernivtsi", ("Chernivtsi", "Chernovtsy"), "чернівецьк", "черновицк",
           ("Буковина", "Bukovyna", "Bukovina")),
    Region("04", "Dnipropetrovsk", ("Dnipropetrovsk", "Dnipro", "Dnepropetrovsk"),
           "дніпропетровськ", "днепропетровск", ("Дніпропетровщина", "Днепропетровщина",
                                                  "Січеславщина")),
    Region("05", "Donetsk", ("Donetsk", "Donets'k", "Donetska"), "донецьк", "донецк",
           ("Донеччина", "Донетчина", "Donechchyna")),
    Region("06", "Ivano-Frankivsk", ("Ivano-Frankivsk", "Ivano-Frankovsk"), "івано-франківськ",
           "ивано-франковск", ("Івано-Франківщина", "Прикарпаття", "Прикарпатье")),
    Region("07", "Kharkiv", ("Kharkiv", "Kharkov", "Kharkivska"), "харківськ", "харьковск",
           ("Харківщина", "Харьковщина", "Slobozhanshchyna", "Слобожанщина")),
    Region("08", "Kherson", ("Kherson",), "херсонськ", "херсонск",
           ("Херсонщина", "Херсонщина", "Khersonshchyna")),
    Region("09", "Khmelnytskyi", ("Khmelnytskyi", "Khmelnytskyy", "Khmelnitsky",
                                  "Khmelnytsky"), "хмельницьк", "хмельницк",
           ("Хмельниччина", "Поділля")),
    Region("10", "Kirovohrad", ("Kirovohrad", "Kirovograd", "Kropyvnytskyi"), "кіровоградськ",
           "кировоградск", ("Кіровоградщина", "Кировоградщина")),
    Region("11", "Crimea", ("Crimea", "Crimean"), "кримськ", "крымск",
           ("Крим", "Крым", "Crimea", "Krym", "Crimean")),
    Region("12", "Kyiv City", ("Kyiv City",), "", ""),
    Region("13", "Kyiv", ("Kyiv", "Kiev", "Kyivska"), "київськ", "киевск",
           ("Київщина", "Киевщина", "Kyivshchyna")),
    Region("14", "Luhansk", ("Luhansk", "Lugansk", "Luhans'k", "Luhanska"), "луганськ",
           "луганск", ("Луганщина", "Луганщина", "Luhanshchyna")),
    Region("15", "Lviv", ("Lviv", "Lvov", "Lwow"), "львівськ", "львовск", ("Львівщина",)),
    Region("16", "Mykolaiv", ("Mykolaiv", "Mykolayiv", "Nikolaev", "Nikolayev"),
           "миколаївськ", "николаевск", ("Миколаївщина", "Николаевщина")),
    Region("17", "Odesa", ("Odesa", "Odessa"), "одеськ", "одесск",
           ("Одещина", "Одесщина", "Odeshchyna")),
    Region("18", "Poltava", ("Poltava",), "полтавськ", "полтавск", ("Полтавщина",)),
    Region("19", "Rivne", ("Rivne", "Rovno"), "рівненськ", "ровенск", ("Рівненщина",)),
    Region("20", "Sevastopol", ("Sevastopol City", "Sevastopol"), "", ""),
    Region("21", "Sumy", ("Sumy",), "сумськ", "сумск", ("Сумщина", "Sumshchyna")),
    Region("22", "Ternopil", ("Ternopil", "Ternopol"), "тернопільськ", "тернопольск",
           ("Тернопільщина",)),
    Region("23", "Vinnytsia", ("Vinnytsia", "Vinnytsya", "Vinnitsa"), "вінницьк", "винницк",
           ("Вінниччина", "Винничина")),
    Region("24", "Volyn", ("Volyn", "Volhynia", "Volyn'"), "волинськ", "волынск",
           ("Волинь", "Волынь", "Volyn", "Volhynia")),
    Region("25", "Zakarpattia", ("Zakarpattia", "Zakarpattya", "Transcarpathian",
                                 "Transcarpathia"), "закарпатськ", "закарпатск",
           ("Закарпаття", "Закарпатье", "Zakarpattia", "Transcarpathia")),
    Region("26", "Zaporizhzhia", ("Zaporizhzhia", "Zaporizhia", "Zaporizhzhya", "Zaporozhye",
                                  "Zaporizhzhian"), "запорізьк", "запорожск",
           ("Запоріжжя-край",)),
    Region("27", "Zhytomyr", ("Zhytomyr", "Zhitomir"), "житомирськ", "житомирск",
           ("Житомирщина",)),
)

BY_CODE = {r.code: r for r in REGIONS}

# Nouns that make the word before them a region: "Donetsk Oblast", "Донецька область".
LATIN_NOUNS = frozenset(name_key(w) for w in (
    "oblast", "oblasts", "region", "regions", "province", "provinces", "oblast's", "region's",
    "district", "districts"))
CYRILLIC_NOUNS = frozenset(name_key(w) for w in (
    "область", "області", "областю", "областей", "областям", "областях", "обл", "областями",
    "области", "областью", "регіон", "регіоні", "регіону", "регион", "регионе", "региона",
    "ова", "ода", "обладміністрація", "облрада", "облгосадминистрация"))
# Plural nouns: "Donetsk and Luhansk oblasts", "Донецької та Луганської областей".
PLURAL_NOUNS = frozenset(name_key(w) for w in (
    "oblasts", "regions", "provinces", "districts", "області", "областей", "областях",
    "областям", "областями", "области"))
# Ukrainian and Russian adjective endings (fem./plural, every case) on the stems above.
ADJ_ENDINGS = ("а", "ої", "ій", "у", "ою", "і", "их", "им", "ими",
               "ая", "ой", "ую", "ие", "ые", "ых", "ым", "ыми", "ими")
# Endings of the "-щина"/"-ччина" land names: Донеччина, на Донеччині, з Донеччини.
LAND_ENDINGS = ("", "и", "і", "у", "ою", "е", "ой", "ы")
CONJUNCTIONS = frozenset(("and", "&", "та", "і", "й", "и", "or", "або", "или", ","))


def _land_stem(name: str) -> tuple[str, tuple[str, ...]]:
    normalised = name_key(name)
    if normalised.endswith("а") and len(normalised) > 4:
        return normalised[:-1], LAND_ENDINGS + ("а",)
    if normalised.endswith("я"):  # Закарпаття, Прикарпаття: -я, -і, -ю, -ям
        return normalised[:-1], ("я", "і", "ю", "ям", "ье", "ья", "ьи", "ье", "ью")
    if normalised.endswith("ь"):  # Волинь, Волині
        return normalised[:-1], ("ь", "і", "ю", "ня", "и")
    return normalised, ("", "у", "ом", "і", "а", "е")


@cache
def _tables() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(Latin name → code, Cyrillic adjective form → code, land-name form → code)."""
    latin: dict[str, str] = {}
    adjectives: dict[str, str] = {}
    lands: dict[str, str] = {}
    for region in REGIONS:
        for name in region.latin:
            latin.setdefault(name_key(name), region.code)
        for stem in (region.uk_adj, region.ru_adj):
            if stem:
                for ending in ADJ_ENDINGS:
                    adjectives.setdefault(name_key(stem + ending), region.code)
        for land in region.lands:
            if land.isascii():
                lands.setdefault(name_key(land), region.code)
                continue
            stem, endings = _land_stem(land)
            for ending in endings:
                lands.setdefault(stem + ending, region.code)
    return latin, adjectives, lands


@cache
def first_words() -> frozenset[str]:
    """Every normalised word a region's name in text can start with (a quick first test)."""
    latin, adjectives, lands = _tables()
    return frozenset(k.split()[0] for table in (latin, adjectives, lands) for k in table)


def latin_region(word: str) -> str | None:
    """The code of the region an English-script word names before ``oblast``/``region``."""
    return _tables()[0].get(word)


def adjective_region(word: str) -> str | None:
    """The code of the region a normalised Ukrainian/Russian adjective form names."""
    return _tables()[1].get(word)


def land_region(word: str) -> str | None:
    """The code of the region a normalised word names on its own (``донеччині``, ``crimea``)."""
    return _tables()[2].get(word)


def region_code(value: object) -> str | None:
    """The region code of a settlement's ``region`` field or a written region name, or None.

    Accepts ``"Luhansk"``, ``"Luhansk Oblast"``, ``"Луганська область"``, ``"Луганщина"``,
    ``"Lugansk region"`` and the code itself (``"14"``).
    """
    if not isinstance(value, str):
        return None
    text = name_key(value)
    if text in BY_CODE:
        return text
    if text == "kyiv city" or text == "kiev city" or text == "київ місто":
        return "12"
    words = [w for w in text.split() if w not in LATIN_NOUNS and w not in CYRILLIC_NOUNS]
    if not words:
        return None
    joined = " ".join(words)
    latin, adjectives, lands = _tables()
    return (latin.get(joined) or adjectives.get(joined) or lands.get(joined)
            or latin.get(words[0]) or adjectives.get(words[0]))


def region_name(code: str | None) -> str | None:
    """The English short name of a region code (``"05"`` → ``"Donetsk"``)."""
    region = BY_CODE.get(code or "")
    return region.name if region else None
