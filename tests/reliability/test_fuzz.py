"""hypothesis drives the loaders and parsers with generated documents, bytes and journal lines:
each yields records or a clear SitrepError, never another exception."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep import dates
from sitrep.errors import SitrepError
from sitrep.store import Store, journal_path, read_document, validate_document

from .helpers import LONG, SAMPLE, run_main

EXAMPLES = 1000 if LONG else 60
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
HOSTILE_TEXT = st.lists(st.sampled_from(
    list("ab -[]/:T0129Z\x1b\x00\x07\u202e\u2066\x9b\u0416") + ["2022", "Sep", "[bold]"]),
    max_size=12).map("".join)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**64 - 1),
                    st.floats(allow_nan=False, allow_infinity=False), HOSTILE_TEXT)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(HOSTILE_TEXT, inner, max_size=4)), max_leaves=12)
FIELDS = st.sampled_from(["id", "text", "source", "settlements", "status", "credibility",
                          "history", "control", "reported_at", "event_at", "name", "reliability",
                          "origin", "corroborates", "tags", "alt_names", "lat", "journal_folded"])
IDS = st.sampled_from(["c1", "c2", "s1", "lysychansk", "cnn", ""])
RECORDS = st.one_of(
    st.dictionaries(FIELDS, st.one_of(VALUES, IDS, st.lists(IDS, max_size=3)), max_size=8),
    VALUES)
DOCS = st.dictionaries(
    st.sampled_from(["claims", "sources", "settlements", "feeds", "_meta", "other"]),
    st.dictionaries(st.sampled_from(["1", "2", "3", "x", "007"]), RECORDS, max_size=4),
    max_size=5)


def _exercise(db: Path) -> None:
    try:
        doc, _ = read_document(db)
        for problem in validate_document(doc):
            str(problem)
            problem.to_json()
        store = Store.open(db, journal=True)
    except SitrepError:
        return
    store.filter_claims(text="a", status="unverified", since="2022")
    store.counts_by_status()
    for settlement in store.settlements():
        if isinstance(settlement.get("id"), str):
            store.control_as_of(settlement["id"], "2022-06")
    for claim in store.claims()[:2]:
        if isinstance(claim.get("id"), str):
            with contextlib.suppress(SitrepError):
                store.set_status(claim["id"], "disputed", by="fuzz", note="n")
    with contextlib.suppress(SitrepError):
        store.fold()
    for argv in (["validate"], ["validate", "--json"], ["list", "claims"], ["list", "settlements"],
                 ["list", "sources"], ["list", "claims", "--json"], ["show", "c1"],
                 ["note", "c1", "x"]):
        run_main(["--db", str(db), *argv])  # an exception here is a traceback


@SETTINGS
@given(DOCS)
def test_generated_documents(doc: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "db.json"
        db.write_bytes(orjson.dumps(doc, option=orjson.OPT_NON_STR_KEYS))
        _exercise(db)


GOOD = SAMPLE.read_bytes()


@SETTINGS
@given(st.integers(0, len(GOOD)), st.binary(max_size=8), st.integers(0, len(GOOD)))
def test_damaged_bytes(cut: int, junk: bytes, where: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "db.json"
        payload = GOOD[:where] + junk + GOOD[where:]
        db.write_bytes(payload[: max(cut, where)])
        _exercise(db)


OPS = st.fixed_dictionaries({"seq": st.integers(-2, 5), "op": st.sampled_from(
    ["set", "note", "append", "put", "delete", "bogus"])}, optional={
    "table": st.one_of(st.sampled_from(["claims", "sources", "settlements"]), VALUES),
    "id": st.one_of(st.just("c-cnn-new-front"), VALUES), "fields": VALUES, "record": VALUES,
    "field": VALUES, "value": VALUES, "at": VALUES, "by": VALUES, "note": VALUES})


@SETTINGS
@given(st.lists(st.one_of(OPS.map(orjson.dumps), st.binary(max_size=20)), max_size=6))
def test_mangled_journal(lines: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "db.json"
        db.write_bytes(GOOD)
        header = orjson.dumps({"sitrep_journal": 1, "id": "x"})
        journal_path(db).write_bytes(b"\n".join([header, *lines]))
        _exercise(db)
        read_document(db)  # whatever happened, the main file is still a readable document


@SETTINGS
@given(st.one_of(HOSTILE_TEXT, st.text(max_size=40), st.from_regex(
    r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?)?)?", fullmatch=True)))
def test_dates_parse(text: str) -> None:
    try:
        parsed = dates.parse(text)
    except SitrepError:
        return
    assert dates.normalize(parsed.iso()) == parsed.iso()
