"""The import report is a summary: counts per table and kind, a few ids each (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.cli import main


def test_report_lists_a_few_ids_per_kind_and_json_all(
        sample_db: Path, tmp_path: Path, real_feed_bytes: bytes,
        capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "journal.json"
    feed.write_bytes(real_feed_bytes)
    export = tmp_path / "export.json"
    assert main(["--db", str(sample_db), "import", str(feed)]) == 0
    out = capsys.readouterr().out.splitlines()
    (claims,) = [line for line in out if line.startswith("  new claims 20: ")]
    assert claims.endswith(" and 15 more") and claims.count(", ") == 4
    assert len(out) <= 6, out
    # a sitrep feed of the whole DB into an empty one: one line per table, each cut short
    assert main(["--db", str(sample_db), "export", "--format", "feed", "--out",
                 str(export)]) == 0
    capsys.readouterr()
    target = tmp_path / "bob.json"
    assert main(["--db", str(target), "import", str(export)]) == 0
    out = capsys.readouterr().out.splitlines()
    kinds = [line.split(":")[0].strip() for line in out[2:] if line.startswith("  new ")]
    assert kinds == ["new sources 5", "new settlements 9", "new claims 36"]
    assert "  new claims 36: " in "\n".join(out) and out[-1].endswith(" and 31 more")
    assert main(["--db", str(target), "import", "--json", str(export)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert len([c for c in report["changes"] if c["table"] == "claims"]) == 0  # unchanged now
    assert report["counts"]["unchanged"] == 50
    fresh = tmp_path / "carol.json"
    assert main(["--db", str(fresh), "import", "--json", str(export)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert len([c for c in report["changes"] if c["table"] == "claims"]) == 36  # every id
