"""sitrep.json_position: the line:column of a value at a path, in any layout of the text.

Each position found is checked by decoding the JSON that starts there: it must be the value
the parsed document holds at that path.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sitrep.json_position import JsonPath, field_path, line_column, locate, value_offsets

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "sitrep.json"

LAYOUTS = {
    "pretty (indent 2)": {"indent": 2, "ensure_ascii": False},
    "one line": {"ensure_ascii": False},
    "compact, escaped": {"separators": (",", ":")},
    "odd whitespace": {"indent": "\t", "separators": (" ,  ", " :\r\n ")},
}


def _leaves(value: Any, path: JsonPath = ()) -> list[tuple[JsonPath, Any]]:
    if isinstance(value, dict) and value:
        return [leaf for key, item in value.items() for leaf in _leaves(item, (*path, key))]
    if isinstance(value, list) and value:
        return [leaf for n, item in enumerate(value) for leaf in _leaves(item, (*path, n))]
    return [(path, value)]


def _decoded_at(text: str, line: int, column: int) -> Any:
    offset = sum(len(row) for row in text.splitlines(keepends=True)[: line - 1]) + column - 1
    return json.JSONDecoder().raw_decode(text, offset)[0]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_value_of_the_sample_is_found_where_it_is(layout: str) -> None:
    doc = json.loads(SAMPLE.read_text("utf-8"))
    text = json.dumps(doc, **LAYOUTS[layout])
    leaves = _leaves(doc)
    where = locate(text.encode(), [path for path, _ in leaves])
    assert len(where) == len(leaves)
    for path, value in leaves:
        assert _decoded_at(text, *where[path]) == value, path


def test_pretty_and_one_line_columns_by_hand() -> None:
    doc = {"claims": {"41": {"id": "c-12", "text": "Лисичанськ", "status": "maybe"}}}
    pretty = json.dumps(doc, indent=2, ensure_ascii=False).encode()
    assert locate(pretty, [("claims", "41", "status")]) == {("claims", "41", "status"): (6, 17)}
    one_line = json.dumps(doc, ensure_ascii=False).encode()
    # columns count characters, not bytes: the Cyrillic name is 10 columns wide
    column = one_line.decode().index('"maybe"') + 1
    assert locate(one_line, [("claims", "41", "status")]) == {
        ("claims", "41", "status"): (1, column)}


def test_a_key_given_twice_is_found_where_the_parser_reads_it_the_last() -> None:
    text = b'{"c": {"1": {"status": "ok",\n "status": "maybe"}}}'
    assert locate(text, [("c", "1", "status")]) == {("c", "1", "status"): (2, 12)}


def test_records_with_the_same_id_are_told_apart_by_their_doc_key() -> None:
    text = (b'{"claims": {\n "1": {"id": "c-12", "status": "ok"},\n'
            b' "2": {"id": "c-12", "status": "maybe"}\n}}')
    assert locate(text, [("claims", "2", "status")]) == {("claims", "2", "status"): (3, 32)}


def test_brackets_quotes_and_escapes_inside_strings_do_not_mislead() -> None:
    text = (b'{"a": {"note": "}]{[ \\" \\\\", "x\\"y": [1, "]"]},'
            b' "b\\u00e9": {"v": [{"w": 2}, {"w": 3}]}}')
    where = locate(text, [("a", "x\"y", 1), ("bé", "v", 1, "w")])
    decoded = text.decode()
    assert _decoded_at(decoded, *where[("a", "x\"y", 1)]) == "]"
    assert _decoded_at(decoded, *where[("bé", "v", 1, "w")]) == 3


def test_a_missing_field_falls_back_to_its_record() -> None:
    text = b'{"claims": {"7": {"id": "c-7"}}}'
    assert locate(text, [("claims", "7", "text")]) == {("claims", "7", "text"): (1, 18)}
    assert locate(text, [("sources", "1", "name")]) == {}


def test_deep_nesting_beside_the_path_is_skipped_without_recursion_error() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    text = f'{{"a": {deep}, "b": {{"y": 3}}}}'.encode()
    assert locate(text, [("b", "y")]) == {("b", "y"): (1, len(deep) + 20)}


def test_a_byte_order_mark_is_not_a_column() -> None:
    text = '\ufeff{"a": 1}'.encode()
    assert locate(text, [("a",)]) == {("a",): (1, 7)}


def test_text_that_is_not_json_gives_what_was_found_and_no_exception() -> None:
    assert value_offsets('{"a": {"b": 1', [("a", "b"), ("c",)]) == {
        (): 0, ("a",): 6, ("a", "b"): 12}
    assert locate(b"", [("a",)]) == {}


def test_field_paths_as_validation_names_them() -> None:
    assert field_path("evidence[1].kind") == ("evidence", 1, "kind")
    assert field_path("location.lat") == ("location", "lat")
    assert field_path("control[0]") == ("control", 0)
    assert field_path("") == ()


def test_line_column_of_offsets() -> None:
    text = "ab\ncd\n"
    assert [line_column(text, n) for n in (0, 1, 3, 4)] == [(1, 1), (1, 2), (2, 1), (2, 2)]


def test_random_documents_in_random_layouts() -> None:
    rng = random.Random(7)

    def value(depth: int) -> Any:
        kind = rng.randrange(6 if depth < 4 else 3)
        if kind == 0:
            return rng.choice([0, -1.5e3, True, None, 12345678901234567890])
        if kind in (1, 2):
            return "".join(rng.choice('ab"\\{}[]:, \n\té€𝄞') for _ in range(rng.randrange(6)))
        if kind == 3:
            return [value(depth + 1) for _ in range(rng.randrange(4))]
        return {rng.choice(["k", "ключ", "a b", '"q"', "k2"]) + str(n): value(depth + 1)
                for n in range(rng.randrange(4))}

    for _ in range(200):
        doc = {"t": value(0), "u": [value(1) for _ in range(3)]}
        text = json.dumps(doc, **rng.choice(list(LAYOUTS.values())))
        leaves = _leaves(doc)
        where = locate(text.encode(), [path for path, _ in leaves])
        for path, leaf in leaves:
            assert _decoded_at(text, *where[path]) == leaf, (text, path)


def test_a_valid_file_is_loaded_validated_and_imported_without_the_locator() -> None:
    code = ("import sys; from sitrep.store import Store, validate_document, read_document;"
            f" from sitrep.feeds.detect import parse_feed; path = {str(SAMPLE)!r};"
            " Store.open(path); assert not validate_document(read_document(path)[0]);"
            " parse_feed(b'{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": []}');"
            " print('sitrep.json_position' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == "False", done.stderr
