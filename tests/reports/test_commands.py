"""``sitrep report`` and ``sitrep export --format …`` end to end: files, stdout, stderr."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import geojson
import orjson
import pytest

from sitrep.cli import main
from sitrep.errors import MissingFileError, WriteError


def _run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def test_report_to_stdout_and_to_a_file(sample_db: Path, tmp_path: Path,
                                        capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert _run(sample_db, "report") == 0
    captured = capsysbinary.readouterr()
    text = captured.out.decode()
    assert text.startswith("SITREP · all records · as of latest data · generated ")
    assert captured.err.decode() == "exported SITREP of 16 claims as text\n"
    out = tmp_path / "sitrep.md"
    assert _run(sample_db, "report", "--format", "markdown", "--since", "1 Sep 2022",
                "-o", str(out)) == 0
    assert out.read_text().startswith("# SITREP")
    assert "## What changed since 2022-09-01" in out.read_text()
    assert capsysbinary.readouterr().err.decode().endswith(f"to {out}\n")


@pytest.mark.parametrize("fmt", ["feed", "csv", "geojson", "kml", "stix", "misp"])
def test_every_format_to_a_file_with_a_summary(sample_db: Path, tmp_path: Path, fmt: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"export.{fmt}"
    assert _run(sample_db, "export", "--format", fmt, "-o", str(out)) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("exported ") and captured.err.count("\n") == 1
    assert out.stat().st_size > 1000
    assert not list(tmp_path.glob(".*.tmp"))


def test_csv_tables_and_geojson_to_stdout(sample_db: Path,
                                          capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert _run(sample_db, "export", "--format", "csv", "--table", "sources") == 0
    rows = list(csv.reader(io.StringIO(capsysbinary.readouterr().out.decode(), newline="")))
    assert [r[0] for r in rows] == ["id", "hayday", "pushilin", "cnn", "residents-lysychansk"]
    assert _run(sample_db, "export", "--format", "geojson") == 0
    captured = capsysbinary.readouterr()
    assert geojson.loads(captured.out.decode()).is_valid
    assert b"0 settlements without coordinates left out" in captured.err


def test_options_that_do_not_apply_and_bad_input_are_one_line(
        sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(sample_db, "export", "--format", "csv", "--since", "2022") == 1
    assert capsys.readouterr().err == "sitrep: --since only applies to --format feed\n"
    assert _run(sample_db, "export", "--format", "kml", "--table", "sources") == 1
    assert "--table only applies to --format csv" in capsys.readouterr().err
    assert _run(sample_db, "report", "--since", "whenever") == 1
    assert "--since: cannot read date 'whenever'" in capsys.readouterr().err
    assert _run(tmp_path / "missing.json", "report") == MissingFileError.exit_code
    assert "no such file" in capsys.readouterr().err
    assert _run(sample_db, "report", "-o", str(tmp_path / "no" / "such" / "dir.txt")) == (
        WriteError.exit_code)
    assert "cannot write" in capsys.readouterr().err


def test_feed_keeps_since_and_imports_back(sample_db: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "feed.json"
    assert _run(sample_db, "export", "--since", "2030-01-01", "-o", str(out)) == 0
    assert "exported 0 claims, 0 sources, 0 settlements" in capsys.readouterr().err
    assert _run(sample_db, "export", "--format", "feed", "-o", str(out)) == 0
    doc = orjson.loads(out.read_bytes())
    assert doc["sitrep_feed"] == 1 and doc["id"] == "sitrep:tester:sitrep.json"


def test_stix_without_the_extra_says_which_extra(sample_db: Path, tmp_path: Path) -> None:
    code = ("import sys; sys.modules['stix2'] = None; from sitrep.cli import main; "
            f"sys.exit(main(['--db', {str(sample_db)!r}, 'export', '--format', 'stix']))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1
    assert result.stderr == ("sitrep: STIX export needs the stix2 library: "
                             "pip install 'sitrep[exports]'\n")
    assert result.stdout == ""


def test_the_cli_does_not_import_the_export_libraries() -> None:
    code = ("import sys, sitrep.cli; sitrep.cli.build_parser(); "
            "print(sorted(m for m in ('stix2', 'pymisp', 'fastkml', 'geojson', "
            "'sitrep.reports.report') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.strip() == "[]"


def test_as_of_and_independent_origins(sample_db: Path, tmp_path: Path,
                                       capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    from datetime import UTC, datetime

    from sitrep.store import Store

    store = Store.open(sample_db, clock=lambda: datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    store.add_control("lysychansk", "ua", "2026-11-20", by="bob", note="retaken")
    assert _run(sample_db, "report", "--as-of", "2026-11-01") == 0
    before = capsysbinary.readouterr().out.decode()
    assert "as of 2026-11-01" in before.splitlines()[0]
    assert "Lysychansk (Luhansk, UA): RU since 2022-06" in before
    assert "independent origins: 1" in before
    assert _run(sample_db, "report", "--as-of", "2026-11-30") == 0
    assert "Lysychansk (Luhansk, UA): UA since 2026-11-20" in capsysbinary.readouterr().out.decode()
    assert _run(sample_db, "export", "--format", "csv") == 0
    rows = list(csv.reader(io.StringIO(capsysbinary.readouterr().out.decode(), newline="")))
    column = rows[0].index("independent_origins")
    assert all(r[column].isdigit() for r in rows[1:])
    assert _run(sample_db, "report", "--as-of", "whenever") == 1
    assert b"--as-of: cannot read date 'whenever'" in capsysbinary.readouterr().err


def test_filter_keeps_the_matching_claims_and_what_they_name(
        sample_db: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert _run(sample_db, "report", "--filter", "place:svatove status:corr,unv") == 0
    text = capsysbinary.readouterr().out.decode()
    assert text.splitlines()[0].startswith(
        "SITREP · filter place:svatove status:corr,unv · as of latest data")
    assert "9 settlements" not in text and "5 settlements, 2 sources, 4 claims:" in text
    assert "c-hayday-exodus-milove" in text and "c-cnn-new-front" not in text
    assert "Kreminna" not in text and "Milove" in text
    assert _run(sample_db, "export", "--format", "geojson", "--filter", "source:cnn") == 0
    collection = geojson.loads(capsysbinary.readouterr().out.decode())
    assert {f["id"] for f in collection["features"]} == {"lysychansk", "sloviansk", "svatove"}
    with pytest.raises(SystemExit) as usage:  # an unfinished term: a usage error, as in list
        _run(sample_db, "export", "--filter", "grade:<=")
    assert usage.value.code == 2
