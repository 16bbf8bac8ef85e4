"""``sitrep merge`` and ``sitrep git-setup`` end to end: the real executable, real files, and
three clones of a real git repository whose analysts work offline and pull in random orders."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sitrep.models import open_conflicts

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data" / "sitrep.json"
CLAIMS = ["c-cnn-new-front", "c-hayday-lysychansk-occupiers-fleeing", "c-cnn-kharkiv-sweep",
          "c-cnn-border-vehicle-lines"]


def sitrep(*args: str, cwd: Path | None = None, analyst: str = "tester"
           ) -> subprocess.CompletedProcess[str]:
    """The real sitrep, as a person runs it."""
    env = {**os.environ, "SITREP_ANALYST": analyst}
    return subprocess.run([sys.executable, "-m", "sitrep", *args], capture_output=True,
                          text=True, cwd=cwd, env=env)


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """git with no global or system configuration."""
    env = {**os.environ, "HOME": str(cwd.parent), "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], capture_output=True, text=True, cwd=cwd, env=env)


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


def records(doc: dict[str, Any], table: str) -> dict[str, Any]:
    return {r["id"]: r for r in doc[table].values()}


# ---------------------------------------------------------------- sitrep merge

@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path, Path]:
    base, ours, theirs = (tmp_path / n for n in ("base.json", "ours.json", "theirs.json"))
    for path in (base, ours, theirs):
        shutil.copyfile(SAMPLE, path)
    return base, ours, theirs


def test_merge_clean_writes_the_result_and_says_so(versions: tuple[Path, Path, Path]) -> None:
    base, ours, theirs = versions
    assert sitrep("--db", str(ours), "set-status", CLAIMS[0], "confirmed").returncode == 0
    assert sitrep("--db", str(theirs), "grade", CLAIMS[1], "2").returncode == 0
    out = base.with_name("out.json")
    result = sitrep("merge", str(base), str(ours), str(theirs), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1 and "clean" in result.stdout
    claims = records(load(out), "claims")
    assert claims[CLAIMS[0]]["status"] == "confirmed" and claims[CLAIMS[1]]["credibility"] == 2
    assert sitrep("--db", str(out), "validate").returncode == 0


def test_merge_with_conflicts_exits_1_and_records_them(versions: tuple[Path, Path, Path]
                                                       ) -> None:
    base, ours, theirs = versions
    sitrep("--db", str(ours), "set-status", CLAIMS[0], "confirmed", analyst="alice")
    sitrep("--db", str(theirs), "set-status", CLAIMS[0], "false", analyst="bob")
    result = sitrep("merge", str(base), str(ours), str(theirs))
    assert result.returncode == 1
    assert "1 conflict(s) recorded" in result.stderr and result.stderr.count("\n") == 1
    history = records(json.loads(result.stdout), "claims")[CLAIMS[0]]["history"]
    conflict = history[-1]
    assert conflict["field"] == "conflict" and conflict["conflict"] == "status"
    assert {conflict["from"]["value"], conflict["to"]["value"]} == {"confirmed", "false"}
    assert {conflict["from"]["by"], conflict["to"]["by"]} == {"alice", "bob"}


def test_merge_of_an_unreadable_file_exits_65_and_writes_nothing(
        versions: tuple[Path, Path, Path]) -> None:
    base, ours, theirs = versions
    theirs.write_text('{"claims": {"1": {"id": "x",}}}')
    before = ours.read_bytes()
    result = sitrep("merge", str(base), str(ours), str(theirs), "-o", str(ours))
    assert result.returncode == 65  # EX_DATAERR
    assert result.stderr.startswith(f"sitrep: {theirs}:1:") and "Traceback" not in result.stderr
    assert ours.read_bytes() == before


def test_merge_of_a_file_with_itself_gives_the_same_bytes(versions: tuple[Path, Path, Path]
                                                          ) -> None:
    base, ours, theirs = versions
    result = sitrep("merge", str(base), str(ours), str(theirs), "-o", str(ours))
    assert result.returncode == 0 and ours.read_bytes() == SAMPLE.read_bytes()


def test_git_setup_says_what_it_did_and_then_that_nothing_changed(tmp_path: Path) -> None:
    desk = tmp_path / "desk"
    desk.mkdir()
    git(desk, "init", "-q")
    first = sitrep("--db", "sitrep.json", "git-setup", cwd=desk)
    assert first.returncode == 0, first.stderr
    assert ".gitattributes: sitrep.json is merged with the sitrep driver" in first.stdout
    again = sitrep("--db", "sitrep.json", "git-setup", cwd=desk)
    assert again.returncode == 0 and "nothing changed" in again.stdout
    outside = sitrep("--db", str(tmp_path / "elsewhere" / "db.json"), "git-setup")
    assert outside.returncode == 1 and "Traceback" not in outside.stderr


# ---------------------------------------------------------------- three analysts, one repository

ANALYSTS = ("alice", "bob", "carol")


def _clone(tmp_path: Path, remote: Path, name: str) -> Path:
    clone = tmp_path / name
    assert git(tmp_path, "clone", "-q", str(remote), name).returncode == 0
    for key, value in (("user.name", name), ("user.email", f"{name}@desk.example"),
                       ("pull.rebase", "false")):
        git(clone, "config", key, value)
    setup = sitrep("--db", "sitrep.json", "git-setup", cwd=clone)
    assert setup.returncode == 0, setup.stderr
    return clone


def _work_offline(clone: Path, analyst: str, rng: random.Random, round_: int,
                  forced: str | None) -> None:
    """A few changes through the CLI and one by hand (a new claim, a field of one's own)."""
    db = ["--db", str(clone / "sitrep.json")]
    for n in range(3):
        claim = rng.choice(CLAIMS[1:])  # the first is kept for the conflict alice and bob make
        kind = rng.choice(("status", "grade", "note", "control"))
        if kind == "status":
            args = ["set-status", claim, rng.choice(["confirmed", "disputed", "false"])]
        elif kind == "grade":
            args = ["grade", claim, str(rng.randint(1, 6))]
        elif kind == "note":
            args = ["note", claim, f"{analyst} round {round_} note {n}"]
        else:
            args = ["control", "lysychansk", rng.choice(["ua", "ru", "contested"]),
                    "--as-of", f"2022-09-{10 + round_:02d}"]
        result = sitrep(*db, *args, analyst=analyst)
        assert result.returncode == 0, result.stderr
    if forced is not None:
        assert sitrep(*db, "set-status", CLAIMS[0], forced, analyst=analyst).returncode == 0
    # a hand edit, as in vim: no history
    doc = load(clone / "sitrep.json")
    key = str(max(int(k) for k in doc["claims"]) + 1)
    doc["claims"][key] = {"id": f"c-{analyst}-{round_}", "text": f"{analyst}'s claim",
                          "source": "cnn", "history": []}
    records(doc, "claims")[CLAIMS[1]][f"x_{analyst}"] = round_
    (clone / "sitrep.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def _entries(path: Path, analyst: str) -> set[tuple[str, str]]:
    doc = load(path)
    return {(r["id"], json.dumps(e, sort_keys=True)) for table in ("claims", "settlements",
                                                                    "sources")
            for r in doc[table].values() for e in r.get("history", []) if e["by"] == analyst}


def _sync(clone: Path, message: str) -> None:
    """Commit, pull (merging with the driver), push."""
    git(clone, "add", "sitrep.json")
    git(clone, "commit", "-q", "-m", message)
    pull = git(clone, "pull", "-q", "origin", "main")
    assert pull.returncode == 0, pull.stdout + pull.stderr
    assert "<<<<<<<" not in (clone / "sitrep.json").read_text()
    assert git(clone, "status", "--porcelain").stdout == ""  # no side file shows up
    push = git(clone, "push", "-q", "origin", "HEAD:main")
    assert push.returncode == 0, push.stderr


@pytest.mark.parametrize("seed", [1, 2])
def test_three_analysts_pulling_in_random_orders_lose_nothing(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    remote = tmp_path / "desk.git"
    assert git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote)).returncode == 0
    first = _clone(tmp_path, remote, ANALYSTS[0])
    shutil.copyfile(SAMPLE, first / "sitrep.json")
    git(first, "add", "sitrep.json", ".gitattributes", ".gitignore")
    git(first, "commit", "-q", "-m", "the desk's DB")
    git(first, "push", "-q", "origin", "HEAD:main")
    clones = {ANALYSTS[0]: first}
    for name in ANALYSTS[1:]:
        clones[name] = _clone(tmp_path, remote, name)

    made: set[tuple[str, str]] = set()
    added: set[str] = set()
    for round_ in range(3):
        for analyst, clone in clones.items():
            forced = {"alice": "confirmed", "bob": "false"}.get(analyst) if round_ == 0 else None
            _work_offline(clone, analyst, rng, round_, forced)
            made |= _entries(clone / "sitrep.json", analyst)
            added.add(f"c-{analyst}-{round_}")
        order = list(ANALYSTS)
        rng.shuffle(order)
        for analyst in order:
            _sync(clones[analyst], f"{analyst}, round {round_}")
    for analyst in ANALYSTS:  # everyone pulls the last push
        assert git(clones[analyst], "pull", "-q", "origin", "main").returncode == 0

    files = {name: (clone / "sitrep.json").read_bytes() for name, clone in clones.items()}
    assert len(set(files.values())) == 1  # every clone has the same file
    final = clones["alice"] / "sitrep.json"
    assert sitrep("--db", str(final), "validate").returncode == 0
    held = set().union(*(_entries(final, a) for a in ANALYSTS))
    assert made <= held  # every change of every analyst
    claims = records(load(final), "claims")
    assert added <= set(claims)  # every hand-added claim
    assert {k: v for k, v in claims[CLAIMS[1]].items() if k.startswith("x_")} == {
        f"x_{a}": 2 for a in ANALYSTS}  # every hand edit, at its last value
    # alice and bob set the same status offline: the merge recorded it with both values
    conflicts = [e for e in claims[CLAIMS[0]]["history"] if e["field"] == "conflict"
                 and e["conflict"] == "status"
                 and {e["from"].get("value"), e["to"].get("value")} >= {"confirmed", "false"}]
    assert conflicts, claims[CLAIMS[0]]["history"]
    assert {conflicts[0]["from"]["by"], conflicts[0]["to"]["by"]} >= {"alice", "bob"}
    # carol resolves every open conflict in her clone; once everyone pulls, none is open
    carol = clones["carol"]
    db = carol / "sitrep.json"
    for claim in records(load(db), "claims").values():
        # one resolution closes every open conflict on its field: the newest says the values
        newest = {e["conflict"]: e for e in open_conflicts(claim)}
        for entry in newest.values():
            value = entry["to"].get("value") if "value" in entry["to"] else None
            args = [entry["conflict"]] + ([] if value is None or entry["conflict"] in (
                "record", "id") else [value if isinstance(value, str) else json.dumps(value)])
            assert sitrep("--db", str(db), "resolve", claim["id"], *args).returncode == 0
    _sync(carol, "conflicts resolved")
    for analyst in ANALYSTS:
        assert git(clones[analyst], "pull", "-q", "origin", "main").returncode == 0
        listed = sitrep("--db", str(clones[analyst] / "sitrep.json"), "list", "claims",
                        "--filter", "conflict:yes")
        assert listed.returncode == 0 and listed.stdout.count("\n") <= 1, listed.stdout
