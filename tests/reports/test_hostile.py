"""Every report and export format over the hostile-input suite's files: no traceback, and no
raw escape, control or bidi character in any output."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.errors import SitrepError
from sitrep.reports.formats import FORMATS, export
from sitrep.reports.formats import render_report as render
from tests.reliability.test_hostile import PARSEABLE, UNSAFE

from .conftest import view_of


@pytest.mark.parametrize("name", list(PARSEABLE))
def test_every_format_on_a_hostile_file(tmp_path: Path, name: str) -> None:
    db = tmp_path / "db.json"
    db.write_bytes(PARSEABLE[name])
    view = view_of(db, scope=name, origins={"c-cnn-new-front": 1})
    outputs: dict[str, str] = {}
    for fmt in ("text", "markdown"):
        outputs[f"report {fmt}"] = render(view, format=fmt, since="2022")
        outputs[f"report {fmt}"] += render(view, format=fmt)
    for fmt in FORMATS:
        tables = ("claims", "settlements", "sources") if fmt == "csv" else (None,)
        for table in tables:
            options = {"table": table} if table else {}
            try:
                output = export(fmt, view, **options)
            except SitrepError as exc:  # only the feed, which writes records whole
                assert fmt == "feed" and name == "1000-deep nesting", (fmt, exc)
                outputs[fmt] = str(exc)
                continue
            outputs[f"{fmt} {table or ''}"] = output.data.decode("utf-8") + output.summary
    for label, text in outputs.items():
        if label.startswith("csv"):  # RFC 4180 ends lines with CRLF; a CR from data is escaped
            text = text.replace("\r\n", "\n")
        found = UNSAFE.search(text)
        assert found is None, (label, found)
        assert "Traceback" not in text


def test_text_report_lines_stay_within_80_columns_on_hostile_files(tmp_path: Path) -> None:
    for name in ("300 KB strings", "ANSI and OSC escapes", "rich markup"):
        db = tmp_path / "db.json"
        db.write_bytes(PARSEABLE[name])
        text = render(view_of(db))
        assert max(len(line) for line in text.splitlines()) <= 80, name


@pytest.mark.parametrize("name", ["ANSI and OSC escapes", "1000-deep nesting",
                                  "numbers where strings belong"])
def test_commands_on_hostile_files(tmp_path: Path, name: str,
                                   capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    from sitrep.cli import main

    db = tmp_path / "db.json"
    db.write_bytes(PARSEABLE[name])
    runs = [["report"], ["report", "--format", "markdown"]]
    runs += [["export", "--format", fmt] for fmt in FORMATS]
    for args in runs:
        code = main(["--db", str(db), *args])
        captured = capsysbinary.readouterr()
        out, err = captured.out.decode(), captured.err.decode()
        deep_feed = name == "1000-deep nesting" and args[-1] == "feed"
        assert code == (1 if deep_feed else 0), (args, err)
        assert err.count("\n") == 1 and "Traceback" not in err, (args, err)
        assert UNSAFE.search(out.replace("\r\n", "\n")) is None, args
        assert UNSAFE.search(err) is None, args
    assert db.read_bytes() == PARSEABLE[name]
