"""Data made safe in each output syntax: shown, never interpreted.

Terminal text goes through :func:`sitrep.text.printable` (control characters, ANSI/OSC
escapes and bidi overrides become visible escapes such as ``\\x1b``). JSON keeps every
character of the data (it is read by programs) but writes the ones a terminal or an editor
would act on as ``\\u`` escapes, so the bytes themselves are safe to print. Markdown escapes
each character that could start markup, so a claim cannot make a link, an emphasis, a
heading, a table cell or HTML.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

from sitrep.errors import SitrepError
from sitrep.text import printable

# Characters a JSON encoder may leave raw that a terminal or an editor acts on, as UTF-8
# bytes: DEL, C1 controls, zero-width and bidi marks, line/paragraph separators, the BOM.
# In orjson's output they can only stand inside strings, where a \u escape means the same.
_UNSAFE_JSON = re.compile(
    rb"\x7f|\xc2[\x80-\x9f]|\xe2\x80[\x8b-\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]|\xef\xbb\xbf"
)
# sitrep.text.printable's characters (one_line=False: tab and newline kept) as UTF-8 bytes:
# C0 controls, DEL, C1 controls, zero-width and bidi marks, separators, the BOM.
_UNSAFE_TEXT = re.compile(
    rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\x8b-\x8f\xa8-\xae]"
    rb"|\xe2\x81[\xa6-\xa9]|\xef\xbb\xbf"
)
# Every byte but those an unsafe character's UTF-8 can start with, in orjson's output (which
# escapes C0 controls itself).
_SAFE_JSON_BYTES = bytes(b for b in range(256) if b not in (0x7f, 0xc2, 0xe2, 0xef))
# Every byte but those an unsafe character's UTF-8 can start with: what is left after
# deleting them is empty when the text holds nothing to escape (a C-speed pass).
_SAFE_BYTES = bytes(b for b in range(256)
                    if not (b <= 0x08 or 0x0b <= b <= 0x1f or b in (0x7f, 0xc2, 0xe2, 0xef)))
# Markdown: characters that make markup anywhere in a line (emphasis, code, links, images,
# HTML, entities, tables, strikethrough, headings, math), and the ones that start GFM's
# autolinks (``www.``, ``scheme://``). ``-+=`` and ``1.`` only make markup at a line's start.
_MARKDOWN_ANYWHERE = re.compile(r"([\\`*_\[\]<>&|~!#$])|(?<=www)(\.)|(:)(?=/)", re.IGNORECASE)
_MARKDOWN_START = re.compile(r"^([-+=]|\d+(?=[.)]))")
# GFM links an e-mail address whatever is escaped; an empty HTML comment after the @ breaks
# the address for the parser and shows nothing (only where a domain follows).
_EMAIL_AT = re.compile(r"(?<=[A-Za-z0-9._+-])@(?=[A-Za-z0-9_-]+\.)")


def line(value: Any) -> str:
    """``value`` as one line of safe terminal text."""
    if value.__class__ is str and value.isprintable():
        return value  # no control, format (bidi, zero-width) or separator character in it
    return printable(value)


def block(value: Any) -> str:
    """``value`` as safe terminal text, its newlines kept."""
    return printable(value, one_line=False)


def _json_escape(match: re.Match[bytes]) -> bytes:
    return b"\\u%04x" % ord(match.group().decode())


def _text_escape(match: re.Match[bytes]) -> bytes:
    code = ord(match.group().decode())
    return b"\\x%02x" % code if code < 0x100 else b"\\u%04x" % code


def printable_bytes(data: bytes) -> bytes:
    """UTF-8 text made safe as :func:`sitrep.text.printable` makes it (``one_line=False``),
    byte for byte the same, for a whole export at once: most exports hold nothing to escape,
    and finding that out here costs one pass in C."""
    if not data.translate(None, _SAFE_BYTES):
        return data
    return _UNSAFE_TEXT.sub(_text_escape, data)


def json_bytes(value: Any, *, indent: bool = True) -> bytes:
    """``value`` as UTF-8 JSON with a trailing newline, every unsafe character escaped.

    Raises SitrepError when the data cannot be written as JSON (nested too deep, or an
    integer beyond 64 bits, which only a hand edit can leave).
    """
    option = orjson.OPT_APPEND_NEWLINE | (orjson.OPT_INDENT_2 if indent else 0)
    try:
        data = orjson.dumps(value, option=option)
    except orjson.JSONEncodeError as exc:
        raise SitrepError(f"cannot write the export as JSON: {exc}") from None
    if not data.translate(None, _SAFE_JSON_BYTES):  # one C pass: nothing to escape (usual)
        return data
    return _UNSAFE_JSON.sub(_json_escape, data)


def _markdown_escape(match: re.Match[str]) -> str:
    return "\\" + match.group()


def markdown(value: Any) -> str:
    """``value`` as one line of Markdown (CommonMark with GitHub's extensions) that renders
    as exactly these characters: no markup, link, autolink or HTML of its own."""
    text = _MARKDOWN_ANYWHERE.sub(_markdown_escape, printable(value))
    text = _MARKDOWN_START.sub(lambda m: m.group() + "\\" if m.group().isdigit()
                               else "\\" + m.group(), text)
    return _EMAIL_AT.sub("@<!-- -->", text)
