"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org) → claim records. Pure: bytes or a dict in.

Each item becomes an unverified claim (credibility 6) unless its ``_sitrep`` extension says
otherwise:

* ``id``: the item id (numbers are coerced to strings, as the spec asks) together with the
  feed identity gives a stable claim id, ``f-<slug>-<hash>``; the claim keeps ``feed`` and
  ``feed_item_id`` so the merge can find it again.
* ``text``: the title, then the summary or ``content_text``, else ``content_html`` reduced to
  plain text (stdlib ``html.parser``; scripts and styles dropped, blocks become lines).
* ``reported_at``: ``date_published`` (``date_modified`` when there is none), in sitrep's date
  form; ``date_modified`` is kept as ``feed_modified_at``.
* source: the item's ``authors`` (1.1) or ``author`` (1.0), else the feed's, else the feed title.
  The name is resolved against the store's sources by the merge.
* ``via``: the feed title (the channel the claim reached us through); ``url`` (``external_url``
  when there is no ``url``); ``tags``.
* ``_sitrep``: an optional object with ``settlements`` (ids), ``status``, ``credibility``,
  ``origin``, ``event_at``, ``against_interest``, and the claim's links in the store's own
  shapes: ``urls`` (a list of URLs), ``evidence`` (``[{url, kind, note}]``) and ``location``
  (``{lat, lon, precision_m}``), checked by the store's rule (``models.link_problems``).
  Other ``_`` keys are ignored.

Hostile text (markup, escape sequences, control characters) is kept as data; only ids with NUL
or control characters are refused.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import orjson

from sitrep.dates import normalize
from sitrep.errors import FeedError, InvalidValueError
from sitrep.feeds.base import (
    FeedItem,
    ParsedFeed,
    Rejection,
    id_problem,
    load_json,
    printable_id,
)
from sitrep.models import LINK_FIELDS, STATUSES, Claim, link_problems, parse_credibility

_CLAIM = Claim(id="", text="").to_record()  # field order and defaults of a new claim
_HASH_VERSION = 1  # bump when the conversion changes, so every item is converted again
_HASHED = ("title", "summary", "content_text", "content_html", "date_published",
           "date_modified", "url", "external_url", "tags", "authors", "author", "_sitrep")
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})\Z")

VERSION_PREFIXES = ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "figure",
        "figcaption",
        "hr",
        "dt",
        "dd",
    ]
)
_SKIP_TAGS = frozenset({"script", "style", "template", "head", "title"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_SLUG = re.compile(r"[^a-z0-9]+")


class ItemError(ValueError):
    """Why one item cannot become a claim (the item is rejected, the feed goes on);
    ``field``: the item's field to blame (``date_published``, ``_sitrep.status``), if one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def is_jsonfeed(doc: Any) -> bool:
    """True when ``doc`` declares itself a JSON Feed by its ``version`` URL."""
    version = doc.get("version") if isinstance(doc, dict) else None
    return isinstance(version, str) and version.startswith(VERSION_PREFIXES)


def parse_jsonfeed(
    data: bytes | dict[str, Any],
    *,
    location: str | None = None,
    max_bytes: int | None = None,
    lazy: bool = False,
) -> ParsedFeed:
    """Read a JSON Feed into claim records and rejections.

    ``data`` is the raw bytes (or an already parsed object); ``location`` is where it came
    from, used for the feed identity only when the feed names no URL of its own. Raises
    FeedError when the document is not a readable JSON Feed. With ``lazy`` only ids and
    fingerprints are read; :func:`convert` turns an item into its claim when it is needed
    (the merge does so only for new and changed items).
    """
    doc = load_json(data, max_bytes=max_bytes) if not isinstance(data, dict) else data
    if not isinstance(doc, dict):
        raise FeedError(f"not a JSON Feed: the top level is a {_kind(doc)}, not an object")
    if not is_jsonfeed(doc):
        raise FeedError(
            "not a JSON Feed: no 'version' of the form https://jsonfeed.org/version/1.1"
        )
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedError(f"not a JSON Feed: 'items' must be a list, not {_kind(items)}")
    title = doc.get("title")
    title = title.strip() if isinstance(title, str) else ""
    identity = feed_identity(doc, location)
    version = doc["version"].rsplit("/", 1)[-1] or "1"
    parsed = ParsedFeed("jsonfeed", version, identity, title or identity)
    author, author_url = _first_author(doc)
    parsed.feed_author, parsed.feed_author_url = author or parsed.title, author_url
    context = [_HASH_VERSION, parsed.title, parsed.feed_author, author_url]
    seen: set[str] = set()
    for index, raw in enumerate(items):
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        try:
            item = _identify(raw, index, identity, context)
        except ItemError as exc:
            parsed.rejected.append(Rejection(printable_id(raw_id), str(exc), index, "items",
                                             exc.field))
            continue
        if item.item_id in seen:
            parsed.rejected.append(
                Rejection(printable_id(item.item_id), "duplicate id within the feed", index,
                          "items", "id")
            )
            continue
        seen.add(item.item_id)
        if not lazy:
            try:
                convert(parsed, item)
            except ItemError as exc:
                parsed.rejected.append(Rejection(printable_id(item.item_id), str(exc), index,
                                                 "items", exc.field))
                continue
        parsed.items.append(item)
    return parsed


def _identify(raw: Any, index: int, identity: str, context: list[Any]) -> FeedItem:
    """The cheap first pass: an item's id, claim id and fingerprint."""
    if not isinstance(raw, dict):
        raise ItemError(f"item must be an object, not {_kind(raw)}")
    item_id = raw.get("id")
    if item_id is None:
        raise ItemError("missing id", field="id")
    if isinstance(item_id, int | float) and not isinstance(item_id, bool):
        item_id = str(item_id)
    problem = id_problem(item_id)
    if problem:
        raise ItemError(problem, field="id")
    try:
        payload = orjson.dumps([context, [raw.get(k) for k in _HASHED]],
                               option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        raise ItemError("item is nested too deep") from None
    digest = hashlib.blake2b(payload, digest_size=8).hexdigest()
    return FeedItem(item_id, claim_id_for(identity, item_id), digest, raw, index)


def feed_identity(doc: dict[str, Any], location: str | None = None) -> str:
    """What identifies a feed across imports.

    Its own ``feed_url``, else its ``home_page_url``, else the http(s) URL it was fetched
    from, else its title, else the path it was read from. (A file path comes last: the same
    feed saved in two places is still one feed.)
    """
    for key in ("feed_url", "home_page_url"):
        value = doc.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    if location and location.lower().startswith(("http://", "https://")):
        return location
    title = doc.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    if location and location != "-":
        return location
    return "untitled feed"


def claim_id_for(identity: str, item_id: str) -> str:
    """The stable claim id of item ``item_id`` in the feed ``identity``."""
    digest = hashlib.blake2b(f"{identity}\n{item_id}".encode(), digest_size=5).hexdigest()
    slug = _SLUG.sub("-", item_id.lower()).strip("-")
    if len(slug) > 40:
        slug = slug[-40:]
        slug = slug.split("-", 1)[-1] if "-" in slug[1:] else slug
    return f"f-{slug}-{digest}" if slug else f"f-{digest}"


def html_to_text(html: str) -> str:
    """Reduce HTML to plain text: tags dropped, entities decoded, blocks on their own lines."""
    if "<" not in html and "&" not in html:
        return "\n".join(
            line for line in (_SPACES.sub(" ", x).strip() for x in html.split("\n")) if line
        )
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is lenient; this is belt and braces for odd input
        return _SPACES.sub(" ", re.sub(r"<[^>]*>", " ", html)).strip()
    return parser.text()


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self._parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self._parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._parts.append(data)

    def text(self) -> str:
        lines = (_SPACES.sub(" ", line).strip() for line in "".join(self._parts).split("\n"))
        return "\n".join(line for line in lines if line)


def _shown(value: Any) -> str:
    """A bad value as a rejection shows it: short, control characters escaped."""
    if isinstance(value, dict | list):
        return f"a {_kind(value)}"
    text = repr(value[:41] if isinstance(value, str) else value)
    return printable_id(text, 40) or ""


def _kind(value: Any) -> str:
    return {dict: "object", list: "list", str: "string", bool: "boolean"}.get(
        type(value), "number" if isinstance(value, int | float) else "null"
    )


def _opt_str(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ItemError(f"'{key}' must be a string, not {_kind(value)}", field=key)
    return value.strip()


def _authors_of(obj: dict[str, Any], strict: bool) -> tuple[str, str] | None:
    """The first named author of a feed or item as (name, url), from authors or author."""
    candidates: list[Any] = []
    authors = obj.get("authors")
    if isinstance(authors, list):
        candidates.extend(authors)
    elif authors is not None and strict:
        raise ItemError(f"'authors' must be a list, not {_kind(authors)}", field="authors")
    if obj.get("author") is not None:
        candidates.append(obj["author"])
    for author in candidates:
        if not isinstance(author, dict):
            if strict:
                raise ItemError("each author must be an object with a name")
            continue
        name = author.get("name")
        if isinstance(name, str) and name.strip():
            url = author.get("url")
            return name.strip(), url.strip() if isinstance(url, str) else ""
    return None


def _first_author(doc: dict[str, Any]) -> tuple[str, str]:
    try:
        found = _authors_of(doc, strict=False)
    except ItemError:  # pragma: no cover - strict=False never raises
        found = None
    return found if found else ("", "")


def _date(item: dict[str, Any], key: str, field: str = "") -> str | None:
    field = field or key
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ItemError(f"'{key}' must be an RFC 3339 date string, not {_kind(value)}",
                        field=field)
    if _RFC3339.match(value):  # the usual case, without the general parser
        try:
            moment = datetime.fromisoformat(value).astimezone(UTC)
            return (f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T{moment.hour:02d}:"
                    f"{moment.minute:02d}:{moment.second:02d}Z")
        except (ValueError, OverflowError):
            pass
    try:
        return normalize(value)
    except InvalidValueError:
        raise ItemError(f"unreadable date in '{key}': {value[:40]!r}", field=field) from None


def _tags(item: dict[str, Any]) -> list[str]:
    tags = item.get("tags")
    if tags is None:
        return []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ItemError("'tags' must be a list of strings", field="tags")
    out: list[str] = []
    for tag in tags:
        tag = tag.strip()
        if tag and tag not in out:
            out.append(tag)
    return out


def convert(parsed: ParsedFeed, item: FeedItem) -> None:
    """Fill ``item.claim`` and the author fields from the raw item, or raise ItemError."""
    raw = item.raw
    title = _opt_str(raw, "title")
    summary = _opt_str(raw, "summary")
    content_text = _opt_str(raw, "content_text")
    content_html = _opt_str(raw, "content_html")
    body = summary or content_text or (html_to_text(content_html) if content_html else "")
    text = "\n\n".join(part for part in (title, body) if part)
    if not text:
        raise ItemError("no content: no title, summary, content_text or content_html")
    published = _date(raw, "date_published")
    modified = _date(raw, "date_modified")
    url = _opt_str(raw, "url") or _opt_str(raw, "external_url")
    tags = _tags(raw)
    author = _authors_of(raw, strict=True)
    name, author_url = author if author else (parsed.feed_author, parsed.feed_author_url)
    claim = {**_CLAIM, "id": item.claim_id, "text": text, "via": parsed.title,
             "reported_at": published or modified, "tags": tags, "url": url,
             "settlements": [], "corroborates": [], "contradicts": [], "history": []}
    explicit_settlements, explicit = _extension(raw.get("_sitrep"), claim)
    claim["feed"] = parsed.identity
    claim["feed_item_id"] = item.item_id
    claim["feed_modified_at"] = modified
    claim["feed_hash"] = item.feed_hash
    item.claim, item.author, item.author_url = claim, name, author_url
    item.explicit_settlements, item.explicit = explicit_settlements, explicit


def _extension(ext: Any, claim: dict[str, Any]) -> tuple[list[str], frozenset[str]]:
    """Apply the optional ``_sitrep`` extension object to ``claim``."""
    if ext is None:
        return [], frozenset()
    if not isinstance(ext, dict):
        raise ItemError(f"'_sitrep' must be an object, not {_kind(ext)}", field="_sitrep")
    explicit: set[str] = set()
    settlements: list[str] = []
    if "settlements" in ext:
        values = ext["settlements"]
        if not isinstance(values, list):
            raise ItemError("'_sitrep.settlements' must be a list of settlement ids",
                            field="_sitrep.settlements")
        for value in values:
            problem = id_problem(value, "'_sitrep.settlements' entry")
            if problem:
                raise ItemError(problem, field="_sitrep.settlements")
            if value not in settlements:
                settlements.append(value)
    if "status" in ext:
        status = ext["status"]
        if not isinstance(status, str) or status.strip().lower() not in STATUSES:
            raise ItemError(f"'_sitrep.status' {_shown(status)} is not one of"
                            f" {', '.join(STATUSES)}", field="_sitrep.status")
        claim["status"] = status.strip().lower()
        explicit.add("status")
    if "credibility" in ext:
        try:
            claim["credibility"] = parse_credibility(ext["credibility"])
        except (ValueError, TypeError):
            raise ItemError(f"'_sitrep.credibility' must be a digit 1-6, not"
                            f" {_shown(ext['credibility'])}", field="_sitrep.credibility") from None
        explicit.add("credibility")
    if "origin" in ext:
        origin = ext["origin"]
        if origin is not None and id_problem(origin, "'_sitrep.origin'"):
            raise ItemError(str(id_problem(origin, "'_sitrep.origin'")), field="_sitrep.origin")
        claim["origin"] = origin
        explicit.add("origin")
    if "event_at" in ext:
        claim["event_at"] = _date(ext, "event_at", field="_sitrep.event_at")
        explicit.add("event_at")
    if "against_interest" in ext:
        if not isinstance(ext["against_interest"], bool):
            raise ItemError("'_sitrep.against_interest' must be true or false",
                            field="_sitrep.against_interest")
        claim["against_interest"] = ext["against_interest"]
        explicit.add("against_interest")
    explicit.update(_links(ext, claim))
    return settlements, frozenset(explicit)


def _links(ext: dict[str, Any], claim: dict[str, Any]) -> list[str]:
    """Put the extension's ``urls``, ``evidence`` and ``location`` into ``claim`` right after
    its ``url`` (the store's field order); the names of those given."""
    given = {name: ext[name] for name in LINK_FIELDS if name in ext}
    if not given:
        return []
    problems = link_problems(given)
    if problems:
        raise ItemError("; ".join(f"'_sitrep.{field}' {why}" for field, why in problems),
                        field=f"_sitrep.{problems[0][0]}")
    after_url = list(claim.items())
    at = next(i for i, (key, _) in enumerate(after_url) if key == "url") + 1
    ordered = dict(after_url[:at]) | given | dict(after_url[at:])
    claim.clear()
    claim.update(ordered)
    return list(given)
