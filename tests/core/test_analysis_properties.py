"""Properties of the analysis over generated claims: no input crashes it, and what it says holds
when checked the long way (chains followed one step at a time, dates compared as periods)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.analysis.as_of import AsOfView, claim_as_of, source_as_of
from sitrep.analysis.origins import Analyst
from sitrep.store.validate import validate_document

IDS = ["a", "b", "c", "d", "e", "f"]
SOURCES = ["s1", "s2", "s3"]
junk = st.one_of(st.none(), st.integers(), st.just(""), st.just(["x"]), st.just({"k": 1}))
ref = st.one_of(st.sampled_from(IDS + SOURCES + ["missing"]), junk)
refs = st.one_of(st.lists(st.one_of(st.sampled_from(IDS + ["missing"]), junk), max_size=3),
                 junk)
claim = st.fixed_dictionaries({
    "id": st.one_of(st.sampled_from(IDS), junk),
    "source": st.one_of(st.sampled_from(SOURCES), junk),
    "origin": ref,
    "status": st.one_of(st.sampled_from(["unverified", "corroborated", "confirmed",
                                         "disputed", "false"]), junk),
    "against_interest": st.one_of(st.booleans(), junk),
    "corroborates": refs,
    "contradicts": refs,
})


def _follow(by_id: dict[str, Any], cid: str) -> tuple[str | None, list[str]]:
    """(root, path) by following origin one claim at a time; root None when it loops."""
    seen: list[str] = []
    while True:
        if cid in seen:
            return None, seen[seen.index(cid):]
        seen.append(cid)
        origin = by_id[cid].get("origin")
        if isinstance(origin, str) and origin in by_id:
            cid = origin
            continue
        if isinstance(origin, str) and origin:
            return origin, []
        source = by_id[cid].get("source")
        return (source if isinstance(source, str) and source else cid), []


@settings(max_examples=300, deadline=None)
@given(st.lists(claim, max_size=8))
def test_origins_and_counts_hold_for_any_claims(claims: list[dict]) -> None:
    analyst = Analyst(claims)
    every = analyst.analyse_all()
    by_id = analyst.origins.by_id
    assert set(every) == set(by_id)
    for cid, analysis in every.items():
        root, ring = _follow(by_id, cid)
        assert analyst.origins.root(cid) == root
        if root is None:
            assert analysis.circular is not None and sorted(analysis.circular) == sorted(ring)
            assert analysis.circular[0] == min(ring)
        else:
            assert analysis.circular is None
        assert analysis.independent_origins == len(analysis.root_origins) >= 1
        assert len(set(analysis.root_origins)) == len(analysis.root_origins)
        if analysis.suggested_credibility == 1:
            assert analysis.independent_origins >= 2
        assert analysis.suggested_credibility in range(1, 7)
        assert analysis == analyst.analyse(cid)
        for other in analysis.corroborated_by:
            assert cid in every[other].corroborated_by
        for other in analysis.contradicted_by:
            assert cid in every[other].contradicted_by


@settings(max_examples=200, deadline=None)
@given(st.lists(claim, max_size=8))
def test_validate_never_crashes_and_names_every_loop(claims: list[dict]) -> None:
    doc = {"claims": {str(n): c for n, c in enumerate(claims, 1)},
           "sources": {str(n): {"id": s, "name": s} for n, s in enumerate(SOURCES, 1)}}
    loops = Analyst(claims).origins.loops()
    circular = [p for p in validate_document(doc) if "circular reporting" in p.message]
    assert len(circular) == len(loops)
    for problem, loop in zip(circular, loops, strict=True):
        assert all(repr(rid) in problem.message for rid in loop)


stamp = st.sampled_from(["2022", "2022-06", "2022-06-15", "2022-06-15T10:00:00Z", "2022-07",
                         "2022-09-10T12:00:00Z", "2023"])
entry = st.fixed_dictionaries({
    "at": st.one_of(stamp, junk),
    "field": st.sampled_from(["status", "credibility", "reliability", "record", "note",
                              "created"]),
    "from": st.one_of(st.sampled_from(["unverified", "confirmed", "B", 3]), st.just(["status"]),
                      st.none()),
    "to": st.one_of(st.sampled_from(["corroborated", "false", "C", 2]), st.none()),
})
dated = st.fixed_dictionaries({
    "id": st.sampled_from(IDS),
    "reported_at": st.one_of(stamp, st.none()),
    "status": st.sampled_from(["unverified", "confirmed"]),
    "credibility": st.integers(1, 6),
    "reliability": st.sampled_from(["A", "F"]),
    "history": st.one_of(st.lists(entry, max_size=4), junk),
})


@settings(max_examples=300, deadline=None)
@given(st.lists(dated, max_size=6), st.lists(dated, max_size=3), stamp)
def test_the_view_equals_the_one_record_reading_and_never_changes_records(
        claims: list[dict], sources: list[dict], when: str) -> None:
    before = repr((claims, sources))
    picture = AsOfView(claims, sources).at(when)
    assert picture.claims == [c for c in (claim_as_of(c, when) for c in claims) if c is not None]
    assert picture.sources == [source_as_of(s, when) for s in sources]
    assert repr((claims, sources)) == before
