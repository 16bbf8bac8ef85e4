"""Stale claims, the impact order of the triage queue, disputed pictures, control timelines."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from sitrep.analysis.as_of import AsOfView
from sitrep.analysis.triage import (
    DEFAULT_STALE_DAYS,
    control_timeline,
    disputed_settlements,
    is_stale,
    reference_day,
    stale_cutoff,
    stale_ids,
    triage_queue,
)

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "sitrep.json"
NOW = datetime(2022, 9, 20, 15, 0, tzinfo=UTC)


def claim(cid: str, reported: str | None = "2022-09-10", status: str = "unverified",
          places: list[str] | None = None, **fields) -> dict:
    return {"id": cid, "source": "s", "reported_at": reported, "status": status,
            "settlements": places or [], "contradicts": [], "history": [], **fields}


def place(pid: str, *observations: tuple[str, str, str | None]) -> dict:
    return {"id": pid, "name": pid, "history": [],
            "control": [{"controller": c, "as_of": a, "claim": k, "note": None}
                        for c, a, k in observations]}


def test_reference_day_is_the_last_day_of_the_as_of_period_or_today() -> None:
    assert reference_day(None, NOW) == date(2022, 9, 20)
    assert reference_day("2022") == date(2022, 12, 31)
    assert reference_day("2022-02") == date(2022, 2, 28)
    assert reference_day("2024-02") == date(2024, 2, 29)
    assert reference_day("2022-06-15") == date(2022, 6, 15)
    assert reference_day("2022-06-15T23:30:00Z") == date(2022, 6, 15)
    assert reference_day("15 June 2022") == date(2022, 6, 15)


def test_stale_means_unverified_for_more_than_n_whole_days() -> None:
    assert DEFAULT_STALE_DAYS == 7
    cutoff = stale_cutoff("2022-09-10")
    assert cutoff == "2022-09-03"
    assert not is_stale(claim("a", "2022-09-03"), cutoff)  # exactly 7 days: not older
    assert is_stale(claim("a", "2022-09-02"), cutoff)
    assert is_stale(claim("a", "2022-09-02T23:59:59Z"), cutoff)
    assert not is_stale(claim("a", "2022-09-03T00:00:00Z"), cutoff)
    assert is_stale(claim("a", "2022-09"), cutoff)  # a month counts from its first day
    assert not is_stale(claim("a", "2022-09"), stale_cutoff("2022-09-08"))
    assert is_stale(claim("a", "2022-08"), stale_cutoff("2022-08-09"))
    assert not is_stale(claim("a", "2022-08"), stale_cutoff("2022-08-08"))
    assert is_stale(claim("a", "2022"), cutoff)
    assert not is_stale(claim("a", "2022-09-01", "corroborated"), cutoff)
    assert not is_stale(claim("a", None), cutoff)
    created = claim("a", None, history=[{"at": "2022-08-01T00:00:00Z", "field": "created"}])
    assert is_stale(created, cutoff)


def test_stale_against_now_or_the_as_of_date_with_n_from_config() -> None:
    claims = [claim("old", "2022-09-01"), claim("new", "2022-09-15"),
              claim("done", "2022-08-01", "confirmed")]
    assert stale_ids(claims, now=NOW) == {"old"}
    assert stale_ids(claims, now=NOW, days=30) == set()
    assert stale_ids(claims, when="2022-09-05") == set()
    assert stale_ids(claims, when="2022-10") == {"old", "new"}


def test_triage_queue_puts_impact_first_then_stale_then_oldest() -> None:
    claims = [
        claim("fresh-b", "2022-09-19"),
        claim("fresh-a", "2022-09-18"),
        claim("stale-b", "2022-09-05"),
        claim("stale-a", "2022-09-01"),
        claim("control", "2022-09-19", places=["p1"]),
        claim("old-control", "2022-09-18", places=["p2"]),
        claim("contra", "2022-09-19", places=["p3"], contradicts=["other"]),
        claim("other", "2022-09-19T10:00:00Z", "corroborated", places=["p3"]),
        claim("contra-elsewhere", "2022-09-17", places=["p4"], contradicts=["fresh-b"]),
        claim("verified-control", "2022-08-01", "confirmed"),
        claim("superseded", "2022-08-01", places=["p2"]),
        claim("against-false", "2022-09-19", places=["p3"], contradicts=["shown-false"]),
        claim("shown-false", "2022-09-01", "false", places=["p3"]),
    ]
    places = [place("p1", ("ru", "2022-09-19", "control")),
              place("p2", ("ua", "2022-08", "superseded"), ("ru", "2022-09-18", "old-control"),
                    ("ua", "2022-09", "verified-control"))]
    queue = triage_queue(claims, places, now=NOW)
    assert [(t.claim["id"], t.tier) for t in queue] == [
        ("old-control", 0), ("control", 0), ("contra", 0),
        ("superseded", 1), ("stale-a", 1), ("stale-b", 1),
        ("contra-elsewhere", 2), ("fresh-a", 2), ("fresh-b", 2), ("against-false", 2),
    ]
    assert queue[0].why == "control rests on it"
    assert queue[2].why == "contradicts a claim about the same place"
    assert queue[3].why == "stale"


def test_disputed_by_contradiction_or_both_sides_within_the_window() -> None:
    claims = [claim("a", places=["x", "y"], contradicts=["b"]), claim("b", places=["y"]),
              claim("c", places=["z"], contradicts=["d"]),
              claim("d", places=["z"], status="false")]
    places = [
        place("near", ("ua", "2022-09-05", None), ("ru", "2022-09-10", None)),
        place("far", ("ua", "2022-08-01", None), ("ru", "2022-09-10", None)),
        place("settled", ("ru", "2022-09-08", None), ("ua", "2022-09-10", None),
              ("ua", "2022-10-01", None)),
        place("contested", ("ua", "2022-09-09", None), ("contested", "2022-09-10", None)),
        place("empty"),
    ]
    disputed = disputed_settlements(claims, places)
    assert set(disputed) == {"y", "near"}
    assert disputed["y"] == ["a contradicts b"]
    assert disputed["near"] == ["ua as of 2022-09-05 and ru as of 2022-09-10, within 7 days"]
    assert "far" in disputed_settlements(claims, places, days=60)


def test_control_timeline_in_order_with_what_each_rests_on() -> None:
    claims = [claim("k1", "2022-09-10", "confirmed"), claim("k2", "2022-06-02")]
    p = place("x", ("ru", "2022-06", "k1"), ("ua", "2022", "k2"), ("ru", "2022-07", None),
              ("ua", "2022-10-01", "gone"))
    timeline = control_timeline(p, claims)
    assert [(e.as_of, e.controller, e.claim, e.status) for e in timeline.entries] == [
        ("2022", "ua", "k2", "unverified"), ("2022-06", "ru", "k1", "confirmed"),
        ("2022-07", "ru", None, None), ("2022-10-01", "ua", "gone", None)]
    assert timeline.entries[1].source == "s" and timeline.entries[1].reported_at == "2022-09-10"
    assert timeline.strip == "2022 ua → 2022-06 ru → 2022-10-01 ua"
    assert control_timeline(place("y"), claims).strip == "no control observed"
    assert timeline.to_json()["entries"][0]["as_of"] == "2022"


def test_the_sample_triage_and_timeline_as_of_the_report() -> None:
    doc = json.loads(SAMPLE.read_text())
    view = AsOfView(doc["claims"].values(), doc["sources"].values(),
                    doc["settlements"].values()).at("2022-09-10")
    queue = triage_queue(view.claims, view.settlements, when="2022-09-10")
    first = [t.claim["id"] for t in queue if t.tier == 0]
    assert "c-pushilin-lyman-tough" in first and "c-cnn-svatove-supply-link" in first
    assert not any(t.tier == 1 for t in queue)
    lysychansk = next(s for s in view.settlements if s["id"] == "lysychansk")
    assert control_timeline(lysychansk, view.claims).strip == "2022 ua → 2022-06 ru"
    assert disputed_settlements(view.claims, view.settlements) == {}
