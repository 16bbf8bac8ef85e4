"""The situation picture in the CLI: ``--as-of``, a claim's analysis, a source's record, a
settlement's control timeline, the ``stale:`` filter term — on real copies of the sample."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.cli.app import main

LOST = "c-cnn-lysychansk-lost-june"
FRONT = "c-cnn-new-front"


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    """``sitrep --db DB ARGS`` in this process: (exit code, stdout, stderr)."""
    code = main(["--db", str(db), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def as_json(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> object:
    code, out, err = run(capsys, db, *args, "--json")
    assert code == 0, err
    return json.loads(out)


# ---------------------------------------------------------------------------------- --as-of
def test_as_of_leaves_out_claims_reported_later(capsys: pytest.CaptureFixture[str],
                                                sample_db: Path) -> None:
    now = as_json(capsys, sample_db, "list", "claims")
    assert now and all(c["reported_at"] == "2022-09-10" for c in now)
    assert as_json(capsys, sample_db, "list", "claims", "--as-of", "2022-09-09") == []
    # any form dates reads; the whole day counts
    same = as_json(capsys, sample_db, "list", "claims", "--as-of", "10 September 2022")
    assert [c["id"] for c in same] == [c["id"] for c in now]
    code, _, err = run(capsys, sample_db, "show", LOST, "--as-of", "2022-09-09")
    assert code == 1 and "as of 2022-09-09" in err


def test_as_of_reads_status_from_history(capsys: pytest.CaptureFixture[str],
                                         sample_db: Path) -> None:
    assert run(capsys, sample_db, "set-status", FRONT, "confirmed")[0] == 0
    assert as_json(capsys, sample_db, "show", FRONT)["status"] == "confirmed"
    then = as_json(capsys, sample_db, "show", FRONT, "--as-of", "2022-09-10")
    assert then["status"] == "unverified"
    assert all(h["field"] == "created" for h in then["history"])
    listed = as_json(capsys, sample_db, "list", "claims", "--status", "unv", "--as-of", "2022-09")
    assert FRONT in [c["id"] for c in listed]
    assert FRONT not in [c["id"] for c in as_json(capsys, sample_db, "list", "claims",
                                                  "--status", "unv")]


def test_as_of_settlement_control_respects_precision(capsys: pytest.CaptureFixture[str],
                                                     sample_db: Path) -> None:
    def control(when: str) -> str:
        place = as_json(capsys, sample_db, "show", "lysychansk", "--as-of", when)
        return max(place["control"], key=lambda o: o["as_of"])["controller"]

    assert control("2022-05-31") == "ua"
    assert control("2022-06") == "ru"  # "as of 2022-06" counts from June
    assert control("2022-06-01") == "ru"
    code, out, _ = run(capsys, sample_db, "list", "settlements", "--as-of", "2022-05-31")
    row = next(line for line in out.splitlines() if line.startswith("lysychansk"))
    assert " ua 2022 " in row and row.split()[-2:] == ["0", "0"]  # no claims known yet


def test_as_of_is_a_global_option(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    code, out, err = run(capsys, sample_db, "--as-of", "2022-09-09", "list", "claims", "--json")
    assert code == 0 and json.loads(out) == [], err
    code, out, _ = run(capsys, sample_db, "--as-of", "2022-05", "show", "lysychansk", "--json")
    assert code == 0 and {o["controller"] for o in json.loads(out)["control"]} == {"ua"}


@pytest.mark.parametrize("argv", [
    ["list", "claims", "--as-of", "not a date"],
    ["show", LOST, "--as-of", "2022-13"],
    ["--as-of", "someday", "list", "claims"],
    ["--as-of", "2022-06", "set-status", FRONT, "confirmed"],  # a change is never in the past
])
def test_bad_as_of_is_a_usage_error(capsys: pytest.CaptureFixture[str], sample_db: Path,
                                    argv: list[str]) -> None:
    before = sample_db.read_bytes()
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(sample_db), *argv])
    assert exc.value.code == 2
    assert "--as-of" in capsys.readouterr().err
    assert sample_db.read_bytes() == before


# ---------------------------------------------------------------------------------- analysis
EXODUS = "c-hayday-exodus-milove"
ANALYSIS_KEYS = {"root_origins", "independent_origins", "corroborated_by", "contradicted_by",
                 "suggested_credibility", "circular", "stale"}


def edit_claims(db: Path, changes: dict[str, dict[str, object]]) -> None:
    """Hand-edit the file as an analyst would: set fields of claims by id."""
    data = json.loads(db.read_text())
    for claim in data["claims"].values():
        claim.update(changes.get(claim["id"], {}))
    db.write_text(json.dumps(data, ensure_ascii=False, indent=2))


def test_show_claim_json_has_analysis(capsys: pytest.CaptureFixture[str],
                                      sample_db: Path) -> None:
    shown = as_json(capsys, sample_db, "show", EXODUS)
    analysis = shown.pop("analysis")
    assert set(analysis) == ANALYSIS_KEYS
    on_disk = next(c for c in json.loads(sample_db.read_text())["claims"].values()
                   if c["id"] == EXODUS)
    assert shown == on_disk  # the record itself is as in the file
    # Hayday's exodus claim and CNN's own sighting of vehicle lines: two independent origins
    assert analysis["independent_origins"] == 2
    assert sorted(analysis["root_origins"]) == ["cnn", "hayday"]
    assert analysis["corroborated_by"] == ["c-cnn-border-vehicle-lines"]
    assert analysis["suggested_credibility"] == 1
    assert analysis["circular"] is None
    # unverified since 2022: stale today, not as of the day it was reported
    outskirts = "c-hayday-lysychansk-outskirts"
    assert as_json(capsys, sample_db, "show", outskirts)["analysis"]["stale"] is True
    then = as_json(capsys, sample_db, "show", outskirts, "--as-of", "2022-09-10")
    assert then["analysis"]["stale"] is False


def test_show_claim_says_the_analysis_in_words(capsys: pytest.CaptureFixture[str],
                                               sample_db: Path) -> None:
    code, out, _ = run(capsys, sample_db, "show", EXODUS)
    assert code == 0
    assert "analysis          2 reports · 2 independent origins (hayday, cnn) · suggested 1" in out
    _, out, _ = run(capsys, sample_db, "show", "c-pushilin-lyman-tough", "--as-of", "2022-09-10")
    assert "1 report · 1 independent origin (pushilin) · suggested 2" in out  # against interest


def test_show_claim_names_a_loop(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    edit_claims(sample_db, {"c-cnn-new-front": {"origin": "c-cnn-kharkiv-sweep"},
                            "c-cnn-kharkiv-sweep": {"origin": "c-cnn-new-front"}})
    analysis = as_json(capsys, sample_db, "show", "c-cnn-new-front")["analysis"]
    assert analysis["circular"] == ["c-cnn-kharkiv-sweep", "c-cnn-new-front"]
    assert analysis["suggested_credibility"] == 6
    _, out, _ = run(capsys, sample_db, "show", "c-cnn-new-front")
    assert "circular: c-cnn-kharkiv-sweep → c-cnn-new-front → c-cnn-kharkiv-sweep" in out


# ---------------------------------------------------------------------------------- record
def test_sources_carry_their_record(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    sources = {s["id"]: s for s in as_json(capsys, sample_db, "list", "sources")}
    cnn = sources["cnn"]
    assert cnn["record"]["confirmed"] == 1 and sum(cnn["record"].values()) == 7
    assert cnn["suggested_reliability"] == "F"  # too few resolved to move away from F
    for claim in ("c-cnn-new-front", "c-cnn-kharkiv-sweep", "c-cnn-sloviansk-ua-held",
                  "c-cnn-svatove-supply-link"):
        assert run(capsys, sample_db, "set-status", claim, "confirmed")[0] == 0
    cnn = {s["id"]: s for s in as_json(capsys, sample_db, "list", "sources")}["cnn"]
    assert cnn["record"]["confirmed"] == 5 and cnn["suggested_reliability"] == "B"
    assert as_json(capsys, sample_db, "show", "cnn")["suggested_reliability"] == "B"
    # as of the report's day the four were still unverified
    then = {s["id"]: s for s in as_json(capsys, sample_db, "list", "sources", "--as-of",
                                        "2022-09-10")}["cnn"]
    assert then["record"]["confirmed"] == 1 and then["suggested_reliability"] == "F"
    _, out, _ = run(capsys, sample_db, "show", "cnn")
    assert "track record      B assigned · record: 5 confirmed of 7 · suggests B" in out


# ---------------------------------------------------------------------------------- timeline
def test_show_settlement_has_its_control_timeline(capsys: pytest.CaptureFixture[str],
                                                  sample_db: Path) -> None:
    timeline = as_json(capsys, sample_db, "show", "lysychansk")["control_timeline"]
    assert timeline["strip"] == "2022 ua → 2022-06 ru"
    assert [(e["as_of"], e["controller"], e["claim"], e["source"], e["status"])
            for e in timeline["entries"]] == [("2022", "ua", LOST, "cnn", "confirmed"),
                                              ("2022-06", "ru", LOST, "cnn", "confirmed")]
    code, out, _ = run(capsys, sample_db, "show", "lysychansk")
    assert code == 0
    assert "  control           2022 ua → 2022-06 ru\n" in out
    assert f"2022-06    ru        {LOST} (cnn, confirmed, reported 2022-09-10) — taken" in out
    # as of May: only the year's observation, and the claim under it not yet reported
    then = as_json(capsys, sample_db, "show", "lysychansk", "--as-of", "2022-05")
    assert then["control_timeline"]["strip"] == "2022 ua"
    assert then["control_timeline"]["entries"][0]["status"] is None
    _, out, _ = run(capsys, sample_db, "show", "lysychansk", "--as-of", "2022-05")
    assert f"{LOST} (not yet reported as of 2022-05)" in out and " ru " not in out


def test_timeline_follows_a_recorded_observation(capsys: pytest.CaptureFixture[str],
                                                 sample_db: Path) -> None:
    assert run(capsys, sample_db, "control", "lysychansk", "contested", "--as-of", "2022-09-11",
               "--claim", "c-hayday-lysychansk-outskirts")[0] == 0
    timeline = as_json(capsys, sample_db, "show", "lysychansk")["control_timeline"]
    assert timeline["strip"] == "2022 ua → 2022-06 ru → 2022-09-11 contested"
    assert timeline["entries"][-1]["source"] == "hayday"
    assert timeline["entries"][-1]["status"] == "unverified"


# ---------------------------------------------------------------------------------- stale:
def ids(records: object) -> set[str]:
    assert isinstance(records, list)
    return {r["id"] for r in records}


def test_stale_term_parses() -> None:
    from sitrep import query as q

    assert q.parse("stale:yes").terms == (q.Term("stale", "yes"),)
    assert q.parse("stale:no").terms == (q.Term("stale", "yes", negate=True),)
    assert q.parse("!stale:n").terms == (q.Term("stale", "yes"),)
    assert q.parse("stale:maybe").problems == ("stale needs yes or no, e.g. stale:yes (got"
                                               " 'maybe')",)


def test_stale_term_same_by_mask_and_by_claim(sample_db: Path) -> None:
    from sitrep import query as q
    from sitrep.search import ClaimSearch

    claims = list(json.loads(sample_db.read_text())["claims"].values())
    claims[0] = {**claims[0], "reported_at": "2022-09-05"}
    for cutoff in ("2022-09-01", "2022-09-06", "2022-09-11"):
        search = ClaimSearch(claims, {}, {}, stale_cutoff=cutoff)
        for text in ("stale:yes", "stale:no"):
            query = q.parse(text)
            found = q.mask_to_flags(search.evaluate(query) or 0, len(claims))
            one_by_one = [q.matches(query, c, "", search) for c in claims]
            assert list(map(bool, found)) == one_by_one, (cutoff, text)
    search = ClaimSearch(claims, {}, {}, stale_cutoff="2022-09-06")
    stale = q.mask_to_flags(search.evaluate(q.parse("stale:yes")) or 0, len(claims))
    assert [c["id"] for c, hit in zip(claims, stale, strict=True) if hit] == [claims[0]["id"]]
    search.stale_changed("2022-09-11")  # the window moved: recomputed, not the cached mask
    stale = q.mask_to_flags(search.evaluate(q.parse("stale:yes")) or 0, len(claims))
    unverified = [c["id"] for c in claims if c.get("status", "unverified") == "unverified"]
    assert [c["id"] for c, hit in zip(claims, stale, strict=True) if hit] == unverified


def test_stale_filter_reads_stale_days_from_config(capsys: pytest.CaptureFixture[str],
                                                   sample_db: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    unverified = ids(as_json(capsys, sample_db, "list", "claims", "--status", "unverified"))
    everything = ids(as_json(capsys, sample_db, "list", "claims"))
    # no config file: the default window (7 days); reported 2022-09-10, so stale by now
    assert ids(as_json(capsys, sample_db, "list", "claims", "--filter", "stale:yes")) == unverified
    assert ids(as_json(capsys, sample_db, "list", "claims", "--filter", "stale:no")) == (
        everything - unverified)
    # as of 2022-09-20, 10 days on: stale with the default, not with stale_days = 14
    as_of = ("--as-of", "2022-09-20")
    assert ids(as_json(capsys, sample_db, "list", "claims", "--filter", "stale:y", *as_of)
               ) == unverified
    folder = tmp_path / "config" / "sitrep"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text("# the window\nstale_days = 14\n")
    assert ids(as_json(capsys, sample_db, "list", "claims", "--filter", "stale:y", *as_of)) == set()
    shown = as_json(capsys, sample_db, "show", "c-cnn-new-front", "--as-of", "2022-09-25")
    assert shown["analysis"]["stale"] is True  # 15 days


@pytest.mark.parametrize(("text", "said"), [
    ("stale_days = -1\n", "stale_days must be a whole number of days, 0 or more (got -1)"),
    ("stale_days = 'two weeks'\n", "(got 'two weeks')"),
    ("stale_days = \n", "line 1, column 14"),
])
def test_bad_config_is_one_message(capsys: pytest.CaptureFixture[str], sample_db: Path,
                                   tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str,
                                   said: str) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    folder = tmp_path / "config" / "sitrep"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text(text)
    code, out, err = run(capsys, sample_db, "list", "claims", "--filter", "stale:yes")
    assert code == 1 and out == ""
    assert err.startswith(f"sitrep: {folder / 'config.toml'}: ") and said in err
    assert err.count("\n") == 1
