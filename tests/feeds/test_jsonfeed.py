"""JSON Feed 1.0/1.1 parsing edge cases (pure: bytes in, records and rejections out)."""

from __future__ import annotations

import orjson
import pytest

from sitrep.errors import FeedError
from sitrep.feeds.base import MAX_DEPTH
from sitrep.feeds.detect import parse_feed
from sitrep.feeds.jsonfeed import claim_id_for, feed_identity, html_to_text, parse_jsonfeed

V1 = "https://jsonfeed.org/version/1"


def parse(items: list, **top: object):  # type: ignore[no-untyped-def]
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": "T", **top, "items": items}
    return parse_jsonfeed(orjson.dumps(doc))


def test_real_feed_parses_20_items(real_feed_bytes: bytes) -> None:
    feed = parse_jsonfeed(real_feed_bytes)
    assert (feed.version, len(feed.items), feed.rejected) == ("1.1", 20, [])
    assert feed.identity == "https://journal.3960.org/feed.json"
    assert {i.author for i in feed.items} == {"Frank Boës"}
    assert len({i.claim["id"] for i in feed.items}) == 20


def test_text_sources_in_order() -> None:
    feed = parse([
        {"id": "1", "title": "T1", "summary": "S", "content_text": "CT",
         "content_html": "<b>H</b>"},
        {"id": "2", "content_text": "CT", "content_html": "<b>H</b>"},
        {"id": "3", "content_html": "<p>Para one</p><p>Two&nbsp;&amp; <i>three</i></p>"},
        {"id": "4", "title": "Only a title"},
    ])
    assert [i.claim["text"] for i in feed.items] == [
        "T1\n\nS", "CT", "Para one\nTwo & three", "Only a title"]


def test_html_reduction() -> None:
    html = ("<div><script>alert(1)</script><style>p{}</style><h1>Head</h1>"
            "<ul><li>one</li><li>two &lt;3</li></ul>text<br/>after   spaces</div>")
    assert html_to_text(html) == "Head\none\ntwo <3\ntext\nafter spaces"
    assert html_to_text("<p>unclosed <b>bold") == "unclosed bold"


def test_dates() -> None:
    feed = parse([
        {"id": "a", "title": "x", "date_published": "2022-09-10T14:05:00+03:00",
         "date_modified": "2022-09-11T00:00:00-01:00"},
        {"id": "b", "title": "x", "date_modified": "2022-09-11T10:00:00Z"},
        {"id": "c", "title": "x"},
        {"id": "d", "title": "x", "date_published": 20220910},
    ])
    claims = {i.item_id: i.claim for i in feed.items}
    assert claims["a"]["reported_at"] == "2022-09-10T11:05:00Z"
    assert claims["a"]["feed_modified_at"] == "2022-09-11T01:00:00Z"
    assert claims["b"]["reported_at"] == "2022-09-11T10:00:00Z"
    assert claims["c"]["reported_at"] is None
    assert feed.rejected[0].item_id == "d" and "RFC 3339" in feed.rejected[0].reason


def test_ids() -> None:
    feed = parse([{"id": 42, "title": "n"}, {"id": 4.5, "title": "f"}, {"id": True, "title": "b"},
                  {"id": "", "title": "e"}, {"id": "tab\there", "title": "t"},
                  {"id": "x" * 1001, "title": "long"}, {"id": "ok", "title": "y"},
                  {"id": "ok", "title": "dup"}])
    assert [i.item_id for i in feed.items] == ["42", "4.5", "ok"]
    reasons = [r.reason for r in feed.rejected]
    assert reasons == ["id must be a string, not bool", "id is empty",
                       "id contains NUL or control characters",
                       "id is longer than 1000 characters", "duplicate id within the feed"]


def test_authors_10_and_11() -> None:
    feed = parse([
        {"id": "1", "title": "x", "authors": [{"url": "u"}, {"name": "Second"}]},
        {"id": "2", "title": "x", "author": {"name": "Old"}},
        {"id": "3", "title": "x"},
        {"id": "4", "title": "x", "authors": "me"},
    ], author={"name": "Feed Author", "url": "mailto:a@b"})
    assert [i.author for i in feed.items] == ["Second", "Old", "Feed Author"]
    assert feed.items[2].author_url == "mailto:a@b"
    assert "authors" in feed.rejected[0].reason
    assert parse([{"id": "1", "title": "x"}], title="Wire").items[0].author == "Wire"


def test_url_tags_and_extensions() -> None:
    feed = parse([
        {"id": "1", "title": "x", "external_url": "https://e", "tags": ["a", " a ", "b", ""],
         "_geo": {"coordinates": [1, 2]}, "_sitrep": {"credibility": "2"}},
        {"id": "2", "title": "x", "_sitrep": "nope"},
        {"id": "3", "title": "x", "_sitrep": {"status": "DISPUTED", "origin": None}},
    ])
    first = feed.items[0]
    assert first.claim["url"] == "https://e" and first.claim["tags"] == ["a", "b"]
    assert first.claim["credibility"] == 2 and first.explicit == {"credibility"}
    assert "_geo" not in first.claim
    assert feed.items[1].claim["status"] == "disputed"
    assert "'_sitrep' must be an object" in feed.rejected[0].reason


def test_identity_and_claim_ids() -> None:
    assert feed_identity({"feed_url": " u ", "home_page_url": "h"}) == "u"
    assert feed_identity({"home_page_url": "h"}, "loc") == "h"
    assert feed_identity({"title": "T"}, "https://x/f.json") == "https://x/f.json"
    assert feed_identity({"title": "T"}, "saved/f.json") == "T"
    assert feed_identity({}, "saved/f.json") == "saved/f.json"
    assert feed_identity({"title": " "}, "-") == "untitled feed"
    assert claim_id_for("f1", "x") == claim_id_for("f1", "x")
    assert claim_id_for("f1", "x") != claim_id_for("f2", "x")
    assert claim_id_for("f", "Лиман/пост") .startswith("f-")
    assert claim_id_for("f", "https://site/posts/2022-09-10-a-long-title-goes-here/index.html"
                        ).startswith("f-")


def test_deep_sitrep_feed_is_refused() -> None:
    deep = b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1)
    data = b'{"sitrep_feed": 1, "claims": [{"id": "c", "text": "t", "x": ' + deep + b"}]}"
    with pytest.raises(FeedError, match="nested too deep"):
        parse_feed(data)


def test_deep_item_is_rejected_not_fatal() -> None:
    deep = orjson.dumps({"id": "d", "title": "t", "_sitrep": {"settlements": []}})
    deep = deep.replace(b"[]", b"[" * 300 + b"]" * 300)
    data = b'{"version": "https://jsonfeed.org/version/1.1", "items": [' + deep + b"]}"
    feed = parse_jsonfeed(data)
    assert feed.rejected[0].reason == "item is nested too deep"


@pytest.mark.parametrize("data, message", [
    (b"\xef\xbb\xbf" + orjson.dumps({"version": V1, "items": []}), None),
    (b"\xff\xfe{}", "not valid UTF-8|not valid JSON"),
    (b'{"version": "https://jsonfeed.org/version/1.1", "items": '
     + b"[" * 2000 + b"]" * 2000 + b"}", "nested too deep"),
    (b'[{"version": "https://jsonfeed.org/version/1.1"}]', "top level is a list"),
    (b'{"version": "https://jsonfeed.org/version/1.1"}', "'items' must be a list, not null"),
])
def test_whole_feed_errors(data: bytes, message: str | None) -> None:
    if message is None:
        assert parse_jsonfeed(data).items == []
        return
    with pytest.raises(FeedError, match=message):
        parse_jsonfeed(data)
