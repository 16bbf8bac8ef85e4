"""Setting up a git working tree so that git merges the DB file with sitrep's semantic merge.

For the DB file at PATH inside a working tree, ``set_up_git`` makes sure that

* ``.gitattributes`` (at the top of the tree, committed, so every clone has it) gives the file
  the ``merge=sitrep`` attribute;
* ``.git/config`` (per clone: a driver is a command to run, which git never takes from a
  repository) defines that driver, ``merge.sitrep.driver``, running this sitrep with the
  interpreter it is installed in: ``python -m sitrep merge %O %A %B -o %A``. A merge that
  recorded conflicts in the file exits 1; the driver counts that as merged (the conflicts are
  in sitrep, not in markers), and only a file that cannot be read makes git stop;
* ``.gitignore`` ignores the files sitrep keeps beside the DB: ``NAME.journal``, ``NAME.lock``,
  ``NAME.bak.N`` and the temporary ``.NAME.*.tmp`` of a write in progress.

Every step first asks git whether it is already in place (``git check-attr``,
``git config --get``, ``git check-ignore``), so running it again changes nothing. It runs the
``git`` binary; it never commits.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sitrep.errors import SitrepError

DRIVER = "sitrep"
DRIVER_ARGS = "-m sitrep merge %O %A %B -o %A; test $? -le 1"
DRIVER_NAME = "sitrep semantic merge (records by id, conflicts recorded in history)"


@dataclass
class GitSetup:
    """What ``set_up_git`` did, and what was already in place, one line each."""

    top: Path
    done: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def driver_command(python: str | None = None) -> str:
    """The shell command git runs to merge the DB file (exit 0 or 1 both mean merged)."""
    return f"{shlex.quote(python or sys.executable)} {DRIVER_ARGS}"


def _runs_sitrep(command: str) -> bool:
    """Whether a driver command is sitrep's, run by an interpreter that exists (the console
    script and ``python -m sitrep`` see different interpreter paths of one install)."""
    interpreter, found, rest = command.partition(f" {DRIVER_ARGS}")
    try:
        words = shlex.split(interpreter)
    except ValueError:
        return False
    return bool(found) and not rest and len(words) == 1 and os.access(words[0], os.X_OK)


def _git(top: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(["git", "-C", str(top), *args], capture_output=True, text=True)
    except FileNotFoundError:
        raise SitrepError("git is not installed (no 'git' on PATH)") from None
    if check and result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["failed"])[-1]
        raise SitrepError(f"git {' '.join(args[:2])}: {reason}")
    return result


def working_tree(path: Path) -> Path:
    """The top folder of the git working tree holding ``path``, or SitrepError."""
    folder = path if path.is_dir() else path.parent
    if not folder.exists():
        raise SitrepError(f"{folder}: no such folder")
    result = _git(folder, "rev-parse", "--show-toplevel", check=False)
    if result.returncode != 0 or not result.stdout.strip():
        raise SitrepError(f"{folder} is not inside a git working tree (run 'git init' first)")
    return Path(result.stdout.strip())


def _escape(text: str) -> str:
    return "".join(f"\\{ch}" if ch in "\\*?[]!#" else ch for ch in text)


def pattern_for(relative: str, glob_suffix: str = "") -> str:
    """A .gitignore/.gitattributes pattern matching exactly the file at ``relative`` (from the
    top of the tree), then ``glob_suffix`` as a glob: anchored with ``/``, the path's own glob
    characters escaped."""
    pattern = "/" + _escape(relative) + glob_suffix
    return pattern[:-1] + "\\ " if pattern.endswith(" ") else pattern


def _attribute_line(relative: str) -> str:
    pattern = pattern_for(relative)
    if any(ch.isspace() for ch in pattern) or '"' in pattern:
        # gitattributes splits on whitespace: quote the pattern (C-style, as git reads it)
        inner = pattern.replace("\\", "\\\\").replace('"', '\\"')
        pattern = f'"{inner}"'
    return f"{pattern} merge={DRIVER}"


def _append_line(path: Path, line: str) -> None:
    """Add ``line`` to a small text file, atomically (a newline first if the file lacks one)."""
    old = path.read_bytes() if path.exists() else b""
    text = old + (b"" if not old or old.endswith(b"\n") else b"\n") + line.encode() + b"\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def kept_beside(folder: str, name: str) -> list[tuple[str, str, str]]:
    """(what, pattern, an example path) for each file sitrep keeps beside the DB file ``name``
    in ``folder`` (relative to the top of the tree, "" at the top): journal, lock, backups and
    the temporary file of a write in progress."""
    prefix = f"{folder}/" if folder else ""
    return [
        (f"{prefix}{name}.journal", pattern_for(f"{prefix}{name}.journal"),
         f"{prefix}{name}.journal"),
        (f"{prefix}{name}.lock", pattern_for(f"{prefix}{name}.lock"), f"{prefix}{name}.lock"),
        (f"{prefix}{name}.bak.N", pattern_for(f"{prefix}{name}.bak.", "*"),
         f"{prefix}{name}.bak.1"),
        (f"{prefix}.{name}.*.tmp", pattern_for(f"{prefix}.{name}.", "*.tmp"),
         f"{prefix}.{name}.x1y2.tmp"),
    ]


def set_up_git(db: Path, *, python: str | None = None) -> GitSetup:
    """Register the merge driver for ``db`` and ignore its side files, idempotently."""
    db = Path(db).resolve()
    top = working_tree(db).resolve()
    if not db.is_relative_to(top):
        raise SitrepError(f"{db} is outside the git working tree {top}")
    relative = db.relative_to(top)
    rel = relative.as_posix()
    report = GitSetup(top)

    attr = _git(top, "check-attr", "merge", "--", rel).stdout.strip()
    if attr.endswith(f": merge: {DRIVER}"):
        report.unchanged.append(f".gitattributes already merges {rel} with the sitrep driver")
    else:
        _append_line(top / ".gitattributes", _attribute_line(rel))
        report.done.append(f".gitattributes: {rel} is merged with the sitrep driver")

    command = driver_command(python)
    for key, value in (("merge.sitrep.name", DRIVER_NAME), ("merge.sitrep.driver", command)):
        current = _git(top, "config", "--local", "--get", key, check=False).stdout.rstrip("\n")
        if current == value or key.endswith(".driver") and _runs_sitrep(current):
            report.unchanged.append(f".git/config already has {key}")
            continue
        _git(top, "config", "--local", key, value)
        report.done.append(f".git/config: {key} = {value}")

    folder = relative.parent.as_posix()
    for what, pattern, example in kept_beside("" if folder == "." else folder, db.name):
        ignored = _git(top, "check-ignore", "-q", "--no-index", "--", example, check=False)
        if ignored.returncode == 0:
            report.unchanged.append(f".gitignore already ignores {what}")
            continue
        _append_line(top / ".gitignore", pattern)
        report.done.append(f".gitignore: {what}")
    return report


def merging_commits(cwd: Path, environ: dict[str, str] | None = None
                    ) -> tuple[tuple[str, str], tuple[str, str]] | None:
    """((time, author) of ours, (time, author) of theirs) when run as git's merge driver, else
    None. Git names the commit being merged in only through a ``GITHEAD_<sha>`` variable (there
    is no MERGE_HEAD yet while the driver runs); ours is ``HEAD``. Times are UTC ISO."""
    from sitrep import dates
    from sitrep.errors import InvalidValueError

    env = os.environ if environ is None else environ
    theirs = [key[len("GITHEAD_"):] for key in env if key.startswith("GITHEAD_")]
    if len(theirs) != 1:
        return None
    sides = []
    for rev in ("HEAD", theirs[0]):
        result = subprocess.run(["git", "-C", str(cwd), "log", "-1", "--format=%cI%x00%an",
                                 rev, "--"], capture_output=True, text=True)
        at, _, author = result.stdout.strip().partition("\0")
        if result.returncode != 0 or not at:
            return None
        try:
            sides.append((dates.normalize(at), author or rev))
        except InvalidValueError:
            return None
    return sides[0], sides[1]
