"""The triage queue's order as a sort key (for a caller that keeps the queue itself, as the
dashboard does), the first tier's ids, and "entered the picture before"."""

from __future__ import annotations

from datetime import UTC, datetime

from sitrep.analysis.triage import (
    entered_before,
    impact_ids,
    stale_cutoff,
    triage_key,
    triage_queue,
)

NOW = datetime(2022, 9, 20, 15, 0, tzinfo=UTC)


def claim(cid: str, reported: str | None = "2022-09-10", status: str = "unverified",
          places: list[str] | None = None, **fields) -> dict:
    return {"id": cid, "source": "s", "reported_at": reported, "status": status,
            "settlements": places or [], "contradicts": [], "history": [], **fields}


def place(pid: str, *observations: tuple[str, str, str | None]) -> dict:
    return {"id": pid, "name": pid, "history": [],
            "control": [{"controller": c, "as_of": a, "claim": k, "note": None}
                        for c, a, k in observations]}


CLAIMS = [
    claim("fresh-b", "2022-09-19"),
    claim("fresh-a", "2022-09-18"),
    claim("stale-b", "2022-09-05"),
    claim("stale-a", "2022-09-01"),
    claim("control", "2022-09-19", places=["p1"]),
    claim("old-control", "2022-09-18", places=["p2"]),
    claim("contra", "2022-09-19", places=["p3"], contradicts=["other"]),
    claim("other", "2022-09-19T10:00:00Z", "corroborated", places=["p3"]),
    claim("contra-elsewhere", "2022-09-17", places=["p4"], contradicts=["fresh-b"]),
    claim("superseded", "2022-08-01", places=["p2"]),
    claim("tie-1", "2022-09-05"),
    claim("no-date", None, history=[{"field": "created", "at": "2022-09-02T08:00:00Z"}]),
    claim("against-false", "2022-09-19", places=["p3"], contradicts=["shown-false"]),
    claim("shown-false", "2022-09-01", "false", places=["p3"]),
]
PLACES = [place("p1", ("ru", "2022-09-19", "control")),
          place("p2", ("ua", "2022-08", "superseded"), ("ru", "2022-09-18", "old-control"))]


def test_impact_ids_are_the_control_claims_and_the_contradictions_about_one_place() -> None:
    # whatever their status: "other" (corroborated) and "shown-false" never join the queue
    assert impact_ids(CLAIMS, PLACES) == {"old-control", "control", "contra", "other",
                                          "shown-false"}
    # the claims with a contradicts link and those they name are enough
    linked = [c for c in CLAIMS if c["id"] in {"contra", "other", "contra-elsewhere",
                                                "fresh-b", "against-false", "shown-false"}]
    assert impact_ids(linked, PLACES) == impact_ids(CLAIMS, PLACES)


def test_sorting_by_triage_key_gives_the_queue_order() -> None:
    cutoff = stale_cutoff(now=NOW)
    impact = impact_ids(CLAIMS, PLACES)
    unverified = [(n, c) for n, c in enumerate(CLAIMS) if c["status"] == "unverified"]
    by_key = [c["id"] for n, c in sorted(unverified,
                                         key=lambda nc: triage_key(nc[1], nc[0], impact, cutoff))]
    assert by_key == [t.claim["id"] for t in triage_queue(CLAIMS, PLACES, now=NOW)]
    assert by_key[:3] == ["old-control", "control", "contra"]
    # stale ones by date; the undated one by its created entry; ties in file order
    assert by_key[3:8] == ["superseded", "stale-a", "no-date", "stale-b", "tie-1"]


def test_entered_before_ignores_status_and_reads_the_period_start() -> None:
    assert entered_before(claim("x", "2022-09-01", "confirmed"), "2022-09-13")
    assert not entered_before(claim("x", "2022-09-13"), "2022-09-13")
    assert entered_before(claim("x", "2022-08"), "2022-08-08")  # a month counts from the 1st
    assert not entered_before(claim("x", None), "2022-09-13")  # no date, no history: never
