"""Reconciliation rules: one place, one record (issue 13's cases)."""

from __future__ import annotations

from typing import Any

from sitrep.places import gazetteer
from sitrep.places.reconcile import compare, duplicates, reconcile


def _s(sid: str, name: str, *alt: str, **fields: Any) -> dict[str, Any]:
    return {"id": sid, "name": name, "alt_names": list(alt), **fields}


KHARKIV = _s("kharkiv", "Kharkiv", "Харків", region="Kharkiv", lat=49.98, lon=36.25)


def test_cyrillic_name_meets_its_transliteration_in_the_same_region() -> None:
    incoming = _s("kharkiv-ua", "Харків", region="Харківська область")
    verdict = reconcile(incoming, [KHARKIV])
    assert (verdict.kind, verdict.existing) == ("same", "kharkiv")


def test_russian_era_spelling_with_coordinates_meets_through_the_gazetteer() -> None:
    incoming = _s("kharkov-city", "Kharkov", lat=49.99, lon=36.23)
    assert reconcile(incoming, [KHARKIV]).kind == "new"  # no name in common, by itself
    verdict = reconcile(incoming, [KHARKIV], gazetteer.load())
    assert (verdict.kind, verdict.existing) == ("same", "kharkiv")
    assert "km apart" in verdict.reason


def test_shared_external_id_is_the_same_place_whatever_the_names() -> None:
    a = _s("a", "Kharkiv", ids={"geonames": 706483})
    b = _s("b", "Charkow", ids={"geonames": "706483"})
    assert compare(b, a).kind == "same"


def test_different_external_ids_are_never_the_same() -> None:
    a = _s("a", "Vasylivka", region="Zaporizhzhia", ids={"geonames": 686729})
    b = _s("b", "Vasylivka", region="Zaporizhzhia", ids={"geonames": 690395})
    assert compare(b, a).kind == "different"


def test_two_vasylivkas_in_different_oblasts_are_never_merged() -> None:
    zap = _s("vasylivka", "Vasylivka", "Василівка", region="Zaporizhzhia", lat=47.44,
             lon=35.28)
    odesa = _s("vasylivka-odesa", "Василівка", region="Odesa")
    assert reconcile(odesa, [zap]).kind == "new"
    assert reconcile(_s("v2", "Vasylivka", region="Odesa", lat=45.64, lon=28.83), [zap]).kind \
        == "new"
    assert duplicates([zap, odesa]) == []


def test_never_by_distance_alone() -> None:
    lysychansk = _s("lysychansk", "Lysychansk", region="Luhansk", lat=48.912, lon=38.421)
    sievierodonetsk = _s("sievierodonetsk", "Sievierodonetsk", region="Luhansk", lat=48.948,
                         lon=38.487)
    assert compare(sievierodonetsk, lysychansk).kind == "different"


def test_same_name_same_oblast_far_apart_are_two_places() -> None:
    a = _s("a", "Vasylivka", region="Odesa", lat=46.608, lon=30.306)
    b = _s("b", "Vasylivka", region="Odesa", lat=45.643, lon=28.833)
    assert compare(b, a).kind == "different"


def test_a_shared_name_with_nothing_to_decide_is_a_probable_duplicate() -> None:
    verdict = reconcile(_s("x", "Lysychans'k"), [_s("lysychansk", "Lysychansk",
                                                     region="Luhansk")])
    assert (verdict.kind, verdict.existing) == ("probable", "lysychansk")


def test_duplicates_finder_reports_pairs_with_reasons() -> None:
    records = [
        KHARKIV,
        _s("kharkiv-2", "Харків", region="Kharkiv"),
        _s("kharkov", "Kharkov", lat=49.99, lon=36.23),
        _s("lysychansk", "Lysychansk", region="Luhansk", lat=48.912, lon=38.421),
        _s("sievierodonetsk", "Sievierodonetsk", region="Luhansk", lat=48.948, lon=38.487),
    ]
    found = {(d.keep, d.drop, d.kind) for d in duplicates(records)}
    assert found == {("kharkiv", "kharkiv-2", "same")}
    with_gazetteer = {(d.keep, d.drop) for d in duplicates(records, gazetteer.load())}
    assert ("kharkiv", "kharkov") in with_gazetteer
    assert all("sievierodonetsk" not in pair for pair in with_gazetteer)
    assert all(d.reason for d in duplicates(records))


def test_a_name_several_places_of_the_region_share_needs_coordinates() -> None:
    a = _s("a", "Vasylivka", region="Odesa")
    b = _s("b", "Vasylivka", region="Odesa")
    assert compare(b, a).kind == "same"  # nothing says there are two
    verdict = compare(b, a, gazetteer.load())
    assert verdict.kind == "probable" and "places of that name there" in verdict.reason
