"""The SITREP: faithful to the sample (the 2022-09-10 report), 80 columns, Markdown safe."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import cmarkgfm
import orjson

from sitrep.reports.formats import render_report as render
from sitrep.reports.report import build
from sitrep.store import Store

from .conftest import GENERATED, HOSTILE_TEXT, add_claim, view_of

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "sitrep.json"


def _sample() -> dict:
    return orjson.loads(SAMPLE.read_bytes())


def _section(text: str, title: str) -> str:
    start = text.index(f"\n{title}\n")
    following = re.search(r"\n\n[A-Z][A-Z ,]+\n─", text[start + 2:])
    return text[start: start + 2 + following.start()] if following else text[start:]


def test_text_report_names_every_settlement_and_claim_within_80_columns(sample_view) -> None:
    text = render(sample_view)
    assert all(len(line) <= 80 for line in text.splitlines())
    doc = _sample()
    for settlement in doc["settlements"].values():
        assert settlement["name"] in text
    for claim in doc["claims"].values():
        assert claim["id"] in text
        # the claim's text, as wrapped: its words in order
        words = claim["text"].split()
        assert " ".join(words) in " ".join(text.split())
    assert text.startswith(f"SITREP · all records · as of latest data · generated {GENERATED}")


def test_claims_are_grouped_confirmed_first_and_the_unconfirmed_stay_unverified(
        sample_view) -> None:
    text = render(sample_view)
    order = [text.index(h) for h in ("✓ Confirmed (1)", "+ Corroborated (1)", "! Disputed (0)",
                                     "✗ False (0)", "? Unverified (14)")]
    assert order == sorted(order)
    unverified = text[text.index("? Unverified (14)"):text.index("\nWHAT CHANGED")]
    # "CNN is unable to confirm his claim": Hayday's outskirts claim is unverified
    assert "c-hayday-lysychansk-outskirts · Serhiy Hayday · C3" in unverified
    assert "CNN is unable to confirm his claim." in unverified
    confirmed = text[text.index("✓ Confirmed (1)"):text.index("+ Corroborated (1)")]
    assert "c-cnn-lysychansk-lost-june · CNN · B1" in confirmed
    assert "event 2022-06 (month)" in confirmed
    assert "against interest" in text[text.index("c-pushilin-lyman-tough · "):][:80]
    assert "> “Lysychansk, a great Ukrainian city." in text


def test_situation_gives_control_since_and_what_it_rests_on(sample_view) -> None:
    text = render(sample_view)
    situation = _section(text, "SITUATION BY SETTLEMENT")
    assert "Lysychansk (Luhansk, UA): RU since 2022-06" in situation
    assert "rests on c-cnn-lysychansk-lost-june (✓ confirmed, B1)" in situation
    assert "Lyman (Donetsk, UA): contested since 2022-09-10" in situation
    assert "Sloviansk (Donetsk, UA): UA since 2022-09-10" in situation
    sources = _section(text, "SOURCES")
    assert re.search(r"CNN +B \(usually reliable\) +7 claims \?6 ✓1 \[1\]", sources)
    assert "[1] https://www.cnn.com" in text


def test_changes_since_show_who_and_why_and_control_changes(sample_db: Path) -> None:
    store = Store.open(sample_db, clock=lambda: datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    store.set_status("c-hayday-lysychansk-outskirts", "corroborated", by="alice",
                     note="drone footage of Ukrainian armour at the city edge")
    store.set_credibility("c-hayday-lysychansk-outskirts", 2, by="alice")
    store.add_control("lysychansk", "contested", "2026-11-30", by="bob",
                      claim="c-hayday-lysychansk-outskirts", note="fighting in the outskirts")
    store.add_note("claims", "c-cnn-new-front", "ask the map team", by="carol")
    text = render(view_of(sample_db), since="2026-11-01")
    changes = _section(text, "WHAT CHANGED SINCE 2026-11-01")
    assert re.search(r"2026-11-24T10:00:00Z  c-hayday-lysychansk-outskirts\n"
                     r"    status: unverified → corroborated\n"
                     r"    by alice: drone footage of Ukrainian armour at the city edge\n", changes)
    assert "    credibility: 3 → 2\n    by alice" in changes
    assert re.search(r"Z  lysychansk\n    control: - → contested 2026-11-30\n"
                     r"    by bob: fighting in the outskirts", changes)
    assert re.search(r"Z  c-cnn-new-front\n    note: ask the map team\n    by carol", changes)
    situation = _section(text, "SITUATION BY SETTLEMENT")
    assert "Lysychansk (Luhansk, UA): contested since 2026-11-30" in situation
    assert ("changed 2026-11-30: RU → contested on c-hayday-lysychansk-outskirts "
            "(+ corroborated, C2)") in " ".join(situation.split())
    assert "Lyman (Donetsk, UA): contested since 2022-09-10" in situation
    before = render(view_of(sample_db), since="2026-11-25")
    assert "drone footage" not in before


def test_unverified_oldest_first_and_stale_relative_to_the_as_of_date(sample_db: Path) -> None:
    add_claim(sample_db, id="c-old", reported_at="2022-08-01")
    add_claim(sample_db, id="c-new", reported_at="2022-09-11")
    sitrep = build(view_of(sample_db, as_of="2022-09-12"))
    ids = [e.id for e in sitrep.unverified]
    assert ids[0] == "c-old" and ids[-1] == "c-new"
    assert [e.id for e in sitrep.unverified if e.stale] == ["c-old"]
    text = render(view_of(sample_db, as_of="2022-09-12"))
    assert re.search(r"2022-08-01 +B3 +c-old +STALE", text)
    assert not re.search(r"c-new +STALE", text)


def test_independent_origin_counts_are_shown_where_given(sample_db: Path) -> None:
    text = render(view_of(sample_db, origins={"c-hayday-exodus-milove": 2}))
    exodus = text[text.index("c-hayday-exodus-milove · "):]
    assert "independent origins: 2" in exodus[:600]
    assert text.count("independent origins") == 1


def test_markdown_renders_tables_headings_quotes(sample_view) -> None:
    md = render(sample_view, format="markdown")
    html = cmarkgfm.github_flavored_markdown_to_html(md)
    assert "<h1>SITREP · all records · as of latest data · generated" in html
    assert html.count("<table>") == 3  # situation, unverified, sources; no changes yet
    assert "<blockquote>\n<p>“Lysychansk, a great Ukrainian city." in html
    assert "<h2>Claims by status</h2>" in html
    assert '<a href="https://www.cnn.com">https://www.cnn.com</a>' in html
    assert html.count("<a ") == 1


def test_markdown_cannot_be_injected_by_a_claim(sample_db: Path) -> None:
    add_claim(sample_db, id="c-hostile", text=HOSTILE_TEXT, quote=HOSTILE_TEXT,
              via=HOSTILE_TEXT, notes=HOSTILE_TEXT, url="javascript:alert(1)")
    md = render(view_of(sample_db, scope=HOSTILE_TEXT), format="markdown")
    for options in (cmarkgfm.cmark.Options.CMARK_OPT_UNSAFE, 0):
        html = cmarkgfm.github_flavored_markdown_to_html(md, options=options)
        assert html.count("<a ") == 1  # the sample's own reference to CNN
        for made in ("<script", "<img", "<b>bold", "<strong>strong", "<em>em", "<code>code",
                     'href="javascript', "<h1>h</h1>", "mailto:", "<del>"):
            assert made not in html, made
        assert "\x1b" not in html and "\u202e" not in html
        # each table row still has its own number of cells
        for table in re.findall(r"<table>.*?</table>", html, re.S):
            header = re.search(r"<tr>(.*?)</tr>", table, re.S).group(1).count("<th")
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
                assert row.count("<td") == header
        # the text reads as written
        assert "[link](javascript:alert(1))" in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_text_report_escapes_terminal_controls(sample_db: Path) -> None:
    add_claim(sample_db, id="c-hostile", text=HOSTILE_TEXT, quote=HOSTILE_TEXT)
    text = render(view_of(sample_db, scope="\x1b]0;x\x07"))
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "\\x1b[31mred" in text and "\\u202eevil" in text
    assert all(len(line) <= 80 for line in text.splitlines())
