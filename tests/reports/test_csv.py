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


# Values that take every branch of the fast claim lines: hostile strings, the CSV and formula
# characters, escapes, Cyrillic, and values of the wrong type (equal ones too: True == 1,
# 1.0 == 1, a lone string where a list belongs, a list where a string belongs).
AWKWARD: list[object] = [
    None, "", " ", "plain", "a,b", 'say "hi"', "two\nlines", "cr\rhere", "crlf\r\n", "=1+1",
    "+1", "-2", "@me", "\tx", "\rx", "semi;colon", "back\\slash", "Харків", "\x1b[31mred",
    "\u202eevil", "nul\x00", "\x85", 0, 1, 3, 6, 7, -1, 1.0, 3.0, 2.5, True, False, [],
    [""], ["a"], ["a", "b"], ["a;b"], ["x,y"], ["=x"], ["lysychansk"], ["lysychansk", "lyman"],
    ["lysychansk", "lysychansk"],
    [1], [True], [None], ["a", ""], ("a",), {}, {"a": 1}, "2022", "2022-06", "2022-06-01",
    "2022-06-01T10:00:00Z", "2022-02-30T10:00:00Z", "2022-06-01T24:00:00Z",
    "0000-01-01T00:00:00Z", "=022-06-01T10:00:00Z", "2022,06-01T10:00:00Z",
    "\u0662022-06-01T10:00:00Z", "last week", "unverified", "confirmed", "odd", "cnn", "c-1",
]
CLAIM_FIELDS = ("id", "source", "status", "credibility", "settlements", "text", "quote",
                "notes", "reported_at", "event_at", "via", "origin", "url", "tags",
                "corroborates", "contradicts", "against_interest", "urls", "evidence",
                "location")


def _awkward_claims() -> list[dict[str, object]]:
    usual = {"id": "c-0", "text": "Units, it is said, entered the town.", "quote": "",
             "source": "cnn", "via": "Telegram", "origin": None, "settlements": ["lysychansk"],
             "reported_at": "2022-06-01T10:00:00Z", "event_at": "2022-06-01",
             "status": "unverified", "credibility": 3, "against_interest": False,
             "tags": ["t"], "url": "https://example.org/1", "notes": "", "corroborates": [],
             "contradicts": []}
    claims: list[dict[str, object]] = [dict(usual), dict(usual), {}]
    for name in CLAIM_FIELDS:
        for value in AWKWARD:
            claims.append({**usual, name: value})  # each awkward value after a usual claim,
            claims.append(dict(usual))             # so cached cells are read back as well
        missing = dict(usual)
        missing.pop(name, None)
        claims.append(missing)
    claims.append({**usual, "location": {"lat": 48.9, "lon": 38.4, "precision_m": 50}})
    claims.append({**usual, "evidence": [{"url": "https://a.org/x", "kind": "video",
                                          "note": "a, b"}], "urls": ["https://b.org"]})
    return claims


def test_the_fast_claim_lines_are_the_plain_definition_on_awkward_values() -> None:
    from sitrep.reports.csv_export import _claim_lines, _claim_row, _line

    sources = [{"id": "cnn", "name": "CNN", "reliability": "B"},
               {"id": "odd", "name": "Odd, \"quoted\"", "reliability": "Z"},
               {"id": "=x", "name": "=formula", "reliability": "C"},
               {"id": "c-1", "name": "Кореспондент", "reliability": "A"}]
    settlements = [{"id": "lysychansk", "name": "Lysychansk"}, {"id": "lyman", "name": "a;b"},
                   {"id": "a", "name": "=A"}, {"id": "x,y", "name": "X"}]
    claims = _awkward_claims()
    for origins in ({}, {"c-0": 2, "c-1": 1}):
        view = View(claims=claims, sources=sources, settlements=settlements, origins=origins)
        row = _claim_row(view)
        expected = [_line(row(claim)) for claim in claims]
        found = _claim_lines(view)
        for n, (line, plain) in enumerate(zip(found, expected, strict=True)):
            assert line == plain, (n, claims[n])


def test_the_times_written_as_they_stand_are_what_fields_reads_as_times() -> None:
    from sitrep.reports import fields
    from sitrep.reports.csv_export import _TIMES

    years = ["0000", "0001", "0004", "0100", "0400", "1600", "1700", "1900", "1996", "2000",
             "2022", "2023", "2024", "2100", "9999"]
    clocks = ["00:00:00", "23:59:59", "24:00:00", "12:60:00", "12:00:60", "09:05:07"]
    for year in years:
        for month in range(14):
            for day in range(33):
                for clock in clocks:
                    value = f"{year}-{month:02d}-{day:02d}T{clock}Z"
                    assert bool(_TIMES.fullmatch(value + "\n")) == (
                        fields.precision(value) == "time"), value
    assert not _TIMES.fullmatch("\u0662022-06-01T10:00:00Z\n")  # read as a time, kept plain
