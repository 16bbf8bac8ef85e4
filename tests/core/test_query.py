"""Unit tests for the filter language (sitrep.query): parsing and matching, no Textual."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sitrep import query as q

SOURCES = {
    "hayday": {"name": "Serhiy Hayday", "aliases": ["Serhii Haidai", "Сергій Гайдай"],
               "reliability": "B"},
    "pushilin": {"name": "Denis Pushilin", "aliases": [], "reliability": "D"},
}
PLACES = {
    "lysychansk": {"name": "Lysychansk", "alt_names": ["Lisichansk", "Лисичанськ"]},
    "sloviansk": {"name": "Sloviansk", "alt_names": ["Slov'yans'k", "Славянск"]},
}
CLAIMS = [
    {"id": "c1", "text": "Units reached the outskirts of Lysychansk.", "quote": "",
     "source": "hayday", "settlements": ["lysychansk"], "reported_at": "2022-09-10",
     "status": "unverified", "credibility": 3, "tags": ["offensive"]},
    {"id": "c2", "text": "The situation is pretty tough.", "quote": "pretty tough",
     "source": "pushilin", "settlements": ["sloviansk"], "reported_at": "2022-08-30",
     "status": "corroborated", "credibility": 2, "tags": []},
    {"id": "c3", "text": "Shelling overnight.", "quote": "", "source": "hayday",
     "settlements": [], "reported_at": "2022-09", "status": "disputed", "credibility": 5,
     "tags": ["Shelling"]},
]


class Table:
    """A tiny ClaimTable over the fixtures above."""

    def __init__(self, claims: Sequence[dict[str, Any]]) -> None:
        self.claims = claims
        self._hays = [self._hay(c) for c in claims]

    @staticmethod
    def _hay(c: dict[str, Any]) -> str:
        src = SOURCES.get(c["source"], {})
        parts = [c["text"], c["quote"], src.get("name", ""), *src.get("aliases", [])]
        for sid in c["settlements"]:
            parts += [PLACES[sid]["name"], *PLACES[sid]["alt_names"]]
        return q.normalise("\n".join(parts))

    def haystack(self, index: int) -> str:
        return self._hays[index]

    @property
    def all_mask(self) -> int:
        return q.mask_from_flags(b"\x01" * len(self.claims))

    def term_mask(self, term: q.Term) -> int:
        test = q.term_test(term, self)
        pairs = zip(self.claims, self._hays, strict=True)
        return q.mask_from_flags(bytes(test(c, h) for c, h in pairs))

    def source_grade(self, source_id: str) -> str | None:
        return SOURCES.get(source_id, {}).get("reliability")

    def source_matches(self, source_id: str, needle: str) -> bool:
        src = SOURCES.get(source_id)
        names = [source_id, src["name"], *src["aliases"]] if src else [source_id]
        return any(needle in q.normalise(n) for n in names)

    def place_matches(self, settlement_id: str, needle: str) -> bool:
        p = PLACES.get(settlement_id)
        names = [settlement_id, p["name"], *p["alt_names"]] if p else [settlement_id]
        return any(needle in q.normalise(n) for n in names)


def ids(text: str) -> list[str]:
    """Ids of the fixture claims matching ``text``, in order (all when the query is empty)."""
    table = Table(CLAIMS)
    found = q.evaluate(q.parse(text), table)
    if found is None:
        return [c["id"] for c in CLAIMS]
    flags = q.mask_to_flags(found, len(CLAIMS))
    return [c["id"] for c, hit in zip(CLAIMS, flags, strict=True) if hit]


def test_empty_query_matches_everything() -> None:
    assert q.parse("   ").is_empty
    assert ids("") == ["c1", "c2", "c3"]


def test_free_words_search_text_quote_source_and_place_names() -> None:
    assert ids("outskirts") == ["c1"]
    assert ids("TOUGH") == ["c2"]
    assert ids("haidai") == ["c1", "c3"]          # source alias
    assert ids("Лисичанськ") == ["c1"]            # settlement alternative spelling
    assert ids("slovyansk") == ["c2"]             # apostrophes folded away
    assert ids("hayday shelling") == ["c3"]        # all words must match


def test_quoted_phrase_is_one_term() -> None:
    assert ids('"pretty tough"') == ["c2"]
    assert ids('"tough pretty"') == []


def test_status_by_prefix_and_list() -> None:
    assert ids("status:unverified") == ["c1"]
    assert ids("status:unv,disp") == ["c1", "c3"]
    assert ids("!status:unverified") == ["c2", "c3"]


def test_source_and_place_by_id_or_name() -> None:
    assert ids("source:hayday") == ["c1", "c3"]
    assert ids("source:pushilin") == ["c2"]
    assert ids("place:Lisichansk") == ["c1"]
    assert ids("settlement:sloviansk") == ["c2"]


def test_grade_and_credibility_comparisons() -> None:
    assert ids("grade:<=C") == ["c1", "c3"]
    assert ids("grade:D") == ["c2"]
    assert ids("grade:>B") == ["c2"]
    assert ids("cred:<=3") == ["c1", "c2"]
    assert ids("cred:>=5") == ["c3"]


def test_dates_keep_precision() -> None:
    assert ids("since:2022-09-01") == ["c1"]
    assert ids("since:2022-09") == ["c1", "c3"]
    assert ids("until:2022-09") == ["c1", "c2", "c3"]
    assert ids("until:2022-08") == ["c2"]


def test_tags_are_case_insensitive_and_negatable() -> None:
    assert ids("tag:shelling") == ["c3"]
    assert ids("!tag:offensive") == ["c2", "c3"]


def test_unfinished_terms_are_reported_and_ignored() -> None:
    query = q.parse("hayday grade:<= status:zzz !")
    assert [t.value for t in query.terms] == ["hayday"]
    assert len(query.problems) == 3
    assert ids("hayday grade:<=") == ["c1", "c3"]


def test_unknown_key_is_a_free_word() -> None:
    query = q.parse("10:00")
    assert query.terms[0].key is None and query.terms[0].value == "10:00"


def test_matches_agrees_with_evaluate() -> None:
    table = Table(CLAIMS)
    for text in ["hayday", "!status:unv", "grade:<=C cred:>2", "place:lys tag:offensive"]:
        query = q.parse(text)
        one_by_one = bytes(
            q.matches(query, c, table.haystack(i), table) for i, c in enumerate(CLAIMS)
        )
        assert q.evaluate(query, table) == q.mask_from_flags(one_by_one), text


def test_cache_keeps_masks_of_terms_still_in_use() -> None:
    table = Table(CLAIMS)
    cache = q.TermCache()
    q.evaluate(q.parse("status:unv hayday"), table, cache)
    keys = set(cache.results)
    q.evaluate(q.parse("status:unv hayday s"), table, cache)
    assert keys < set(cache.results)
    cache.forget("status")
    assert not any(k.startswith("status") for k in cache.results)


@given(st.text(max_size=40))
def test_any_text_parses_without_raising(text: str) -> None:
    query = q.parse(text)
    found = q.evaluate(query, Table(CLAIMS))
    assert found is None or 0 <= found <= Table(CLAIMS).all_mask


EVENTS = [
    {"id": f"e{n}", "text": "x", "quote": "", "source": "hayday", "settlements": [],
     "reported_at": "2022-09-10", "event_at": when}
    for n, when in enumerate([None, "2022", "2022-02-28", "2022-03", "2022-03-01",
                              "2022-03-31T23:59:00Z", "2022-04", 20220301, ""])
]


def test_event_dates_by_period_and_comparison() -> None:
    from sitrep.search import search_claims

    def found(expr: str) -> list[str]:
        query = q.parse(expr)
        assert not query.problems, expr
        table = Table(EVENTS)
        by_term = [c["id"] for i, c in enumerate(EVENTS)
                   if q.matches(query, c, table.haystack(i), table)]
        by_mask = [c["id"] for c in search_claims(EVENTS, [], [], query)]
        assert by_term == by_mask, expr  # the per-claim rule and the masks agree
        return by_term

    assert found("event:2022-03") == ["e3", "e4", "e5"]
    assert found("event:2022") == ["e1", "e2", "e3", "e4", "e5", "e6"]
    assert found("event:2022-03-01") == ["e4"]
    assert found("event:>=2022-03") == ["e3", "e4", "e5", "e6"]
    assert found("event:<=2022-03") == ["e1", "e2", "e3", "e4", "e5"]
    assert found("event:>2022-03") == ["e6"]
    assert found("event:<2022-03") == ["e1", "e2"]
    assert found("event:>=2022-03 event:<=2022-03-15") == ["e3", "e4"]
    assert found("!event:2022-03") == ["e0", "e1", "e2", "e6", "e7", "e8"]
    # since:/until: still read the report date
    assert found("since:2022-09-10 event:2022-03") == ["e3", "e4", "e5"]
    assert q.parse("event:soon").problems == (
        "event needs an ISO date like 2022-03 or >=2022-03-01 (got 'soon')",)
    assert q.parse("event:").problems == ("'event:' needs a value",)
