"""Properties of the three-way merge over generated documents and edit sequences.

Each side starts from a generated ancestor and makes a random sequence of the changes analysts
make: through the store's own ops (status, credibility, reliability, notes, control, new
records, deletions) and by hand without history (notes, status, tags, unknown fields, a field
removed, a record moved to another doc id). Times and record ids come from small pools, so
that both sides often touch the same field at the same time and add the same id.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.document_merge import MergeResult, Side, _Merge, merge_documents
from sitrep.errors import SitrepError
from sitrep.models import CONTROLLERS, STATUSES, Claim, Settlement, Source
from sitrep.store import dump_document
from sitrep.store.index import Index
from sitrep.store.ops import apply_op, json_copy
from sitrep.store.validate import validate_document

from .merge_helpers import content, problem_keys

PROPERTY = settings(max_examples=1000, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

TIMES = [f"2026-01-0{day}T0{hour}:00:00Z" for day in (1, 2, 3) for hour in (0, 1)]
ANALYSTS = ["alice", "bob", "carol"]
TEXTS = ["a", "b", "Лисичанськ", ""]
TABLES = ["claims", "sources", "settlements"]

times = st.sampled_from(TIMES)
analysts = st.sampled_from(ANALYSTS)
index_ = st.integers(0, 2)


observations = st.lists(st.builds(
    lambda c, d: {"controller": c, "as_of": d, "claim": None, "note": None},
    st.sampled_from(CONTROLLERS), st.sampled_from(["2022-06", "2022-09-10"])), max_size=2)
place_lists = st.lists(st.integers(0, 2), unique=True, max_size=2)
tag_lists = st.lists(st.sampled_from(["x", "y"]), unique=True)
claim_fields = st.tuples(times, analysts, st.integers(0, 1), place_lists,
                         st.sampled_from(STATUSES), st.integers(1, 6), tag_lists)
reliabilities = st.sampled_from("ABCDEF")


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid ancestor: a few settlements, sources and claims, _meta, feeds, maybe more."""
    settlements = [Settlement(id=f"s{n}", name=f"S{n}", control=draw(observations)).to_record()
                   for n in range(draw(st.integers(1, 3)))]
    sources = [Source(id=f"src{n}", name=f"Source {n}", reliability=draw(reliabilities)
                      ).to_record() for n in range(draw(st.integers(1, 2)))]
    claims = []
    for n in range(draw(st.integers(0, 4))):
        at, by, source, places, status, credibility, tags = draw(claim_fields)
        history = [{"at": at, "by": by, "field": "created", "from": None, "to": None,
                    "note": None}]
        claims.append(Claim(
            id=f"c{n}", text=f"claim {n}", source=sources[source % len(sources)]["id"],
            settlements=list(dict.fromkeys(settlements[p % len(settlements)]["id"]
                                           for p in places)),
            status=status, credibility=credibility, tags=tags, history=history).to_record())
    doc: dict[str, Any] = {"_meta": {"1": {"schema": 1}}}
    for name, records in (("settlements", settlements), ("sources", sources),
                          ("claims", claims)):
        doc[name] = {str(n): r for n, r in enumerate(records, start=1)}
    doc["feeds"] = {}
    if draw(st.booleans()):
        doc["desk_notes"] = {"1": {"id": "d1", "text": "kept as it is", "history": []}}
    return doc


edit = st.one_of(
    st.tuples(st.just("status"), index_, st.sampled_from(STATUSES), times, analysts),
    st.tuples(st.just("credibility"), index_, st.integers(1, 6), times, analysts),
    st.tuples(st.just("reliability"), index_, st.sampled_from("ABCDEF"), times, analysts),
    st.tuples(st.just("note"), st.sampled_from(TABLES), index_, st.sampled_from(TEXTS[:3]),
              times, analysts),
    st.tuples(st.just("control"), index_, st.sampled_from(CONTROLLERS),
              st.sampled_from(["2022-09", "2022-09-12"]), times, analysts),
    st.tuples(st.just("new_claim"), st.integers(0, 2), st.sampled_from(TEXTS[:2]), times,
              analysts),
    st.tuples(st.just("delete"), st.sampled_from(TABLES), index_),
    st.tuples(st.just("hand_notes"), st.sampled_from(TABLES), index_, st.sampled_from(TEXTS)),
    st.tuples(st.just("hand_status"), index_, st.sampled_from(STATUSES)),
    st.tuples(st.just("hand_tag"), index_, st.sampled_from(["x", "y", "z"])),
    st.tuples(st.just("hand_field"), st.sampled_from(TABLES), index_,
              st.sampled_from(["x_colour", "x_extra"]), st.sampled_from([1, True, "v", None])),
    st.tuples(st.just("hand_drop"), index_, st.sampled_from(["quote", "notes", "x_colour"])),
    st.tuples(st.just("renumber"), st.sampled_from(TABLES), index_),
)
edits = st.lists(edit, max_size=6)


def _pick(doc: dict[str, Any], table: str, n: int) -> tuple[str, dict[str, Any]] | None:
    records = list(doc.get(table, {}).items())
    return records[n % len(records)] if records else None


def apply_edits(doc: dict[str, Any], steps: list[tuple]) -> dict[str, Any]:
    """A copy of ``doc`` after ``steps``: store ops where the store has one, else hand edits."""
    doc = json_copy(doc)
    for step in steps:
        kind = step[0]
        table = step[1] if kind in ("note", "delete", "hand_notes", "hand_field", "renumber") \
            else "sources" if kind == "reliability" else "settlements" if kind == "control" \
            else "claims"
        n = step[2] if table == step[1] else step[1]
        picked = _pick(doc, table, n) if kind != "new_claim" else None
        if kind != "new_claim" and picked is None:
            continue
        key, record = picked if picked else (None, None)
        op: dict[str, Any] | None = None
        if kind in ("status", "credibility", "reliability"):
            _, _, value, at, by = step
            op = {"op": "set", "table": table, "at": at, "by": by, "id": record["id"],
                  "fields": {kind: value}}
        elif kind == "note":
            _, _, _, text, at, by = step
            op = {"op": "note", "table": table, "at": at, "by": by, "id": record["id"],
                  "note": text}
        elif kind == "control":
            _, _, who, as_of, at, by = step
            op = {"op": "append", "table": table, "at": at, "by": by, "id": record["id"],
                  "field": "control",
                  "value": {"controller": who, "as_of": as_of, "claim": None, "note": None}}
        elif kind == "new_claim":
            _, number, text, at, by = step
            source = _pick(doc, "sources", 0)
            new = Claim(id=f"new{number}", text=f"new claim {text}",
                        source=source[1]["id"] if source else "").to_record()
            op = {"op": "put", "table": "claims", "at": at, "by": by, "record": new,
                  "field": "created"}
        elif kind == "delete":
            del doc[table][key]
        elif kind == "hand_notes":
            record["notes"] = step[3]
        elif kind == "hand_status":
            record["status"] = step[2]
        elif kind == "hand_tag":
            record["tags"] = [*record.get("tags", []), step[2]]
        elif kind == "hand_field":
            record[step[3]] = step[4]
        elif kind == "hand_drop":
            record.pop(step[2], None)
        elif kind == "renumber":
            numbers = [int(k) for k in doc[table]]
            doc[table][str(max(numbers) + 1)] = doc[table].pop(key)
        if op is not None:
            index = Index()
            index.rebuild(doc)
            # a put over an existing id fails as it would in the store: the edit is skipped
            with contextlib.suppress(SitrepError):
                apply_op(doc, index, op)
    return doc


def sides() -> st.SearchStrategy[tuple[dict[str, Any], Side, Side]]:
    """(ancestor, ours, theirs): two edit sequences of one generated document."""
    return st.builds(
        lambda base, a, b, at_a, at_b, by_a, by_b: (
            base, Side(apply_edits(base, a), at_a, by_a), Side(apply_edits(base, b), at_b, by_b)),
        documents(), edits, edits, times, times, analysts, analysts)


def _renamed(result: MergeResult) -> dict[str, str]:
    return {c.entry["from"]["value"]: c.id for c in result.conflicts if c.field == "id"}


def _records(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(name, r["id"]): r for name, table in doc.items() for r in table.values()
            if isinstance(r, dict) and isinstance(r.get("id"), str)}


@PROPERTY
@given(sides())
def test_the_result_has_no_problem_neither_side_had(case: tuple) -> None:
    base, ours, theirs = case
    result = merge_documents(base, ours, theirs)
    before = problem_keys(validate_document(ours.document)) | problem_keys(
        validate_document(theirs.document))
    after = problem_keys(validate_document(result.document), _renamed(result))
    assert after <= before


@PROPERTY
@given(sides())
def test_the_result_holds_every_history_entry_of_both_sides(case: tuple) -> None:
    base, ours, theirs = case
    result = merge_documents(base, ours, theirs)
    merged = _records(result.document)
    renamed = {v: k for k, v in _renamed(result).items()}  # original id -> its new ids
    old = _records(base)
    for side in (ours, theirs):
        for (table, rid), record in _records(side.document).items():
            candidates = [merged.get((table, rid)), merged.get((table, renamed.get(rid, "")))]
            held = [Counter(orjson.dumps(e) for e in c.get("history", [])) for c in candidates
                    if c is not None]
            mine = Counter(orjson.dumps(e) for e in record.get("history", []))
            if not any(not (mine - h) for h in held):
                # only a record the other side deleted, unchanged here, may be gone
                assert (table, rid) in old and orjson.dumps(old[(table, rid)]) == orjson.dumps(
                    record), (table, rid)


@PROPERTY
@given(sides())
def test_the_result_does_not_depend_on_which_side_is_ours(case: tuple) -> None:
    base, ours, theirs = case
    one = merge_documents(base, ours, theirs)
    other = merge_documents(base, theirs, ours)
    assert content(one.document) == content(other.document)
    assert len(one.conflicts) == len(other.conflicts)


@PROPERTY
@given(sides())
def test_an_unchanged_side_gives_the_other_exactly(case: tuple) -> None:
    base, ours, theirs = case
    unchanged = Side(json_copy(base), ours.at, ours.by)
    assert dump_document(merge_documents(base, unchanged, theirs).document) == dump_document(
        theirs.document)
    assert dump_document(merge_documents(base, ours, unchanged).document) == dump_document(
        ours.document)
    # the record-by-record rules give the same content without the whole-document shortcut
    assert content(_Merge(base, unchanged, theirs).run().document) == content(theirs.document)


@PROPERTY
@given(sides())
def test_a_document_merged_with_itself_is_byte_identical(case: tuple) -> None:
    _, ours, _ = case
    copies = [json_copy(ours.document) for _ in range(3)]
    result = merge_documents(copies[0], Side(copies[1], ours.at, ours.by),
                             Side(copies[2], ours.at, "someone else"))
    assert dump_document(result.document) == dump_document(ours.document)
    assert result.clean
    # and so do the record-by-record rules, without the whole-document shortcut
    slow = _Merge(copies[0], Side(copies[1], ours.at, ours.by),
                  Side(copies[2], ours.at, "someone else")).run()
    assert dump_document(slow.document) == dump_document(ours.document) and slow.clean


@PROPERTY
@given(sides())
def test_the_merge_is_deterministic_and_leaves_its_inputs_alone(case: tuple) -> None:
    base, ours, theirs = case
    before = [dump_document(d) for d in (base, ours.document, theirs.document)]
    first = merge_documents(base, ours, theirs)
    again = merge_documents(json_copy(base), Side(json_copy(ours.document), ours.at, ours.by),
                            Side(json_copy(theirs.document), theirs.at, theirs.by))
    assert dump_document(first.document) == dump_document(again.document)
    assert [c.entry for c in first.conflicts] == [c.entry for c in again.conflicts]
    assert [dump_document(d) for d in (base, ours.document, theirs.document)] == before
