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
        return q.fold("\n".join(parts))

    def haystack(self, index: int) -> str:
        return self._hays[index]

    def haystacks(self) -> Sequence[str]:
        return self._hays

    def source_grade(self, source_id: str) -> str | None:
        return SOURCES.get(source_id, {}).get("reliability")

    def source_matches(self, source_id: str, needle: str) -> bool:
        src = SOURCES.get(source_id)
        names = [source_id, src["name"], *src["aliases"]] if src else [source_id]
        return any(needle in q.fold(n) for n in names)

    def place_matches(self, settlement_id: str, needle: str) -> bool:
        p = PLACES.get(settlement_id)
        names = [settlement_id, p["name"], *p["alt_names"]] if p else [settlement_id]
        return any(needle in q.fold(n) for n in names)


def ids(text: str) -> list[str]:
    """Ids of the fixture claims matching ``text``, in order (all when the query is empty)."""
    table = Table(CLAIMS)
    found = q.evaluate(q.parse(text), table)
    if found is None:
        return [c["id"] for c in CLAIMS]
    return [CLAIMS[i]["id"] for i in sorted(found)]


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
        one_by_one = {
            i for i, c in enumerate(CLAIMS) if q.matches(query, c, table.haystack(i), table)
        }
        assert q.evaluate(query, table) == one_by_one, text


def test_cache_refines_longer_words_from_shorter_results() -> None:
    table = Table(CLAIMS)
    cache = q.TermCache()
    assert q.evaluate(q.parse("sh"), table, cache) == {1, 2}  # Pushilin, Shelling
    assert q.evaluate(q.parse("she"), table, cache) == {2}
    assert q.evaluate(q.parse("shez"), table, cache) == set()
    assert q.evaluate(q.parse("tough"), table, cache) == {1}


@given(st.text(max_size=40))
def test_any_text_parses_without_raising(text: str) -> None:
    query = q.parse(text)
    found = q.evaluate(query, Table(CLAIMS))
    assert found is None or found <= {0, 1, 2}
