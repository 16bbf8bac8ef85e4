"""Root origins, circular reporting, independent corroboration and suggested credibility."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep.analysis.origins import (
    Analyst,
    Origins,
    analyse,
    origin_loops,
    root_origin,
    suggest_credibility,
)
from sitrep.store.validate import validate_document


def claim(cid: str, source: str = "src", origin: str | None = None, **fields) -> dict:
    return {"id": cid, "text": cid, "source": source, "origin": origin, "status": "unverified",
            "credibility": 6, "against_interest": False, "corroborates": [], "contradicts": [],
            "settlements": [], "reported_at": "2022-09-10", "history": [], **fields}


# ----------------------------------------------------------------------------- root origins
def test_root_origin_follows_origin_claim_by_claim_to_the_end() -> None:
    claims = [
        claim("own", "hayday"),
        claim("relay-src", "hayday", "residents"),
        claim("repeat", "cnn", "relay-src"),
        claim("repeat2", "bbc", "repeat"),
        claim("of-own", "bbc", "own"),
        claim("missing", "bbc", "nobody-we-know"),
        claim("no-source", ""),
    ]
    origins = Origins(claims)
    assert origins.root("own") == "hayday"
    assert origins.root("relay-src") == "residents"
    assert origins.root("repeat") == "residents"
    assert origins.root("repeat2") == "residents"
    assert origins.root("of-own") == "hayday"
    assert origins.root("missing") == "nobody-we-know"
    assert origins.root("no-source") == "no-source"
    assert origins.root("not-a-claim") is None
    assert root_origin(claims[3], claims) == "residents"


def test_an_id_of_both_a_claim_and_a_source_is_followed_as_the_claim() -> None:
    claims = [claim("hayday", "someone", "residents"), claim("c", "cnn", "hayday")]
    assert Origins(claims).root("c") == "residents"


def test_a_long_chain_does_not_recurse() -> None:
    claims = [claim("c0", "root-src")] + [claim(f"c{i}", "s", f"c{i - 1}")
                                          for i in range(1, 50_000)]
    origins = Origins(reversed(claims))
    assert origins.root("c49999") == "root-src" and origins.root("c1") == "root-src"


# ----------------------------------------------------------------------------- circular
def test_circular_reporting_names_the_loop_for_every_claim_that_runs_into_it() -> None:
    claims = [
        claim("tail", "x", "b"),
        claim("c", "s3", "a"),
        claim("b", "s2", "c"),
        claim("a", "s1", "b"),
        claim("self", "s", "self"),
        claim("clean", "s"),
    ]
    origins = Origins(claims)
    for cid in ("a", "b", "c", "tail"):
        assert origins.loop(cid) == ("a", "b", "c"), cid
        assert origins.root(cid) is None
    assert origins.loop("self") == ("self",)
    assert origins.loop("clean") is None
    assert origin_loops(claims) == [("a", "b", "c"), ("self",)]
    result = analyse(claims)
    assert result["tail"].circular == ("a", "b", "c")
    assert result["tail"].root_origins == ("a",)
    assert result["clean"].circular is None


def test_validate_reports_every_id_in_the_loop() -> None:
    doc = {"claims": {"1": claim("a", "s", "b"), "2": claim("b", "s", "a"),
                      "3": claim("z", "s", "z")},
           "sources": {"1": {"id": "s", "name": "S"}}}
    problems = [p for p in validate_document(doc) if "circular" in p.message]
    assert len(problems) == 2
    assert problems[0].record_id == "a" and problems[0].key == "1"
    assert problems[0].field == "origin"
    assert "'a' → 'b' → 'a'" in problems[0].message
    assert "'z' → 'z'" in problems[1].message


def test_sitrep_validate_exits_1_naming_the_loop(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parents[2] / "sample_data" / "sitrep.json"
    doc = json.loads(sample.read_text())
    by_id = {c["id"]: c for c in doc["claims"].values()}
    by_id["c-cnn-new-front"]["origin"] = "c-hayday-lysychansk-target"
    by_id["c-hayday-lysychansk-target"]["origin"] = "c-cnn-new-front"
    db = tmp_path / "sitrep.json"
    db.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    before = db.read_bytes()
    env = {**os.environ, "SITREP_ANALYST": "t"}
    result = subprocess.run([sys.executable, "-m", "sitrep", "--db", str(db), "validate"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1
    assert "circular reporting" in result.stdout
    line = next(x for x in result.stdout.splitlines() if "circular" in x)
    assert "c-cnn-new-front" in line and "c-hayday-lysychansk-target" in line
    assert "Traceback" not in result.stderr and db.read_bytes() == before


# ----------------------------------------------------------------------------- independent
def test_a_claim_corroborated_only_by_relays_of_itself_has_one_origin() -> None:
    claims = [
        claim("orig", "hayday"),
        claim("relay1", "cnn", "orig", corroborates=["orig"]),
        claim("relay2", "bbc", "relay1", corroborates=["orig"]),
        claim("relay3", "tass", "hayday", corroborates=["orig"]),
    ]
    a = analyse(claims)["orig"]
    assert a.corroborated_by == ("relay1", "relay2", "relay3")
    assert a.independent_origins == 1 and a.root_origins == ("hayday",)
    assert a.suggested_credibility == 3
    assert a.words() == "4 reports · 1 independent origin (hayday) · suggested 3"


def test_corroborates_counts_in_either_direction_and_relays_never_twice() -> None:
    claims = [
        claim("exodus", "hayday", corroborates=[]),
        claim("lines", "cnn", corroborates=["exodus"]),
        claim("lines-relay", "bbc", "lines"),
        claim("echo", "ria", "exodus", corroborates=["exodus", "lines"]),
    ]
    claims[0]["corroborates"] = ["lines-relay"]
    result = analyse(claims)
    assert result["exodus"].independent_origins == 2
    assert set(result["exodus"].root_origins) == {"hayday", "cnn"}
    assert result["exodus"].corroborated_by == ("lines-relay", "lines", "echo")
    assert result["lines"].corroborated_by == ("exodus", "echo")
    assert result["lines"].independent_origins == 2
    assert result["lines-relay"].independent_origins == 2


def test_false_corroborators_self_links_and_dangling_links_count_nothing() -> None:
    claims = [
        claim("a", "s1", corroborates=["a", "nowhere"]),
        claim("b", "s2", corroborates=["a"], status="false"),
    ]
    a = analyse(claims)["a"]
    assert a.corroborated_by == ("b",) and a.independent_origins == 1


def test_contradicted_by_reads_both_directions() -> None:
    claims = [claim("a", "s1", contradicts=["b"]), claim("b", "s2"), claim("c", "s3",
                                                                          contradicts=["a"])]
    result = analyse(claims)
    assert result["a"].contradicted_by == ("b", "c")
    assert result["b"].contradicted_by == ("a",)


# ----------------------------------------------------------------------------- suggestions
@pytest.mark.parametrize(("status", "independent", "contradicted", "against", "circular", "want"), [
    ("false", 3, False, True, False, 5),
    ("unverified", 1, False, False, True, 6),
    ("unverified", 2, False, False, True, 1),
    ("unverified", 1, True, False, False, 5),
    ("disputed", 1, False, False, False, 5),
    ("unverified", 2, True, False, False, 3),
    ("unverified", 1, True, True, False, 3),
    ("unverified", 2, False, False, False, 1),
    ("unverified", 1, False, True, False, 2),
    ("corroborated", 1, False, False, False, 2),
    ("confirmed", 1, False, False, False, 2),
    ("unverified", 1, False, False, False, 3),
])
def test_suggested_credibility_rules(status, independent, contradicted, against, circular,
                                     want) -> None:
    assert suggest_credibility(status, independent, contradicted, against, circular) == want


def test_one_is_never_suggested_with_fewer_than_two_origins() -> None:
    for status in ("unverified", "corroborated", "confirmed", "disputed", "false", None):
        for flags in range(8):
            contradicted, against, circular = (bool(flags & b) for b in (1, 2, 4))
            assert suggest_credibility(status, 1, contradicted, against, circular) != 1


def test_a_contradiction_from_the_same_root_is_not_other_information() -> None:
    claims = [claim("a", "hayday", contradicts=["b"]), claim("b", "cnn", "hayday"),
              claim("c", "cnn", contradicts=["d"]), claim("d", "pushilin")]
    result = analyse(claims)
    assert result["a"].suggested_credibility == 3
    assert result["c"].suggested_credibility == 5
    false_one = [claim("e", "s1", contradicts=["f"]), claim("f", "s2", status="false")]
    assert analyse(false_one)["e"].suggested_credibility == 3


def test_against_interest_weighs_for_the_claim() -> None:
    claims = [claim("p", "pushilin", against_interest=True), claim("q", "hayday")]
    result = analyse(claims)
    assert result["p"].suggested_credibility == 2
    assert result["q"].suggested_credibility == 3


def test_analysis_object_shape_and_stale_passed_in() -> None:
    analyst = Analyst([claim("a", "s1"), claim("b", "s2", corroborates=["a"])])
    assert analyst.analyse("missing") is None
    assert analyst.analyse("a", stale=True).to_json() == {
        "root_origins": ["s1", "s2"], "independent_origins": 2, "corroborated_by": ["b"],
        "contradicted_by": [], "suggested_credibility": 1, "circular": None, "stale": True}
    assert analyse([claim("a", "s1")], stale={"a"})["a"].stale is True


def test_hand_edited_junk_is_read_without_a_crash() -> None:
    claims = [claim("a", 5, origin=7, corroborates="b", contradicts=[None, 3]),  # type: ignore[arg-type]
              claim("b", None, origin="", corroborates=[{"x": 1}]),  # type: ignore[arg-type]
              {"text": "no id"}]
    result = analyse(claims)
    assert result["a"].root_origins == ("a", "b") and result["a"].corroborated_by == ("b",)
    assert result["b"].root_origins == ("b", "a")


def test_the_short_path_for_unlinked_claims_gives_what_the_full_one_does() -> None:
    sample = Path(__file__).resolve().parents[2] / "sample_data" / "sitrep.json"
    claims = list(json.loads(sample.read_text())["claims"].values())
    claims += [claim("x1", "s", status="false"), claim("x2", "s", against_interest=True),
               claim("x3", "s", status=["odd"]), claim("x4", "s", status="confirmed")]
    analyst = Analyst(claims)
    stale = {"x1", "c-cnn-new-front"}
    every = analyst.analyse_all(stale)
    assert list(every) == [c["id"] for c in claims]
    for cid, analysis in every.items():
        assert analysis == analyst.analyse(cid, cid in stale), cid
    assert every["x1"].suggested_credibility == 5 and every["x3"].suggested_credibility == 3
