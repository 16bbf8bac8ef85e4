"""CSV: RFC 4180 as Python's csv module reads it, fixed columns, safe in a spreadsheet."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from sitrep.reports.csv_export import COLUMNS, export_csv
from sitrep.reports.view import View

from .conftest import add_claim, view_of


def _rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("table", ["claims", "settlements", "sources"])
def test_each_table_has_its_header_and_one_row_per_record(sample_view, table: str) -> None:
    data = export_csv(sample_view, table)
    rows = _rows(data)
    assert rows[0] == list(COLUMNS[table])
    assert len(rows) == 1 + len(getattr(sample_view, table))
    assert all(len(r) == len(COLUMNS[table]) for r in rows)
    assert data.endswith(b"\r\n") and data.count(b"\r\n") >= len(rows)
    assert not data.startswith(b"\xef\xbb\xbf")
    ids = [r[0] for r in rows[1:]]
    assert ids == [r["id"] for r in getattr(sample_view, table)]


def test_claim_columns_carry_grade_dates_with_precision_and_joined_lists(sample_view) -> None:
    rows = _rows(export_csv(sample_view, "claims"))
    by_id = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    lost = by_id["c-cnn-lysychansk-lost-june"]
    assert (lost["status"], lost["grade"], lost["event_at"], lost["event_precision"]) == (
        "confirmed", "B1", "2022-06", "month")
    exodus = by_id["c-hayday-exodus-milove"]
    assert exodus["settlements"] == "svatove;starobilsk;novopskov;milove;luhansk"
    assert exodus["settlement_names"] == "Svatove;Starobilsk;Novopskov;Milove;Luhansk"
    assert exodus["tags"] == "exodus;collaborators;border"
    assert by_id["c-cnn-border-vehicle-lines"]["corroborates"] == "c-hayday-exodus-milove"
    assert by_id["c-hayday-lysychansk-occupiers-fleeing"]["origin"] == "residents-lysychansk"
    settlements = _rows(export_csv(sample_view, "settlements"))
    lysychansk = dict(zip(settlements[0], settlements[1], strict=True))
    assert (lysychansk["lat"], lysychansk["lon"], lysychansk["control"]) == (
        "48.904", "38.442", "ru")
    assert lysychansk["alt_names"] == "Lisichansk;Lysychans'k;Лисичанськ;Лисичанск"


def test_hostile_cells_cannot_become_formulas(sample_db: Path) -> None:
    hostile = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", "-2+3",
               "@SUM(A1:A9)", "\tx", "\rx"]
    for i, value in enumerate(hostile):
        add_claim(sample_db, id=f"c-hostile-{i}", text=value, quote=value, via=value,
                  tags=[value, "ok;semi"], notes=f'a "quoted", multi\nline {value}')
    rows = _rows(export_csv(view_of(sample_db), "claims"))
    header = rows[0]
    for i, value in enumerate(hostile):
        row = dict(zip(header, next(r for r in rows if r[0] == f"c-hostile-{i}"), strict=True))
        for column in ("text", "quote", "via", "tags"):
            shown = "'" + value.replace("\r", "\\x0d")  # a carriage return is made visible
            assert row[column].split(";")[0] == shown, (column, row[column])
        assert row["tags"].endswith(";ok\\;semi")
        assert row["notes"].startswith('a "quoted", multi\r\nline ')
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_a_carriage_return_alone_in_a_cell_is_shown_and_only_line_ends_are_crlf() -> None:
    # The export's one unsafe character is a \r inside a cell: the quick check (which allows
    # a \r for the line ends) must still find it and escape it.
    claims = [{"id": "c-1", "text": "before\rafter", "notes": "n\r"}, {"id": "c-2"}]
    data = export_csv(View(claims=claims), "claims")
    assert data.count(b"\r") == data.count(b"\r\n") == data.count(b"\n") == 3
    row = _rows(data)[1]
    assert "before\\x0dafter" in row and "n\\x0d" in row
