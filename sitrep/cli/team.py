"""``sitrep merge`` and ``sitrep git-setup``: combining analysts' copies of the DB file."""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sitrep.cli import output as out
from sitrep.cli.context import Context
from sitrep.errors import DataFileError
from sitrep.text import printable


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the team commands to the CLI's subparsers."""
    text = "merge two versions of the DB file with their common ancestor (git's merge driver)"
    p = sub.add_parser("merge", parents=[common], help=text, description=text + ". Exit 0"
                       " clean, 1 merged with conflicts recorded in history, 65 unreadable input.")
    p.set_defaults(func=cmd_merge)
    p.add_argument("base", metavar="BASE", help="the common ancestor (an empty file: none)")
    p.add_argument("ours", metavar="OURS", help="our version (git's %%A)")
    p.add_argument("theirs", metavar="THEIRS", help="their version")
    p.add_argument("-o", "--out", metavar="OUT",
                   help="write the result to OUT, atomically (default: standard output)")
    text = "set up this git working tree to merge the DB file with sitrep merge"
    p = sub.add_parser("git-setup", parents=[common], help=text, description=text +
                       " (.gitattributes, the merge.sitrep driver in .git/config, .gitignore"
                       " for the journal, lock and backups); running it again changes nothing.")
    p.set_defaults(func=cmd_git_setup)


def _read(path: Path) -> dict[str, Any]:
    from sitrep.store import read_document

    if not path.exists():
        raise DataFileError(path, "no such file")
    if path.is_file() and path.stat().st_size == 0:
        return {}  # git's stand-in for "no common ancestor"
    return read_document(path)[0]


def _file_time(path: Path) -> str:
    stamp = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def cmd_merge(args: argparse.Namespace, ctx: Context) -> int:
    """Merge OURS and THEIRS from BASE: exit 0 clean, 1 conflicts recorded, 65 unreadable."""
    from sitrep.document_merge import Side, merge_documents
    from sitrep.git_setup import merging_commits
    from sitrep.store import dump_document, write_document

    paths = [Path(p) for p in (args.base, args.ours, args.theirs)]
    base, ours, theirs = (_read(p) for p in paths)
    commits = merging_commits(Path.cwd())
    if commits is not None:  # run by git: hand edits are timed and named by their commits
        (ours_at, ours_by), (theirs_at, theirs_by) = commits
    else:
        ours_at, ours_by = _file_time(paths[1]), args.ours
        theirs_at, theirs_by = _file_time(paths[2]), args.theirs
    result = merge_documents(base, Side(ours, ours_at, ours_by),
                             Side(theirs, theirs_at, theirs_by))
    counts = {t: len(result.document.get(t) or {}) for t in ("settlements", "sources", "claims")}
    summary = (f"merged {printable(args.ours)} and {printable(args.theirs)}: "
               + ", ".join(f"{n} {t}" for t, n in counts.items()) + ": "
               + ("clean" if result.clean else f"{len(result.conflicts)} conflict(s) recorded"
                  " in history ("
                  + "; ".join(printable(str(c)) for c in result.conflicts[:3])
                  + ("; …" if len(result.conflicts) > 3 else "") + ")"))
    if args.out is None:
        out.print_json_bytes(dump_document(result.document))
        out.line(summary, err=True)
    else:
        target = Path(args.out)
        inputs = {os.path.abspath(p) for p in paths}
        # git's %A is a temporary copy: no lock or backups beside it
        write_document(target, result.document, backups=os.path.abspath(target) not in inputs)
        out.line(summary)
    return 0 if result.clean else 1


def cmd_git_setup(args: argparse.Namespace, ctx: Context) -> int:
    """Register the merge driver for the DB file and ignore its side files."""
    from sitrep.git_setup import set_up_git

    report = set_up_git(ctx.db_path)
    for line in report.done:
        out.line(line)
    if report.done:
        out.line("commit .gitattributes and .gitignore so that every clone shares them; each"
                 " clone runs sitrep git-setup once for its own .git/config")
    else:
        out.line(f"{report.top}: already set up for {ctx.db_path}; nothing changed")
    return 0
