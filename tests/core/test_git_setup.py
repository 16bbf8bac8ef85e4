"""git-setup against the real git binary in temporary repositories."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sitrep.errors import SitrepError
from sitrep.git_setup import DRIVER, driver_command, set_up_git


def git(top: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run git in ``top`` (no global or system config: the test's own identity)."""
    env = {"GIT_CONFIG_NOSYSTEM": "1", "HOME": str(top), "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", "-C", str(top), *args], capture_output=True, text=True,
                          env=env)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    top = tmp_path / "desk"
    top.mkdir()
    assert git(top, "init", "-q").returncode == 0
    return top


def ignored(top: Path, path: str) -> bool:
    return git(top, "check-ignore", "-q", "--no-index", "--", path).returncode == 0


@pytest.mark.parametrize("relative", ["sitrep.json", "data/sitrep.json", "my data/[desk] *1.json"])
def test_registers_the_driver_and_ignores_the_side_files(repo: Path, relative: str) -> None:
    db = repo / relative
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_text("{}\n")
    report = set_up_git(db)
    assert report.top == repo.resolve() and report.done and not report.unchanged
    attr = git(repo, "check-attr", "merge", "--", relative).stdout.strip()
    assert attr.endswith(f"merge: {DRIVER}")
    assert git(repo, "config", "--get", "merge.sitrep.driver").stdout.strip() == driver_command()
    parent = Path(relative).parent.as_posix()
    folder = "" if parent == "." else parent + "/"
    name = Path(relative).name
    for side in (f"{name}.journal", f"{name}.lock", f"{name}.bak.1", f"{name}.bak.3",
                 f".{name}.abc123.tmp"):
        assert ignored(repo, folder + side), side
    assert not ignored(repo, relative)
    assert not ignored(repo, folder + "other.json.journal")  # only this DB's files
    # another file of the same folder does not get the driver
    other = git(repo, "check-attr", "merge", "--", folder + "other.json").stdout.strip()
    assert other.endswith("merge: unspecified")


def test_running_it_again_changes_nothing(repo: Path) -> None:
    db = repo / "sitrep.json"
    set_up_git(db)
    files = {p: p.read_bytes() for p in (repo / ".gitattributes", repo / ".gitignore",
                                         repo / ".git" / "config")}
    again = set_up_git(db)
    assert again.done == [] and len(again.unchanged) == 7
    assert {p: p.read_bytes() for p in files} == files


def test_existing_files_are_kept_and_extended(repo: Path) -> None:
    (repo / ".gitignore").write_text("*.pyc")  # no newline at the end
    (repo / ".gitattributes").write_text("*.png binary\n")
    set_up_git(repo / "sitrep.json")
    assert (repo / ".gitignore").read_text().startswith("*.pyc\n/sitrep.json.journal\n")
    assert (repo / ".gitattributes").read_text().startswith("*.png binary\n")


def test_a_pattern_already_covering_a_file_is_left_alone(repo: Path) -> None:
    (repo / ".gitignore").write_text("*.lock\n*.journal\n")
    report = set_up_git(repo / "sitrep.json")
    assert "/sitrep.json.lock" not in (repo / ".gitignore").read_text()
    assert any("sitrep.json.lock" in line for line in report.unchanged)


def test_run_from_a_subfolder_finds_the_top_of_the_tree(repo: Path) -> None:
    (repo / "a" / "b").mkdir(parents=True)
    set_up_git(repo / "a" / "b" / "db.json")
    assert (repo / ".gitattributes").read_text() == "/a/b/db.json merge=sitrep\n"
    assert not (repo / "a" / ".gitattributes").exists()


def test_outside_a_working_tree_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SitrepError, match="not inside a git working tree"):
        set_up_git(tmp_path / "sitrep.json")


def test_a_driver_set_up_by_another_entry_point_of_sitrep_is_kept(repo: Path) -> None:
    db = repo / "sitrep.json"
    set_up_git(db, python=sys.executable + "3" if Path(sys.executable + "3").exists()
               else sys.executable)
    assert set_up_git(db).done == []
    # but one whose interpreter is gone (a moved virtualenv) is replaced
    git(repo, "config", "merge.sitrep.driver", driver_command("/gone/bin/python"))
    assert set_up_git(db).done == [f".git/config: merge.sitrep.driver = {driver_command()}"]
