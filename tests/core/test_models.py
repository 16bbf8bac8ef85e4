"""The model's vocabularies and grade parsing."""

from __future__ import annotations

import pytest

from sitrep import models


def test_grade_parsing() -> None:
    assert models.parse_grade("B3") == ("B", 3)
    assert models.parse_grade("b") == ("B", None)
    assert models.parse_grade("6") == (None, 6)
    for bad in ("G", "7", "B9", "", "BB", "33"):
        with pytest.raises(ValueError):
            models.parse_grade(bad)


def test_status_and_controller() -> None:
    assert models.parse_status(" Confirmed ") is models.Status.CONFIRMED
    assert models.parse_controller("RU") is models.Controller.RU
    with pytest.raises(ValueError, match="choose from"):
        models.parse_status("maybe")
    with pytest.raises(ValueError, match="choose from"):
        models.parse_controller("nato")


def test_new_records_have_canonical_key_order_and_no_invented_coordinates() -> None:
    claim = models.Claim(id="c-1", text="x", source="s").to_record()
    assert list(claim)[:4] == ["id", "text", "quote", "source"]
    assert claim["status"] == "unverified" and claim["credibility"] == 6
    place = models.Settlement(id="p", name="P").to_record()
    assert "lat" not in place and "lon" not in place


def test_current_control_is_latest_observation() -> None:
    place = {"control": [{"controller": "ua", "as_of": "2022-09-10"},
                         {"controller": "ru", "as_of": "2022-06"},
                         "garbage"]}
    assert models.current_control(place)["controller"] == "ua"
    assert models.current_control({"control": []}) is None
