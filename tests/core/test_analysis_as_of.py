"""The as-of picture: "by the end of D" at every precision, history read back, views cheap."""

from __future__ import annotations

import calendar
import copy
import itertools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sitrep import dates
from sitrep.analysis.as_of import (
    AsOfView,
    claim_as_of,
    control_at,
    picture_as_of,
    settlement_as_of,
    source_as_of,
    value_at,
)
from sitrep.errors import InvalidValueError
from sitrep.models import current_control

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "sitrep.json"

FORMS = [
    "2021", "2022", "2023",
    "2022-05", "2022-06", "2022-07", "2022-12",
    "2022-05-31", "2022-06-01", "2022-06-15", "2022-06-30", "2022-07-01", "2022-12-31",
    "2022-05-31T23:59:59Z", "2022-06-01T00:00:00Z", "2022-06-15T10:00:00Z",
    "2022-06-15T10:00:01Z", "2022-06-30T23:59:59Z", "2023-01-01T00:00:00Z",
]


def _end(value: str) -> datetime:
    """The last instant of a stored date's period, computed the long way."""
    fuzzy = dates.parse(value)
    s = fuzzy.start
    if fuzzy.precision is dates.Precision.YEAR:
        return datetime(s.year, 12, 31, 23, 59, 59, tzinfo=UTC)
    if fuzzy.precision is dates.Precision.MONTH:
        last = calendar.monthrange(s.year, s.month)[1]
        return datetime(s.year, s.month, last, 23, 59, 59, tzinfo=UTC)
    if fuzzy.precision is dates.Precision.DAY:
        return s + timedelta(days=1) - timedelta(seconds=1)
    return s


@pytest.mark.parametrize(("stored", "as_of"), list(itertools.product(FORMS, FORMS)))
def test_in_force_means_its_period_began_by_the_end_of_as_of(stored: str, as_of: str) -> None:
    expected = dates.parse(stored).start <= _end(as_of)
    assert dates.covers(stored, as_of) is expected
    assert (stored < dates.horizon(as_of)) is expected


def _place(*observations: tuple[str, str]) -> dict:
    return {"id": "x", "name": "X", "history": [],
            "control": [{"controller": c, "as_of": a, "claim": None, "note": None}
                        for c, a in observations]}


def test_control_at_respects_every_precision() -> None:
    place = _place(("ua", "2022"), ("ru", "2022-06"), ("contested", "2022-06-15T10:00:00Z"),
                   ("ua", "2022-09-10"))
    expect = {
        "2021": None, "2021-12-31T23:59:59Z": None,
        "2022-01-01": "ua", "2022-05": "ua", "2022-05-31": "ua", "2022-05-31T23:59:59Z": "ua",
        "2022-06-01": "ru", "2022-06-01T00:00:00Z": "ru", "2022-06-15": "contested",
        "2022-06-15T09:59:59Z": "ru", "2022-06-15T10:00:00Z": "contested",
        "2022-06": "contested", "2022-09-09": "contested", "2022-09-10": "ua",
        "2022-09": "ua", "2022": "ua", "10 Sep 2022": "ua", "September 2022": "ua",
    }
    for when, controller in expect.items():
        obs = control_at(place, when)
        assert (obs and obs["controller"]) == controller, when


def test_control_ties_go_to_the_later_observation_in_the_list() -> None:
    place = _place(("ru", "2022-06"), ("contested", "2022-06"))
    assert control_at(place, "2022-06-02")["controller"] == "contested"


def test_settlement_view_keeps_only_observations_in_force() -> None:
    place = _place(("ru", "2022-06"), ("ua", "2022-10-01"))
    before = copy.deepcopy(place)
    view = settlement_as_of(place, "2022-09-30")
    assert [o["controller"] for o in view["control"]] == ["ru"]
    assert current_control(view)["controller"] == "ru"
    assert place == before
    assert settlement_as_of(place, "2022-10") is place


def _claim(**fields) -> dict:
    base = {"id": "c", "text": "t", "source": "s", "reported_at": "2022-09-10",
            "status": "unverified", "credibility": 6, "history": []}
    return {**base, **fields}


def _entry(at: str, field: str, old=None, new=None) -> dict:
    return {"at": at, "by": "a", "field": field, "from": old, "to": new, "note": None}


def test_status_and_credibility_are_those_in_force_at_the_date() -> None:
    claim = _claim(status="confirmed", credibility=1, history=[
        _entry("2022-09-10T12:00:00Z", "created"),
        _entry("2022-09-12T08:00:00Z", "status", "unverified", "corroborated"),
        _entry("2022-09-20T08:00:00Z", "credibility", 6, 2),
        _entry("2022-10-01T08:00:00Z", "status", "corroborated", "confirmed"),
        _entry("2022-10-01T09:00:00Z", "credibility", 2, 1),
    ])
    cases = {
        "2022-09-10": ("unverified", 6), "2022-09-12T07:59:59Z": ("unverified", 6),
        "2022-09-12T08:00:00Z": ("corroborated", 6), "2022-09-12": ("corroborated", 6),
        "2022-09-19": ("corroborated", 6), "2022-09": ("corroborated", 2),
        "2022-10-01T08:30:00Z": ("confirmed", 2), "2022-10": ("confirmed", 1),
        "2022": ("confirmed", 1),
    }
    for when, (status, cred) in cases.items():
        view = claim_as_of(claim, when)
        assert (view["status"], view["credibility"]) == (status, cred), when
    assert claim["status"] == "confirmed" and len(claim["history"]) == 5


def test_history_after_the_date_is_left_out_of_the_view() -> None:
    claim = _claim(history=[_entry("2022-09-10T12:00:00Z", "created"),
                            _entry("2022-09-11T12:00:00Z", "note")])
    view = claim_as_of(claim, "2022-09-10")
    assert [h["field"] for h in view["history"]] == ["created"]
    assert claim_as_of(claim, "2022-09-11") is claim


def test_first_change_after_the_date_wins_even_out_of_list_order() -> None:
    claim = _claim(status="false", history=[
        _entry("2022-09-20T00:00:00Z", "status", "disputed", "false"),
        _entry("2022-09-15T00:00:00Z", "status", "unverified", "disputed"),
    ])
    assert claim_as_of(claim, "2022-09-14")["status"] == "unverified"
    assert claim_as_of(claim, "2022-09-16")["status"] == "disputed"


def test_an_unset_value_reads_as_the_default() -> None:
    claim = _claim(status="corroborated", credibility=2, history=[
        _entry("2022-09-11T00:00:00Z", "status", None, "corroborated"),
        _entry("2022-09-11T00:00:00Z", "credibility", None, 2),
    ])
    view = claim_as_of(claim, "2022-09-10")
    assert (view["status"], view["credibility"]) == ("unverified", 6)


def test_a_whole_record_edit_falls_back_to_the_last_known_value() -> None:
    claim = _claim(status="false", history=[
        _entry("2022-09-11T00:00:00Z", "status", "unverified", "disputed"),
        _entry("2022-09-13T00:00:00Z", "record", ["notes", "status"], None),
    ])
    assert value_at(claim, "status", dates.horizon("2022-09-12")) == "disputed"
    assert value_at(claim, "status", dates.horizon("2022-09-10")) == "unverified"
    no_earlier = _claim(status="false", history=[
        _entry("2022-09-13T00:00:00Z", "record", ["status"], None)])
    assert value_at(no_earlier, "status", dates.horizon("2022-09-12")) == "false"
    other_field = _claim(status="false", history=[
        _entry("2022-09-13T00:00:00Z", "record", ["notes"], None)])
    assert claim_as_of(other_field, "2022-09-12")["status"] == "false"


def test_claims_reported_after_the_date_are_left_out_at_every_precision() -> None:
    cases = [("2022-09-10", "2022-09-09", False), ("2022-09-10", "2022-09-10", True),
             ("2022-09", "2022-08-31", False), ("2022-09", "2022-09-01", True),
             ("2022", "2021", False), ("2022", "2022-01-01T00:00:00Z", True),
             ("2022-09-10T14:05:00Z", "2022-09-10T14:04:59Z", False),
             ("2022-09-10T14:05:00Z", "2022-09-10", True)]
    for reported, when, shown in cases:
        assert (claim_as_of(_claim(reported_at=reported), when) is not None) is shown, (
            reported, when)


def test_without_reported_at_the_created_entry_says_when_a_claim_arrived() -> None:
    claim = _claim(reported_at=None, history=[_entry("2022-09-10T12:00:00Z", "created")])
    assert claim_as_of(claim, "2022-09-09") is None
    assert claim_as_of(claim, "2022-09-10") is claim
    assert claim_as_of(_claim(reported_at=None), "1990") is not None


def test_source_reliability_from_history() -> None:
    source = {"id": "s", "name": "S", "reliability": "B", "history": [
        _entry("2022-10-01T00:00:00Z", "reliability", "F", "C"),
        _entry("2022-11-01T00:00:00Z", "reliability", "C", "B")]}
    assert source_as_of(source, "2022-09")["reliability"] == "F"
    assert source_as_of(source, "2022-10")["reliability"] == "C"
    assert source_as_of(source, "2022-11-01") is source
    unset = {"id": "s", "name": "S", "reliability": "C", "history": [
        _entry("2022-10-01T00:00:00Z", "reliability", None, "C")]}
    assert source_as_of(unset, "2022-09")["reliability"] == "F"


def test_an_unreadable_date_is_one_clear_error() -> None:
    with pytest.raises(InvalidValueError, match="cannot read date"):
        claim_as_of(_claim(), "next tuesday-ish")


def test_the_view_matches_the_one_record_functions_and_copies_only_what_changed() -> None:
    doc = json.loads(SAMPLE.read_text())
    claims = list(doc["claims"].values())
    sources = list(doc["sources"].values())
    places = list(doc["settlements"].values())
    claims[0]["history"].append(_entry("2022-09-15T00:00:00Z", "status", "unverified",
                                       "corroborated"))
    claims[0]["status"] = "corroborated"
    view = AsOfView(claims, sources, places)
    for when in ("2022-05-31", "2022-06", "2022-09-10", "2022-09-14", "2022-10"):
        picture = view.at(when)
        assert picture.when == dates.normalize(when)
        expected = [c for c in (claim_as_of(c, when) for c in claims) if c is not None]
        assert picture.claims == expected
        assert picture.sources == [source_as_of(s, when) for s in sources]
        assert picture.settlements == [settlement_as_of(s, when) for s in places]
        assert picture == picture_as_of(claims, sources, places, when)
    picture = view.at("2022-09-14")
    assert picture.claims[0]["status"] == "unverified" and picture.claims[0] is not claims[0]
    assert all(a is b for a, b in zip(picture.claims[1:], claims[1:], strict=True))
    now = view.at(None)
    assert now.when is None and now.claims == claims
    assert view.at("2022-09-09").claims == []


def test_the_sample_as_of_may_and_june() -> None:
    doc = json.loads(SAMPLE.read_text())
    lysychansk = next(s for s in doc["settlements"].values() if s["id"] == "lysychansk")
    assert control_at(lysychansk, "2022-05-31")["controller"] == "ua"
    assert control_at(lysychansk, "2022-06-30")["controller"] == "ru"
    assert control_at(lysychansk, "2021") is None
