"""The place matcher: scripts, inflection, case, regions, ambiguity (issue 13's traps)."""

from __future__ import annotations

from typing import Any

import pytest

from sitrep.places.matcher import PlaceMatcher


def _s(sid: str, name: str, *alt: str, region: str, lat: float | None = None,
       lon: float | None = None) -> dict[str, Any]:
    record: dict[str, Any] = {"id": sid, "name": name, "alt_names": list(alt), "region": region}
    if lat is not None:
        record.update(lat=lat, lon=lon)
    return record


DB = [
    _s("kharkiv", "Kharkiv", "Kharkov", "Харків", "Харьков", region="Kharkiv", lat=49.98,
       lon=36.25),
    _s("bakhmut", "Bakhmut", "Бахмут", "Artemivsk", region="Donetsk", lat=48.59, lon=38.0),
    _s("lysychansk", "Lysychansk", "Lysychans'k", "Лисичанськ", "Лисичанск", region="Luhansk",
       lat=48.91, lon=38.42),
    _s("svatove", "Svatove", "Svatovo", "Сватове", "Сватово", region="Luhansk"),
    _s("kreminna", "Kreminna", "Кремінна", "Кременная", region="Luhansk"),
    _s("kupiansk", "Kupiansk", "Kup'yans'k", "Kupyansk", "Куп’янськ", "Купянск",
       region="Kharkiv"),
    _s("donetsk", "Donetsk", "Донецьк", "Донецк", region="Donetsk"),
    _s("luhansk", "Luhansk", "Lugansk", "Луганськ", "Луганск", region="Luhansk"),
    _s("perekop", "Perekop", "Перекоп", region="Crimea"),
    _s("uman", "Uman", "Умань", region="Cherkasy"),
    _s("bar", "Bar", "Бар", region="Vinnytsia"),
    _s("holovne", "Holovne", "Головне", region="Volyn"),
    _s("ataky", "Ataky", "Атаки", region="Chernivtsi"),
    _s("volodymyr", "Volodymyr", "Володимир", region="Volyn"),
    _s("vasylivka", "Vasylivka", "Василівка", region="Zaporizhzhia", lat=47.44, lon=35.28),
    _s("vasylivka-odesa", "Vasylivka", "Василівка", region="Odesa", lat=46.61, lon=30.31),
    _s("vasylivka-donetsk", "Vasylivka", "Василівка", region="Donetsk", lat=47.67, lon=38.52),
    _s("tokmak", "Tokmak", "Токмак", region="Zaporizhzhia", lat=47.25, lon=35.71),
    _s("bila-tserkva", "Bila Tserkva", "Біла Церква", region="Kyiv"),
]
MATCHER = PlaceMatcher(DB)


def ids(text: str) -> list[str | None]:
    return [m.id for m in MATCHER.mentions(text)]


@pytest.mark.parametrize("text,expected", [
    ("у Харкові", "kharkiv"), ("під Бахмутом", "bakhmut"), ("до Лисичанська", "lysychansk"),
    ("зі Сватового", "svatove"), ("у Кремінній", "kreminna"), ("в Лисичанске", "lysychansk"),
    ("под Купянском", "kupiansk"), ("з Харкова", "kharkiv"), ("біля Білої Церкви",
                                                              "bila-tserkva"),
])
def test_declined_forms(text: str, expected: str) -> None:
    assert ids(text) == [expected]


def test_transliterations_and_apostrophes_meet() -> None:
    assert ids("Shelling near Kup'yans'k, Kup’yans’k and Kupiansk.") == ["kupiansk"] * 3
    assert ids("Reports from KHARKOV and Kharkiv's outskirts.") == ["kharkiv", "kharkiv"]


def test_mentions_carry_offsets_and_the_words() -> None:
    text = "Бои под Купянском."
    (mention,) = MATCHER.mentions(text)
    assert text[mention.start:mention.end] == mention.text == "Купянском"
    assert mention.to_json() == {"id": "kupiansk", "candidates": ["kupiansk"],
                                 "text": "Купянском", "start": 8, "end": 17}


@pytest.mark.parametrize("text", [
    "Either this or that.", "It is a human story.", "They met at a bar.",
    "Це головне питання.", "Нові атаки тривали всю ніч.", "Lysychanskyi district",
    "Volodymyr Zelensky spoke.", "Президент Володимир Зеленський заявив.",
])
def test_common_words_and_people_are_not_places(text: str) -> None:
    assert ids(text) == []


@pytest.mark.parametrize("text", [
    "Bar owners complained.", "Атаки тривали. Головне — вижити.", "Or so they said.",
])
def test_a_capital_at_the_start_of_a_sentence_is_no_sign_of_a_name(text: str) -> None:
    assert ids(text) == []


def test_places_at_the_start_of_a_sentence_still_match() -> None:
    assert ids("Bakhmut is under fire. Харків зазнав удару.") == ["bakhmut", "kharkiv"]


@pytest.mark.parametrize("text", [
    "Shelling across Donetsk Oblast.", "in the Luhansk region", "Донецька область",
    "на Донеччині", "в Донецкой области", "Donetsk and Luhansk oblasts",
    "Донецької та Луганської областей", "the Donetsk People's Republic",
])
def test_a_region_is_not_its_capital(text: str) -> None:
    assert ids(text) == []
    assert MATCHER.regions(text)


def test_an_ambiguous_name_is_reported_with_candidates() -> None:
    (mention,) = MATCHER.mentions("Strikes on Vasylivka overnight.")
    assert mention.id is None
    assert set(mention.candidates) == {"vasylivka", "vasylivka-odesa", "vasylivka-donetsk"}
    assert MATCHER.find("Strikes on Vasylivka overnight.") == []


@pytest.mark.parametrize("text,expected", [
    ("Vasylivka, Zaporizhzhia oblast", "vasylivka"),
    ("у Василівці на Донеччині", "vasylivka-donetsk"),
    ("Strikes on Vasylivka and Tokmak.", "vasylivka"),
    ("Василівка (Одеська область)", "vasylivka-odesa"),
])
def test_ambiguity_resolved_by_the_text(text: str, expected: str) -> None:
    assert ids(text)[0] == expected


def test_ambiguity_resolved_by_the_records_own_region() -> None:
    assert MATCHER.find("Strikes on Vasylivka.", regions=["Odesa"]) == ["vasylivka-odesa"]


def test_nothing_in_an_empty_db_or_text() -> None:
    assert PlaceMatcher([]).mentions("Kharkiv") == []
    assert MATCHER.mentions("") == []
